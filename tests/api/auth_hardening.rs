//! Security II findings of issue 17 found by an outside attacker against the demo: an unverified
//! sign-up holding a future judge's address (10), reset requests whose answer waits for
//! address-dependent work (11), one address in two Unicode spellings (12), access tokens that
//! outlive their session (13), and the public edges: `/metrics`, `/api/docs` and caching of
//! personal answers (14).

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use serde_json::json;

use crate::common::{PASSWORD, TestApp, link_token, use_postgres};

#[actix_web::test]
async fn an_unverified_sign_up_cannot_hold_a_future_judges_address() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let address = "seo-yeon@angels.example";
    let res = app
        .post("/api/v1/auth/register")
        .json(&json!({"email": address, "password": "the squatter's secret", "name": "Squatter"}))
        .await;
    assert_eq!(res.status, 202);
    let mails = app.deliver_mail().await;
    let verify = link_token(
        &mails.last().expect("verify mail").text,
        "/verify-email?token=",
    );

    let res = app
        .post(&format!("/api/v1/contests/{contest}/judges/invitations"))
        .by(&admin)
        .json(&json!({"judges": [{"email": address, "name": "Lee Seo-yeon", "region": "KR"}]}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["rows"][0]["status"], "invited", "{}", res.text);

    // The squatter keeps nothing: not the password, not the pending verification link.
    let res = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": address, "password": "the squatter's secret"}))
        .await;
    assert_eq!(res.code(), "invalid_credentials");
    let res = app
        .post("/api/v1/auth/verify-email")
        .json(&json!({"token": verify}))
        .await;
    assert_eq!(res.code(), "invalid_verification_token");

    // The mailbox's owner accepts the invitation and is the judge.
    let mails = app.deliver_mail().await;
    let invitation = mails
        .iter()
        .rev()
        .find(|m| m.to == address)
        .expect("invitation");
    let token = link_token(&invitation.text, "/accept-invitation?token=");
    let res = app
        .post("/api/v1/auth/invitations/accept")
        .json(&json!({"token": token, "password": PASSWORD}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let judge = app.login(address, PASSWORD).await;
    let me = app.get("/api/v1/me").by(&judge).await;
    assert_eq!(
        (me.body["role"].as_str(), me.body["name"].as_str()),
        (Some("judge"), Some("Lee Seo-yeon"))
    );
}

/// With the database's write lock held elsewhere, a reset request for a registered address
/// answers as promptly as one for an unknown address: the answer waits for no lookup, link or
/// mail. The link is queued once the lock is released.
#[actix_web::test]
async fn a_reset_request_answers_before_any_address_dependent_work() {
    let app = TestApp::new().await;
    let owner = app.applicant().await;
    let target = jury::db::Target::parse(&app.state.config.database_url).unwrap();
    let side = jury::db::pool(&target, 1, Duration::from_secs(5));
    let mut lock = jury::db::checkout(&side).unwrap();
    lock.batch_execute(if use_postgres() {
        "BEGIN; LOCK TABLE one_time_tokens, outbox IN EXCLUSIVE MODE;"
    } else {
        "BEGIN IMMEDIATE;"
    })
    .unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(2_500));
        lock.batch_execute("COMMIT;").unwrap();
    });
    for email in ["nobody-here@jury.test", owner.email.as_str()] {
        let started = Instant::now();
        let res = app
            .post("/api/v1/auth/password/forgot")
            .json(&json!({"email": email}))
            .await;
        assert_eq!(res.status, 202);
        assert!(
            started.elapsed() < Duration::from_millis(1_000),
            "{email}: {:?}",
            started.elapsed()
        );
    }
    release.join().unwrap();
    let mails = app.deliver_mail().await;
    let resets: Vec<_> = mails
        .iter()
        .filter(|m| m.text.contains("/reset-password?token="))
        .collect();
    assert_eq!(resets.len(), 1);
    assert_eq!(resets[0].to, owner.email);

    // The figure issue 17 measured (1.85 vs 2.21 ms), printed for the record.
    let mut times = [Vec::new(), Vec::new()];
    for i in 0..40 {
        let email = if i % 2 == 0 {
            "ghost@nowhere.kr"
        } else {
            owner.email.as_str()
        };
        let started = Instant::now();
        app.post("/api/v1/auth/password/forgot")
            .json(&json!({"email": email}))
            .await;
        times[i % 2].push(started.elapsed());
    }
    for t in &mut times {
        t.sort();
    }
    println!(
        "password/forgot median: unknown {:?}, known {:?}",
        times[0][times[0].len() / 2],
        times[1][times[1].len() / 2]
    );
}

