//! Sign-in, sessions and tokens: the attacks an account system must survive.

use jury::auth::jwt::Claims;
use serde_json::json;

use crate::common::{PASSWORD, TestApp};

mod setup;

#[actix_web::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let wrong = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": admin.email, "password": "not the password"}))
        .await;
    let unknown = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": "nobody@jury.test", "password": "not the password"}))
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.code(), "invalid_credentials");
    assert!(wrong.refresh_cookie().is_none());
}

#[actix_web::test]
async fn login_is_case_insensitive_and_sets_a_strict_http_only_cookie() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let res = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": admin.email.to_uppercase(), "password": PASSWORD}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["user"]["role"], "admin");
    assert_eq!(res.body["token_type"], "Bearer");
    let cookie = res.header("set-cookie").unwrap();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    let me = app
        .get("/api/v1/me")
        .bearer(res.body["access_token"].as_str().unwrap())
        .await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["email"], admin.email);
}

#[actix_web::test]
async fn missing_malformed_forged_and_expired_tokens_are_refused() {
    let app = TestApp::new().await;
    let admin = app.admin().await;

    let none = app.get("/api/v1/me").await;
    assert_eq!((none.status.as_u16(), none.code()), (401, "unauthorized"));

    let garbage = app.get("/api/v1/me").bearer("not.a.jwt").await;
    assert_eq!(
        (garbage.status.as_u16(), garbage.code()),
        (401, "invalid_token")
    );

    let other_key = jury::auth::jwt::Keys::new(b"some-other-secret-some-other-secret!", 600);
    let forged = other_key.issue(admin.id, "admin", 0, "s").unwrap();
    let res = app.get("/api/v1/me").bearer(&forged).await;
    assert_eq!((res.status.as_u16(), res.code()), (401, "invalid_token"));

    // alg "none": header and claims valid, no signature.
    let parts: Vec<&str> = admin.token.split('.').collect();
    let none_header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"; // {"alg":"none","typ":"JWT"}
    let unsigned = format!("{none_header}.{}.", parts[1]);
    let res = app.get("/api/v1/me").bearer(&unsigned).await;
    assert_eq!((res.status.as_u16(), res.code()), (401, "invalid_token"));

    let now = chrono::Utc::now().timestamp();
    let sid = app.state.keys.verify(&admin.token).expect("genuine").sid;
    let expired = app.state.keys.sign_claims(&Claims {
        sid,
        sub: admin.id.to_string(),
        role: "admin".into(),
        ver: 0,
        typ: "access".into(),
        iss: "jury".into(),
        aud: "jury-api".into(),
        iat: now - 7200,
        exp: now - 3600,
    });
    let res = app.get("/api/v1/me").bearer(&expired).await;
    assert_eq!((res.status.as_u16(), res.code()), (401, "token_expired"));
}

#[actix_web::test]
async fn a_disabled_users_token_stops_working_at_once() {
    let app = TestApp::new().await;
    let judge = app.judge().await;
    assert_eq!(app.get("/api/v1/me").by(&judge).await.status, 200);
    let id = judge.id;
    app.db(move |c| {
        use diesel::prelude::*;
        use jury::db::schema::users;
        diesel::update(users::table.find(id))
            .set(users::disabled_at.eq(Some(jury::db::now())))
            .execute(c)?;
        Ok(())
    })
    .await;
    let res = app.get("/api/v1/me").by(&judge).await;
    assert_eq!((res.status.as_u16(), res.code()), (401, "invalid_token"));
    let refresh = app
        .post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(judge.refresh.as_deref().unwrap())
        .send()
        .await;
    assert_eq!(refresh.status, 401);
    let login = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": judge.email, "password": PASSWORD}))
        .await;
    assert_eq!(
        (login.status.as_u16(), login.code()),
        (403, "account_disabled")
    );
}

