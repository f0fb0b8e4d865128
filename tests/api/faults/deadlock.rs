//! A PostgreSQL deadlock rolls one of the two transactions back whole. Migration 18's deferred
//! triggers can meet one at commit (two transactions restamping the same judges' queues in
//! opposite orders, neither serialized by the audit lock), so the victim's request must answer
//! 503 with Retry-After, which clients retry, not a 500.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use actix_web::ResponseError;
use diesel::prelude::*;
use jury::db::{self, Target};
use jury::error::AppError;

use crate::common::{self, PgDatabase};

#[actix_web::test]
async fn a_deadlock_victim_is_told_to_retry_not_an_internal_error() {
    let Some(admin) =
        common::postgres_or_skip("a_deadlock_victim_is_told_to_retry_not_an_internal_error")
    else {
        return;
    };
    let database = PgDatabase::create(&admin);
    let target = Target::parse(&database.url).expect("url");
    let pool = db::pool(&target, 2, Duration::from_secs(5));
    db::run(&pool, |c| {
        diesel::sql_query("CREATE TABLE stamps (id INT PRIMARY KEY, v INT NOT NULL)").execute(c)?;
        diesel::sql_query("INSERT INTO stamps VALUES (1, 0), (2, 0)").execute(c)?;
        Ok(())
    })
    .await
    .expect("table");

    // Each takes its first row, waits for the other to do the same, then asks for the other's.
    let barrier = Arc::new(Barrier::new(2));
    let restamp = |first: i32, second: i32| {
        let (pool, barrier) = (pool.clone(), barrier.clone());
        async move {
            db::run(&pool, move |c| {
                c.transaction::<_, AppError, _>(|c| {
                    let bump = "UPDATE stamps SET v = v + 1 WHERE id = $1";
                    diesel::sql_query(bump)
                        .bind::<diesel::sql_types::Integer, _>(first)
                        .execute(c)?;
                    barrier.wait();
                    diesel::sql_query(bump)
                        .bind::<diesel::sql_types::Integer, _>(second)
                        .execute(c)?;
                    Ok(())
                })
            })
            .await
        }
    };
    let (a, b) = futures_util::future::join(restamp(1, 2), restamp(2, 1)).await;
    let failed: Vec<AppError> = [a, b].into_iter().filter_map(Result::err).collect();
    assert_eq!(failed.len(), 1, "PostgreSQL ends exactly one of the two");
    let victim = &failed[0];
    assert!(
        matches!(victim, AppError::Unavailable(_)),
        "a deadlock is a retry, not a bug: {victim:?}"
    );
    let res = victim.error_response();
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));

    // The survivor's transaction committed whole and the victim's left nothing.
    let rows: Vec<(i32, i32)> = db::run(&pool, |c| {
        Ok(diesel::sql_query("SELECT id, v FROM stamps ORDER BY id")
            .load::<Row>(c)?
            .into_iter()
            .map(|r| (r.id, r.v))
            .collect())
    })
    .await
    .expect("rows");
    assert_eq!(rows, [(1, 1), (2, 1)]);
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    v: i32,
}
