//! The known-device cookie: after a right password, the browser keeps a signed note that it
//! signed in to this address. A sign-in that shows it is not held by the address-wide wait
//! that strangers' failures build up (`web::ratelimit`), so an attacker guessing from many
//! clients cannot lock the owner out of their own browser. It grants nothing else: the password
//! (and second factor) are still checked, and this client's own failure count still applies.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use aws_lc_rs::{constant_time, hmac};

use super::tokens::random_token;
use crate::state::AppState;

pub const DEVICE_COOKIE: &str = "jury_device";
const PATH: &str = "/api/v1/auth";
const MAX_AGE_DAYS: i64 = 365;

fn tag(secret: &[u8], email: &str, nonce: &str) -> String {
    let kdf = hmac::Key::new(hmac::HMAC_SHA256, secret);
    let key = hmac::Key::new(
        hmac::HMAC_SHA256,
        hmac::sign(&kdf, b"jury/known-device/v1").as_ref(),
    );
    let mut ctx = hmac::Context::with_key(&key);
    ctx.update(email.as_bytes());
    ctx.update(&[0]);
    ctx.update(nonce.as_bytes());
    hex::encode(ctx.sign().as_ref())
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
    constant_time::verify_slices_are_equal(expected.as_bytes(), given.as_bytes()).is_ok()
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
