//! Audited writes made at the same moment each chain onto the one before. On PostgreSQL the
//! server stages an entry and a trigger chains it as the transaction commits (migrations 19
//! and 20), hashing in SQL what the server computed from the entry's fields: reviews submitted
//! by two judges at once all land, and the chain verifies over every entry.

use std::time::{Duration, Instant};

use crate::common::{self, TestApp};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use jury::audit::{self, Entry};
use jury::db::{DbConn, connect_pg};
use serde_json::json;

#[actix_web::test]
async fn reviews_submitted_at_once_each_chain_onto_the_one_before() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 8, &["KR", "CN"], false).await;
    let mut work = Vec::new();
    for judge in &j.judges[..2] {
        for (_, application) in &j.applications {
            let res = app.assign(&admin, j.round, judge, *application).await;
            assert_eq!(res.status, 201, "{}", res.text);
            work.push((judge, res.body["id"].as_i64().unwrap()));
        }
    }
    let before = app
        .db(jury::audit::verify_chain)
        .await
        .expect("chain intact");

    let submits = work.iter().enumerate().map(|(i, (judge, assignment))| {
        let fut = app
            .post(&format!("/api/v1/assignments/{assignment}/review/submit"))
            .by(judge)
            .json(&json!({"scores": {"team": 1 + i % 5, "market": i % 11}}));
        async move { (fut.await.status.as_u16(), i) }
    });
    let statuses = futures_util::future::join_all(submits).await;
    assert!(statuses.iter().all(|(s, _)| *s == 200), "{statuses:?}");

    let after = app.db(jury::audit::verify_chain).await;
    assert_eq!(
        after,
        Ok(before + work.len()),
        "one entry per submission, chained"
    );
    let entries = app.db(|c| jury::audit::recent(c, 100)).await;
    let submitted: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "review.submitted")
        .collect();
    assert_eq!(submitted.len(), work.len());
    assert!(
        submitted
            .iter()
            .all(|e| e.hash.len() == 64 && e.prev_hash.len() == 64),
        "hex SHA-256 links"
    );
}

/// At commit a transaction takes its queue stamps' row locks (migration 18) before the chain's
/// lock, even when it staged its audit entry before the write that restamps: so no two audited
/// transactions can each hold one of the two and wait for the other.
#[actix_web::test]
async fn a_commit_locks_its_queue_stamps_before_the_chain() {
    if !common::use_postgres() {
        eprintln!("SKIP in the SQLite pass: its writer thread holds one lock for everything");
        return;
    }
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR"], false).await;
    let judge = j.judges[0].id;
    let res = app
        .assign(&admin, j.round, &j.judges[0], j.applications[0].1)
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let assignment = res.body["id"].as_i64().unwrap();
    let before = app.db(audit::verify_chain).await.expect("chain intact");
    let url = app.state.config.database_url.clone();

    let probe = tokio::task::spawn_blocking(move || {
        // Someone else holds the chain's lock, so the writer's commit stops where it takes it.
        let mut holder = connect_pg(&url).unwrap();
        holder
            .batch_execute("BEGIN; SELECT pg_advisory_xact_lock(7352001);")
            .unwrap();
        let mut writer = connect_pg(&url).unwrap();
        let pid: i32 = diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>(
            "pg_backend_pid()",
        ))
        .get_result(&mut writer)
        .unwrap();
        let writing = std::thread::spawn(move || {
            let mut conn = DbConn::Pg(writer);
            let DbConn::Pg(pg) = &mut conn else {
                unreachable!()
            };
            pg.batch_execute("BEGIN").unwrap();
            audit::record(
                &mut conn,
                Entry {
                    actor_id: None,
                    action: "test.lock_order",
                    entity: "assignment",
                    entity_id: Some(assignment.to_string()),
                    details: json!({}),
                },
            )
            .unwrap();
            let DbConn::Pg(pg) = &mut conn else {
                unreachable!()
            };
            pg.batch_execute(&format!(
                "UPDATE assignments SET id = id WHERE id = {assignment}; COMMIT"
            ))
        });
        let mut watcher = connect_pg(&url).unwrap();
        let waiting = format!(
            "SELECT 1 FROM pg_locks WHERE pid = {pid} AND locktype = 'advisory' AND NOT granted"
        );
        let start = Instant::now();
        while diesel::sql_query(&waiting).execute(&mut watcher).unwrap() == 0 {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the commit never waited for the chain"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // While it waits for the chain, the writer must already hold its stamp.
        watcher.batch_execute("BEGIN").unwrap();
        let stamp = watcher.batch_execute(&format!(
            "SELECT 1 FROM queue_stamps WHERE judge_id = {judge} FOR UPDATE NOWAIT"
        ));
        watcher.batch_execute("ROLLBACK").unwrap();
        holder.batch_execute("COMMIT").unwrap();
        let committed = writing.join().unwrap();
        (
            stamp.map_err(|e| e.to_string()),
            committed.map_err(|e| e.to_string()),
        )
    })
    .await
    .unwrap();
    let (stamp, committed) = probe;
    assert!(
        stamp
            .as_ref()
            .is_err_and(|e| e.contains("could not obtain lock")),
        "the stamp was free while the commit waited for the chain: {stamp:?}"
    );
    assert_eq!(committed, Ok(()));
    assert_eq!(app.db(audit::verify_chain).await, Ok(before + 1));
}
