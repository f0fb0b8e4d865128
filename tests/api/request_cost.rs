//! What issue 20 changed on the hot paths, checked for what they must still do: the judge's
//! queue revalidates with a 304 until anything it shows changes (a new assignment, a review
//! saved, the round's state, a conflict), `/me` answers from the one query the sign-in check
//! makes and still refuses what it refused, a review save still appends to the audit chain,
//! small bodies go out uncompressed while large ones are still gzipped, and the lean access
//! log still writes one line per request with its id, which errors inside it carry too.

use std::sync::{Arc, Mutex};

use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpResponse, test, web};
use serde_json::json;

use crate::common::{TestApp, User};

mod audit_race;
mod one_call;
mod one_statement;
mod queue_cache;
mod review_versions;

/// A judge's review save (PUT) with `body`.
async fn put_review(
    app: &TestApp,
    who: &User,
    assignment: i64,
    body: serde_json::Value,
) -> crate::common::Resp {
    app.req(
        Method::PUT,
        &format!("/api/v1/assignments/{assignment}/review"),
    )
    .by(who)
    .json(&body)
    .await
}

/// The queue's ETag now, asserting a full answer.
async fn tag(app: &TestApp, judge: &User) -> String {
    let res = app.get("/api/v1/me/assignments").by(judge).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.header("cache-control"), Some("private, no-cache"));
    res.header("etag").expect("queue etag").to_string()
}

/// The status of asking again with `held`.
async fn again(app: &TestApp, judge: &User, held: &str) -> u16 {
    let res = app
        .get("/api/v1/me/assignments")
        .by(judge)
        .header("if-none-match", held)
        .await;
    if res.status == 304 {
        assert!(res.text.is_empty(), "a 304 has no body");
        assert_eq!(res.header("etag"), Some(held));
    }
    res.status.as_u16()
}

