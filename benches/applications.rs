//! Applicant-journey latency: saving a draft and paging through 10,000 applications, over real
//! HTTP against SQLite and (when reachable) PostgreSQL.
//!
//!     cargo bench --bench applications            # both backends
//!     JURY_BENCH_REQUESTS=5000 cargo bench --bench applications
//!
//! The server runs in-process with two workers; the client is on the same machine, so the
//! figures include the client's own cost. Reported: median (p50), p99 and throughput.

use jury::AppState;
use jury::config::Config;
use serde_json::json;

mod support;
use support::{Stats, seed_applications};

fn main() {
    let requests: usize = std::env::var("JURY_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    println!(
        "cores: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut targets = vec![("sqlite", None)];
    match support::scratch_postgres() {
        Some(db) => targets.push(("postgres", Some(db))),
        None => println!("postgres: not reachable, skipped"),
    }
    println!("| backend | scenario | requests | concurrency | p50 ms | p99 ms | req/s |");
    println!("|---|---|---|---|---|---|---|");
    for (name, pg) in targets {
        actix_web::rt::System::new().block_on(run(
            name,
            pg.as_ref().map(|p| p.url.clone()),
            requests,
        ));
        drop(pg);
    }
}

async fn run(backend: &str, pg_url: Option<String>, requests: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url =
        pg_url.unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let mut config = Config::for_data_dir(dir.path(), url);
    config.db_pool_size = 8;
    let hasher = support::cheap_hasher();
    let state = AppState::build(
        config,
        jury::mail::Transport::Memory(Default::default()),
        Some(hasher),
    )
    .expect("state");
    let seeded = seed_applications(&state, 10_000).await;
    let server = support::serve(state.clone());
    let client = support::client();

    let admin = support::login(&client, &server.url, &seeded.admin_email).await;
    let applicant = support::login(&client, &server.url, &seeded.first_applicant_email).await;
    let app_url = format!(
        "{}/api/v1/applications/{}",
        server.url, seeded.first_application
    );

    for concurrency in [1usize, 16] {
        let stats = support::drive(requests, concurrency, |i| {
            let (client, url, token) = (client.clone(), app_url.clone(), applicant.clone());
            async move {
                let res = client
                    .patch(&url)
                    .bearer_auth(&token)
                    .send_json(
                        &json!({"summary": format!("Autosaved draft #{i}"), "traction": "growing"}),
                    )
                    .await;
                matches!(res, Ok(r) if r.status() == 200)
            }
        })
        .await;
        print_row(backend, "draft save (PATCH)", requests, concurrency, &stats);
    }

    let list_url = format!(
        "{}/api/v1/contests/{}/applications",
        server.url, seeded.contest
    );
    for concurrency in [1usize, 16] {
        let stats = support::drive(requests, concurrency, |i| {
            let (client, token) = (client.clone(), admin.clone());
            let url = format!("{list_url}?per_page=50&page={}", 1 + (i * 37) % 200);
            async move {
                let res = client.get(&url).bearer_auth(&token).send().await;
                match res {
                    Ok(mut r) if r.status() == 200 => r.body().limit(1 << 22).await.is_ok(),
                    _ => false,
                }
            }
        })
        .await;
        print_row(
            backend,
            "list 10k, page of 50",
            requests,
            concurrency,
            &stats,
        );
    }
    let stats = support::drive(requests / 4, 4, |i| {
        let (client, token) = (client.clone(), admin.clone());
        let url = format!("{list_url}?per_page=50&track=ai&q=startup%20{}", i % 100);
        async move {
            let res = client.get(&url).bearer_auth(&token).send().await;
            matches!(res, Ok(r) if r.status() == 200)
        }
    })
    .await;
    print_row(
        backend,
        "list 10k, filter + search",
        requests / 4,
        4,
        &stats,
    );
    server.handle.stop(true).await;
}

fn print_row(backend: &str, scenario: &str, n: usize, concurrency: usize, s: &Stats) {
    println!(
        "| {backend} | {scenario} | {n} | {concurrency} | {:.2} | {:.2} | {:.0} |{}",
        s.p50_ms,
        s.p99_ms,
        s.per_sec,
        if s.errors > 0 {
            format!(" {} errors", s.errors)
        } else {
            String::new()
        }
    );
}
