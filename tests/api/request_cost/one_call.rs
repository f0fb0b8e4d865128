//! The judge queue, the scoring screen and the review routes check the sign-in inside their one
//! database call (`JudgeToken`) instead of a call of their own before it. What the extractor
//! refused, they still refuse: a signed-out token gets 401 even with a tag that would
//! revalidate, a save with it writes nothing, and other roles get 403 at once.

use actix_web::http::Method;
use serde_json::json;

use super::put_review;
use crate::common::TestApp;

#[actix_web::test]
async fn a_signed_out_judge_is_refused_inside_the_one_call_and_nothing_is_written() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR"], false).await;
    let judge = &j.judges[0];
    let (founder, application) = (&j.applications[0].0, j.applications[0].1);
    let res = app.assign(&admin, j.round, judge, application).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let assignment = res.body["id"].as_i64().unwrap();

    let queue = app.get("/api/v1/me/assignments").by(judge).await;
    assert_eq!(queue.status, 200, "{}", queue.text);
    let screen = format!("/api/v1/assignments/{assignment}");
    assert_eq!(app.get(&screen).by(judge).await.status, 200);
    let saved = put_review(&app, judge, assignment, json!({"scores": {"team": 3}})).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let tag = app
        .get("/api/v1/me/assignments")
        .by(judge)
        .await
        .header("etag")
        .expect("etag")
        .to_string();

    // Other roles are refused at once, as before; no token is 401.
    let path = format!("/api/v1/assignments/{assignment}/review");
    assert_eq!(
        app.get("/api/v1/me/assignments").by(&admin).await.status,
        403
    );
    assert_eq!(app.get(&path).by(founder).await.status, 403);
    assert_eq!(
        put_review(&app, founder, assignment, json!({"scores": {"team": 1}}))
            .await
            .status,
        403
    );
    assert_eq!(app.get("/api/v1/me/assignments").await.status, 401);
    assert_eq!(
        app.req(Method::PUT, &path).json(&json!({})).await.status,
        401
    );

    let res = app
        .post("/api/v1/auth/logout")
        .by(judge)
        .cookie(judge.refresh.as_deref().unwrap_or_default())
        .send()
        .await;
    assert!(res.status.is_success(), "{}", res.text);

    // The tag still names the queue as it is, but the token no longer opens it.
    let again = app
        .get("/api/v1/me/assignments")
        .by(judge)
        .header("if-none-match", &tag)
        .await;
    assert_eq!(again.status, 401, "{}", again.text);
    assert_eq!(again.code(), "invalid_token", "{}", again.text);
    assert_eq!(app.get(&path).by(judge).await.status, 401);
    assert_eq!(app.get(&screen).by(judge).await.status, 401);
    let refused = put_review(&app, judge, assignment, json!({"scores": {"team": 5}})).await;
    assert_eq!(refused.status, 401, "{}", refused.text);
    let submit = app
        .post(&format!("{path}/submit"))
        .by(judge)
        .json(&json!({"scores": {"team": 5, "market": 5}}))
        .await;
    assert_eq!(submit.status, 401, "{}", submit.text);

    // Signed in again, the judge finds the draft as it was saved before signing out.
    let back = app.login(&judge.email, &judge.password).await;
    let review = app.get(&path).by(&back).await;
    assert_eq!(review.status, 200, "{}", review.text);
    assert_eq!(review.body["status"], "draft", "{}", review.text);
    assert_eq!(review.body["scores"]["team"], 3, "{}", review.text);
}
