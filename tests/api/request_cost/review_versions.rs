//! A save's UPDATE is one fixed statement (`reviews/update.rs`) that checks the version only when
//! the client sends one. Two tabs of one judge: the stale tab is refused with 409 and writes
//! nothing, a client that sends no version saves over whatever is stored, and an edit after
//! submission keeps the review submitted with its first submission time.

use serde_json::json;

use super::put_review;
use crate::common::TestApp;

#[actix_web::test]
async fn a_stale_tab_is_refused_and_a_save_without_a_version_goes_through() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR"], false).await;
    let judge = &j.judges[0];
    let res = app
        .assign(&admin, j.round, judge, j.applications[0].1)
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let assignment = res.body["id"].as_i64().unwrap();
    let review = format!("/api/v1/assignments/{assignment}/review");

    let first = put_review(
        &app,
        judge,
        assignment,
        json!({"scores": {"team": 2}, "version": 0}),
    )
    .await;
    assert_eq!(first.status, 200, "{}", first.text);
    let v = first.body["version"].as_i64().unwrap();

    // Both tabs loaded version v; the first to save wins.
    let a = put_review(
        &app,
        judge,
        assignment,
        json!({"scores": {"team": 4}, "version": v}),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.body["version"], v + 1);
    let b = put_review(
        &app,
        judge,
        assignment,
        json!({"scores": {"team": 5}, "comment_private": "from the stale tab", "version": v}),
    )
    .await;
    assert_eq!(
        (b.status.as_u16(), b.code()),
        (409, "edit_conflict"),
        "{}",
        b.text
    );
    let stored = app.get(&review).by(judge).await;
    assert_eq!(stored.body["scores"], json!({"team": 4}));
    assert_eq!(stored.body["comment_private"], "");
    assert_eq!(stored.body["version"], v + 1);

    // A client that sends no version saves over the stored one, and still bumps it.
    let blind = put_review(&app, judge, assignment, json!({"scores": {"market": 3}})).await;
    assert_eq!(blind.status, 200, "{}", blind.text);
    assert_eq!(blind.body["version"], v + 2);
    assert_eq!(blind.body["scores"], json!({"team": 4, "market": 3}));

    // A stale submit is refused too: the review stays a draft and nothing is audited.
    let stale = app
        .post(&format!("{review}/submit"))
        .by(judge)
        .json(&json!({"version": v}))
        .await;
    assert_eq!(
        (stale.status.as_u16(), stale.code()),
        (409, "edit_conflict")
    );
    assert_eq!(app.get(&review).by(judge).await.body["status"], "draft");
    let audit = app.db(|c| jury::audit::recent(c, 20)).await;
    assert!(!audit.iter().any(|e| e.action == "review.submitted"));

    let submitted = app
        .post(&format!("{review}/submit"))
        .by(judge)
        .json(&json!({"version": v + 2}))
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    assert_eq!(submitted.body["status"], "submitted");
    let at = submitted.body["submitted_at"].clone();
    assert!(at.is_string(), "{}", submitted.text);

    let edit = put_review(
        &app,
        judge,
        assignment,
        json!({"scores": {"team": 5}, "version": v + 3}),
    )
    .await;
    assert_eq!(edit.status, 200, "{}", edit.text);
    assert_eq!(edit.body["status"], "submitted");
    assert_eq!(
        edit.body["submitted_at"], at,
        "an edit keeps the first submission time"
    );
    assert_eq!(edit.body["version"], v + 4);
    let audit = app.db(|c| jury::audit::recent(c, 20)).await;
    assert!(audit.iter().any(|e| e.action == "review.edited"));
}
