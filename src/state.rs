//! The shared state every handler reads: configuration, the pool, keys, the mailer, caches.
//! It sits low: it holds platform pieces and imports no domain's routes.

use std::sync::Arc;
use std::time::Duration;

use crate::assignments::queue_cache::QueueCache;
use crate::auth::jwt::Keys;
use crate::auth::password::Hasher;
use crate::config::{self, Config};
use crate::db::{self, DbPool, Target};
use crate::mail::{Mailer, Transport};
use crate::results::cache::SnapshotCache;
use crate::storage::Storage;
use crate::web::background::Background;
use crate::web::metrics::Metrics;
use crate::web::push::Hub;
use crate::web::ratelimit::Limiters;
use crate::web::static_files::GzipCache;

/// Everything a request needs; cloned into each worker. No global state lives anywhere else.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: DbPool,
    pub backend: &'static str,
    pub keys: Arc<Keys>,
    pub hasher: Hasher,
    pub mailer: Mailer,
    pub metrics: Arc<Metrics>,
    pub storage: Arc<Storage>,
    pub limits: Arc<Limiters>,
    /// Gzipped copies of the frontend files, made once per content hash.
    pub gzip: Arc<GzipCache>,
    /// Published result snapshots, parsed once per digest.
    pub snapshots: Arc<SnapshotCache>,
    /// Judge queues answered recently, gzipped, by ETag.
    pub queues: Arc<QueueCache>,
    /// Work answered before it is done (reset and verification mails).
    pub background: Arc<Background>,
    /// SQLite only: the thread that owns the database's one writer; units of work queue for it
    /// and share its commits (`db::Lane`, `unit::write`), instead of waiting in SQLite's busy
    /// handler, which sleeps and retries and let a burst of saves wait up to 1.7 s (issue 20).
    pub writer: Option<db::Lane>,
    /// Live-final server push within this instance (`live/` feeds it).
    pub push: Arc<Hub>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Db(#[from] db::OpenError),
    #[error("{0}")]
    Other(String),
}

impl AppState {
    /// Migrates the database and assembles the state. `hasher` lets tests use cheap argon2
    /// parameters; production passes `None` for the OWASP defaults.
    pub fn build(
        config: Config,
        transport: Transport,
        hasher: Option<Hasher>,
    ) -> Result<AppState, StartError> {
        let target = Target::parse(&config.database_url).map_err(db::OpenError::Url)?;
        db::migrate(&target)?;
        let pool = db::pool(
            &target,
            config.db_pool_size,
            Duration::from_millis(config.db_timeout_ms),
        );
        Self::with_pool(config, target.backend(), pool, transport, hasher)
    }

    /// Assembles the state around an existing pool without touching the database.
    pub fn with_pool(
        config: Config,
        backend: &'static str,
        pool: DbPool,
        transport: Transport,
        hasher: Option<Hasher>,
    ) -> Result<AppState, StartError> {
        let hasher = match hasher {
            Some(h) => h,
            None => Hasher::new(config.hash_concurrency)
                .map_err(|e| StartError::Other(e.to_string()))?,
        };
        let mut mailer = Mailer::new(transport, &config.mail_from, &config.public_url)
            .map_err(StartError::Other)?;
        mailer.max_per_second = config.mail_rate;
        mailer.lease_secs = i64::from(config.mail_lease_secs);
        let storage = Arc::new(Storage::new(&config.storage, &config.data_dir));
        let writer = match backend {
            "sqlite" => Some(
                db::Lane::start(pool.clone())
                    .map_err(|e| StartError::Other(format!("cannot start the writer: {e}")))?,
            ),
            _ => None,
        };
        Ok(AppState {
            limits: Arc::new(Limiters::new(&config.rate_limits)),
            gzip: Arc::default(),
            snapshots: Arc::default(),
            queues: Arc::default(),
            background: Arc::default(),
            push: Arc::default(),
            keys: Arc::new(Keys::new(&config.jwt_secret, config.access_ttl_secs)),
            config: Arc::new(config),
            db: pool,
            backend,
            hasher,
            mailer,
            metrics: Arc::new(Metrics::default()),
            storage,
            writer,
        })
    }

    /// The transport the configuration asks for: SMTP when `JURY_SMTP_URL` is set, else files.
    pub fn transport_from(config: &Config) -> Result<Transport, StartError> {
        match &config.smtp_url {
            Some(url) => Mailer::smtp(url).map_err(StartError::Other),
            None => Ok(Transport::File(config.data_dir.join("mail"))),
        }
    }
}
