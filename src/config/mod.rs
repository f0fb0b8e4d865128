//! Configuration from the environment, with an optional `jury.toml` beside the working directory.
//! The environment wins over the file so containers can override a shipped file.

pub mod rate_limits;

use std::path::{Path, PathBuf};

use rand::RngCore;
use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Invalid(String),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    pub public_url: String,
    pub data_dir: PathBuf,
    pub jwt_secret: Vec<u8>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Outgoing mail per second (JURY_MAIL_RATE); 0 means as fast as the SMTP server takes it.
    pub mail_rate: u32,
    /// Seconds a claimed message is reserved for its sender (JURY_MAIL_LEASE_SECS); after a
    /// crash, another instance or the restarted one sends it when the lease runs out.
    pub mail_lease_secs: u32,
    pub upload_max_bytes: u64,
    /// Pitch decks with more pages are refused (JURY_UPLOAD_MAX_PAGES, default 200).
    pub upload_max_pages: u32,
    pub db_pool_size: u32,
    pub db_timeout_ms: u64,
    pub json_limit_bytes: usize,
    /// Concurrent argon2 hashes; each takes 19 MiB and a core for ~30 ms.
    pub hash_concurrency: usize,
    pub access_ttl_secs: i64,
    pub refresh_ttl_secs: i64,
    pub secure_cookies: bool,
    /// Quotas on sign-in, mail-sending and upload endpoints (`JURY_RATE_LIMIT_*`, `JURY_LOGIN_*`,
    /// `JURY_TRUSTED_PROXIES`).
    pub rate_limits: rate_limits::RateLimits,
    /// Seconds a client has to send a whole request body (JURY_BODY_TIMEOUT_SECS; 0: no limit).
    pub body_timeout_secs: u64,
    /// Milliseconds a client has to send the request line and headers (JURY_HEADER_TIMEOUT_MS).
    pub header_timeout_ms: u64,
    /// Seconds an idle keep-alive connection stays open (JURY_KEEP_ALIVE_SECS).
    pub keep_alive_secs: u64,
    /// JURY_REQUIRE_ADMIN_2FA: administrators must enrol in two-factor sign-in before any
    /// admin endpoint answers them.
    pub require_admin_2fa: bool,
    /// JURY_METRICS_TOKEN: `/metrics` answers only `Authorization: Bearer <token>`; unset, it
    /// answers only direct requests from this machine (loopback, not forwarded by a proxy).
    pub metrics_token: Option<String>,
    /// Where uploads live: the data dir, or the object store `JURY_STORAGE_URL` names.
    pub storage: crate::storage::StorageConfig,
}

/// Keys accepted in `jury.toml`; each mirrors a `JURY_*` variable.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    bind: Option<String>,
    public_url: Option<String>,
    data_dir: Option<String>,
    jwt_secret: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    mail_rate: Option<u32>,
    mail_lease_secs: Option<u32>,
    upload_max_bytes: Option<u64>,
    upload_max_pages: Option<u32>,
    db_pool_size: Option<u32>,
    db_timeout_ms: Option<u64>,
    require_admin_2fa: Option<bool>,
    metrics_token: Option<String>,
    storage_url: Option<String>,
}

impl Config {
    /// Reads `jury.toml` (if present) and the `JURY_*` environment.
    pub fn load() -> Result<Config, ConfigError> {
        let file = match std::fs::read_to_string("jury.toml") {
            Ok(text) => toml::from_str::<FileConfig>(&text)
                .map_err(|e| ConfigError::Invalid(format!("jury.toml: {e}")))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileConfig::default(),
            Err(source) => {
                return Err(ConfigError::Io {
                    path: "jury.toml".into(),
                    source,
                });
            }
        };
        Self::from_sources(|k| std::env::var(k).ok().filter(|v| !v.is_empty()), file)
    }

