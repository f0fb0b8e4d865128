//! The database layer: one connection type over SQLite and PostgreSQL, an r2d2 pool whose
//! manager picks the backend from the URL scheme (so a PostgreSQL failure shows PostgreSQL's own
//! message), embedded migrations per backend, and helpers that keep diesel off the async threads.

mod lane;
mod manager;
pub mod schema;
pub mod text_enum;

pub use lane::Lane;
pub use manager::{DbManager, PROVEN_FOR, Pooled, connect_pg, init_tls, with_network_timeouts};

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Runs `$body` with `$c` bound to the backend's own connection. Through `DbConn`, diesel's
/// `MultiConnection` prints a query's SQL again on every execution, prepared or not; the
/// backend's connection finds its prepared statement by the query's type. On the hot paths
/// (the sign-in check, a review save) that printing was about a tenth of Jury's CPU (issue 20).
/// `$body` is compiled once per backend, so it is a query built from diesel's DSL.
macro_rules! native {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Pg($c) => $body,
            $crate::db::DbConn::Sqlite($c) => $body,
        }
    };
}
pub(crate) use native;

pub type DbPool = r2d2::Pool<DbManager>;

/// What erasure passes each table's owner: the text with an erased application's values
/// replaced, or None when it holds none of them.
pub type Scrub<'a> = &'a dyn Fn(&str) -> Option<String>;

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

/// The PostgreSQL advisory-lock key that serialises migrations across instances ("jury" in
/// ASCII), so every version of Jury agrees on it.
const MIGRATION_LOCK: i64 = 0x6a75_7279;
/// A database that does not answer within this at start-up is reported, not waited for.
const MIGRATION_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Applies every pending migration with a dedicated connection and returns their names.
pub fn migrate(target: &Target) -> Result<Vec<String>, OpenError> {
    let connect_err = |source| OpenError::Connect {
        backend: target.backend(),
        source,
    };
    let manager = DbManager::new(target.clone(), MIGRATION_CONNECT_TIMEOUT);
    if let Target::Sqlite(path) = target
        && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|source| OpenError::Dir {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let applied = match manager.establish().map_err(connect_err)? {
        DbConn::Pg(mut c) => {
            // Instances started together (or a rolling upgrade) would otherwise race to create
            // the same tables and one would exit with a duplicate-key error. The lock is held
            // by this session only, so it is released even if the process dies.
            // A migration (or the wait for another instance's) may outlast a request's limit.
            c.batch_execute(&format!(
                "SET statement_timeout = 0; SELECT pg_advisory_lock({MIGRATION_LOCK})"
            ))
            .map_err(|e| OpenError::Migrate(format!("cannot take the migration lock: {e}")))?;
            let applied = c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.iter().map(ToString::to_string).collect());
            let _ = c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"));
            applied
        }
        DbConn::Sqlite(mut c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|v| v.iter().map(ToString::to_string).collect()),
    };
    applied.map_err(|e| OpenError::Migrate(e.to_string()))
}

/// Builds the pool without connecting: the server starts (and answers 503) while the database
/// is away, and recovers by itself when it returns.
/// A PostgreSQL connection is checked (`SELECT 1`) before use unless it finished some work
/// without error within `PROVEN_FOR`, so a restarted server is noticed; a SQLite connection is
/// a file handle that cannot go stale and is never checked.
pub fn pool(target: &Target, size: u32, timeout: Duration) -> DbPool {
    r2d2::Pool::builder()
        .max_size(size)
        .min_idle(Some(0))
        .connection_timeout(timeout)
        .test_on_check_out(matches!(target, Target::Postgres(_)))
        // The manager logs an outage once; r2d2's default handler would log every attempt.
        .error_handler(Box::new(r2d2::NopErrorHandler))
        .build_unchecked(DbManager::new(target.clone(), timeout))
}

/// Runs `f` with a pooled connection on the blocking thread pool.
pub async fn run<T, F>(pool: &DbPool, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
{
    let deadline = answer_deadline(pool.connection_timeout());
    let pool = pool.clone();
    let work = actix_web::web::block(move || {
        let mut conn = checkout(&pool)?;
        let done = f(&mut conn);
        conn.finished(done.is_ok());
        done
    });
    // The socket timeouts end a connection the kernel can tell is dead; this bounds the answer
    // when it cannot (a peer, or a middlebox, that acknowledges and then says nothing). The
    // blocking thread finishes on its own once the connection does.
    match tokio::time::timeout(deadline, work).await {
        Ok(done) => done?,
        Err(_) => Err(AppError::Unavailable(format!(
            "the database did not answer within {} ms",
            deadline.as_millis()
        ))),
    }
}

/// PostgreSQL cancels a statement after this (`statement_timeout`): ten times the wait for a
/// connection (`JURY_DB_TIMEOUT_MS`), 30 s by default, so one setting scales both.
pub fn statement_timeout(connection_timeout: Duration) -> Duration {
    connection_timeout * 10
}

/// How long a unit of work may take before its request answers 503: the wait for a connection
/// plus room for two statements at their limit.
pub fn answer_deadline(connection_timeout: Duration) -> Duration {
    connection_timeout + 2 * statement_timeout(connection_timeout)
}

pub fn checkout(pool: &DbPool) -> Result<r2d2::PooledConnection<DbManager>, AppError> {
    pool.get().map_err(|e| AppError::Unavailable(e.to_string()))
}

/// Begins a write transaction. On SQLite it begins IMMEDIATE so the write lock is taken up
/// front: a deferred transaction that reads and then writes fails with SQLITE_BUSY instead of
/// waiting.
fn begin_write(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE"),
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c),
    }
}

/// A write transaction (`begin_write`), committed if `f` succeeds and rolled back if not.
pub fn write_tx<T, F>(conn: &mut DbConn, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConn) -> Result<T, AppError>,
{
    begin_write(conn)?;
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
}
