//! The `jury` binary as an operator meets it.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_jury");

fn jury(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("JURY_DATA_DIR", dir.join("data"))
        .env("JURY_LOG", "warn");
    cmd
}

#[test]
fn unknown_database_scheme_is_a_clear_start_up_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = jury(dir.path())
        .args(["migrate"])
        .env("JURY_DATABASE_URL", "mysql://root@localhost/jury")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("\"mysql\"") && err.contains("sqlite://") && err.contains("postgres://"),
        "{err}"
    );
}

#[test]
fn postgres_connection_failure_shows_postgres_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = jury(dir.path())
        .args(["migrate"])
        .env("JURY_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("postgres database") && !err.contains("multiconnection"),
        "{err}"
    );
}

#[test]
fn migrate_then_create_admin() {
    let dir = tempfile::tempdir().unwrap();
    let out = jury(dir.path()).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("applied"));
    assert!(dir.path().join("data/jury.db").exists());

    let out = jury(dir.path())
        .args(["create-admin", "--email", "ops@jury.test", "--name", "Ops"])
        .env("JURY_ADMIN_PASSWORD", "a long admin password")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = jury(dir.path())
        .args(["create-admin", "--email", "OPS@jury.test"])
        .env("JURY_ADMIN_PASSWORD", "a long admin password")
        .output()
        .unwrap();
    assert!(!again.status.success(), "duplicate email must fail");
    let no_password = jury(dir.path())
        .args(["create-admin", "--email", "x@jury.test"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!no_password.status.success());
}

#[test]
fn serve_prints_a_setup_link_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let started = Instant::now();
    let mut child = jury(dir.path())
        .arg("serve")
        .env("JURY_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut link = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(pos) = line.find("/setup?token=") {
            link = Some(line[pos..].trim().to_string());
            break;
        }
    }
    let link = link.expect("setup link printed");
    assert_eq!(link.len(), "/setup?token=".len() + 64);
    let mut healthy = false;
    while started.elapsed() < Duration::from_secs(20) {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            s.write_all(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut buf = String::new();
            let _ = s.read_to_string(&mut buf);
            if buf.starts_with("HTTP/1.1 200") {
                healthy = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(healthy, "server did not become ready");
    assert!(dir.path().join("data/jwt_secret").exists());
}

#[test]
fn backup_and_restore_round_trip_the_database_and_the_uploads() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let seed = jury(dir.path())
        .args(["seed-demo", "--applications", "8", "--judges", "6"])
        .output()
        .unwrap();
    assert!(
        seed.status.success(),
        "{}",
        String::from_utf8_lossy(&seed.stderr)
    );
    let upload = data.join("uploads/ab/deck.pdf");
    std::fs::create_dir_all(upload.parent().unwrap()).unwrap();
    std::fs::write(&upload, b"%PDF-1.7 deck").unwrap();

    let out = dir.path().join("jury-backup.db");
    let b = jury(dir.path())
        .args(["backup", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    assert!(String::from_utf8_lossy(&b.stdout).contains("1 uploaded files"));
    let again = jury(dir.path())
        .args(["backup", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!again.status.success(), "a backup never overwrites");
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));

    // Disaster: the database and the uploads are gone.
    std::fs::remove_dir_all(data.join("uploads")).unwrap();
    std::fs::write(data.join("jury.db"), b"").unwrap();
    let bogus = dir.path().join("notes.txt");
    std::fs::write(&bogus, b"not a database").unwrap();
    let refused = jury(dir.path())
        .args(["restore", "--from", bogus.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a Jury"));

    let r = jury(dir.path())
        .args(["restore", "--from", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(data.join("jury.db.before-restore").exists());
    assert_eq!(std::fs::read(&upload).unwrap(), b"%PDF-1.7 deck");
    // The restored database holds the demo: seeding again is refused.
    let reseed = jury(dir.path())
        .args(["seed-demo", "--applications", "8", "--judges", "6"])
        .output()
        .unwrap();
    assert!(!reseed.status.success());
    assert!(
        String::from_utf8_lossy(&reseed.stderr).contains("already"),
        "{}",
        String::from_utf8_lossy(&reseed.stderr)
    );
}

#[test]
fn audit_verify_names_the_first_altered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let seed = jury(dir.path())
        .args(["seed-demo", "--applications", "8", "--judges", "6"])
        .output()
        .unwrap();
    assert!(
        seed.status.success(),
        "{}",
        String::from_utf8_lossy(&seed.stderr)
    );
    let intact = jury(dir.path()).args(["audit", "verify"]).output().unwrap();
    assert!(
        intact.status.success(),
        "{}",
        String::from_utf8_lossy(&intact.stderr)
    );
    assert!(String::from_utf8_lossy(&intact.stdout).contains("audit log intact"));

    // Someone with database access rewrites history: the fifth entry now says something else.
    use diesel::prelude::*;
    use jury::db::schema::audit_log;
    let db = dir.path().join("data/jury.db");
    let mut c = diesel::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    let fifth: i64 = audit_log::table
        .order(audit_log::id)
        .offset(4)
        .select(audit_log::id)
        .first(&mut c)
        .unwrap();
    diesel::update(audit_log::table.find(fifth))
        .set(audit_log::details.eq(r#"{"note":"nothing happened"}"#))
        .execute(&mut c)
        .unwrap();
    let broken = jury(dir.path()).args(["audit", "verify"]).output().unwrap();
    assert!(!broken.status.success());
    let err = String::from_utf8_lossy(&broken.stderr);
    assert!(err.contains(&format!("broken at entry {fifth}")), "{err}");
}

/// The server's own memory goes through jemalloc with the settings `src/main.rs` gives it: the
/// load figures in benches/RESULTS.md, and the memory target, were measured with them.
/// jemalloc prints its settings at exit when asked through its environment variable.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_binary_allocates_through_jemalloc_with_its_settings() {
    let dir = tempfile::tempdir().unwrap();
    let out = jury(dir.path())
        .arg("--version")
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stats = String::from_utf8_lossy(&out.stderr);
    for setting in [
        "opt.narenas: 2",
        "opt.tcache_max: 1024",
        "opt.dirty_decay_ms: 500",
        "opt.muzzy_decay_ms: 0",
        "opt.background_thread: true",
    ] {
        assert!(
            stats.lines().any(|l| l.trim_start().starts_with(setting)),
            "{setting} is not among jemalloc's settings:\n{stats}"
        );
    }
}
