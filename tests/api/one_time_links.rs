//! One-time links die once a password is set (issue 17, items 1 and 2): a reset link older
//! than a successful reset, and a verification link older than the one used or than a
//! password change, are refused.

use chrono::Duration;
use jury::auth::tokens::{self, Purpose};
use serde_json::json;

use crate::common::{PASSWORD, TestApp, User, link_token};

/// Another unused link for the user, as a second "forgot password" or "resend" would mail.
async fn another_link(app: &TestApp, user: &User, purpose: Purpose) -> String {
    let id = user.id;
    app.db(move |c| tokens::create_one_time(c, purpose, Some(id), None, "{}", Duration::hours(1)))
        .await
}

async fn reset(app: &TestApp, token: &str, password: &str) -> (u16, String) {
    let res = app
        .post("/api/v1/auth/password/reset")
        .json(&json!({"token": token, "password": password}))
        .await;
    (res.status.as_u16(), res.code().to_string())
}

#[actix_web::test]
async fn an_older_reset_link_is_refused_after_a_later_one_was_used() {
    let app = TestApp::new().await;
    let user = app.applicant().await;
    app.post("/api/v1/auth/password/forgot")
        .json(&json!({"email": user.email}))
        .await;
    let mails = app.deliver_mail().await;
    let first = link_token(
        &mails.last().expect("reset mail").text,
        "/reset-password?token=",
    );
    let second = another_link(&app, &user, Purpose::PasswordReset).await;
    assert_eq!(reset(&app, &second, "a new long passphrase 1").await.0, 204);
    assert_eq!(
        reset(&app, &first, "the attacker's passphrase").await,
        (400, "invalid_reset_token".to_string())
    );
    // The password is the one the owner set.
    let res = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": user.email, "password": "a new long passphrase 1"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
}

#[actix_web::test]
async fn a_password_change_ends_unused_reset_and_verification_links() {
    let app = TestApp::new().await;
    let user = app.applicant().await;
    let reset_link = another_link(&app, &user, Purpose::PasswordReset).await;
    let verify_link = another_link(&app, &user, Purpose::VerifyEmail).await;
    let res = app
        .patch("/api/v1/me")
        .by(&user)
        .json(&json!({"current_password": PASSWORD, "new_password": "another long passphrase"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        reset(&app, &reset_link, "the attacker's passphrase").await,
        (400, "invalid_reset_token".to_string())
    );
    let res = app
        .post("/api/v1/auth/verify-email")
        .json(&json!({"token": verify_link}))
        .await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (400, "invalid_verification_token"),
        "an old verification link signs nobody in"
    );
}

#[actix_web::test]
async fn one_verification_link_used_ends_the_others() {
    let app = TestApp::new().await;
    let res = app
        .post("/api/v1/auth/register")
        .json(&json!({"email": "founder@xihu.example.cn", "password": "west lake robots 2026", "name": "王伟", "locale": "zh"}))
        .await;
    assert_eq!(res.status, 202, "{}", res.text);
    let mails = app.deliver_mail().await;
    let first = link_token(&mails[0].text, "/verify-email?token=");
    let id = app
        .db(|c| {
            use diesel::prelude::*;
            use jury::db::schema::users;
            Ok(users::table
                .filter(users::email.eq("founder@xihu.example.cn"))
                .select(users::id)
                .first::<i64>(c)?)
        })
        .await;
    let second = app
        .db(move |c| {
            tokens::create_one_time(
                c,
                Purpose::VerifyEmail,
                Some(id),
                None,
                "{}",
                Duration::hours(1),
            )
        })
        .await;
    let res = app
        .post("/api/v1/auth/verify-email")
        .json(&json!({"token": second}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app
        .post("/api/v1/auth/verify-email")
        .json(&json!({"token": first}))
        .await;
    assert_eq!(res.code(), "invalid_verification_token");
}
