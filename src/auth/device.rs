//! The known-device cookie: after a right password, the browser keeps a signed note that it
//! signed in to this address. A sign-in that shows it is not held by the address-wide wait
//! that strangers' failures build up (`web::ratelimit`), so an attacker guessing from many
//! clients cannot lock the owner out of their own browser. It grants nothing else: the password
//! (and second factor) are still checked, and this client's own failure count still applies.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::tokens::random_token;
use crate::state::AppState;

pub const DEVICE_COOKIE: &str = "jury_device";
const PATH: &str = "/api/v1/auth";
const MAX_AGE_DAYS: i64 = 365;

fn tag(secret: &[u8], email: &str, nonce: &str) -> String {
    let key = hmac_sha256(secret, &[b"jury/known-device/v1"]);
    hex::encode(hmac_sha256(
        &key,
        &[email.as_bytes(), &[0], nonce.as_bytes()],
    ))
}

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// Whether the request carries a known-device cookie for `email` (already normalised).
pub fn is_known(state: &AppState, req: &HttpRequest, email: &str) -> bool {
    let Some(cookie) = req.cookie(DEVICE_COOKIE) else {
        return false;
    };
    let Some((nonce, given)) = cookie.value().split_once('.') else {
        return false;
    };
    let expected = tag(&state.config.jwt_secret, email, nonce);
    bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

/// A fresh cookie naming `email` for this browser.
pub fn cookie(state: &AppState, email: &str) -> Cookie<'static> {
    let nonce = random_token()[..32].to_string();
    let value = format!("{nonce}.{}", tag(&state.config.jwt_secret, email, &nonce));
    Cookie::build(DEVICE_COOKIE, value)
        .path(PATH)
        .http_only(true)
        .secure(state.config.secure_cookies)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::days(MAX_AGE_DAYS))
        .finish()
}
