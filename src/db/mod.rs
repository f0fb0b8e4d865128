//! The database layer: one connection type over SQLite and PostgreSQL, an r2d2 pool whose
//! manager picks the backend from the URL scheme (so a PostgreSQL failure shows PostgreSQL's own
//! message), embedded migrations per backend, and helpers that keep diesel off the async threads.

pub mod schema;
pub mod text_enum;

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type DbPool = r2d2::Pool<DbManager>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Postgres(String),
    Sqlite(PathBuf),
}

impl Target {
    /// `postgres://…`, `postgresql://…`, `sqlite://relative/or/absolute.db`, `sqlite:path`.
    pub fn parse(url: &str) -> Result<Target, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Target::Postgres(url.to_string()));
        }
        if let Some(rest) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if rest.is_empty() {
                return Err("sqlite URL has no file path (e.g. sqlite://data/jury.db)".into());
            }
            return Ok(Target::Sqlite(PathBuf::from(rest)));
        }
        let scheme = url.split(':').next().unwrap_or_default();
        Err(format!(
            "unsupported database URL scheme {scheme:?}; use sqlite://PATH or postgres://USER@HOST/DB"
        ))
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Target::Postgres(_) => "postgres",
            Target::Sqlite(_) => "sqlite",
        }
    }
}

#[derive(Debug)]
pub struct DbManager {
    target: Target,
}

impl DbManager {
    pub fn new(target: Target) -> DbManager {
        DbManager { target }
    }

    fn establish(&self) -> Result<DbConn, ConnectionError> {
        match &self.target {
            Target::Postgres(url) => {
                let mut conn = diesel::PgConnection::establish(url)?;
                // A stuck query must not hold a pooled connection for ever.
                conn.batch_execute("SET statement_timeout = 30000")
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Pg(conn))
            }
            Target::Sqlite(path) => {
                let url = path.to_string_lossy();
                let mut conn = diesel::SqliteConnection::establish(&url)?;
                // WAL lets readers run beside the single writer; busy_timeout makes writers queue
                // instead of failing; foreign keys are off by default in SQLite.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;",
                )
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

impl ManageConnection for DbManager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        self.establish().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        // A connection handed back mid-transaction (a panic in a handler) must not be reused.
        <DbConn as Connection>::TransactionManager::is_broken_transaction_manager(conn)
    }
}

/// Errors while opening the database at start-up, reported to the operator as they are.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{0}")]
    Url(String),
    #[error("cannot open the {backend} database: {source}")]
    Connect {
        backend: &'static str,
        source: ConnectionError,
    },
    #[error("migrations failed: {0}")]
    Migrate(String),
    #[error("cannot create {path}: {source}")]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Applies every pending migration with a dedicated connection and returns their names.
pub fn migrate(target: &Target) -> Result<Vec<String>, OpenError> {
    let connect_err = |source| OpenError::Connect {
        backend: target.backend(),
        source,
    };
    let manager = DbManager::new(target.clone());
    if let Target::Sqlite(path) = target
        && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|source| OpenError::Dir {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let applied = match manager.establish().map_err(connect_err)? {
        DbConn::Pg(mut c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.iter().map(ToString::to_string).collect()),
        DbConn::Sqlite(mut c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|v| v.iter().map(ToString::to_string).collect()),
    };
    applied.map_err(|e| OpenError::Migrate(e.to_string()))
}

/// Builds the pool without connecting: the server starts (and answers 503) while the database
/// is away, and recovers by itself when it returns.
/// A PostgreSQL connection is checked (`SELECT 1`) before each use so a restarted server is
/// noticed; a SQLite connection is a file handle that cannot go stale, and skipping the check
/// saves a statement on every checkout (two per authenticated request).
pub fn pool(target: &Target, size: u32, timeout: Duration) -> DbPool {
    r2d2::Pool::builder()
        .max_size(size)
        .min_idle(Some(0))
        .connection_timeout(timeout)
        .test_on_check_out(matches!(target, Target::Postgres(_)))
        .build_unchecked(DbManager::new(target.clone()))
}

/// Runs `f` with a pooled connection on the blocking thread pool.
pub async fn run<T, F>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = checkout(&pool)?;
        f(&mut conn)
    })
    .await?
}

pub fn checkout(pool: &DbPool) -> Result<r2d2::PooledConnection<DbManager>, AppError> {
    pool.get().map_err(|e| AppError::Unavailable(e.to_string()))
}

/// A write transaction. On SQLite it begins IMMEDIATE so the write lock is taken up front: a
/// deferred transaction that reads and then writes fails with SQLITE_BUSY instead of waiting.
pub fn write_tx<T, F>(conn: &mut DbConn, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConn) -> Result<T, AppError>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) =
                <DbConn as Connection>::TransactionManager::rollback_transaction(conn)
            {
                tracing::error!(%rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

/// Runs `f` in a write transaction on the blocking pool.
pub async fn write<T, F>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
{
    run(pool, move |conn| write_tx(conn, f)).await
}

pub fn now() -> chrono::NaiveDateTime {
    // Microsecond precision round-trips identically through SQLite text and PostgreSQL.
    let t = chrono::Utc::now().naive_utc();
    t.with_nanosecond_trunc()
}

trait TruncMicros {
    fn with_nanosecond_trunc(self) -> Self;
}

impl TruncMicros for chrono::NaiveDateTime {
    fn with_nanosecond_trunc(self) -> Self {
        use chrono::Timelike;
        let micros = self.nanosecond() / 1000 * 1000;
        self.with_nanosecond(micros).unwrap_or(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_schemes() {
        assert_eq!(
            Target::parse("sqlite://data/jury.db").unwrap(),
            Target::Sqlite("data/jury.db".into())
        );
        assert_eq!(
            Target::parse("sqlite:///tmp/x.db").unwrap(),
            Target::Sqlite("/tmp/x.db".into())
        );
        assert!(matches!(
            Target::parse("postgresql://u@h/db").unwrap(),
            Target::Postgres(_)
        ));
        let err = Target::parse("mysql://root@localhost/x").unwrap_err();
        assert!(
            err.contains("\"mysql\"") && err.contains("sqlite://") && err.contains("postgres://")
        );
    }

    #[test]
    fn postgres_failure_shows_the_driver_message() {
        let manager = DbManager::new(Target::parse("postgres://nobody@127.0.0.1:1/none").unwrap());
        let err = match manager.establish() {
            Err(e) => e.to_string(),
            Ok(_) => panic!("port 1 accepted a connection"),
        };
        assert!(!err.contains("multiconnection"), "{err}");
        assert!(err.to_lowercase().contains("connect"), "{err}");
    }
}
