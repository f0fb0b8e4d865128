//! The PostgreSQL server stopped under load: requests fail fast with 503 while it is down and
//! succeed again once it is back, without restarting Jury.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common;

use super::{Server, as_root, free_port, judge_emails, seed};

/// A PostgreSQL server of the test's own, so stopping it disturbs nothing else.
struct PrivatePostgres {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

impl PrivatePostgres {
    fn start() -> Option<PrivatePostgres> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .find(|b| b.join("initdb").exists());
        let Some(bin) = bin else {
            if common::postgres_required() {
                panic!(
                    "PostgreSQL's initdb is required (JURY_REQUIRE_POSTGRES=1) but not installed"
                );
            }
            eprintln!("SKIP: no PostgreSQL server binaries under /usr/lib/postgresql");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("pg");
        std::fs::create_dir(&data).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let pg = PrivatePostgres {
            bin,
            data,
            port: free_port(),
            _dir: dir,
        };
        if as_root() {
            // initdb refuses to run as root: the cluster belongs to the `postgres` user.
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(pg._dir.path())
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "chown the cluster directory to postgres");
        }
        let initdb = pg.command(
            "initdb",
            &[
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "-D",
            ],
        );
        assert!(initdb.is_ok_and(|s| s.success()), "initdb");
        pg.ctl("start");
        Some(pg)
    }

    fn command(&self, tool: &str, args: &[&str]) -> std::io::Result<std::process::ExitStatus> {
        let exe = self.bin.join(tool);
        let mut cmd = if as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        };
        cmd.args(args)
            .arg(&self.data)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
    }

    fn ctl(&self, action: &str) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self._dir.path().display()
        );
        let args: Vec<&str> = match action {
            "start" => vec![
                "start",
                "-w",
                "-t",
                "30",
                "-o",
                &opts,
                "-l",
                "/dev/null",
                "-D",
            ],
            _ => vec!["stop", "-m", "immediate", "-w", "-D"],
        };
        let ok = self.command("pg_ctl", &args).is_ok_and(|s| s.success());
        assert!(ok, "pg_ctl {action}");
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = self.command("pg_ctl", &["stop", "-m", "immediate", "-D"]);
    }
}

#[derive(Default, Debug)]
struct Tally {
    ok: usize,
    unavailable: usize,
    other: Vec<u16>,
}

/// Judges reading their queues on eight connections until `stop`; every answer is tallied.
fn readers(
    server: &Server,
    token: &str,
    tally: Arc<Mutex<Tally>>,
    stop: Arc<AtomicBool>,
) -> Vec<actix_web::rt::task::JoinHandle<()>> {
    (0..8)
        .map(|_| {
            let (base, token, tally, stop) = (
                server.base.clone(),
                token.to_string(),
                tally.clone(),
                stop.clone(),
            );
            actix_web::rt::spawn(async move {
                let client = awc::Client::builder()
                    .timeout(Duration::from_secs(10))
                    .finish();
                while !stop.load(Ordering::Relaxed) {
                    let r = client
                        .get(format!("{base}/api/v1/me/assignments"))
                        .insert_header(("Authorization", format!("Bearer {token}")))
                        .send()
                        .await;
                    let status = r.map(|r| r.status().as_u16()).unwrap_or(0);
                    {
                        let mut t = tally.lock().unwrap();
                        match status {
                            200 => t.ok += 1,
                            503 => t.unavailable += 1,
                            s => t.other.push(s),
                        }
                    }
                    if status != 200 {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            })
        })
        .collect()
}

#[actix_web::test]
async fn postgres_stopped_under_load_gives_503s_and_recovers_without_a_restart() {
    if !common::use_postgres() {
        eprintln!(
            "SKIP in the SQLite pass: runs in the PostgreSQL pass (JURY_TEST_BACKEND=postgres)"
        );
        return;
    }
    let Some(pg) = PrivatePostgres::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    seed(&data, &pg.url());
    let log = dir.path().join("jury.log");
    let mut server = Server::start_logged(
        &data,
        &pg.url(),
        &[("JURY_DB_TIMEOUT_MS", "500")],
        Some(&log),
    )
    .await;
    let token = server.login(&judge_emails(&pg.url())[0]).await;

    let phase = |name: &'static str| (name, Arc::new(Mutex::new(Tally::default())));
    let mut results = Vec::new();
    for (name, secs, action) in [
        ("before", 2, None),
        ("down", 3, Some("stop")),
        ("back", 0, Some("start")),
    ] {
        if let Some(a) = action {
            pg.ctl(a);
        }
        let (name, tally) = phase(name);
        let stop = Arc::new(AtomicBool::new(false));
        let tasks = readers(&server, &token, tally.clone(), stop.clone());
        if name == "back" {
            // Recovery without a restart: the pool reconnects as soon as the server is back.
            let until = Instant::now() + Duration::from_secs(20);
            while tally.lock().unwrap().ok < 200 {
                assert!(
                    Instant::now() < until,
                    "no recovery within 20 s: {:?}",
                    tally.lock().unwrap()
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        } else {
            tokio::time::sleep(Duration::from_secs(secs)).await;
        }
        stop.store(true, Ordering::Relaxed);
        for t in tasks {
            let _ = t.await;
        }
        results.push((name, tally));
    }
    assert!(server.still_running(), "the server survived the outage");
    let t = |i: usize| std::mem::take(&mut *results[i].1.lock().unwrap());
    let (before, down, back) = (t(0), t(1), t(2));
    eprintln!("PostgreSQL outage: before {before:?}, down {down:?}, back {back:?}");
    assert!(
        before.ok > 50 && before.unavailable == 0 && before.other.is_empty(),
        "{before:?}"
    );
    assert!(
        down.unavailable > 0,
        "503 while the database is down: {down:?}"
    );
    assert!(
        down.other.is_empty(),
        "only 200 or 503 during the outage: {down:?}"
    );
    assert!(back.other.is_empty(), "{back:?}");

    // The operator reads one line when the outage starts and one when it ends, not one per
    // failed request or reconnection attempt.
    let text = std::fs::read_to_string(&log).unwrap_or_default()
        + &std::fs::read_to_string(log.with_extension("out")).unwrap_or_default();
    let lines = |needle: &str| text.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(
        lines("database unavailable"),
        1,
        "outage start logged once:\n{text}"
    );
    assert_eq!(
        lines("database available again"),
        1,
        "outage end logged once:\n{text}"
    );
    let errors: Vec<&str> = text.lines().filter(|l| l.contains(" ERROR ")).collect();
    assert_eq!(
        errors.len(),
        1,
        "one ERROR line for the whole outage: {errors:#?}"
    );
    assert_eq!(lines(" WARN "), 0, "no warning per request:\n{text}");
}
