//! "Reviews assigned" mail follows each judge's set of entries, not its size: a swap that
//! keeps the count is told once, and a run that changes nothing tells nobody.

use serde_json::json;

use crate::common::{TestApp, User};

/// The "reviews assigned" mails sent so far to the judge.
async fn told(app: &TestApp, judge: &User) -> usize {
    app.deliver_mail()
        .await
        .iter()
        .filter(|m| m.to == judge.email && m.subject.contains("applications to review"))
        .count()
}

#[actix_web::test]
async fn a_swap_that_keeps_the_count_is_told_once() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app
        .judging(&admin, 2, &["KR", "CN", "KR", "CN"], false)
        .await;
    let url = format!("/api/v1/rounds/{}/assignments/auto", j.round);
    let res = app.post(&url).by(&admin).json(&json!({})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let list = app
        .get(&format!("/api/v1/rounds/{}/assignments", j.round))
        .by(&admin)
        .await;
    // One entry each; the two Korean judges trade theirs.
    let (k0, k1) = (&j.judges[0], &j.judges[2]);
    let row = |judge: &User| {
        list.body
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["judge_id"] == judge.id)
            .map(|a| a["id"].as_i64().unwrap())
            .expect("one assignment each")
    };
    let (r0, r1) = (row(k0), row(k1));
    assert_eq!((told(&app, k0).await, told(&app, k1).await), (1, 1));

    let res = app
        .post(&format!("/api/v1/assignments/{r0}/move"))
        .by(&admin)
        .json(&json!({"judge_id": k1.id}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app
        .post(&format!("/api/v1/assignments/{r1}/move"))
        .by(&admin)
        .json(&json!({"judge_id": k0.id}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        told(&app, k0).await,
        2,
        "one entry before, another one now: one mail"
    );
    let k1_now = told(&app, k1).await;

    // Nothing changes: nobody hears anything.
    let res = app.post(&url).by(&admin).json(&json!({})).await;
    assert_eq!(res.body["added"], json!([]), "{}", res.text);
    assert_eq!(told(&app, k0).await, 2);
    assert_eq!(told(&app, k1).await, k1_now);
}