#[actix_web::test]
async fn one_address_spelled_composed_or_decomposed_is_one_account() {
    let app = TestApp::new().await;
    let composed = "jos\u{e9}@startup.example";
    let decomposed = "JOSE\u{301}@startup.example";
    let register = |email: &'static str| {
        app.post("/api/v1/auth/register")
            .json(&json!({"email": email, "password": PASSWORD, "name": "José"}))
    };
    assert_eq!(register(composed).await.status, 202);
    // Signing in with the other spelling reaches that (not yet verified) account.
    let res = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": decomposed, "password": PASSWORD}))
        .await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (403, "email_not_verified")
    );
    // Registering the other spelling makes no second account.
    assert_eq!(register(decomposed).await.status, 202);
    let accounts = app
        .db(|c| {
            use diesel::prelude::*;
            use jury::db::schema::users;
            Ok(users::table.count().get_result::<i64>(c)?)
        })
        .await;
    assert_eq!(accounts, 1);
}

#[actix_web::test]
async fn ending_a_session_ends_its_access_tokens_at_once() {
    let app = TestApp::new().await;
    let user = app.applicant().await;
    let other_device = app.login(&user.email, PASSWORD).await;

    // Signing out with the cookie, as the browser does.
    let res = app
        .post("/api/v1/auth/logout")
        .by(&user)
        .cookie(user.refresh.as_deref().unwrap())
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 204);
    let res = app.get("/api/v1/me").by(&user).await;
    assert_eq!((res.status.as_u16(), res.code()), (401, "invalid_token"));
    assert_eq!(
        app.get("/api/v1/me").by(&other_device).await.status,
        200,
        "another session"
    );

    // Signing out with the bearer token alone, as an API client does.
    let res = app
        .post("/api/v1/auth/logout")
        .by(&other_device)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 204);
    assert_eq!(app.get("/api/v1/me").by(&other_device).await.status, 401);

    // A refresh token presented again after its rotation: the family is revoked, and the
    // access tokens issued to it with it.
    let session = app.login(&user.email, PASSWORD).await;
    let first = session.refresh.clone().unwrap();
    let res = app
        .post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(&first)
        .await;
    assert_eq!(res.status, 200);
    let rotated_token = res.body["access_token"].as_str().unwrap().to_string();
    app.db(|c| {
        use diesel::prelude::*;
        use jury::db::schema::refresh_tokens;
        diesel::update(refresh_tokens::table.filter(refresh_tokens::rotated_at.is_not_null()))
            .set(refresh_tokens::rotated_at.eq(jury::db::now() - chrono::Duration::minutes(1)))
            .execute(c)?;
        Ok(())
    })
    .await;
    let res = app
        .post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(&first)
        .await;
    assert_eq!(res.status, 401);
    for token in [session.token.as_str(), rotated_token.as_str()] {
        let res = app.get("/api/v1/me").bearer(token).await;
        assert_eq!((res.status.as_u16(), res.code()), (401, "invalid_token"));
    }
}

#[actix_web::test]
async fn metrics_answer_the_token_holder_or_this_machine_only() {
    let token = "a-metrics-token-of-some-length";
    let app = TestApp::with_config(|c| c.metrics_token = Some(token.into())).await;
    assert_eq!(app.get("/metrics").await.status, 401);
    assert_eq!(
        app.get("/metrics")
            .bearer("a-wrong-token-of-some-length")
            .await
            .status,
        401
    );
    let res = app.get("/metrics").bearer(token).await;
    assert_eq!(res.status, 200);
    assert!(res.text.contains("jury_db_pool_max"));

    // Without a token: a scraper on this machine, not a client a local proxy forwards.
    let app = TestApp::new().await;
    assert_eq!(app.get("/metrics").await.status, 200);
    let res = app
        .get("/metrics")
        .header("x-forwarded-for", "203.0.113.9")
        .await;
    assert_eq!((res.status.as_u16(), res.code()), (403, "forbidden"));
}

#[actix_web::test]
async fn the_docs_address_without_its_slash_redirects() {
    let app = TestApp::new().await;
    let res = app.get("/api/docs").await;
    assert_eq!(res.status, 308);
    assert_eq!(res.header("location"), Some("/api/docs/"));
    assert_eq!(app.get("/api/docs/").await.status, 200);
}

#[actix_web::test]
async fn signed_in_answers_are_never_stored_by_a_cache() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let founder = app.applicant().await;
    for (path, user) in [
        ("/api/v1/me", &founder),
        ("/api/v1/me/applications", &founder),
        ("/api/v1/contests", &admin),
        ("/api/v1/admin/outbox", &founder),
    ] {
        let res = app.get(path).by(user).await;
        assert_eq!(
            res.header("cache-control"),
            Some("no-store"),
            "{path}: {}",
            res.status
        );
    }
}
