//! A judge's queue asked for without a copy, by a client that takes gzip, is answered from the
//! gzipped copy kept under its current ETag (`assignments::queue_cache`). What must hold: the
//! copy is the queue as it is now (after a review is submitted, the next answer shows it, under
//! a new tag), a judge never gets another judge's queue or another filter's, the bytes decode
//! to the JSON a client without gzip gets, and a revalidation still answers 304.

use std::io::Read;

use awc::http::header::HeaderMap;
use serde_json::{Value, json};

use crate::common::{TestApp, User};

/// The queue as a browser without a copy asks for it: status, headers, decoded JSON.
async fn queue_gzip(app: &TestApp, judge: &User, query: &str) -> (u16, HeaderMap, Value) {
    let mut res = app
        .client()
        .get(app.url(&format!("/api/v1/me/assignments{query}")))
        .bearer_auth(&judge.token)
        .insert_header(("accept-encoding", "gzip, deflate, br"))
        .send()
        .await
        .expect("queue");
    let bytes = res.body().limit(8 << 20).await.expect("body");
    let headers = res.headers().clone();
    let gzipped = headers
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        == Some("gzip");
    let mut text = String::new();
    if gzipped {
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .expect("gzip");
    } else {
        text = String::from_utf8_lossy(&bytes).to_string();
    }
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    assert!(gzipped, "a client that takes gzip gets gzip: {text}");
    (res.status().as_u16(), headers, body)
}

fn etag(h: &HeaderMap) -> String {
    h.get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_string()
}

#[actix_web::test]
async fn a_queue_without_a_copy_comes_from_the_kept_one_and_is_never_stale() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 3, &["KR", "CN"], false).await;
    let (judge, other) = (&j.judges[0], &j.judges[1]);
    let mut assignments = Vec::new();
    for (_, application) in &j.applications {
        let res = app.assign(&admin, j.round, judge, *application).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assignments.push(res.body["id"].as_i64().unwrap());
    }
    let res = app
        .assign(&admin, j.round, other, j.applications[0].1)
        .await;
    assert_eq!(res.status, 201, "{}", res.text);

    let (status, h1, first) = queue_gzip(&app, judge, "").await;
    assert_eq!(status, 200);
    assert_eq!(h1.get("vary").unwrap(), "accept-encoding");
    assert_eq!(h1.get("cache-control").unwrap(), "private, no-cache");
    assert_eq!(first["total"], 3);
    let (hits, kept) = (app.state.queues.stats().2, app.state.queues.stats().0);
    let (_, h2, second) = queue_gzip(&app, judge, "").await;
    assert_eq!(second, first);
    assert_eq!(etag(&h2), etag(&h1));
    assert_eq!(
        app.state.queues.stats().2,
        hits + 1,
        "answered from the copy"
    );
    assert_eq!(app.state.queues.stats().0, kept);

    // A client without gzip gets the same queue as JSON, under the same tag.
    let plain = app.get("/api/v1/me/assignments").by(judge).await;
    assert_eq!(plain.status, 200);
    assert_eq!(plain.body, first);
    assert_eq!(plain.header("etag"), Some(etag(&h1).as_str()));
    assert_eq!(plain.header("content-encoding"), None);

    // Another judge and another filter each have their own.
    let (_, ho, theirs) = queue_gzip(&app, other, "").await;
    assert_eq!(theirs["total"], 1);
    assert_ne!(etag(&ho), etag(&h1));
    let (_, hf, todo) = queue_gzip(&app, judge, "?status=submitted").await;
    assert_eq!(todo["items"], json!([]));
    assert_ne!(etag(&hf), etag(&h1));

    // Submitted: the next answer shows it, under a new tag, and the old tag no longer
    // revalidates.
    let submit = app
        .post(&format!(
            "/api/v1/assignments/{}/review/submit",
            assignments[0]
        ))
        .by(judge)
        .json(&json!({"scores": {"team": 4, "market": 3}, "comment_applicant": "Clear plan."}))
        .await;
    assert_eq!(submit.status, 200, "{}", submit.text);
    let (_, h3, after) = queue_gzip(&app, judge, "").await;
    assert_ne!(etag(&h3), etag(&h1));
    assert_eq!(after["submitted"], 1);
    let line = after["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["assignment_id"] == assignments[0])
        .expect("the submitted line");
    assert_eq!(line["review_status"], "submitted");
    let (_, _, submitted) = queue_gzip(&app, judge, "?status=submitted").await;
    assert_eq!(submitted["items"].as_array().unwrap().len(), 1);
    let revalidate = app
        .get("/api/v1/me/assignments")
        .by(judge)
        .header("if-none-match", &etag(&h1))
        .await;
    assert_eq!(revalidate.status, 200);
    let revalidate = app
        .get("/api/v1/me/assignments")
        .by(judge)
        .header("if-none-match", &etag(&h3))
        .await;
    assert_eq!(revalidate.status, 304);

    // A new summary shows at once too; a judge signed out everywhere gets nothing from a copy.
    let founder = &j.applications[1].0;
    let res = app
        .patch(&format!("/api/v1/applications/{}", j.applications[1].1))
        .by(founder)
        .json(&json!({"summary": "Batteries that tell the grid when to charge them."}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let (_, _, renamed) = queue_gzip(&app, judge, "").await;
    assert!(
        renamed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["summary"] == "Batteries that tell the grid when to charge them."),
        "{renamed}"
    );
    let out = app
        .post("/api/v1/auth/logout")
        .by(judge)
        .json(&json!({"all": true}))
        .await;
    assert!(out.status.is_success(), "{}", out.text);
    let res = app
        .client()
        .get(app.url("/api/v1/me/assignments"))
        .bearer_auth(&judge.token)
        .insert_header(("accept-encoding", "gzip"))
        .send()
        .await
        .expect("queue");
    assert_eq!(res.status(), 401);
}
