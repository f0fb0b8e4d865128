//! Rate limits: per client address (behind a trusted proxy, the forwarded address), per account,
//! the growing wait after failed sign-ins, and 10,000 failed sign-ins from one address.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use jury::web::ratelimit::{Cidr, RateLimits};
use serde_json::json;

use crate::common::{PASSWORD, Resp, TestApp};

fn strict(c: &mut jury::config::Config, limits: RateLimits) {
    c.rate_limits = RateLimits {
        trusted_proxies: vec![Cidr::parse("127.0.0.1").unwrap()],
        ..limits
    };
}

async fn login_from(app: &TestApp, ip: &str, email: &str, password: &str) -> Resp {
    app.post("/api/v1/auth/login")
        .header("x-forwarded-for", ip)
        .json(&json!({"email": email, "password": password}))
        .await
}

fn retry_after(res: &Resp) -> u64 {
    res.header("retry-after")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("Retry-After missing: {:?}", res.headers))
}

#[actix_web::test]
async fn one_client_is_throttled_per_endpoint_and_others_are_not() {
    let app = TestApp::with_config(|c| {
        strict(
            c,
            RateLimits {
                auth_per_ip_per_minute: 3,
                ..RateLimits::off()
            },
        )
    })
    .await;
    let admin = app.admin().await;

    for _ in 0..3 {
        let res = login_from(&app, "203.0.113.7", "nobody@jury.test", "wrong password").await;
        assert_eq!(res.status, 401);
    }
    let res = login_from(&app, "203.0.113.7", &admin.email, PASSWORD).await;
    assert_eq!((res.status.as_u16(), res.code()), (429, "rate_limited"));
    assert!((1..=20).contains(&retry_after(&res)), "{:?}", res.headers);
    assert!(
        res.body["message"].is_string(),
        "a JSON error like any other"
    );

    // Another client address, a spoofed one from an untrusted peer chain, and another endpoint.
    let res = login_from(&app, "198.51.100.20", &admin.email, PASSWORD).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = login_from(&app, "198.51.100.21, 203.0.113.7", &admin.email, PASSWORD).await;
    assert_eq!(
        res.status, 429,
        "the right-most untrusted address counts, not what the client prepends"
    );
    let res = app
        .post("/api/v1/auth/password/forgot")
        .header("x-forwarded-for", "203.0.113.7")
        .json(&json!({"email": admin.email}))
        .await;
    assert_eq!(res.status, 202, "each endpoint has its own bucket");
}

#[actix_web::test]
async fn every_sign_in_endpoint_answers_429() {
    let app = TestApp::with_config(|c| {
        strict(
            c,
            RateLimits {
                auth_per_ip_per_minute: 1,
                ..RateLimits::off()
            },
        )
    })
    .await;
    let endpoints = [
        (
            "/api/v1/auth/register",
            json!({"email": "x@startup.example", "password": PASSWORD, "name": "X"}),
        ),
        (
            "/api/v1/auth/verify-email/resend",
            json!({"email": "x@startup.example"}),
        ),
        (
            "/api/v1/auth/password/forgot",
            json!({"email": "x@startup.example"}),
        ),
        (
            "/api/v1/auth/password/reset",
            json!({"token": "00", "password": PASSWORD}),
        ),
        (
            "/api/v1/auth/invitations/accept",
            json!({"token": "00", "password": PASSWORD}),
        ),
        (
            "/api/v1/setup",
            json!({"token": "00", "name": "A", "email": "a@b.co", "password": PASSWORD}),
        ),
    ];
    for (path, body) in &endpoints {
        let first = app
            .post(path)
            .header("x-forwarded-for", "192.0.2.1")
            .json(body)
            .await;
        assert_ne!(first.status, 429, "{path}: {}", first.text);
        let second = app
            .post(path)
            .header("x-forwarded-for", "192.0.2.1")
            .json(body)
            .await;
        assert_eq!(
            (second.status.as_u16(), second.code()),
            (429, "rate_limited"),
            "{path}"
        );
        assert!(second.header("retry-after").is_some(), "{path}");
    }
}

#[actix_web::test]
async fn uploads_are_limited_per_hour() {
    let app = TestApp::with_config(|c| {
        strict(
            c,
            RateLimits {
                uploads_per_hour: 1,
                ..RateLimits::off()
            },
        )
    })
    .await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    let deck = jury::applications::pdf::sample("Deck");
    let first = app.upload(&founder, id, "deck.pdf", deck.clone()).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let second = app.upload(&founder, id, "deck.pdf", deck).await;
    assert_eq!(
        (second.status.as_u16(), second.code()),
        (429, "rate_limited")
    );
    assert!(
        retry_after(&second) > 60,
        "an hourly quota: {:?}",
        second.headers
    );

    let spec = app.get("/api/openapi.json").await;
    for path in [
        "/api/v1/auth/login",
        "/api/v1/auth/register",
        "/api/v1/applications/{id}/documents",
    ] {
        let op = &spec.body["paths"][path]["post"];
        assert!(op["responses"]["429"].is_object(), "{path} documents 429");
    }
}

