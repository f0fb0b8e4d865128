//! The audience vote (issue 21): the organiser turns it on for a round, adds ticket codes or
//! uses verified email, opens and closes it; the audience votes once per ticket or address
//! without an account; the People's Choice is counted apart from the judges' ranking and
//! published by the organiser. Refusals have stable codes; the public endpoints are rate
//! limited per client.

use diesel::prelude::*;
use jury::db::schema::audience_tickets;
use serde_json::{Value, json};

use crate::common::{Judging, Resp, TestApp, User};

async fn setup(app: &TestApp, admin: &User, round: i64, mode: &str) -> Resp {
    app.req(
        actix_web::http::Method::PUT,
        &format!("/api/v1/rounds/{round}/audience-vote"),
    )
    .by(admin)
    .json(&json!({"mode": mode}))
    .await
}

pub(crate) async fn move_to(app: &TestApp, admin: &User, round: i64, to: &str) -> Resp {
    app.post(&format!("/api/v1/rounds/{round}/audience-vote/transition"))
        .by(admin)
        .json(&json!({"to": to}))
        .await
}

/// The vote's public key, from its page address.
pub(crate) fn key_of(vote: &Value) -> String {
    vote["vote_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string()
}

pub(crate) async fn ballot(app: &TestApp, key: &str, body: Value) -> Resp {
    app.post(&format!("/api/v1/votes/{key}/ballots"))
        .json(&body)
        .await
}

/// A round of two finalists with a ticket vote of three generated codes, open.
pub(crate) async fn open_ticket_vote(
    app: &TestApp,
    admin: &User,
) -> (Judging, String, Vec<String>) {
    let j = app.judging(admin, 2, &["KR"], false).await;
    let res = setup(app, admin, j.round, "tickets").await;
    assert_eq!(res.status, 200, "{}", res.text);
    let key = key_of(&res.body);
    let res = app
        .post(&format!("/api/v1/rounds/{}/audience-vote/tickets", j.round))
        .by(admin)
        .json(&json!({"generate": 3}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let codes: Vec<String> = res.body["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!((codes.len(), res.body["total"].as_i64()), (3, Some(3)));
    let res = move_to(app, admin, j.round, "open").await;
    assert_eq!(
        (res.status.as_u16(), res.body["state"].as_str()),
        (200, Some("open")),
        "{}",
        res.text
    );
    (j, key, codes)
}

#[actix_web::test]
async fn one_vote_per_ticket_unknown_tickets_refused_and_a_separate_peoples_choice() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (j, key, codes) = open_ticket_vote(&app, &admin).await;
    let (first, second) = (j.applications[0].1, j.applications[1].1);

    // Codes are stored hashed.
    let stored: Vec<String> = app
        .db(|c| {
            Ok(audience_tickets::table
                .select(audience_tickets::code_hash)
                .load(c)?)
        })
        .await;
    assert!(codes.iter().all(|c| !stored.contains(c)));

    // The public page lists the finalists with names and tracks, without an account.
    let page = app.get(&format!("/api/v1/votes/{key}")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert_eq!(page.body["state"], "open");
    assert_eq!(page.body["finalists"].as_array().unwrap().len(), 2);
    assert_eq!(page.body["finalists"][0]["track_name"]["ko"], "인공지능");

    // Typed loosely (lower case, no dash) it still counts; a second vote on it is refused.
    let typed = codes[0].replace('-', "").to_lowercase();
    let res = ballot(
        &app,
        &key,
        json!({"application_id": first, "ticket": typed}),
    )
    .await;
    assert_eq!(
        (res.status.as_u16(), res.body["status"].as_str()),
        (201, Some("counted")),
        "{}",
        res.text
    );
    let res = ballot(
        &app,
        &key,
        json!({"application_id": second, "ticket": codes[0]}),
    )
    .await;
    assert_eq!((res.status.as_u16(), res.code()), (409, "already_voted"));
    let res = ballot(
        &app,
        &key,
        json!({"application_id": first, "ticket": "ZZZZ-ZZZZ"}),
    )
    .await;
    assert_eq!((res.status.as_u16(), res.code()), (403, "unknown_ticket"));
    let res = ballot(
        &app,
        &key,
        json!({"application_id": 999_999, "ticket": codes[1]}),
    )
    .await;
    assert_eq!(
        res.body["fields"]["application_id"], "not_a_finalist",
        "{}",
        res.text
    );
    let res = ballot(
        &app,
        &key,
        json!({"application_id": second, "ticket": codes[1]}),
    )
    .await;
    assert_eq!(res.status, 201);

    // A tie, shown as such; the judges' results know nothing of it.
    let res = app
        .get(&format!("/api/v1/rounds/{}/audience-vote/result", j.round))
        .by(&admin)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["ballots"], 2);
    assert_eq!(res.body["tie"], true);
    assert_eq!(res.body["winners"].as_array().unwrap().len(), 2);
    assert_eq!(
        (
            res.body["finalists"][0]["rank"].as_i64(),
            res.body["finalists"][1]["rank"].as_i64()
        ),
        (Some(1), Some(1))
    );
    let judges = app
        .get(&format!("/api/v1/rounds/{}/results", j.round))
        .by(&admin)
        .await;
    assert!(
        !judges.text.contains("votes") && !judges.text.contains("peoples"),
        "{}",
        judges.text
    );

    // Not public until published, and only a closed vote is published.
    assert_eq!(
        app.get(&format!("/api/v1/votes/{key}/result")).await.status,
        404
    );
    let res = app
        .post(&format!("/api/v1/rounds/{}/audience-vote/publish", j.round))
        .by(&admin)
        .send()
        .await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (409, "invalid_transition")
    );
    assert_eq!(move_to(&app, &admin, j.round, "closed").await.status, 200);

    // A closed vote refuses ballots.
    let res = ballot(
        &app,
        &key,
        json!({"application_id": first, "ticket": codes[2]}),
    )
    .await;
    assert_eq!((res.status.as_u16(), res.code()), (409, "vote_not_open"));

    let res = app
        .post(&format!("/api/v1/rounds/{}/audience-vote/publish", j.round))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let public = app.get(&format!("/api/v1/votes/{key}/result")).await;
    assert_eq!(
        (public.status.as_u16(), public.body["ballots"].as_i64()),
        (200, Some(2))
    );
    // The display page's read.
    let round = j.round;
    let pc = app
        .db(move |c| jury::audience::service::peoples_choice(c, round))
        .await
        .expect("a vote");
    assert_eq!((pc.ballots, pc.tie), (2, true));

    // Every organiser step is audited.
    for action in [
        "audience_vote.configured",
        "audience_vote.tickets_added",
        "audience_vote.opened",
        "audience_vote.closed",
        "audience_vote.published",
    ] {
        let res = app
            .get(&format!("/api/v1/admin/audit?action={action}"))
            .by(&admin)
            .await;
        assert_eq!(
            res.body.as_array().map(Vec::len),
            Some(1),
            "{action}: {}",
            res.text
        );
        assert_eq!(res.body[0]["entity_id"], j.round.to_string());
    }
}

#[actix_web::test]
async fn uploaded_codes_mode_rules_and_opening_conditions() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR"], false).await;
    let none = app
        .get(&format!("/api/v1/rounds/{}/audience-vote", j.round))
        .by(&admin)
        .await;
    assert_eq!((none.status.as_u16(), &none.body), (200, &Value::Null));
    let res = setup(&app, &admin, j.round, "raffle").await;
    assert_eq!(res.body["fields"]["mode"], "unknown_mode");
    assert_eq!(setup(&app, &admin, j.round, "tickets").await.status, 200);
    // No tickets yet: it cannot open.
    let res = move_to(&app, &admin, j.round, "open").await;
    assert_eq!((res.status.as_u16(), res.code()), (409, "no_tickets"));
    let res = app
        .post(&format!("/api/v1/rounds/{}/audience-vote/tickets", j.round))
        .by(&admin)
        .json(&json!({"codes": ["hall-0001", "HALL0001", "hall-0002"]}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        (
            res.body["added"].as_i64(),
            res.body["duplicates"].as_i64(),
            res.body["codes"].as_array().map(Vec::len)
        ),
        (Some(2), Some(1), Some(0))
    );
    let res = move_to(&app, &admin, j.round, "open").await;
    assert_eq!(res.status, 200, "{}", res.text);
    let key = key_of(&res.body);
    // The mode is fixed once open.
    let res = setup(&app, &admin, j.round, "email").await;
    assert_eq!((res.status.as_u16(), res.code()), (409, "vote_started"));
    let res = ballot(
        &app,
        &key,
        json!({"application_id": j.applications[0].1, "ticket": "Hall 0002"}),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let res = ballot(&app, &key, json!({"application_id": j.applications[0].1})).await;
    assert_eq!(res.body["fields"]["ticket"], "required");
    assert_eq!(app.get("/api/v1/votes/not-a-key").await.status, 404);
}

#[actix_web::test]
async fn email_mode_verifies_the_address_with_a_one_time_link() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR"], false).await;
    let res = setup(&app, &admin, j.round, "email").await;
    let key = key_of(&res.body);
    // Not open yet.
    let res = app
        .post(&format!("/api/v1/votes/{key}/email"))
        .json(&json!({"email": "fan@audience.test"}))
        .await;
    assert_eq!((res.status.as_u16(), res.code()), (409, "vote_not_open"));
    assert_eq!(move_to(&app, &admin, j.round, "open").await.status, 200);

    let ask = |email: &'static str| {
        app.post(&format!("/api/v1/votes/{key}/email"))
            .json(&json!({"email": email, "locale": "ko"}))
    };
    assert_eq!(ask("Fan@Audience.test").await.status, 202);
    assert_eq!(ask("not an email").await.status, 422);
    let mails = app.deliver_mail().await;
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.to == "fan@audience.test")
        .expect("voting link mailed");
    assert!(
        mail.subject.contains("청중"),
        "in the asked language: {}",
        mail.subject
    );
    let token = crate::common::link_token(&mail.text, "#token=");

    // Without a token, or with a made-up one: refused.
    let res = ballot(
        &app,
        &key,
        json!({"application_id": j.applications[0].1, "token": "abc123"}),
    )
    .await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (400, "invalid_vote_link")
    );
    let res = ballot(
        &app,
        &key,
        json!({"application_id": j.applications[0].1, "token": token}),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.text);
    // The link is spent.
    let res = ballot(
        &app,
        &key,
        json!({"application_id": j.applications[1].1, "token": token}),
    )
    .await;
    assert_eq!(res.code(), "invalid_vote_link");
    // A second link for the same address votes no more.
    assert_eq!(ask("fan@audience.test").await.status, 202);
    let mails = app.deliver_mail().await;
    let again = crate::common::link_token(&mails.last().unwrap().text, "#token=");
    assert_ne!(again, token);
    let res = ballot(
        &app,
        &key,
        json!({"application_id": j.applications[1].1, "token": again}),
    )
    .await;
    assert_eq!((res.status.as_u16(), res.code()), (409, "already_voted"));
    let res = app
        .get(&format!("/api/v1/rounds/{}/audience-vote/result", j.round))
        .by(&admin)
        .await;
    assert_eq!(
        (res.body["ballots"].as_i64(), res.body["tie"].as_bool()),
        (Some(1), Some(false))
    );
    assert_eq!(res.body["winners"], json!([j.applications[0].1]));
}

#[actix_web::test]
async fn public_vote_endpoints_are_rate_limited_per_client() {
    let app = TestApp::with_config(|c| {
        c.rate_limits = jury::web::ratelimit::RateLimits {
            votes_per_ip_per_minute: 4,
            trusted_proxies: vec![jury::web::ratelimit::Cidr::parse("127.0.0.1").unwrap()],
            ..jury::web::ratelimit::RateLimits::off()
        }
    })
    .await;
    let admin = app.admin().await;
    let (j, key, _) = open_ticket_vote(&app, &admin).await;
    let guess = |ip: &'static str| {
        app.post(&format!("/api/v1/votes/{key}/ballots"))
            .header("x-forwarded-for", ip)
            .json(&json!({"application_id": j.applications[0].1, "ticket": "AAAA-AAAA"}))
    };
    for _ in 0..4 {
        assert_eq!(guess("203.0.113.9").await.code(), "unknown_ticket");
    }
    let res = guess("203.0.113.9").await;
    assert_eq!((res.status.as_u16(), res.code()), (429, "rate_limited"));
    assert!(res.header("retry-after").is_some());
    // Another phone is not held back.
    assert_eq!(guess("198.51.100.4").await.code(), "unknown_ticket");
}
