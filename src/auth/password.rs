//! Password hashing with argon2id at the crate defaults (the OWASP baseline: 19 MiB, t=2, p=1).
//! Hashes run on the blocking pool behind a semaphore: each one takes 19 MiB and a core for tens
//! of milliseconds, so a burst of logins must queue rather than exhaust memory.

use std::sync::Arc;

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::{AppError, FieldErrors};

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    params: Params,
    /// Verified against when the account does not exist, so "unknown email" costs the same time
    /// as "wrong password" and cannot be told apart by timing.
    dummy: Arc<str>,
}

pub struct Verdict {
    pub ok: bool,
    pub needs_rehash: bool,
}

impl Hasher {
    pub fn new(concurrency: usize) -> Result<Hasher, AppError> {
        Self::with_params(concurrency, Params::default())
    }

    pub fn with_params(concurrency: usize, params: Params) -> Result<Hasher, AppError> {
        let dummy = hash_blocking(&params, "not-a-real-password")?;
        Ok(Hasher {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            params,
            dummy: dummy.into(),
        })
    }

    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let params = self.params.clone();
        actix_web::web::block(move || hash_blocking(&params, &password)).await?
    }

    /// Checks `password` against `stored`; with no stored hash the dummy is checked and the
    /// answer is always "no".
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<Verdict, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let params = self.params.clone();
        let dummy = self.dummy.clone();
        actix_web::web::block(move || {
            let real = stored.is_some();
            let hash = stored.unwrap_or_else(|| dummy.to_string());
            let parsed = PasswordHash::new(&hash)
                .map_err(|e| AppError::internal(format!("stored hash: {e}")))?;
            let ok = argon2(&params)
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
                && real;
            Ok(Verdict {
                ok,
                needs_rehash: ok && outdated(&parsed, &params),
            })
        })
        .await?
    }
}

fn argon2(params: &Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
}

fn hash_blocking(params: &Params, password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2(params)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(format!("hashing failed: {e}")))
}

/// A hash made with another algorithm or weaker/different parameters is replaced on the next
/// successful login, so raising the cost later upgrades every active account.
fn outdated(hash: &PasswordHash<'_>, params: &Params) -> bool {
    if hash.algorithm != Algorithm::Argon2id.ident() || hash.version != Some(Version::V0x13.into())
    {
        return true;
    }
    match Params::try_from(hash) {
        Ok(p) => {
            p.m_cost() != params.m_cost()
                || p.t_cost() != params.t_cost()
                || p.p_cost() != params.p_cost()
        }
        Err(_) => true,
    }
}

const COMMON: &str = include_str!("common-passwords.txt");

/// Whether the password is on the shipped list of the most common ones. A linear scan of the
/// ~110 KB list takes microseconds, far less than the hash that follows it.
pub fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    COMMON.lines().any(|l| l == lower && !l.starts_with('#'))
}

/// ASVS: at least 8 characters, long passphrases allowed, no composition rules, and none of
/// the most common passwords.
pub fn check_strength(field: &str, password: &str, errors: &mut FieldErrors) {
    let len = password.chars().count();
    if len < MIN_LEN {
        errors.add(field, "too_short");
    } else if len > MAX_LEN {
        errors.add(field, "too_long");
    } else if is_common(password) {
        errors.add(field, "common_password");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Params {
        Params::new(1024, 1, 1, None).unwrap()
    }

    #[actix_web::test]
    async fn hash_verify_and_rehash_on_param_change() {
        let old = Hasher::with_params(2, cheap()).unwrap();
        let stored = old.hash("correct horse".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        let same = old
            .verify("correct horse".into(), Some(stored.clone()))
            .await
            .unwrap();
        assert!(same.ok && !same.needs_rehash);
        let wrong = old
            .verify("wrong horse".into(), Some(stored.clone()))
            .await
            .unwrap();
        assert!(!wrong.ok && !wrong.needs_rehash);

        let stronger = Hasher::with_params(2, Params::new(2048, 2, 1, None).unwrap()).unwrap();
        let v = stronger
            .verify("correct horse".into(), Some(stored))
            .await
            .unwrap();
        assert!(v.ok && v.needs_rehash);
    }

    #[actix_web::test]
    async fn missing_hash_never_verifies() {
        let h = Hasher::with_params(1, cheap()).unwrap();
        let v = h.verify("not-a-real-password".into(), None).await.unwrap();
        assert!(!v.ok);
    }

    #[test]
    fn strength_rules() {
        let mut e = FieldErrors::default();
        check_strength("p", "short", &mut e);
        check_strength("q", &"x".repeat(129), &mut e);
        check_strength("r", "안녕하세요반갑습니다", &mut e);
        check_strength("s", "Password123", &mut e);
        check_strength("t", "woaini1314", &mut e);
        assert_eq!(e.0.get("p").map(String::as_str), Some("too_short"));
        assert_eq!(e.0.get("q").map(String::as_str), Some("too_long"));
        assert!(!e.0.contains_key("r"));
        assert_eq!(e.0.get("s").map(String::as_str), Some("common_password"));
        assert_eq!(e.0.get("t").map(String::as_str), Some("common_password"));
        assert!(
            !is_common("# common passwords refused"),
            "comment lines are not passwords"
        );
    }
}
