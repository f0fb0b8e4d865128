//! The r2d2 manager: opens a connection of the backend the URL names with the settings that
//! backend needs, and tells the operator once when the database goes away and once when it is
//! back, instead of one log line per failed request.

use std::ops::{Deref, DerefMut};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::connection::{Connection, SimpleConnection, TransactionManager};
use diesel::r2d2::{self, ManageConnection};
use diesel::result::ConnectionError;

use super::{DbConn, Target};

/// A PostgreSQL connection that finished a piece of work within this long is handed out again
/// without the `SELECT 1` check: under load every checkout is within it, so the check cost a
/// statement per pool hop (two per signed-in write) for nothing, and a connection idle for
/// longer (where a restarted or partitioned server hides) is still checked. HikariCP skips
/// its alive check on the same terms, with the same 500 ms.
pub const PROVEN_FOR: Duration = Duration::from_millis(500);

/// A pooled connection and when it last finished a piece of work without error.
pub struct Pooled {
    conn: DbConn,
    proven: Option<Instant>,
}

impl Pooled {
    /// Records how the work on this connection ended: only a success spares the next checkout
    /// its check, so a connection that has just failed is tested before anyone uses it again.
    pub fn finished(&mut self, ok: bool) {
        self.proven = ok.then(Instant::now);
    }
}

impl Deref for Pooled {
    type Target = DbConn;
    fn deref(&self) -> &DbConn {
        &self.conn
    }
}

impl DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut DbConn {
        &mut self.conn
    }
}

/// Makes OpenSSL ready before libpq first uses it. Left to itself (libpq 18 no longer calls an
/// initialiser), OpenSSL initialises on the first TLS connection and registers an exit handler
/// that frees its global state, under whatever pool, reaper or listener thread is still
/// reading from or closing a connection as the process exits: the API suite's binary once
/// died of "double free or corruption" after its last test passed, and
/// `tests/api/faults/tls_exit.rs` shows the SIGSEGV. rust-openssl's initialiser asks for no
/// such handler; the operating system takes the memory back at exit anyway. Idempotent.
pub fn init_tls() {
    openssl_sys::init();
}

/// A bare PostgreSQL connection (migrations, the pool, tests and benchmarks all open theirs
/// here), with OpenSSL made ready first (`init_tls`).
pub fn connect_pg(url: &str) -> diesel::ConnectionResult<diesel::PgConnection> {
    init_tls();
    diesel::PgConnection::establish(url)
}

#[derive(Debug)]
pub struct DbManager {
    target: Target,
    timeout: Duration,
    /// When the current outage began; `None` while the database answers.
    outage: Mutex<Option<Instant>>,
}

impl DbManager {
    /// `timeout` bounds how long a connection attempt, or a packet the database never
    /// acknowledges, may hold a request (`JURY_DB_TIMEOUT_MS`).
    pub fn new(target: Target, timeout: Duration) -> DbManager {
        DbManager {
            target,
            timeout,
            outage: Mutex::new(None),
        }
    }

    pub(super) fn establish(&self) -> Result<DbConn, ConnectionError> {
        match &self.target {
            Target::Postgres(url) => {
                let url = with_network_timeouts(url, self.timeout);
                let mut conn = connect_pg(&url)?;
                // A stuck query must not hold a pooled connection for ever.
                let limit = super::statement_timeout(self.timeout).as_millis();
                conn.batch_execute(&format!("SET statement_timeout = {limit}"))
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Pg(conn))
            }
            Target::Sqlite(path) => {
                let url = path.to_string_lossy();
                let mut conn = diesel::SqliteConnection::establish(&url)?;
                // busy_timeout makes a connection wait for a lock instead of failing, so it comes
                // first: switching to WAL needs a lock too, and another connection closing (its
                // checkpoint) or writing would fail the open at once. WAL lets readers run beside
                // the single writer; foreign keys are off by default in SQLite. Each connection
                // kept its own 2 MB copy of the same hot pages (eleven of them: the pool and the
                // writer); at 512 KB the operating system's page cache holds the file once, the
                // judge queue's peak RSS fell from 92 to 73 MB and its speed did not drop.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -512;",
                )
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    fn went_away(&self, error: &ConnectionError) {
        let mut outage = self.outage.lock().unwrap_or_else(|p| p.into_inner());
        if outage.is_none() {
            *outage = Some(Instant::now());
            tracing::error!(
                backend = self.target.backend(),
                %error,
                "database unavailable; requests answer 503 until it is back"
            );
        } else {
            tracing::debug!(%error, "database still unavailable");
        }
    }

    fn answered(&self) {
        let mut outage = self.outage.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(since) = outage.take() {
            tracing::info!(
                backend = self.target.backend(),
                after_ms = since.elapsed().as_millis() as u64,
                "database available again"
            );
        }
    }
}

/// Adds libpq's network timeouts to a PostgreSQL URL, leaving any the operator set alone.
/// Without them a partition (packets dropped, nothing closed) holds a request until the
/// kernel gives up, minutes later: `connect_timeout` bounds the handshake, `tcp_user_timeout`
/// aborts a connection whose sent data goes unacknowledged, and keepalives find a dead peer
/// while a request waits for an answer.
pub fn with_network_timeouts(url: &str, timeout: Duration) -> String {
    let ms = timeout.as_millis().max(1);
    let secs = ms.div_ceil(1000);
    let wanted = [
        ("connect_timeout", secs.max(2).to_string()),
        ("tcp_user_timeout", ms.to_string()),
        ("keepalives", "1".to_string()),
        ("keepalives_idle", secs.to_string()),
        ("keepalives_interval", "1".to_string()),
        ("keepalives_count", "3".to_string()),
    ];
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let set: Vec<&str> = query
        .split('&')
        .filter_map(|kv| kv.split('=').next())
        .collect();
    let mut out = url.to_string();
    for (key, value) in wanted {
        if set.contains(&key) {
            continue;
        }
        out.push(if out.contains('?') { '&' } else { '?' });
        out.push_str(key);
        out.push('=');
        out.push_str(&value);
    }
    out
}

impl ManageConnection for DbManager {
    type Connection = Pooled;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<Pooled, r2d2::Error> {
        match self.establish() {
            Ok(conn) => {
                self.answered();
                Ok(Pooled {
                    conn,
                    proven: Some(Instant::now()),
                })
            }
            Err(e) => {
                self.went_away(&e);
                Err(r2d2::Error::ConnectionError(e))
            }
        }
    }

