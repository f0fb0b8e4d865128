//! Scale-out as DESIGN §9 says: two `jury serve` processes, each with its own data dir, on one
//! PostgreSQL database and one S3-compatible store (`s3s-fs`, checking signatures), behind a
//! real HAProxy from Debian. A deck uploaded through one instance is downloaded through the
//! other and through the balancer, and a mixed load (sign-ins, uploads, downloads, review
//! saves) runs through the balancer across both with no error. Skips with the reason when
//! HAProxy is missing, unless `JURY_REQUIRE_LB=1` (CI).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::s3::{ACCESS_KEY, SECRET_KEY, s3_or_skip};
use crate::common::{PgDatabase, cheap_hasher, contest_body, multipart, postgres_or_skip};
use crate::faults::{Server, desks, free_port, save_body, seed};

fn haproxy_or_skip(test: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin")])
        .map(|d| d.join("haproxy"))
        .find(|p| p.is_file());
    if found.is_none() {
        if std::env::var("JURY_REQUIRE_LB").is_ok_and(|v| v == "1") {
            panic!("{test}: HAProxy required (JURY_REQUIRE_LB=1) but not installed");
        }
        eprintln!("SKIP {test}: no haproxy (apt-get install haproxy)");
    }
    found
}

/// HAProxy in the foreground, round-robin over the instances, health-checking `/readyz`; each
/// answer names the instance that served it (`x-served-by`).
struct Haproxy {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Haproxy {
    fn start(bin: &Path, backends: &[&str]) -> Haproxy {
        let dir = tempfile::tempdir().expect("tempdir");
        let port = free_port();
        let servers: String = backends
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let addr = b.trim_start_matches("http://");
                format!("  server jury{i} {addr} check inter 500ms\n")
            })
            .collect();
        let cfg = format!(
            "global\n  maxconn 512\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 30s\n  \
             timeout server 30s\n  option forwardfor\nfrontend web\n  bind 127.0.0.1:{port}\n  \
             default_backend jury\nbackend jury\n  balance roundrobin\n  option httpchk GET /readyz\n  \
             http-response set-header x-served-by %[srv_name]\n{servers}"
        );
        let file = dir.path().join("haproxy.cfg");
        std::fs::write(&file, cfg).expect("haproxy.cfg");
        let child = Command::new(bin)
            .arg("-db")
            .arg("-f")
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start haproxy");
        let until = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < until, "haproxy did not start listening");
            std::thread::sleep(Duration::from_millis(20));
        }
        Haproxy {
            child,
            base: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> awc::Client {
    awc::Client::builder()
        .timeout(Duration::from_secs(20))
        .finish()
}

/// One request; the status, the body's bytes and the instance that served it.
async fn send(
    base: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<(String, Vec<u8>)>,
) -> (u16, Vec<u8>, String) {
    let mut req = client().request(method.parse().expect("method"), format!("{base}{path}"));
    if !token.is_empty() {
        req = req.insert_header(("Authorization", format!("Bearer {token}")));
    }
    let sent = match body {
        Some((ct, bytes)) => {
            req.insert_header(("Content-Type", ct))
                .send_body(bytes)
                .await
        }
        None => req.send().await,
    };
    let Ok(mut res) = sent else {
        return (0, Vec::new(), String::new());
    };
    let by = res
        .headers()
        .get("x-served-by")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("direct")
        .to_string();
    let bytes = res.body().limit(64 << 20).await.unwrap_or_default();
    (res.status().as_u16(), bytes.to_vec(), by)
}

async fn json_call(base: &str, method: &str, path: &str, token: &str, body: &Value) -> Value {
    let body = Some((
        "application/json".to_string(),
        body.to_string().into_bytes(),
    ));
    let (status, bytes, _) = send(base, method, path, token, body).await;
    assert!((200..300).contains(&status), "{method} {path}: {status}");
    serde_json::from_slice(&bytes).expect("json")
}

async fn login(base: &str, email: &str) -> String {
    let body = json!({"email": email, "password": jury::demo::PASSWORD});
    let session = json_call(base, "POST", "/api/v1/auth/login", "", &body).await;
    session["access_token"].as_str().expect("token").to_string()
}

/// Applicant accounts, inserted as the test fixtures do (registration is tested elsewhere).
async fn applicants(url: &str, n: usize) -> Vec<String> {
    let pool = jury::db::pool(
        &jury::db::Target::parse(url).expect("url"),
        1,
        Duration::from_secs(10),
    );
    let hash = cheap_hasher()
        .hash(jury::demo::PASSWORD.into())
        .await
        .expect("hash");
    let emails: Vec<String> = (0..n).map(|i| format!("founder{i}@scale.test")).collect();
    let list = emails.clone();
    jury::db::write(&pool, move |c| {
        let t = jury::db::now();
        for email in &list {
            jury::auth::model::insert(
                c,
                &jury::auth::model::NewUser {
                    email,
                    password_hash: Some(&hash),
                    name: "Scale Founder",
                    locale: "en",
                    role: "applicant",
                    verified_at: Some(t),
                    token_version: 0,
                    created_at: t,
                    updated_at: t,
                },
            )?;
        }
        Ok(())
    })
    .await
    .expect("insert applicants");
    emails
}

/// Uploads `deck` to application `id` through `base`; the new document's id.
async fn upload(base: &str, token: &str, id: i64, deck: &[u8]) -> Result<i64, String> {
    let body = multipart("file", "deck.pdf", "application/pdf", deck);
    let path = format!("/api/v1/applications/{id}/documents");
    let (status, bytes, by) = send(base, "POST", &path, token, Some(body)).await;
    if status != 201 {
        return Err(format!(
            "upload via {by}: {status} {}",
            String::from_utf8_lossy(&bytes)
        ));
    }
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    doc["id"].as_i64().ok_or_else(|| "no id".to_string())
}

async fn download(base: &str, token: &str, id: i64, doc: i64) -> (u16, Vec<u8>, String) {
    let path = format!("/api/v1/applications/{id}/documents/{doc}");
    send(base, "GET", &path, token, None).await
}

#[actix_web::test]
async fn two_instances_behind_haproxy_share_one_database_and_one_store() {
    const TEST: &str = "two_instances_behind_haproxy";
    let Some(pg) = postgres_or_skip(TEST) else {
        return;
    };
    let Some(store) = s3_or_skip(TEST) else {
        return;
    };
    let Some(haproxy) = haproxy_or_skip(TEST) else {
        return;
    };
    let db = PgDatabase::create(&pg);
    let dir = tempfile::tempdir().expect("tempdir");
    seed(&dir.path().join("seed"), &db.url);
    let storage_url = store.url("scale");
    let env = [
        (
            "JURY_JWT_SECRET",
            "scale-out-secret-shared-by-every-instance",
        ),
        ("JURY_STORAGE_URL", storage_url.as_str()),
        ("JURY_S3_ACCESS_KEY_ID", ACCESS_KEY),
        ("JURY_S3_SECRET_ACCESS_KEY", SECRET_KEY),
        ("JURY_RATE_LIMIT_AUTH_PER_MINUTE", "0"),
        ("JURY_RATE_LIMIT_ACCOUNT_PER_MINUTE", "0"),
        ("JURY_RATE_LIMIT_UPLOADS_PER_HOUR", "0"),
        ("JURY_TRUSTED_PROXIES", "127.0.0.1"),
    ];
    let a = Server::start(&dir.path().join("a"), &db.url, &env).await;
    let b = Server::start(&dir.path().join("b"), &db.url, &env).await;
    let lb = Haproxy::start(&haproxy, &[&a.base, &b.base]);
    let lb_base = lb.base.clone();

    let admin = login(&lb_base, "admin@gsc-demo.example").await;
    let contest = json_call(
        &lb_base,
        "POST",
        "/api/v1/contests",
        &admin,
        &contest_body(),
    )
    .await;
    let contest = contest["id"].as_i64().expect("contest id");
    let mut founders = Vec::new();
    for email in applicants(&db.url, 6).await {
        let token = login(&lb_base, &email).await;
        let path = format!("/api/v1/contests/{contest}/applications");
        let app = json_call(&lb_base, "POST", &path, &token, &json!({})).await;
        founders.push((email, token, app["id"].as_i64().expect("application id")));
    }

    // Uploaded through one instance, read through the other and through the balancer.
    let (_, token, id) = &founders[0];
    let deck = jury::applications::pdf::sample("Uploaded through instance A");
    let doc = upload(&a.base, token, *id, &deck)
        .await
        .expect("upload via a");
    for base in [&b.base, &lb_base, &lb_base] {
        let (status, bytes, by) = download(base, token, *id, doc).await;
        assert_eq!(status, 200, "download via {by}");
        assert_eq!(bytes, deck, "the same bytes via {by}");
    }
    assert!(
        dir.path().join("a/uploads").read_dir().is_err(),
        "nothing on a's disk"
    );

    // The mixed load, through the balancer only.
    let desks = desks(&a, &db.url).await;
    assert!(!desks.is_empty(), "the demo leaves reviews open");
    let errors: Rc<std::cell::RefCell<Vec<String>>> = Rc::default();
    let served: Rc<std::cell::RefCell<std::collections::BTreeMap<String, usize>>> = Rc::default();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (email, _, id) in founders.clone() {
        let (errors, served, base) = (errors.clone(), served.clone(), lb_base.clone());
        tasks.push(actix_web::rt::spawn(async move {
            for round in 0..4 {
                let token = login(&base, &email).await;
                let deck = jury::applications::pdf::sample(&format!("{email} round {round}"));
                let doc = match upload(&base, &token, id, &deck).await {
                    Ok(doc) => doc,
                    Err(e) => {
                        errors.borrow_mut().push(e);
                        continue;
                    }
                };
                for _ in 0..2 {
                    let (status, bytes, by) = download(&base, &token, id, doc).await;
                    *served.borrow_mut().entry(by.clone()).or_default() += 1;
                    if status != 200 || bytes != deck {
                        errors
                            .borrow_mut()
                            .push(format!("download via {by}: {status}"));
                    }
                }
            }
        }));
    }
    for desk in desks.iter().take(6) {
        let (errors, served, base) = (errors.clone(), served.clone(), lb_base.clone());
        let (token, reviews) = (desk.token.clone(), desk.reviews.clone());
        tasks.push(actix_web::rt::spawn(async move {
            for n in 1..=10i64 {
                let (id, criteria) = &reviews[n as usize % reviews.len()];
                let body = save_body(criteria, n).to_string().into_bytes();
                let path = format!("/api/v1/assignments/{id}/review");
                let body = Some(("application/json".to_string(), body));
                let (status, text, by) = send(&base, "PUT", &path, &token, body).await;
                *served.borrow_mut().entry(by.clone()).or_default() += 1;
                if status != 200 {
                    let text = String::from_utf8_lossy(&text).to_string();
                    errors
                        .borrow_mut()
                        .push(format!("review save via {by}: {status} {text}"));
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("load task");
    }
    let elapsed = started.elapsed();
    let served = served.borrow().clone();
    eprintln!("mixed load across two instances in {elapsed:.1?}: served by {served:?}");
    assert_eq!(
        errors.borrow().as_slice(),
        &[] as &[String],
        "no error under load"
    );
    assert!(
        served.keys().filter(|k| k.starts_with("jury")).count() == 2,
        "both instances served: {served:?}"
    );
    // Every application ends with exactly its last deck in the store.
    assert_eq!(store.objects("scale").len(), founders.len());
    drop((a, b));
}
