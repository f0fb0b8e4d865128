//! Several `jury serve` instances on one PostgreSQL database: started at the same moment on an
//! empty database (or during a rolling upgrade with a pending migration), every one of them
//! comes up; the schema is created once.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::common::{PgDatabase, postgres_or_skip};

#[test]
fn instances_started_together_on_an_empty_database_all_migrate() {
    let Some(admin) = postgres_or_skip("instances_started_together") else {
        return;
    };
    let db = PgDatabase::create(&admin);
    let target = jury::db::Target::parse(&db.url).expect("url");
    let starters = 4;
    let barrier = Arc::new(Barrier::new(starters));
    let runs: Vec<_> = (0..starters)
        .map(|_| {
            let (target, barrier) = (target.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                jury::db::migrate(&target).map_err(|e| e.to_string())
            })
        })
        .collect();
    let mut applied = Vec::new();
    for run in runs {
        let names = run.join().expect("migration thread");
        applied.extend(names.expect("every instance migrates without an error"));
    }
    // Whoever took the lock first applied everything; the others found nothing left to do.
    let mut unique = applied.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(applied.len(), unique.len(), "no migration applied twice");
    assert_eq!(
        unique.len(),
        std::fs::read_dir("migrations/postgres")
            .expect("migrations")
            .count(),
        "every migration applied once"
    );

    // The database is usable afterwards, and a later start finds nothing pending.
    assert!(jury::db::migrate(&target).expect("again").is_empty());
    let pool = jury::db::pool(&target, 1, Duration::from_secs(5));
    assert!(jury::db::checkout(&pool).is_ok());
}