    fn from_sources(
        env: impl Fn(&str) -> Option<String>,
        file: FileConfig,
    ) -> Result<Config, ConfigError> {
        let data_dir = PathBuf::from(
            env("JURY_DATA_DIR")
                .or(file.data_dir)
                .unwrap_or_else(|| "data".into()),
        );
        let database_url = env("JURY_DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("jury.db").display()));
        let bind = env("JURY_BIND")
            .or(file.bind)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let public_url = env("JURY_PUBLIC_URL")
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_string();
        let jwt_secret = match env("JURY_JWT_SECRET").or(file.jwt_secret) {
            Some(s) if s.len() < 32 => {
                return Err(ConfigError::Invalid(
                    "JURY_JWT_SECRET must be at least 32 characters".into(),
                ));
            }
            Some(s) => s.into_bytes(),
            None => load_or_create_secret(&data_dir)?,
        };
        let num = |name: &str, from_file: Option<u64>, default: u64| -> Result<u64, ConfigError> {
            match env(name) {
                Some(v) => v.parse().map_err(|_| {
                    ConfigError::Invalid(format!("{name} must be a number, got {v:?}"))
                }),
                None => Ok(from_file.unwrap_or(default)),
            }
        };
        let upload_max_bytes = num("JURY_UPLOAD_MAX_BYTES", file.upload_max_bytes, 20 << 20)?;
        let upload_max_pages = num(
            "JURY_UPLOAD_MAX_PAGES",
            file.upload_max_pages.map(u64::from),
            200,
        )?
        .clamp(1, 100_000) as u32;
        let db_pool_size = num("JURY_DB_POOL_SIZE", file.db_pool_size.map(u64::from), 10)?;
        let db_timeout_ms = num("JURY_DB_TIMEOUT_MS", file.db_timeout_ms, 3000)?;
        let mail_rate = num("JURY_MAIL_RATE", file.mail_rate.map(u64::from), 0)?;
        let mail_lease_secs = num(
            "JURY_MAIL_LEASE_SECS",
            file.mail_lease_secs.map(u64::from),
            120,
        )?;
        if !(1..=86_400).contains(&mail_lease_secs) {
            return Err(ConfigError::Invalid(
                "JURY_MAIL_LEASE_SECS must be between 1 and 86400".into(),
            ));
        }
        if mail_rate > 100_000 {
            return Err(ConfigError::Invalid(
                "JURY_MAIL_RATE must be between 0 (no limit) and 100000 per second".into(),
            ));
        }
        if db_pool_size == 0 || db_pool_size > 1000 {
            return Err(ConfigError::Invalid(
                "JURY_DB_POOL_SIZE must be between 1 and 1000".into(),
            ));
        }
        let secure_cookies = public_url.starts_with("https://");
        let body_timeout_secs = num("JURY_BODY_TIMEOUT_SECS", None, 300)?;
        let header_timeout_ms = num("JURY_HEADER_TIMEOUT_MS", None, 5000)?;
        let keep_alive_secs = num("JURY_KEEP_ALIVE_SECS", None, 15)?;
        if header_timeout_ms == 0 {
            return Err(ConfigError::Invalid(
                "JURY_HEADER_TIMEOUT_MS must be at least 1".into(),
            ));
        }
        let rate_limits = rate_limits::RateLimits::from_env(&env)?;
        let require_admin_2fa = match env("JURY_REQUIRE_ADMIN_2FA") {
            Some(v) => match v.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                _ => {
                    return Err(ConfigError::Invalid(format!(
                        "JURY_REQUIRE_ADMIN_2FA must be true or false, got {v:?}"
                    )));
                }
            },
            None => file.require_admin_2fa.unwrap_or(false),
        };
        let metrics_token = env("JURY_METRICS_TOKEN").or(file.metrics_token);
        if metrics_token.as_ref().is_some_and(|t| t.trim().len() < 16) {
            return Err(ConfigError::Invalid(
                "JURY_METRICS_TOKEN must be at least 16 characters".into(),
            ));
        }
        let storage_url = env("JURY_STORAGE_URL").or(file.storage_url);
        let storage = crate::storage::StorageConfig::parse(storage_url.as_deref(), &env)
            .map_err(ConfigError::Invalid)?;
        Ok(Config {
            storage,
            database_url,
            bind,
            public_url,
            data_dir,
            jwt_secret,
            smtp_url: env("JURY_SMTP_URL").or(file.smtp_url),
            mail_from: env("JURY_MAIL_FROM")
                .or(file.mail_from)
                .unwrap_or_else(|| "Jury <no-reply@jury.localhost>".into()),
            mail_rate: mail_rate as u32,
            mail_lease_secs: mail_lease_secs as u32,
            upload_max_bytes,
            upload_max_pages,
            db_pool_size: db_pool_size as u32,
            db_timeout_ms,
            json_limit_bytes: 256 * 1024,
            hash_concurrency: std::thread::available_parallelism().map_or(2, |n| n.get()),
            access_ttl_secs: 15 * 60,
            refresh_ttl_secs: 14 * 24 * 3600,
            secure_cookies,
            rate_limits,
            body_timeout_secs,
            header_timeout_ms,
            keep_alive_secs,
            require_admin_2fa,
            metrics_token: metrics_token.map(|t| t.trim().to_string()),
        })
    }