#[actix_web::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let first = admin.refresh.clone().unwrap();

    let no_csrf = app.post("/api/v1/auth/refresh").cookie(&first).send().await;
    assert_eq!(
        (no_csrf.status.as_u16(), no_csrf.code()),
        (400, "csrf_header_missing")
    );

    let r1 = app
        .post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(&first)
        .send()
        .await;
    assert_eq!(r1.status, 200, "{}", r1.text);
    let second = r1.refresh_cookie().unwrap();
    assert_ne!(first, second);
    assert_eq!(
        app.get("/api/v1/me")
            .bearer(r1.body["access_token"].as_str().unwrap())
            .await
            .status,
        200
    );

    // Pretend the old cookie was stolen and is replayed after the grace window.
    app.db(|c| {
        use diesel::prelude::*;
        use jury::db::schema::refresh_tokens;
        diesel::update(refresh_tokens::table.filter(refresh_tokens::rotated_at.is_not_null()))
            .set(
                refresh_tokens::rotated_at.eq(Some(jury::db::now() - chrono::Duration::minutes(5))),
            )
            .execute(c)?;
        Ok(())
    })
    .await;
    let replay = app
        .post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(&first)
        .send()
        .await;
    assert_eq!(
        (replay.status.as_u16(), replay.code()),
        (401, "invalid_token")
    );
    // The legitimate successor dies with the family.
    let after = app
        .post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(&second)
        .send()
        .await;
    assert_eq!(after.status, 401);

    let audit = app.db(|c| jury::audit::recent(c, 10)).await;
    assert!(audit.iter().any(|e| e.action == "session.refresh_reuse"));
}

#[actix_web::test]
async fn a_second_use_inside_the_grace_window_is_refused_without_revoking() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let first = admin.refresh.clone().unwrap();
    let r1 = app
        .post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(&first)
        .send()
        .await;
    let second = r1.refresh_cookie().unwrap();
    let twin = app
        .post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(&first)
        .send()
        .await;
    assert_eq!(twin.status, 401);
    let ok = app
        .post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(&second)
        .send()
        .await;
    assert_eq!(
        ok.status, 200,
        "two tabs refreshing at once must not log the user out"
    );
}

#[actix_web::test]
async fn logout_ends_this_session_and_logout_all_ends_every_token() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let laptop = app.login(&admin.email, PASSWORD).await;

    let res = app
        .post("/api/v1/auth/logout")
        .by(&admin)
        .cookie(admin.refresh.as_deref().unwrap())
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 204);
    assert_eq!(res.refresh_cookie().as_deref(), Some(""));
    let dead = app
        .post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(admin.refresh.as_deref().unwrap())
        .send()
        .await;
    assert_eq!(dead.status, 401);
    assert_eq!(
        app.get("/api/v1/me").by(&laptop).await.status,
        200,
        "other device still in"
    );

    let res = app
        .post("/api/v1/auth/logout")
        .by(&laptop)
        .json(&json!({"all": true}))
        .await;
    assert_eq!(res.status, 204);
    assert_eq!(app.get("/api/v1/me").by(&laptop).await.status, 401);
    assert_eq!(app.get("/api/v1/me").by(&admin).await.status, 401);
    let dead = app
        .post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(laptop.refresh.as_deref().unwrap())
        .send()
        .await;
    assert_eq!(dead.status, 401);
}

#[actix_web::test]
async fn password_change_invalidates_old_tokens_and_mails_a_notice() {
    let app = TestApp::new().await;
    let judge = app.judge().await;
    let phone = app.login(&judge.email, PASSWORD).await;

    let wrong = app
        .patch("/api/v1/me")
        .by(&judge)
        .json(&json!({"current_password": "nope nope nope", "new_password": "a brand new secret"}))
        .await;
    assert_eq!(
        (wrong.status.as_u16(), wrong.code()),
        (422, "validation_failed")
    );
    assert_eq!(wrong.body["fields"]["current_password"], "incorrect");

    let short = app
        .patch("/api/v1/me")
        .by(&judge)
        .json(&json!({"current_password": PASSWORD, "new_password": "short"}))
        .await;
    assert_eq!(short.body["fields"]["new_password"], "too_short");

    let res = app
        .patch("/api/v1/me")
        .by(&judge)
        .json(&json!({"current_password": PASSWORD, "new_password": "a brand new secret"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let fresh = res.body["access_token"].as_str().unwrap().to_string();
    assert!(res.refresh_cookie().is_some_and(|c| !c.is_empty()));

    assert_eq!(app.get("/api/v1/me").by(&judge).await.status, 401);
    assert_eq!(app.get("/api/v1/me").by(&phone).await.status, 401);
    assert_eq!(app.get("/api/v1/me").bearer(&fresh).await.status, 200);
    let old_login = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": judge.email, "password": PASSWORD}))
        .await;
    assert_eq!(old_login.status, 401);
    app.login(&judge.email, "a brand new secret").await;

    let mails = app.deliver_mail().await;
    let notice = mails
        .iter()
        .find(|m| m.to == judge.email)
        .expect("password notice");
    assert!(notice.subject.contains("password"));
    assert!(notice.text.contains("http://jury.test/login"));
}
