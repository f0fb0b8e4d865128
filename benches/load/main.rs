//! Load harness: the release server as a child process on the demo contest at full size
//! (10,000 applications, 300 judges, 30,000 + 12,500 assignments), on SQLite and PostgreSQL,
//! driven by a small keep-alive HTTP/1.1 load generator on one core.
//!
//!     cargo bench --bench load                          # every scenario, 10 s each, writes benches/RESULTS.md
//!     JURY_LOAD_FULL=1 cargo bench --bench load         # 60 s each
//!     JURY_LOAD_SCENARIOS=queue,mixed cargo bench --bench load
//!     JURY_LOAD_SCENARIOS=soak JURY_SOAK_SECS=600 cargo bench --bench load   # the 10-minute soak
//!     JURY_LOAD_SCENARIOS=all,soak JURY_LOAD_MIXED_SECS=60 JURY_SOAK_SECS=150 cargo bench --bench load
//!
//! Other knobs: JURY_LOAD_SECS (per scenario and server), JURY_LOAD_ROUNDS (alternating rounds
//! of a compared scenario, default 5), JURY_LOAD_MIXED_SECS, JURY_LOAD_APPLICATIONS and
//! JURY_LOAD_JUDGES (dataset size), JURY_LOAD_BACKENDS=sqlite,postgres,
//! JURY_SOAK_THINK_MS (pause between one judge's requests, default 100), JURY_LOAD_LOG (the
//! server's JURY_LOG, default info), JURY_LOAD_SERVER_<NAME>=v (passed on as JURY_<NAME>),
//! JURY_TEST_PG_URL (an admin URL of the PostgreSQL server; `jury_load` is created and dropped).
//!
//! Scenarios with a bare counterpart (`bare.rs`: plain actix-web + diesel r2d2, same database,
//! same work, no middleware) run against it in alternating rounds, and the table shows the
//! median ratio (compare.rs).

mod bare;
mod bare_work;
mod compare;
mod data;
mod frontend;
mod http;
mod report;
mod scenarios;
mod server;
mod soak;