    /// A configuration for tests and tools: everything under `data_dir`, a fixed secret.
    pub fn for_data_dir(data_dir: &Path, database_url: String) -> Config {
        let mut file = FileConfig {
            data_dir: Some(data_dir.display().to_string()),
            database_url: Some(database_url),
            jwt_secret: Some("test-secret-test-secret-test-secret-0123".into()),
            bind: Some("127.0.0.1:0".into()),
            public_url: Some("http://jury.test".into()),
            ..FileConfig::default()
        };
        file.db_timeout_ms = Some(1500);
        // Only the file source: the developer's environment must not leak into tests.
        match Self::from_sources(|_| None, file) {
            // Tests sign in many times from one address; the rate-limit tests switch them on.
            Ok(c) => Config {
                rate_limits: rate_limits::RateLimits::off(),
                ..c
            },
            Err(e) => unreachable!("static test config is valid: {e}"),
        }
    }
}

/// The generated secret lives in the data dir with owner-only permissions so restarts keep
/// sessions valid without the operator having to manage a secret.
fn load_or_create_secret(data_dir: &Path) -> Result<Vec<u8>, ConfigError> {
    let path = data_dir.join("jwt_secret");
    let io = |source| ConfigError::Io {
        path: path.clone(),
        source,
    };
    match std::fs::read(&path) {
        Ok(bytes) if bytes.len() >= 32 => return Ok(bytes),
        Ok(_) => {
            return Err(ConfigError::Invalid(format!(
                "{} is shorter than 32 bytes; delete it to generate a new one",
                path.display()
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    std::fs::create_dir_all(data_dir).map_err(io)?;
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let hexed = hex::encode(secret).into_bytes();
    write_private(&path, &hexed).map_err(io)?;
    Ok(hexed)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_generated_once_with_private_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let a = load_or_create_secret(dir.path()).unwrap();
        let b = load_or_create_secret(dir.path()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("jwt_secret"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn env_overrides_and_validates_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display().to_string();
        let env = |k: &str| match k {
            "JURY_DATA_DIR" => Some(d.clone()),
            "JURY_UPLOAD_MAX_BYTES" => Some("lots".into()),
            _ => None,
        };
        let err = Config::from_sources(env, FileConfig::default()).unwrap_err();
        assert!(err.to_string().contains("JURY_UPLOAD_MAX_BYTES"));

        let env = |k: &str| match k {
            "JURY_DATA_DIR" => Some(d.clone()),
            "JURY_BIND" => Some("0.0.0.0:9000".into()),
            _ => None,
        };
        let c = Config::from_sources(env, FileConfig::default()).unwrap();
        assert_eq!(c.bind, "0.0.0.0:9000");
        assert!(c.database_url.starts_with("sqlite://"));
        assert_eq!(c.upload_max_bytes, 20 << 20);
    }

    #[test]
    fn short_secret_is_refused() {
        let env = |k: &str| (k == "JURY_JWT_SECRET").then(|| "short".to_string());
        assert!(Config::from_sources(env, FileConfig::default()).is_err());
    }
}
