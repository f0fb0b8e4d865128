//! Short-lived access tokens. HS256 is pinned (no `alg` negotiation), and issuer, audience,
//! expiry and token type are all checked, so a refresh or one-time token can never pass as an
//! access token and a token with `alg: none` or another key is refused.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// HS256 is the only algorithm Jury signs or accepts, so instead of a crypto backend feature
/// (which would build a whole C library for one MAC) the crate gets this provider: HMAC-SHA-256
/// from RustCrypto, like the argon2 and sha2 already in the build. Any other algorithm is
/// refused before a key is looked at.
mod hs256 {
    use hmac::{Hmac, Mac};
    use jsonwebtoken::crypto::{CryptoProvider, JwkUtils, JwtSigner, JwtVerifier};
    use jsonwebtoken::errors::{ErrorKind, Result};
    use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
    use sha2::Sha256;
    use signature::{Signer, Verifier};

    struct Hs256(Hmac<Sha256>);

    impl Hs256 {
        fn new(secret: &[u8]) -> Result<Hs256> {
            Hmac::new_from_slice(secret)
                .map(Hs256)
                .map_err(|_| ErrorKind::InvalidKeyFormat.into())
        }
    }

    impl Signer<Vec<u8>> for Hs256 {
        fn try_sign(&self, msg: &[u8]) -> std::result::Result<Vec<u8>, signature::Error> {
            let mut mac = self.0.clone();
            mac.update(msg);
            Ok(mac.finalize().into_bytes().to_vec())
        }
    }

    impl Verifier<Vec<u8>> for Hs256 {
        fn verify(&self, msg: &[u8], sig: &Vec<u8>) -> std::result::Result<(), signature::Error> {
            let mut mac = self.0.clone();
            mac.update(msg);
            // Constant time, inside `hmac`.
            mac.verify_slice(sig).map_err(|_| signature::Error::new())
        }
    }

    impl JwtSigner for Hs256 {
        fn algorithm(&self) -> Algorithm {
            Algorithm::HS256
        }
    }

    impl JwtVerifier for Hs256 {
        fn algorithm(&self) -> Algorithm {
            Algorithm::HS256
        }
    }

    fn signer(alg: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
        match alg {
            Algorithm::HS256 => Ok(Box::new(Hs256::new(key.try_get_hmac_secret()?)?)),
            _ => Err(ErrorKind::InvalidAlgorithm.into()),
        }
    }

    fn verifier(alg: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>> {
        match alg {
            Algorithm::HS256 => Ok(Box::new(Hs256::new(key.try_get_hmac_secret()?)?)),
            _ => Err(ErrorKind::InvalidAlgorithm.into()),
        }
    }

    static PROVIDER: CryptoProvider = CryptoProvider {
        signer_factory: signer,
        verifier_factory: verifier,
        jwk_utils: JwkUtils::new_unimplemented(),
    };

    /// Idempotent: the first call installs it for the process; later calls find it there.
    pub fn install() {
        let _ = PROVIDER.install_default();
    }
}

pub const ISSUER: &str = "jury";
pub const AUDIENCE: &str = "jury-api";
const ACCESS: &str = "access";

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    /// The user's token_version when issued; a bump ends every older token.
    pub ver: i32,
    /// The session (refresh family) the token was issued for; once it is logged out or
    /// revoked, the token is refused. A token without one is refused too.
    #[serde(default)]
    pub sid: String,
    pub typ: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

impl Claims {
    pub fn user_id(&self) -> Result<i64, AppError> {
        self.sub.parse().map_err(|_| AppError::InvalidToken)
    }
}

pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub access_ttl_secs: i64,
}

impl Keys {
    pub fn new(secret: &[u8], access_ttl_secs: i64) -> Keys {
        hs256::install();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Keys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            access_ttl_secs,
        }
    }

    pub fn issue(
        &self,
        user_id: i64,
        role: &str,
        version: i32,
        session: &str,
    ) -> Result<String, AppError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            role: role.to_string(),
            ver: version,
            sid: session.to_string(),
            typ: ACCESS.into(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now,
            exp: now + self.access_ttl_secs,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AppError::internal(format!("jwt encode: {e}")))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, AppError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => AppError::TokenExpired,
                _ => AppError::InvalidToken,
            })?;
        if data.claims.typ != ACCESS {
            return Err(AppError::InvalidToken);
        }
        Ok(data.claims)
    }

    /// Signs claims of another token type (e.g. the two-factor sign-in challenge) with the same
    /// key, issuer and audience rules. Its `typ` must not be `access`.
    pub fn encode_typed<T: Serialize>(&self, claims: &T) -> Result<String, AppError> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|e| AppError::internal(format!("jwt encode: {e}")))
    }

    /// Verifies a token of another type with the same rules as access tokens (pinned alg,
    /// issuer, audience, expiry); the caller checks its `typ`.
    pub fn decode_typed<T: serde::de::DeserializeOwned>(&self, token: &str) -> Result<T, AppError> {
        jsonwebtoken::decode::<T>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => AppError::TokenExpired,
                _ => AppError::InvalidToken,
            })
    }

    /// For tests that need a token with chosen claims (expired, wrong audience…).
    pub fn sign_claims(&self, claims: &Claims) -> String {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::new(b"0123456789abcdef0123456789abcdef", 60)
    }

    fn b64(s: &str) -> String {
        use std::fmt::Write;
        // Minimal base64url without padding, to hand-craft hostile tokens.
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let b = s.as_bytes();
        let mut out = String::new();
        for chunk in b.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, &x)| acc | (u32::from(x) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                let _ = out.write_char(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }

    #[test]
    fn round_trip() {
        let k = keys();
        let t = k.issue(7, "judge", 3, "s").unwrap();
        let c = k.verify(&t).unwrap();
        assert_eq!(
            (c.user_id().unwrap(), c.role.as_str(), c.ver),
            (7, "judge", 3)
        );
    }

    #[test]
    fn alg_none_and_other_key_and_expiry_are_refused() {
        let k = keys();
        let now = chrono::Utc::now().timestamp();
        let body = format!(
            r#"{{"sub":"1","role":"admin","ver":0,"typ":"access","iss":"jury","aud":"jury-api","iat":{now},"exp":{}}}"#,
            now + 600
        );
        let none = format!("{}.{}.", b64(r#"{"alg":"none","typ":"JWT"}"#), b64(&body));
        assert!(matches!(k.verify(&none), Err(AppError::InvalidToken)));

        let other = Keys::new(b"another-key-another-key-another!", 60);
        let forged = other.issue(1, "admin", 0, "s").unwrap();
        assert!(matches!(k.verify(&forged), Err(AppError::InvalidToken)));

        let mut claims = k.verify(&k.issue(1, "admin", 0, "s").unwrap()).unwrap();
        claims.exp = now - 3600;
        assert!(matches!(
            k.verify(&k.sign_claims(&claims)),
            Err(AppError::TokenExpired)
        ));

        claims.exp = now + 600;
        claims.aud = "someone-else".into();
        assert!(matches!(
            k.verify(&k.sign_claims(&claims)),
            Err(AppError::InvalidToken)
        ));

        claims.aud = AUDIENCE.into();
        claims.typ = "refresh".into();
        assert!(matches!(
            k.verify(&k.sign_claims(&claims)),
            Err(AppError::InvalidToken)
        ));
    }
}
