//! Fault tests: the real `jury serve` process killed mid-write, its PostgreSQL server stopped
//! under load, its upload volume full. Each checks that nothing acknowledged is lost, nothing is
//! half-written and the server recovers by itself.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{self, PgDatabase};

mod checkout;
mod deadlock;
mod partition;
mod postgres;
mod tls_exit;
mod volume;

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

pub(crate) fn jury(data: &Path, url: &str) -> Command {
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
pub(crate) fn seed(data: &Path, url: &str) {
    let out = jury(data, url)
        .args(["seed-demo", "--applications", "24", "--judges", "8"])
        .stdout(Stdio::piped())
        .output()
        .expect("run seed-demo");
    assert!(out.status.success(), "seed-demo failed");
}

pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
}

impl Server {
    pub(crate) async fn start(data: &Path, url: &str, extra: &[(&str, &str)]) -> Server {
        Server::start_logged(data, url, extra, None).await
    }

    /// Like `start`, with the server's log (at `info`) written to `log`.
    async fn start_logged(
        data: &Path,
        url: &str,
        extra: &[(&str, &str)],
        log: Option<&Path>,
    ) -> Server {
        let port = free_port();
        let mut cmd = jury(data, url);
        cmd.env("JURY_BIND", format!("127.0.0.1:{port}"))
            .env("JURY_PUBLIC_URL", format!("http://127.0.0.1:{port}"));
        if let Some(path) = log {
            cmd.env("JURY_LOG", "info")
                .env("NO_COLOR", "1")
                .stderr(std::fs::File::create(path).expect("log file"))
                .stdout(std::fs::File::create(path.with_extension("out")).expect("log file"));
        }
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

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) fn client(&self) -> awc::Client {
        awc::Client::builder()
            .timeout(Duration::from_secs(10))
            .finish()
    }

    pub(crate) async fn call(
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

    pub(crate) async fn login(&self, email: &str) -> String {
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
        .load(&mut **c)
        .expect("judges")
}

/// A criterion's key and its scale.
pub(crate) type Scale = (String, i32, i32);

/// One judge's open reviews with the scale of each criterion.
pub(crate) struct Desk {
    pub(crate) token: String,
    pub(crate) reviews: Vec<(i64, Vec<Scale>)>,
}

pub(crate) async fn desks(server: &Server, url: &str) -> Vec<Desk> {
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
pub(crate) fn save_body(criteria: &[(String, i32, i32)], n: i64) -> Value {
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

fn as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}