    fn is_valid(&self, conn: &mut Pooled) -> Result<(), r2d2::Error> {
        if conn.proven.is_some_and(|at| at.elapsed() < PROVEN_FOR) {
            return Ok(());
        }
        conn.conn
            .batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut Pooled) -> bool {
        // A connection handed back mid-transaction (a panic in a handler) must not be reused.
        <DbConn as Connection>::TransactionManager::is_broken_transaction_manager(&mut conn.conn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `.cargo/config.toml` builds SQLite with QPSG: without it every statement with a bound
    /// `LIMIT` was re-prepared on each execution (issue 20).
    #[test]
    fn the_bundled_sqlite_keeps_plans_stable() {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let manager = DbManager::new(Target::Sqlite(":memory:".into()), Duration::from_secs(1));
        let Ok(DbConn::Sqlite(mut conn)) = manager.establish() else {
            panic!("an in-memory SQLite database opens");
        };
        let found: Vec<Count> = diesel::RunQueryDsl::load(
            diesel::sql_query(
                "SELECT COUNT(*) AS n FROM pragma_compile_options \
                 WHERE compile_options = 'ENABLE_QPSG'",
            ),
            &mut conn,
        )
        .unwrap_or_default();
        assert_eq!(found.first().map(|c| c.n), Some(1));
    }

    #[test]
    fn postgres_urls_get_network_timeouts_unless_set() {
        let url = with_network_timeouts("postgres://u@h/db", Duration::from_millis(2500));
        assert_eq!(
            url,
            "postgres://u@h/db?connect_timeout=3&tcp_user_timeout=2500&keepalives=1\
             &keepalives_idle=3&keepalives_interval=1&keepalives_count=3"
        );
        let url = with_network_timeouts(
            "postgres://u@h/db?sslmode=require&connect_timeout=10",
            Duration::from_millis(500),
        );
        assert!(url.starts_with("postgres://u@h/db?sslmode=require&connect_timeout=10&"));
        assert_eq!(url.matches("connect_timeout").count(), 1, "{url}");
        assert!(url.contains("tcp_user_timeout=500"), "{url}");
    }

    /// A process that opens the file while another holds its lock (a restarting server beside
    /// one still closing, a CLI command beside the server) waits for the lock instead of
    /// failing at start with "database is locked": `mail_scale`'s SIGKILL test failed so, its
    /// server exiting at once, while the connections that had queued its mail were closing.
    #[test]
    fn opening_a_database_another_connection_holds_waits_for_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("jury.db");
        let mut holder =
            diesel::SqliteConnection::establish(&path.to_string_lossy()).expect("holder");
        holder
            .batch_execute("CREATE TABLE t (x INTEGER); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);")
            .expect("hold the lock");
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            holder.batch_execute("COMMIT").expect("commit");
        });
        let manager = DbManager::new(Target::Sqlite(path), Duration::from_secs(1));
        let opened = manager.establish();
        release.join().expect("holder thread");
        if let Err(e) = opened {
            panic!("the second connection did not wait for the lock: {e}");
        }
    }

    #[test]
    fn postgres_failure_shows_the_driver_message() {
        let manager = DbManager::new(
            Target::parse("postgres://nobody@127.0.0.1:1/none").unwrap(),
            Duration::from_secs(1),
        );
        let err = match manager.establish() {
            Err(e) => e.to_string(),
            Ok(_) => panic!("port 1 accepted a connection"),
        };
        assert!(!err.contains("multiconnection"), "{err}");
        assert!(err.to_lowercase().contains("connect"), "{err}");
    }
}
