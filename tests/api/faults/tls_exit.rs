//! A process that exits while its PostgreSQL connections are busy over TLS must exit cleanly.
//! libpq lets OpenSSL initialise itself, and OpenSSL then frees its global state in an exit
//! handler, under the pool's threads still reading from and closing their connections: the API
//! suite's binary once died of "double free or corruption" after all its tests had passed.
//! Whether a crash follows depends on timing, so the child checks the cause instead: an exit
//! handler of its own, registered before the first connection and so run after any OpenSSL
//! registers later, asks OpenSSL whether it has already been cleaned up.

use std::process::Command;
use std::sync::{Arc, Barrier};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::ManageConnection;
use jury::db::{self, DbManager, Target};

use crate::common;

/// Set in the child process only: the database URL it connects to.
const CHILD: &str = "JURY_TLS_EXIT_CHILD";
const CHILD_TEST: &str = "faults::tls_exit::child_exits_while_its_connections_are_busy";
const RUNS: usize = 3;
/// The child's exit status when OpenSSL freed its state at exit under live connections.
const CLEANED_UP: i32 = 3;

// Not in openssl-sys's bindings; the library is linked through it.
unsafe extern "C" {
    fn OPENSSL_init_crypto(opts: u64, settings: *const std::ffi::c_void) -> std::ffi::c_int;
}

/// OpenSSL's `OPENSSL_INIT_BASE_ONLY`: only asks, without raising an error once cleaned up.
const OPENSSL_INIT_BASE_ONLY: u64 = 0x0004_0000;

/// Runs at exit after every handler registered later, OpenSSL's own included.
extern "C" fn after_openssl_exit_handlers() {
    // SAFETY: OpenSSL documents a 0 return (and nothing else) once it has been cleaned up;
    // `_exit` ends the process without running further handlers.
    unsafe {
        if OPENSSL_init_crypto(OPENSSL_INIT_BASE_ONLY, std::ptr::null()) == 0 {
            libc::_exit(CLEANED_UP);
        }
    }
}

#[test]
fn a_process_exits_cleanly_while_its_connections_use_tls() {
    let Some(url) =
        common::postgres_or_skip("a_process_exits_cleanly_while_its_connections_use_tls")
    else {
        return;
    };
    if !negotiates_tls(&url) {
        let reason = format!("the PostgreSQL server at {url} does not offer TLS");
        assert!(
            !common::postgres_required(),
            "{reason} (JURY_REQUIRE_POSTGRES=1)"
        );
        eprintln!("SKIP a_process_exits_cleanly_while_its_connections_use_tls: {reason}");
        return;
    }
    let exe = std::env::current_exe().expect("this test binary");
    let mut failures = Vec::new();
    for run in 0..RUNS {
        let out = Command::new(&exe)
            .args([CHILD_TEST, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD, &url)
            .output()
            .expect("run the child");
        if !out.status.success() {
            let why = if out.status.code() == Some(CLEANED_UP) {
                "OpenSSL freed its state at exit while connections were in use"
            } else {
                "the child failed"
            };
            failures.push(format!(
                "run {run}: {why}: {} {}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {RUNS} exits failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Whether the library's connection to `url` runs over TLS (Debian's server offers it, and
/// libpq's default `sslmode=prefer` takes it).
fn negotiates_tls(url: &str) -> bool {
    #[derive(QueryableByName)]
    struct Ssl {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        ssl: bool,
    }
    let manager = DbManager::new(Target::parse(url).expect("url"), Duration::from_secs(5));
    let mut conn = manager.connect().expect("connect");
    let db::DbConn::Pg(pg) = &mut *conn else {
        return false;
    };
    diesel::sql_query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        .get_result::<Ssl>(pg)
        .is_ok_and(|row| row.ssl)
}

/// Only does anything in the child: half its threads query through the pool, half open and
/// close connections, and the process exits while they do.
#[test]
fn child_exits_while_its_connections_are_busy() {
    let Ok(url) = std::env::var(CHILD) else {
        return;
    };
    // SAFETY: registers a plain function with no captured state.
    assert_eq!(
        unsafe { libc::atexit(after_openssl_exit_handlers) },
        0,
        "atexit"
    );
    let target = Target::parse(&url).expect("url");
    let pool = db::pool(&target, 4, Duration::from_secs(5));
    let manager = Arc::new(DbManager::new(target, Duration::from_secs(5)));
    let started = Arc::new(Barrier::new(9));
    for thread in 0..8 {
        let (pool, manager, started) = (pool.clone(), manager.clone(), started.clone());
        std::thread::spawn(move || {
            let mut first = true;
            loop {
                if thread % 2 == 0 {
                    if let Ok(mut conn) = pool.get() {
                        let _ = conn.batch_execute("SELECT repeat('x', 200000)");
                    }
                } else if let Ok(mut conn) = manager.connect() {
                    let _ = conn.batch_execute("SELECT 1");
                }
                if std::mem::take(&mut first) {
                    started.wait();
                }
            }
        });
    }
    started.wait();
    std::thread::sleep(Duration::from_millis(30));
    std::process::exit(0);
}
