//! Jury: the judging platform of the Gyeonggi–Hangzhou Global Start-up Contest.
//! `app()` builds the whole HTTP application; `main` and the tests both use it.

pub mod applications;
pub mod assign;
pub mod assignments;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod config;
pub mod contests;
pub mod db;
pub mod demo;
pub mod error;
pub mod judges;
pub mod mail;
pub mod privacy;
pub mod results;
pub mod reviews;
pub mod rounds;
pub mod scoring;
pub mod storage;
pub mod web;

use std::sync::Arc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, web as aw};

use config::Config;
use db::{DbPool, Target};

/// Everything a request needs; cloned into each worker. No global state lives anywhere else.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: DbPool,
    pub backend: &'static str,
    pub keys: Arc<auth::jwt::Keys>,
    pub hasher: auth::password::Hasher,
    pub mailer: mail::Mailer,
    pub metrics: Arc<web::metrics::Metrics>,
    pub storage: Arc<dyn storage::Storage>,
    pub limits: Arc<web::ratelimit::Limiters>,
    /// Gzipped copies of the frontend files, made once per content hash.
    pub gzip: Arc<web::static_files::GzipCache>,
    /// Published result snapshots, parsed once per digest.
    pub snapshots: Arc<results::cache::SnapshotCache>,
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
        transport: mail::Transport,
        hasher: Option<auth::password::Hasher>,
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
        transport: mail::Transport,
        hasher: Option<auth::password::Hasher>,
    ) -> Result<AppState, StartError> {
        let hasher = match hasher {
            Some(h) => h,
            None => auth::password::Hasher::new(config.hash_concurrency)
                .map_err(|e| StartError::Other(e.to_string()))?,
        };
        let mut mailer = mail::Mailer::new(transport, &config.mail_from, &config.public_url)
            .map_err(StartError::Other)?;
        mailer.max_per_second = config.mail_rate;
        mailer.lease_secs = i64::from(config.mail_lease_secs);
        let storage: Arc<dyn storage::Storage> =
            Arc::new(storage::LocalStorage::new(config.data_dir.join("uploads")));
        Ok(AppState {
            limits: Arc::new(web::ratelimit::Limiters::new(&config.rate_limits)),
            gzip: Arc::default(),
            snapshots: Arc::default(),
            keys: Arc::new(auth::jwt::Keys::new(
                &config.jwt_secret,
                config.access_ttl_secs,
            )),
            config: Arc::new(config),
            db: pool,
            backend,
            hasher,
            mailer,
            metrics: Arc::new(web::metrics::Metrics::default()),
            storage,
        })
    }

    /// The transport the configuration asks for: SMTP when `JURY_SMTP_URL` is set, else files.
    pub fn transport_from(config: &Config) -> Result<mail::Transport, StartError> {
        match &config.smtp_url {
            Some(url) => mail::Mailer::smtp(url).map_err(StartError::Other),
            None => Ok(mail::Transport::File(config.data_dir.join("mail"))),
        }
    }
}

/// Routes of the whole product. API routes live under `/api/v1`, grouped by domain.
pub fn configure(cfg: &mut aw::ServiceConfig) {
    cfg.service(
        aw::scope("/api/v1")
            .configure(auth::routes)
            .configure(auth::sessions::routes)
            .configure(contests::routes)
            .configure(applications::routes)
            .configure(rounds::routes)
            .configure(judges::routes)
            .configure(assignments::routes)
            .configure(reviews::routes)
            .configure(results::routes)
            .configure(mail::routes::routes)
            .configure(audit::routes::routes)
            .configure(privacy::routes)
            .default_service(aw::to(web::api_not_found)),
    )
    .route("/healthz", aw::get().to(web::healthz))
    .route("/readyz", aw::get().to(web::readyz))
    .route("/metrics", aw::get().to(web::metrics_endpoint))
    .service(web::openapi::swagger())
    .service(aw::scope("/api").default_service(aw::to(web::api_not_found)))
    .default_service(aw::to(web::static_files::serve));
}

/// The application with its middleware; `HttpServer` in `main` and the tests build it alike.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let json_limit = state.config.json_limit_bytes;
    App::new()
        .app_data(aw::Data::new(state))
        .app_data(web::json_config(json_limit))
        .app_data(web::query_config())
        .app_data(web::path_config())
        .configure(configure)
        .wrap(Compress::default())
        .wrap(from_fn(web::slow_body::middleware))
        .wrap(from_fn(web::headers::middleware))
        .wrap(from_fn(web::metrics::middleware))
        .wrap(tracing_actix_web::TracingLogger::default())
}