use std::sync::Arc;
use std::time::{Duration, Instant};

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // Re-executed by `server::Server::start_bare`: be the bare server.
    if let Ok(bind) = std::env::var("JURY_BARE_BIND") {
        let url = std::env::var("JURY_BARE_DATABASE_URL").expect("JURY_BARE_DATABASE_URL");
        bare::serve(&bind, &url, server::JWT_SECRET).expect("bare server");
        return;
    }
    let full = std::env::var("JURY_LOAD_FULL").is_ok_and(|v| v == "1");
    let secs = env_num("JURY_LOAD_SECS", if full { 60 } else { 10 });
    let soak_secs = env_num("JURY_SOAK_SECS", 600);
    let think_ms = env_num("JURY_SOAK_THINK_MS", 100);
    let filter: Option<Vec<String>> = std::env::var("JURY_LOAD_SCENARIOS")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    // `all` stands for every scenario but the soak, so `all,soak` runs everything on one seed.
    let wanted = |name: &str| match &filter {
        Some(f) => f
            .iter()
            .any(|s| s == name || (s == "all" && name != "soak")),
        None => name != "soak",
    };
    let mixed_secs = env_num("JURY_LOAD_MIXED_SECS", secs);
    let apps = env_num("JURY_LOAD_APPLICATIONS", 10_000);
    let judges = env_num("JURY_LOAD_JUDGES", 300);
    let backends: Vec<String> = std::env::var("JURY_LOAD_BACKENDS")
        .unwrap_or_else(|_| "sqlite,postgres".into())
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    // Compared scenarios alternate between Jury and the bare server (compare.rs).
    let rounds = env_num("JURY_LOAD_ROUNDS", 5) as usize;
    let mut report = report::Report::new(secs, mixed_secs, rounds);
    for backend in &backends {
        let dir = tempfile::tempdir().expect("tempdir");
        let pg = match backend.as_str() {
            "postgres" => match data::Postgres::create() {
                Some(pg) => Some(pg),
                None => {
                    println!("postgres: not reachable, skipped");
                    continue;
                }
            },
            "sqlite" => None,
            other => panic!("unknown backend {other}"),
        };
        let env = server::Env {
            database_url: pg.as_ref().map_or_else(
                || format!("sqlite://{}", dir.path().join("jury.db").display()),
                |p| p.url.clone(),
            ),
            data_dir: dir.path().join("data"),
        };
        println!("{backend}: seeding {apps} applications and {judges} judges…");
        let t = Instant::now();
        env.seed(apps as usize, judges as usize);
        if let Some(pg) = &pg {
            // Planner statistics, as autovacuum keeps them on a server that has been running:
            // straight after the bulk seed the tables have none (the floor ran at a fifth).
            pg.analyze();
        }
        let data = Arc::new(data::load(&env.database_url));
        let seed_secs = t.elapsed().as_secs_f64();
        println!(
            "{backend}: seeded in {seed_secs:.0} s; {} assignments, {} judges with open reviews, {} applicant drafts",
            data.assignments,
            data.judges.len(),
            data.drafts.len()
        );
        let server = server::Server::start(&env, &dir.path().join("server.log"));
        println!(
            "{backend}: cold start to first served request {:.0} ms, RSS {:.1} MB",
            server.cold_start_ms,
            server.rss_mb()
        );
        let (mails, took) = data::wait_for_outbox(&data.pool, Duration::from_secs(300));
        println!(
            "{backend}: the seed's {mails} queued mails sent in {:.1} s before measuring",
            took.as_secs_f64()
        );
        let bare = server::Server::start_bare(&env, &dir.path().join("bare.log"));
        let etags: scenarios::Etags = Default::default();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let local = tokio::task::LocalSet::new();
        let mut section = report::Backend {
            name: backend.clone(),
            cold_start_ms: server.cold_start_ms,
            idle_rss_mb: server.rss_mb(),
            seed_secs,
            mail_drain: (mails, took.as_secs_f64()),
            judges: data.judges.len(),
            assignments: data.assignments,
            rows: Vec::new(),
            first_screen: None,
            soak: None,
        };
        local.block_on(&rt, async {
            section.first_screen = Some(frontend::measure(&server.addr).await);
            for s in scenarios::all(&data, &etags) {
                if !wanted(s.name) {
                    continue;
                }
                if s.name == "queue-304" {
                    scenarios::fill_etags(&server.addr, &data, &etags).await;
                }
                let load = report::loadavg();
                let duration = Duration::from_secs(if s.name == "mixed" { mixed_secs } else { secs });
                let run = compare::run(&server, &bare, &s, duration, rounds).await;
                let o = &run.jury;
                if let (Some(b), Some(ratio)) = (&run.bare, run.ratio()) {
                    let (lo, hi) = run.ratio_range();
                    println!(
                        "{backend} {:<10} bare   {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {} {:?}  ratio {ratio:.2} ({lo:.2}–{hi:.2} over {rounds} rounds)",
                        s.name,
                        b.per_sec(),
                        b.p50_ms,
                        b.p99_ms,
                        b.errors,
                        b.failures,
                    );
                }
                println!(
                    "{backend} {:<10} {:>6} conns {:>8.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.1} ms  errors {} {:?}  peak RSS {:.1} MB  (load before {load})",
                    s.name,
                    s.connections,
                    o.per_sec(),
                    o.p50_ms,
                    o.p99_ms,
                    o.max_ms,
                    o.errors,
                    o.failures,
                    run.peak_rss_mb
                );
                section.rows.push(report::Row {
                    name: s.name,
                    what: s.what,
                    connections: s.connections,
                    load_before: load,
                    run,
                });
                // Let the WAL checkpoint and autovacuum settle between scenarios.
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            if wanted("soak") {
                println!("{backend}: soak, {} judges for {soak_secs} s…", soak::JUDGES);
                let s = soak::run(&server, &data, Duration::from_secs(soak_secs), think_ms).await;
                println!(
                    "{backend} soak: {} requests, {:.0}/s, p50 {:.2} ms, p99 {:.2} ms, errors {} {:?}; {} acknowledged writes over {} reviews, lost {}; RSS start {:.1} / peak {:.1} / end {:.1} MB",
                    s.outcome.requests,
                    s.outcome.per_sec(),
                    s.outcome.p50_ms,
                    s.outcome.p99_ms,
                    s.outcome.errors,
                    s.outcome.failures,
                    s.acknowledged,
                    s.checked,
                    s.lost,
                    s.rss_start_mb,
                    s.rss_peak_mb,
                    s.rss_end_mb
                );
                section.soak = Some((soak_secs, s));
            }
        });
        drop(server);
        drop(bare);
        drop(data);
        drop(pg);
        report.backends.push(section);
    }
    // The scenario table is rewritten only by a run of every scenario; the soak section by a soak.
    let all_scenarios = filter.as_ref().is_none_or(|f| f.iter().any(|s| s == "all"));
    report.print_and_write(all_scenarios, wanted("soak"));
}
