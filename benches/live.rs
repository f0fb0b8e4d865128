//! The live final's server push under load: 1,000 display clients (Server-Sent Events) on one
//! server; for each organiser move ("next"/"back"), the time from sending the move to the
//! moment the last client has the new snapshot, and the server process's RSS.
//!
//!     cargo bench --bench live
//!     JURY_BENCH_CLIENTS=1000 JURY_BENCH_MOVES=40 cargo bench --bench live
//!
//! The server runs in-process with two workers and the clients on this process's own thread,
//! so the figures include the clients' cost and RSS counts both sides.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{Value, json};

mod support;

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// When one client first saw each revision.
type Sightings = Vec<(i64, Instant)>;

fn main() {
    let env = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let (clients, moves) = (env("JURY_BENCH_CLIENTS", 1000), env("JURY_BENCH_MOVES", 30));
    println!(
        "cores: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    actix_web::rt::System::new().block_on(run(clients, moves));
}

async fn run(clients: usize, moves: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let mut config = jury::config::Config::for_data_dir(dir.path(), url);
    config.db_pool_size = 8;
    let state = jury::AppState::build(
        config,
        jury::mail::Transport::Memory(Default::default()),
        Some(support::cheap_hasher()),
    )
    .expect("state");
    let demo = jury::demo::seed(&state, 40, 12).await.expect("seed");
    let server = support::serve(state.clone());
    let client = awc::Client::builder()
        .timeout(Duration::from_secs(600))
        .connector(awc::Connector::new().limit(clients + 64))
        .finish();
    let mut res = client
        .post(format!("{}/api/v1/auth/login", server.url))
        .send_json(&json!({"email": demo.admin_email, "password": jury::demo::PASSWORD}))
        .await
        .expect("login");
    let token = res.json::<Value>().await.expect("login")["access_token"]
        .as_str()
        .expect("token")
        .to_string();
    let mut res = client
        .get(format!(
            "{}/api/v1/contests/{}/rounds",
            server.url, demo.contest
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("rounds");
    let round = res.json::<Value>().await.expect("rounds")[1]["id"]
        .as_i64()
        .expect("final");
    let mut res = client
        .post(format!(
            "{}/api/v1/rounds/{round}/live/display-link",
            server.url
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("link");
    let path = res.json::<Value>().await.expect("link")["token"]
        .as_str()
        .expect("token")
        .to_string();
    let control = |action: &'static str| {
        let (client, token, url) = (
            client.clone(),
            token.clone(),
            format!("{}/api/v1/rounds/{round}/live/control", server.url),
        );
        async move {
            let mut r = client
                .post(url)
                .bearer_auth(token)
                .send_json(&json!({"action": action}))
                .await
                .expect("control");
            let body: Value = r.json().limit(1 << 22).await.expect("board");
            body["show"]["revision"].as_i64().expect("revision")
        }
    };
    control("start").await;
    let rss_before = rss_mb();

    // Each client records when it first saw each revision.
    let seen: Rc<RefCell<Vec<Sightings>>> = Rc::new(RefCell::new(vec![Vec::new(); clients]));
    let connected = Rc::new(RefCell::new(0usize));
    let started = Instant::now();
    for i in 0..clients {
        let (client, seen, connected) = (client.clone(), seen.clone(), connected.clone());
        let url = format!("{}/api/v1/live/display/{path}/events", server.url);
        actix_web::rt::spawn(async move {
            let mut res = client.get(url).send().await.expect("stream");
            *connected.borrow_mut() += 1;
            let mut buf = String::new();
            while let Some(Ok(chunk)) = res.next().await {
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buf.find("\n\n") {
                    let frame: String = buf.drain(..end + 2).collect();
                    if let Some(data) = frame.strip_prefix("data: ") {
                        let at = Instant::now();
                        if let Ok(v) = serde_json::from_str::<Value>(data.trim_end()) {
                            seen.borrow_mut()[i].push((v["revision"].as_i64().unwrap_or(0), at));
                        }
                    }
                }
            }
        });
    }
    while *connected.borrow() < clients || seen.borrow().iter().any(Vec::is_empty) {
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    println!(
        "{clients} clients connected in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    let rss_connected = rss_mb();

    let mut last_client = Vec::new();
    let mut every = Vec::new();
    for m in 0..moves {
        let sent = Instant::now();
        let revision = control(if m % 2 == 0 { "next" } else { "back" }).await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let all = seen
                .borrow()
                .iter()
                .all(|s| s.iter().any(|(r, _)| *r >= revision));
            if all || Instant::now() > deadline {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(2)).await;
        }
        let times: Vec<f64> = seen
            .borrow()
            .iter()
            .map(|s| {
                s.iter()
                    .find(|(r, _)| *r >= revision)
                    .map_or(10_000.0, |(_, at)| {
                        at.duration_since(sent).as_secs_f64() * 1000.0
                    })
            })
            .collect();
        last_client.push(times.iter().copied().fold(0.0, f64::max));
        every.extend(times);
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    last_client.sort_by(f64::total_cmp);
    every.sort_by(f64::total_cmp);
    println!(
        "| clients | moves | last client p50 ms | last client p99 ms | any client p99 ms | RSS before MB | RSS connected MB | RSS after MB |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| {clients} | {moves} | {:.1} | {:.1} | {:.1} | {:.0} | {:.0} | {:.0} |",
        percentile(&last_client, 0.5),
        percentile(&last_client, 0.99),
        percentile(&every, 0.99),
        rss_before,
        rss_connected,
        rss_mb()
    );
    server.handle.stop(false).await;
}
