//! Audited writes made at the same moment each chain onto the one before. On PostgreSQL the
//! lock that serialises appenders, the read of the chain's tail and the insert are one call
//! (`audit_append`, migration 19) whose hash the server computes in SQL from the entry's fields:
//! reviews submitted by two judges at once all land, and the chain verifies over every entry.

use crate::common::TestApp;
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
