//! Judging under load, over real HTTP against SQLite and (when reachable) PostgreSQL, with the
//! demo contest seeded at 10,000 applications and 300 judges (`jury::demo::seed`): the judge
//! queue read and the review save (PUT, a draft autosave), at 1 and 64 concurrent clients,
//! 64 different judges.
//!
//!     cargo bench --bench judging
//!     JURY_BENCH_REQUESTS=5000 cargo bench --bench judging
//!
//! The server runs in-process with two workers; the client is on the same machine, so the
//! figures include the client's own cost. Reported: median (p50), p99 and throughput.

use diesel::prelude::*;
use jury::AppState;
use jury::config::Config;
use serde_json::{Value, json};

mod support;
use support::Stats;

const JUDGES: usize = 64;

fn main() {
    let requests: usize = std::env::var("JURY_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4000);
    println!(
        "cores: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut targets = vec![("sqlite", None)];
    match support::scratch_postgres() {
        Some(db) => targets.push(("postgres", Some(db))),
        None => println!("postgres: not reachable, skipped"),
    }
    let mut rows = Vec::new();
    for (name, pg) in targets {
        actix_web::rt::System::new().block_on(run(
            name,
            pg.as_ref().map(|p| p.url.clone()),
            requests,
            &mut rows,
        ));
        drop(pg);
    }
    println!("| backend | scenario | requests | concurrency | p50 ms | p99 ms | req/s | errors |");
    println!("|---|---|---|---|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
}

async fn run(backend: &str, pg_url: Option<String>, requests: usize, rows: &mut Vec<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url =
        pg_url.unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let mut config = Config::for_data_dir(dir.path(), url);
    config.db_pool_size = 8;
    let state = AppState::build(
        config,
        jury::mail::Transport::Memory(Default::default()),
        Some(support::cheap_hasher()),
    )
    .expect("state");
    let t = std::time::Instant::now();
    let demo = jury::demo::seed(&state, 10_000, 300).await.expect("seed");
    println!(
        "{backend}: seeded {} applications, {} judges, {} submitted reviews in {:.1} s",
        demo.applications,
        demo.judges,
        demo.reviews,
        t.elapsed().as_secs_f64()
    );
    // Judges with reviews in the open round (the final).
    let emails: Vec<String> = jury::db::run(&state.db, |c| {
        use jury::db::schema::{assignments, rounds, users};
        Ok(assignments::table
            .inner_join(rounds::table)
            .inner_join(users::table.on(users::id.eq(assignments::judge_id)))
            .filter(rounds::state.eq("judging"))
            .select(users::email)
            .distinct()
            .order(users::email)
            .limit(JUDGES as i64)
            .load(c)?)
    })
    .await
    .expect("judges");
    let server = support::serve(state.clone());
    let client = support::client();
    let mut judges: Vec<(String, Vec<i64>)> = Vec::new();
    for email in &emails {
        let mut res = client
            .post(format!("{}/api/v1/auth/login", server.url))
            .send_json(&json!({"email": email, "password": jury::demo::PASSWORD}))
            .await
            .expect("login");
        let body: Value = res.json().await.expect("login body");
        let token = body["access_token"].as_str().expect("token").to_string();
        let mut res = client
            .get(format!("{}/api/v1/me/assignments", server.url))
            .bearer_auth(&token)
            .send()
            .await
            .expect("queue");
        let queue: Value = res.json().limit(1 << 22).await.expect("queue body");
        let open: Vec<i64> = queue["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|i| i["round_state"] == "judging")
            .map(|i| i["assignment_id"].as_i64().expect("id"))
            .collect();
        judges.push((token, open));
    }
    let queue_items: usize = judges.iter().map(|j| j.1.len()).sum();
    println!(
        "{backend}: {} judges signed in, {queue_items} open reviews among them",
        judges.len()
    );
    let judges = std::rc::Rc::new(judges);

    let mut row = |scenario: &str, n: usize, c: usize, s: &Stats| {
        rows.push(format!(
            "| {backend} | {scenario} | {n} | {c} | {:.2} | {:.2} | {:.0} | {} |",
            s.p50_ms, s.p99_ms, s.per_sec, s.errors
        ));
    };
    for concurrency in [1usize, 64] {
        let stats = support::drive(requests, concurrency, |i| {
            let (client, judges) = (client.clone(), judges.clone());
            let url = format!("{}/api/v1/me/assignments", server.url);
            async move {
                let token = &judges[i % judges.len()].0;
                match client.get(&url).bearer_auth(token).send().await {
                    Ok(mut r) if r.status() == 200 => r.body().limit(1 << 22).await.is_ok(),
                    _ => false,
                }
            }
        })
        .await;
        row("judge queue (GET)", requests, concurrency, &stats);
    }
    for concurrency in [1usize, 64] {
        let stats = support::drive(requests, concurrency, |i| {
            let (client, judges) = (client.clone(), judges.clone());
            let base = server.url.clone();
            async move {
                let (token, open) = &judges[i % judges.len()];
                let id = open[(i / judges.len()) % open.len()];
                let body = json!({"scores": {"team": 1 + (i % 5) as i32, "market": 3, "product": 7},
                    "comment_applicant": format!("Autosaved note {i}")});
                let res = client
                    .put(format!("{base}/api/v1/assignments/{id}/review"))
                    .bearer_auth(token)
                    .send_json(&body)
                    .await;
                matches!(res, Ok(r) if r.status() == 200)
            }
        })
        .await;
        row("review save (PUT)", requests, concurrency, &stats);
    }
    server.handle.stop(true).await;
}
