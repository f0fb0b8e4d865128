//! A PostgreSQL connection used within the last `PROVEN_FOR` is handed out without the
//! `SELECT 1` check (issue 20). What that must not cost: a connection the server has ended
//! while it sat idle in the pool is replaced before anyone uses it, and one that has just
//! failed is checked before its next use, so a dead connection fails at most one request.

use std::time::{Duration, Instant};

use diesel::prelude::*;
use jury::db::{self, DbConn, PROVEN_FOR, Target};

use crate::common::{self, PgDatabase};

#[derive(QueryableByName)]
struct Pid {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pid: i32,
}

fn backend_pid(c: &mut DbConn) -> Result<i32, jury::error::AppError> {
    Ok(diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(c)?
        .pid)
}

/// Ends the server process behind a pooled connection, as a restart or an administrator's
/// `pg_terminate_backend` would, and waits until it is gone.
fn terminate(admin_url: &str, pid: i32) {
    let mut admin = jury::db::connect_pg(admin_url).expect("admin connection");
    diesel::sql_query(format!("SELECT pg_terminate_backend({pid})"))
        .execute(&mut admin)
        .expect("terminate");
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let alive: i64 = diesel::dsl::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            &format!("(SELECT COUNT(*) FROM pg_stat_activity WHERE pid = {pid})"),
        ))
        .get_result(&mut admin)
        .expect("pg_stat_activity");
        if alive == 0 {
            return;
        }
        assert!(Instant::now() < until, "backend {pid} did not end");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[actix_web::test]
async fn dead_pooled_connections_are_checked_before_reuse() {
    let Some(admin) = common::postgres_or_skip("dead_pooled_connections_are_checked_before_reuse")
    else {
        return;
    };
    let database = PgDatabase::create(&admin);
    let target = Target::parse(&database.url).expect("url");
    // One connection, so every call gets the same one unless the pool replaces it.
    let pool = db::pool(&target, 1, Duration::from_secs(2));

    // Idle for longer than PROVEN_FOR: checked on checkout, found dead, replaced.
    let first = db::run(&pool, backend_pid).await.expect("first use");
    terminate(&admin, first);
    tokio::time::sleep(PROVEN_FOR + Duration::from_millis(200)).await;
    let second = db::run(&pool, backend_pid)
        .await
        .expect("a connection idle past PROVEN_FOR is checked and replaced, not handed out dead");
    assert_ne!(second, first);

    // Used just now: handed out unchecked (unless ending it took longer than PROVEN_FOR), so
    // the one request that meets the dead connection may fail; the failure takes its proof
    // away, and the next request gets a checked, new connection.
    terminate(&admin, second);
    let third = match db::run(&pool, backend_pid).await {
        Err(_) => db::run(&pool, backend_pid)
            .await
            .expect("a connection that failed is checked before its next use"),
        Ok(pid) => pid,
    };
    assert_ne!(third, second, "the dead connection answered");

    // Ordinary use keeps one connection.
    for _ in 0..5 {
        assert_eq!(db::run(&pool, backend_pid).await.expect("reuse"), third);
    }
}
