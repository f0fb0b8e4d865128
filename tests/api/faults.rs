//! Fault tests: the real `jury serve` process killed mid-write, its PostgreSQL server stopped
//! under load, its upload volume full. Each checks that nothing acknowledged is lost, nothing is
//! half-written and the server recovers by itself.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{self, PgDatabase, TestApp};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

fn jury(data: &Path, url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jury"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("JURY_DATA_DIR", data)
        .env("JURY_DATABASE_URL", url)
        .env("JURY_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// `jury seed-demo` at a small size: rounds, judges, panels and a final half way through
/// judging, made by the same services the product uses.
fn seed(data: &Path, url: &str) {
    let out = jury(data, url)
        .args(["seed-demo", "--applications", "24", "--judges", "8"])
        .stdout(Stdio::piped())
        .output()
        .expect("run seed-demo");
    assert!(out.status.success(), "seed-demo failed");
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(data: &Path, url: &str, extra: &[(&str, &str)]) -> Server {
        let port = free_port();
        let mut cmd = jury(data, url);
        cmd.env("JURY_BIND", format!("127.0.0.1:{port}"))
            .env("JURY_PUBLIC_URL", format!("http://127.0.0.1:{port}"));
        for (k, v) in extra {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start jury serve");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let until = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = server.client().get(server.url("/readyz")).send().await
                && r.status() == 200
            {
                return server;
            }
            assert!(Instant::now() < until, "jury serve did not become ready");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn client(&self) -> awc::Client {
        awc::Client::builder()
            .timeout(Duration::from_secs(10))
            .finish()
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let c = self.client();
        let req = match method {
            "PUT" => c.put(self.url(path)),
            "POST" => c.post(self.url(path)),
            _ => c.get(self.url(path)),
        }
        .insert_header(("Authorization", format!("Bearer {token}")));
        let sent = match body {
            Some(b) => req.send_json(b).await,
            None => req.send().await,
        };
        match sent {
            Ok(mut r) => {
                let status = r.status().as_u16();
                let bytes = r.body().limit(4 << 20).await.unwrap_or_default();
                (
                    status,
                    serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                )
            }
            Err(_) => (0, Value::Null),
        }
    }

    async fn login(&self, email: &str) -> String {
        let mut r = self
            .client()
            .post(self.url("/api/v1/auth/login"))
            .send_json(&json!({"email": email, "password": jury::demo::PASSWORD}))
            .await
            .expect("login request");
        assert_eq!(r.status(), 200, "demo login for {email}");
        let body: Value = r.json().await.expect("session");
        body["access_token"].as_str().expect("token").to_string()
    }

    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL"); // Child::kill is SIGKILL on Unix
        self.child.wait().expect("reap");
    }

    fn still_running(&mut self) -> bool {
        self.child.try_wait().ok().flatten().is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn judge_emails(url: &str) -> Vec<String> {
    use diesel::prelude::*;
    use jury::db::schema::users;
    let target = jury::db::Target::parse(url).expect("url");
    let pool = jury::db::pool(&target, 1, Duration::from_secs(10));
    let mut c = jury::db::checkout(&pool).expect("connection");
    users::table
        .filter(users::role.eq("judge"))
        .order(users::id)
        .select(users::email)
        .load(&mut *c)
        .expect("judges")
}

/// A criterion's key and its scale.
type Scale = (String, i32, i32);

/// One judge's open reviews with the scale of each criterion.
struct Desk {
    token: String,
    reviews: Vec<(i64, Vec<Scale>)>,
}

async fn desks(server: &Server, url: &str) -> Vec<Desk> {
    let mut out = Vec::new();
    for email in judge_emails(url) {
        let token = server.login(&email).await;
        let (status, queue) = server
            .call("GET", "/api/v1/me/assignments", &token, None)
            .await;
        assert_eq!(status, 200);
        let mut reviews = Vec::new();
        for item in queue["items"].as_array().into_iter().flatten() {
            if item["round_state"] != "judging" || item["review_status"] == "submitted" {
                continue;
            }
            let id = item["assignment_id"].as_i64().expect("id");
            let (_, view) = server
                .call("GET", &format!("/api/v1/assignments/{id}"), &token, None)
                .await;
            let criteria = view["criteria"]
                .as_array()
                .expect("criteria")
                .iter()
                .map(|c| {
                    let n = |k: &str| c[k].as_i64().expect("scale") as i32;
                    (
                        c["key"].as_str().expect("key").to_string(),
                        n("min"),
                        n("max"),
                    )
                })
                .collect();
            reviews.push((id, criteria));
        }
        if !reviews.is_empty() {
            out.push(Desk { token, reviews });
        }
    }
    out
}

/// The n-th save of a review: every score and the private comment carry `n`, so a stored row
/// whose parts disagree was half-written.
fn save_body(criteria: &[(String, i32, i32)], n: i64) -> Value {
    let scores: serde_json::Map<String, Value> = criteria
        .iter()
        .map(|(k, lo, hi)| (k.clone(), json!(lo + (n % i64::from(hi - lo + 1)) as i32)))
        .collect();
    json!({"scores": scores, "comment_private": format!("save {n}")})
}

fn backend_url(dir: &Path) -> (String, Option<PgDatabase>) {
    if common::use_postgres() {
        let db = PgDatabase::create(&common::pg_base_url());
        (db.url.clone(), Some(db))
    } else {
        (format!("sqlite://{}", dir.join("jury.db").display()), None)
    }
}

#[actix_web::test]
async fn sigkill_during_review_saves_loses_no_acknowledged_save() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (url, _pg) = backend_url(dir.path());
    seed(&data, &url);
    let mut server = Server::start(&data, &url, &[]).await;
    let desks = desks(&server, &url).await;
    let open: usize = desks.iter().map(|d| d.reviews.len()).sum();
    assert!(open >= 8, "the demo leaves reviews open ({open})");

    // Each judge saves their reviews in turn, as fast as the server acknowledges.
    let acked: Arc<Mutex<HashMap<i64, i64>>> = Arc::default();
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    let srv_base = server.base.clone();
    for desk in desks.iter() {
        let (acked, stop, base, count) =
            (acked.clone(), stop.clone(), srv_base.clone(), count.clone());
        let token = desk.token.clone();
        let reviews = desk.reviews.clone();
        tasks.push(actix_web::rt::spawn(async move {
            let client = awc::Client::builder()
                .timeout(Duration::from_secs(5))
                .finish();
            let mut n = 0i64;
            while !stop.load(Ordering::Relaxed) {
                for (id, criteria) in &reviews {
                    n += 1;
                    let sent = client
                        .put(format!("{base}/api/v1/assignments/{id}/review"))
                        .insert_header(("Authorization", format!("Bearer {token}")))
                        .send_json(&save_body(criteria, n))
                        .await;
                    match sent {
                        Ok(r) if r.status() == 200 => {
                            acked.lock().unwrap().insert(*id, n);
                            count.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(r) => panic!("save answered {} before the kill", r.status()),
                        Err(_) => return,
                    }
                }
            }
        }));
    }
    let until = Instant::now() + Duration::from_secs(20);
    while count.load(Ordering::Relaxed) < 400 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    let acked = acked.lock().unwrap().clone();
    let saves = count.load(Ordering::Relaxed);

    let server = Server::start(&data, &url, &[]).await;
    let mut checked = 0;
    for desk in &desks {
        for (id, criteria) in &desk.reviews {
            let Some(&last) = acked.get(id) else { continue };
            let (status, review) = server
                .call(
                    "GET",
                    &format!("/api/v1/assignments/{id}/review"),
                    &desk.token,
                    None,
                )
                .await;
            assert_eq!(status, 200, "review {id} readable after restart");
            let stored: i64 = review["comment_private"]
                .as_str()
                .and_then(|s| s.strip_prefix("save "))
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| panic!("review {id} has no save marker: {review}"));
            // The save in flight at the kill may or may not have committed; nothing older
            // than the last acknowledged one may come back.
            assert!(
                stored >= last,
                "review {id}: acknowledged save {last} lost, found {stored}"
            );
            assert_eq!(
                review["scores"],
                save_body(criteria, stored)["scores"],
                "review {id}: scores and comment come from one save"
            );
            checked += 1;
        }
    }
    eprintln!(
        "SIGKILL under load ({}): {saves} saves acknowledged across {checked} reviews, all present after restart",
        if common::use_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    assert!(checked >= 8);
}

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
            if std::env::var("JURY_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
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

fn as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
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
    let mut server = Server::start(&data, &pg.url(), &[("JURY_DB_TIMEOUT_MS", "500")]).await;
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
}

/// A 1 MiB tmpfs over the upload directory, unmounted when dropped.
struct SmallVolume(PathBuf);

impl SmallVolume {
    fn mount(at: &Path) -> Option<SmallVolume> {
        std::fs::create_dir_all(at).unwrap();
        let mounted = as_root()
            && Command::new("mount")
                .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
                .arg(at)
                .status()
                .is_ok_and(|s| s.success());
        if mounted {
            return Some(SmallVolume(at.to_path_buf()));
        }
        if std::env::var("JURY_REQUIRE_FAULTS").is_ok_and(|v| v == "1") {
            panic!("the disk-full test must mount a tmpfs (JURY_REQUIRE_FAULTS=1): run as root");
        }
        eprintln!("SKIP disk-full test: mounting a tmpfs needs root");
        None
    }
}

impl Drop for SmallVolume {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

/// A real PDF grown to `size` bytes with a comment line, which readers skip.
fn padded_deck(size: usize) -> Vec<u8> {
    let pdf = jury::applications::pdf::sample("Full Disk Ltd");
    let split = pdf.iter().position(|&b| b == b'\n').expect("header line") + 1;
    let mut out = pdf[..split].to_vec();
    out.push(b'%');
    out.extend(std::iter::repeat_n(
        b'x',
        size.saturating_sub(pdf.len() + 2),
    ));
    out.push(b'\n');
    out.extend_from_slice(&pdf[split..]);
    out
}

#[actix_web::test]
async fn a_full_upload_volume_gives_a_clear_error_and_leaves_no_file() {
    let mut volume = None;
    let app =
        TestApp::with_config(|c| volume = SmallVolume::mount(&c.data_dir.join("uploads"))).await;
    let Some(volume) = volume else { return };
    let admin = app.admin().await;
    let applicant = app.applicant().await;
    let contest = app.contest(&admin).await;
    let id = app.draft_application(&applicant, contest).await;
    // Leave 96 KiB free, then send a 300 KiB deck: the write runs out of space half way.
    let filler = volume.0.join("filler.bin");
    std::fs::write(&filler, vec![0u8; 1024 * 1024 - 96 * 1024]).unwrap();

    let full = app
        .upload(&applicant, id, "deck.pdf", padded_deck(300 * 1024))
        .await;
    assert_eq!(full.status, 507, "{}", full.text);
    assert_eq!(full.code(), "storage_full");
    assert!(full.text.contains("no space is left"), "{}", full.text);
    assert_eq!(
        files_under(&volume.0),
        vec![filler.clone()],
        "no partial file is left"
    );
    let listed = app
        .get(&format!("/api/v1/applications/{id}"))
        .by(&applicant)
        .await;
    assert!(
        listed.body["deck"].is_null(),
        "no deck recorded: {}",
        listed.text
    );

    // Once the operator frees space the same upload works, with nothing left over from before.
    std::fs::remove_file(&filler).unwrap();
    let ok = app
        .upload(&applicant, id, "deck.pdf", padded_deck(300 * 1024))
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(files_under(&volume.0).len(), 1, "exactly the stored deck");
}
