//! Rounds: the guards on their state changes, reminders at most once a day, and the automatic
//! assignment previewed, then applied, with panels across both regions.

use actix_web::http::Method;
use serde_json::json;

use crate::common::{TestApp, rubric};

#[actix_web::test]
async fn round_guards_and_reminders_once_a_day() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let res = app
        .post(&format!("/api/v1/contests/{contest}/rounds"))
        .by(&admin)
        .json(&json!({"name": {"en": "Final"}}))
        .await;
    let round = res.body["id"].as_i64().unwrap();
    let res = app
        .post(&format!("/api/v1/rounds/{round}/transition"))
        .by(&admin)
        .json(&json!({"to": "judging"}))
        .await;
    assert_eq!(res.code(), "no_rubric");
    app.req(Method::PUT, &format!("/api/v1/rounds/{round}/rubric"))
        .by(&admin)
        .json(&rubric())
        .await;
    let res = app
        .post(&format!("/api/v1/rounds/{round}/transition"))
        .by(&admin)
        .json(&json!({"to": "judging"}))
        .await;
    assert_eq!(res.code(), "no_entries");
    let res = app
        .post(&format!("/api/v1/rounds/{round}/transition"))
        .by(&admin)
        .json(&json!({"to": "published"}))
        .await;
    assert_eq!(res.code(), "invalid_transition");
    let bad = app
        .req(Method::PUT, &format!("/api/v1/rounds/{round}/rubric"))
        .by(&admin)
        .json(&json!({"criteria": [{"key": "Team!", "name": {}, "weight": 0, "min": 5, "max": 1}]}))
        .await;
    assert_eq!(bad.status, 422);
    for f in [
        "criteria.0.key",
        "criteria.0.name",
        "criteria.0.weight",
        "criteria.0.max",
    ] {
        assert!(bad.body["fields"][f].is_string(), "{f}: {}", bad.text);
    }

    let j = app.judging(&admin, 1, &["KR", "CN"], false).await;
    app.assign(&admin, j.round, &j.judges[0], j.applications[0].1)
        .await;
    app.assign(&admin, j.round, &j.judges[1], j.applications[0].1)
        .await;
    app.patch("/api/v1/me/judge-profile")
        .by(&j.judges[1])
        .json(&json!({"reminders": false}))
        .await;
    let first = app
        .post(&format!("/api/v1/rounds/{}/reminders", j.round))
        .by(&admin)
        .send()
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(
        (
            first.body["queued"].as_u64(),
            first.body["skipped"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let second = app
        .post(&format!("/api/v1/rounds/{}/reminders", j.round))
        .by(&admin)
        .send()
        .await;
    assert_eq!(second.body["queued"], 0, "one reminder per judge per day");
    let mails = app.deliver_mail().await;
    assert_eq!(
        mails
            .iter()
            .filter(|m| m.subject.contains("waiting"))
            .count(),
        1
    );
}

#[actix_web::test]
async fn auto_assignment_previews_then_applies_cross_border_panels() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app
        .judging(&admin, 4, &["KR", "CN", "KR", "CN"], false)
        .await;
    let url = format!("/api/v1/rounds/{}/assignments/auto", j.round);

    let preview = app
        .post(&url)
        .by(&admin)
        .json(&json!({"dry_run": true}))
        .await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    assert_eq!(
        preview.body["objective"]["reviews"], 8,
        "k = 2 for 4 applications"
    );
    assert_eq!(
        preview.body["objective"]["regions_covered"], 8,
        "every panel cross-border"
    );
    assert_eq!(preview.body["added"].as_array().unwrap().len(), 8);
    assert!(
        preview.body["explanations"][0]["text"]
            .as_str()
            .unwrap()
            .contains("seat")
    );
    let none = app
        .get(&format!("/api/v1/rounds/{}/assignments", j.round))
        .by(&admin)
        .await;
    assert_eq!(
        none.body.as_array().unwrap().len(),
        0,
        "a dry run writes nothing"
    );

    let applied = app.post(&url).by(&admin).json(&json!({})).await;
    assert_eq!(applied.status, 200, "{}", applied.text);
    let list = app
        .get(&format!("/api/v1/rounds/{}/assignments", j.round))
        .by(&admin)
        .await;
    let rows = list.body.as_array().unwrap();
    assert_eq!(rows.len(), 8);
    assert!(rows.iter().all(|r| r["source"] == "auto"));

    // A judge starts a review; a later run keeps it and changes nothing else.
    let mine = app.get("/api/v1/me/assignments").by(&j.judges[0]).await;
    let first = mine.body["items"][0]["assignment_id"].as_i64().unwrap();
    app.req(Method::PUT, &format!("/api/v1/assignments/{first}/review"))
        .by(&j.judges[0])
        .json(&json!({"scores": {"team": 3}}))
        .await;
    let again = app.post(&url).by(&admin).json(&json!({})).await;
    assert_eq!(
        again.body["added"].as_array().unwrap().len(),
        0,
        "{}",
        again.text
    );
    assert_eq!(again.body["removed"].as_array().unwrap().len(), 0);
    assert_eq!(again.body["locked"], 1);

    // Only administrators run it.
    assert_eq!(
        app.post(&url)
            .by(&j.judges[0])
            .json(&json!({}))
            .await
            .status,
        403
    );
}