#[actix_web::test]
async fn an_unchanged_queue_answers_304_until_anything_it_shows_changes() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 3, &["KR", "CN"], false).await;
    let (judge, other) = (&j.judges[0], &j.judges[1]);
    let (a0, a1, a2) = (
        j.applications[0].1,
        j.applications[1].1,
        j.applications[2].1,
    );
    let first = app.assign(&admin, j.round, judge, a0).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let assignment = first.body["id"].as_i64().unwrap();

    let t0 = tag(&app, judge).await;
    assert_eq!(again(&app, judge, &t0).await, 304);
    assert_eq!(again(&app, judge, "W/\"something-else\"").await, 200);
    // Another judge's tag never revalidates this judge's queue, and filters have their own.
    // A judge with nothing started yet (no stamp to read with the rounds) revalidates too.
    let before = tag(&app, other).await;
    assert_ne!(before, t0);
    assert_eq!(again(&app, other, &before).await, 304);
    let filtered = app
        .get("/api/v1/me/assignments?status=todo")
        .by(judge)
        .header("if-none-match", &t0)
        .await;
    assert_eq!(filtered.status, 200);

    // Another judge's work leaves this queue as it was, and changes theirs.
    assert_eq!(app.assign(&admin, j.round, other, a1).await.status, 201);
    assert_eq!(again(&app, judge, &t0).await, 304);
    assert_eq!(again(&app, other, &before).await, 200);

    // A new assignment.
    assert_eq!(app.assign(&admin, j.round, judge, a1).await.status, 201);
    assert_eq!(again(&app, judge, &t0).await, 200);
    let t1 = tag(&app, judge).await;

    // A review saved (a draft: the status the queue shows goes from none to draft). Saved
    // again, it is still a draft, and the queue shows no scores: still 304. Submitted: 200.
    let save = |scores: serde_json::Value| {
        app.req(
            Method::PUT,
            &format!("/api/v1/assignments/{assignment}/review"),
        )
        .by(judge)
        .json(&json!({ "scores": scores }))
    };
    assert_eq!(save(json!({"team": 3})).await.status, 200);
    assert_eq!(again(&app, judge, &t1).await, 200);
    let t2 = tag(&app, judge).await;
    assert_eq!(save(json!({"team": 4})).await.status, 200);
    assert_eq!(again(&app, judge, &t2).await, 304);
    let submit = app
        .post(&format!("/api/v1/assignments/{assignment}/review/submit"))
        .by(judge)
        .json(&json!({"scores": {"team": 4, "market": 3}, "comment_applicant": "Clear plan."}))
        .await;
    assert_eq!(submit.status, 200, "{}", submit.text);
    assert_eq!(again(&app, judge, &t2).await, 200);
    let t3 = tag(&app, judge).await;

    // The founder edits the summary the queue shows; the round is renamed.
    let founder = &j.applications[0].0;
    let res = app
        .patch(&format!("/api/v1/applications/{a0}"))
        .by(founder)
        .json(&json!({"summary": "A sharper one-line summary of what we do."}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(again(&app, judge, &t3).await, 200);
    let t3 = tag(&app, judge).await;
    let res = app
        .patch(&format!("/api/v1/rounds/{}", j.round))
        .by(&admin)
        .json(&json!({"name": {"en": "Screening, second look"}}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(again(&app, judge, &t3).await, 200);
    let t3 = tag(&app, judge).await;

    // A conflict declared on an assigned application takes it out of the open round.
    let res = app
        .post(&format!("/api/v1/contests/{}/conflicts", j.contest))
        .by(&admin)
        .json(&json!({"judge_id": judge.id, "application_id": a1, "reason": "co-founder"}))
        .await;
    assert!(res.status.is_success(), "{}", res.text);
    assert_eq!(again(&app, judge, &t3).await, 200);
    let t4 = tag(&app, judge).await;

    // The round's state: judging ends.
    assert_eq!(app.assign(&admin, j.round, judge, a2).await.status, 201);
    let t5 = tag(&app, judge).await;
    assert_ne!(t5, t4);
    let res = app
        .post(&format!("/api/v1/rounds/{}/transition", j.round))
        .by(&admin)
        .json(&json!({"to": "closed", "confirm": true}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(again(&app, judge, &t5).await, 200);
    let t6 = tag(&app, judge).await;
    assert_eq!(again(&app, judge, &t6).await, 304);
    let queue = app.get("/api/v1/me/assignments").by(judge).await;
    assert!(
        queue.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["round_state"] == "closed"),
        "{}",
        queue.text
    );
}

#[actix_web::test]
async fn me_answers_from_the_sign_in_check_and_still_refuses_what_it_must() {
    let app = TestApp::new().await;
    let judge = app.judge().await;
    let me = app.get("/api/v1/me").by(&judge).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["id"], judge.id);
    assert_eq!(me.body["email"], judge.email.as_str());
    assert_eq!(me.body["role"], "judge");
    assert_eq!(me.body["verified"], true);
    assert!(me.body["created_at"].as_str().is_some());

    // A change is seen by the next request: there is no copy to go stale.
    let res = app
        .patch("/api/v1/me")
        .by(&judge)
        .json(&json!({"name": "Dr. Seo Yeon", "locale": "ko"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let me = app.get("/api/v1/me").by(&judge).await;
    assert_eq!(me.body["name"], "Dr. Seo Yeon");
    assert_eq!(me.body["locale"], "ko");

    // Signed out: the same token is refused at once.
    let res = app
        .post("/api/v1/auth/logout")
        .by(&judge)
        .cookie(judge.refresh.as_deref().unwrap_or_default())
        .send()
        .await;
    assert!(res.status.is_success(), "{}", res.text);
    let me = app.get("/api/v1/me").by(&judge).await;
    assert_eq!(me.status, 401, "{}", me.text);
    assert_eq!(app.get("/api/v1/me").await.status, 401);
}

#[actix_web::test]
async fn small_bodies_go_out_as_they_are_and_large_ones_compressed() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let small = app.get("/healthz").header("accept-encoding", "gzip").await;
    assert_eq!(small.status, 200);
    assert_eq!(
        small.header("content-encoding"),
        None,
        "no identity mark leaks"
    );
    assert_eq!(small.body["status"], "ok");
    assert!(small.header("content-security-policy").is_some());
    let me = app
        .get("/api/v1/me")
        .by(&admin)
        .header("accept-encoding", "gzip")
        .await;
    assert_eq!(me.header("content-encoding"), None);
    assert_eq!(me.header("cache-control"), Some("no-store"));
    // The OpenAPI document is large: it is still gzipped.
    let res = app
        .client()
        .get(app.url("/api/openapi.json"))
        .insert_header(("accept-encoding", "gzip"))
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok()),
        Some("gzip")
    );
    // A large answer built per request (the applications list) is gzipped where it is made:
    // one body of known length, not a chunked stream, that decodes to the JSON.
    let j = app.judging(&admin, 3, &["KR"], false).await;
    let mut res = app
        .client()
        .get(app.url(&format!("/api/v1/contests/{}/applications", j.contest)))
        .bearer_auth(&admin.token)
        .insert_header(("accept-encoding", "gzip"))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("content-encoding").as_deref(), Some("gzip"));
    assert!(header("vary").is_some_and(|v| v.to_lowercase().contains("accept-encoding")));
    assert_eq!(header("transfer-encoding"), None);
    let length = header("content-length").expect("a length");
    let body = res.body().await.expect("body");
    assert_eq!(length, body.len().to_string());
    let mut json = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut json)
        .expect("gzip");
    let list: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert!(json.len() > 1024, "{json}");
    assert!(list.to_string().contains("Zenith Startup 2"), "{json}");
}

/// Log lines captured in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[actix_web::test]
async fn one_line_per_request_with_its_id_and_errors_carry_the_same_id() {
    let out = Captured::default();
    let sink = out.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .event_format(jury::web::log_format::Line)
        .fmt_fields(jury::web::log_format::Fields)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = test::init_service(
        App::new()
            .route(
                "/ok/{id}",
                web::get().to(|| async { HttpResponse::Ok().body("x") }),
            )
            .route(
                "/fail",
                web::get().to(|| async {
                    tracing::error!("request failed: internal");
                    HttpResponse::InternalServerError().finish()
                }),
            )
            .wrap(from_fn(jury::web::access_log::middleware)),
    )
    .await;
    // Other tests, on other threads, reach the access log's callsites first with no subscriber.
    // One of them may still be storing "never" for a callsite, from before `set_default`
    // registered this subscriber, when that registration has already set it; rebuilding now,
    // after both, leaves the interest this subscriber asks for (it failed once, 12-04).
    tracing::callsite::rebuild_interest_cache();
    let req = test::TestRequest::get()
        .uri("/ok/7?token=secret")
        .to_request();
    assert_eq!(test::call_service(&app, req).await.status(), 200);
    let req = test::TestRequest::get().uri("/fail").to_request();
    assert_eq!(test::call_service(&app, req).await.status(), 500);
    tracing::warn!("between requests");

    let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[3].contains(" WARN between requests") && !lines[3].contains("request{"),
        "an event outside a request carries no id: {text}"
    );
    let id = |line: &str| {
        line.split("request{id=")
            .nth(1)
            .and_then(|r| r.split('}').next())
            .map(str::to_string)
            .unwrap_or_else(|| panic!("no request id in {line}"))
    };
    assert!(lines[0].contains("INFO"), "{text}");
    assert!(
        lines[0].contains("method=GET path=/ok/7 status=200 ms="),
        "{text}"
    );
    assert!(!text.contains("secret"), "the query string is not logged");
    assert!(lines[1].contains("ERROR") && lines[1].contains("request failed"));
    assert!(lines[2].contains("path=/fail status=500"), "{text}");
    assert_eq!(
        id(lines[1]),
        id(lines[2]),
        "the error carries the request's id"
    );
    assert_ne!(id(lines[0]), id(lines[2]));
    assert_eq!(id(lines[0]).len(), 16);
}