#[actix_web::test]
async fn one_address_is_throttled_per_client_so_a_stranger_cannot_spend_the_owners_quota() {
    let app = TestApp::with_config(|c| {
        strict(
            c,
            RateLimits {
                account_per_minute: 3,
                ..RateLimits::off()
            },
        )
    })
    .await;
    let admin = app.admin().await;
    for _ in 0..3 {
        let res = login_from(
            &app,
            "192.0.2.1",
            &admin.email.to_uppercase(),
            "wrong password",
        )
        .await;
        assert_eq!(res.status, 401);
    }
    let res = login_from(&app, "192.0.2.1", &admin.email, PASSWORD).await;
    assert_eq!((res.status.as_u16(), res.code()), (429, "rate_limited"));
    let res = login_from(&app, "192.0.2.3", &admin.email, PASSWORD).await;
    assert_eq!(res.status, 200, "the owner's own client: {}", res.text);
    let other = app.judge().await;
    assert_eq!(
        login_from(&app, "192.0.2.1", &other.email, PASSWORD)
            .await
            .status,
        200
    );
}

#[actix_web::test]
async fn failed_sign_ins_wait_longer_each_time_for_known_and_unknown_addresses_alike() {
    let app = TestApp::with_config(|c| {
        strict(
            c,
            RateLimits {
                login_free_failures: 2,
                login_max_delay_secs: 900,
                ..RateLimits::off()
            },
        )
    })
    .await;
    let judge = app.judge().await;
    let known = judge.email.clone();
    let unknown = "nobody-here@jury.test".to_string();
    let ip = "192.0.2.9";

    // Two free failures, then a third that starts a 1 s wait.
    for _ in 0..3 {
        for email in [&known, &unknown] {
            let res = login_from(&app, ip, email, "wrong password").await;
            assert_eq!(
                (res.status.as_u16(), res.code()),
                (401, "invalid_credentials")
            );
        }
    }
    let mut waits = Vec::new();
    for expected in [1, 2, 4] {
        let (k, u) = (
            login_from(&app, ip, &known, PASSWORD).await,
            login_from(&app, ip, &unknown, PASSWORD).await,
        );
        assert_eq!(
            (k.status.as_u16(), k.code()),
            (429, "rate_limited"),
            "even the right password waits"
        );
        assert_eq!(u.status, 429);
        assert_eq!(
            k.body, u.body,
            "nothing tells a real account from an unknown one"
        );
        assert_eq!(retry_after(&k), retry_after(&u));
        assert_eq!(retry_after(&k), expected);
        waits.push(retry_after(&k));
        actix_web::rt::time::sleep(Duration::from_millis(expected * 1000 + 100)).await;
        if expected < 4 {
            for email in [&known, &unknown] {
                assert_eq!(
                    login_from(&app, ip, email, "wrong password").await.status,
                    401
                );
            }
        }
    }
    assert_eq!(waits, [1, 2, 4]);

    // After the wait the right password gets in, and that clears the count.
    let res = login_from(&app, ip, &known, PASSWORD).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = login_from(&app, ip, &known, "wrong password").await;
    assert_eq!(res.status, 401);
    let res = login_from(&app, ip, &known, PASSWORD).await;
    assert_eq!(res.status, 200, "one failure after a success is free again");
}

/// 10,000 failed sign-ins from one address, 50 at a time: after the first few every answer is a
/// cheap 429, while the health check and a sign-in from another address go straight through.
#[actix_web::test]
async fn ten_thousand_failed_sign_ins_from_one_address_are_throttled_and_the_server_stays_up() {
    let app = TestApp::with_config(|c| strict(c, RateLimits::default())).await;
    let judge = app.judge().await;
    let attacker = "203.0.113.66";

    // One client with a connection pool, as an attacker's script would use.
    let client = app.client();
    let url = app.url("/api/v1/auth/login");
    let started = Instant::now();
    let statuses: Vec<u16> = futures_util::stream::iter(0..10_000)
        .map(|i| {
            let req = client
                .post(&url)
                .insert_header(("x-forwarded-for", attacker))
                .send_json(&json!({"email": format!("guess{}@jury.test", i % 500), "password": format!("guess {i}")}));
            async move {
                let mut res = req.await.expect("the server answers");
                let _ = res.body().await;
                res.status().as_u16()
            }
        })
        .buffer_unordered(50)
        .collect()
        .await;
    let took = started.elapsed();
    let limited = statuses.iter().filter(|s| **s == 429).count();
    let refused = statuses.iter().filter(|s| **s == 401).count();
    println!(
        "10000 failed sign-ins from one address: {limited} answered 429, {refused} checked (401), in {:.2} s ({:.0}/s)",
        took.as_secs_f64(),
        10_000.0 / took.as_secs_f64()
    );
    assert_eq!(limited + refused, 10_000, "only 401 and 429: {statuses:?}");
    assert!(
        refused <= 25,
        "at most the per-minute quota reaches a password check: {refused}"
    );

    let t = Instant::now();
    assert_eq!(app.get("/healthz").await.status, 200);
    let res = login_from(&app, "198.51.100.5", &judge.email, PASSWORD).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    assert!(
        app.state.limits.tracked_keys() < 1_000,
        "bounded state: {}",
        app.state.limits.tracked_keys()
    );
}
