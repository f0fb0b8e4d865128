//! Self-service accounts: registration, verification, reset — without ever telling a stranger
//! whether an address is registered.

use serde_json::json;

use crate::common::TestApp;

fn link_token(text: &str, path: &str) -> String {
    let start = text
        .find(path)
        .unwrap_or_else(|| panic!("{path} not in {text}"))
        + path.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

#[actix_web::test]
async fn register_verify_and_sign_in() {
    let app = TestApp::new().await;
    let res = app
        .post("/api/v1/auth/register")
        .json(&json!({"email": "Founder@Startup.kr", "password": "my startup secret", "name": "김민준", "locale": "ko"}))
        .await;
    assert_eq!(res.status, 202, "{}", res.text);
    assert_eq!(res.body["status"], "check_your_email");

    let unverified = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": "founder@startup.kr", "password": "my startup secret"}))
        .await;
    assert_eq!(
        (unverified.status.as_u16(), unverified.code()),
        (403, "email_not_verified")
    );
    let wrong = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": "founder@startup.kr", "password": "not my secret!"}))
        .await;
    assert_eq!(
        wrong.code(),
        "invalid_credentials",
        "unverified status only after the right password"
    );

    let mails = app.deliver_mail().await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, "founder@startup.kr");
    assert!(
        mails[0].subject.contains("인증"),
        "Korean mail for a Korean user: {}",
        mails[0].subject
    );
    let token = link_token(&mails[0].text, "http://jury.test/verify-email?token=");

    let res = app
        .post("/api/v1/auth/verify-email")
        .json(&json!({"token": token}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["user"]["verified"], true);
    assert_eq!(res.body["user"]["role"], "applicant");
    let again = app
        .post("/api/v1/auth/verify-email")
        .json(&json!({"token": token}))
        .await;
    assert_eq!(
        (again.status.as_u16(), again.code()),
        (400, "invalid_verification_token")
    );

    app.login("founder@startup.kr", "my startup secret").await;
}

#[actix_web::test]
async fn a_duplicate_email_in_any_case_answers_the_same_and_mails_the_owner() {
    let app = TestApp::new().await;
    let body = |email: &str| json!({"email": email, "password": "my startup secret", "name": "Wang Fang", "locale": "zh"});
    let first = app
        .post("/api/v1/auth/register")
        .json(&body("wang@startup.cn"))
        .await;
    let second = app
        .post("/api/v1/auth/register")
        .json(&body("WANG@Startup.CN"))
        .await;
    assert_eq!(first.status, 202);
    assert_eq!((second.status, &second.body), (first.status, &first.body));
    let users = app
        .db(|c| {
            use diesel::prelude::*;
            use jury::db::schema::users;
            Ok(users::table
                .filter(users::email.eq("wang@startup.cn"))
                .count()
                .get_result::<i64>(c)?)
        })
        .await;
    assert_eq!(users, 1);
    let mails = app.deliver_mail().await;
    assert_eq!(mails.len(), 2);
    assert!(mails[1].subject.contains("已拥有"), "{}", mails[1].subject);
    assert!(mails[1].text.contains("http://jury.test/forgot-password"));
}

#[actix_web::test]
async fn registration_refuses_weak_and_common_passwords() {
    let app = TestApp::new().await;
    for (password, code) in [
        ("short", "too_short"),
        ("password123", "common_password"),
        ("qwer1234", "common_password"),
    ] {
        let res = app
            .post("/api/v1/auth/register")
            .json(&json!({"email": "a@b.co", "password": password, "name": "A"}))
            .await;
        assert_eq!(res.status, 422, "{password}");
        assert_eq!(res.body["fields"]["password"], code, "{password}");
    }
    let res = app
        .post("/api/v1/auth/register")
        .json(&json!({"email": "not-an-email", "password": "fine long secret", "name": "", "locale": "de"}))
        .await;
    assert_eq!(res.body["fields"]["email"], "invalid_email");
    assert_eq!(res.body["fields"]["name"], "required");
    assert_eq!(res.body["fields"]["locale"], "invalid_locale");
}

#[actix_web::test]
async fn password_reset_works_once_and_expires() {
    let app = TestApp::new().await;
    let user = app.applicant().await;

    let unknown = app
        .post("/api/v1/auth/password/forgot")
        .json(&json!({"email": "ghost@nowhere.kr"}))
        .await;
    let known = app
        .post("/api/v1/auth/password/forgot")
        .json(&json!({"email": user.email}))
        .await;
    assert_eq!((unknown.status, &unknown.body), (known.status, &known.body));
    assert_eq!(known.status, 202);
    // Pressing the button again within a minute sends nothing more.
    app.post("/api/v1/auth/password/forgot")
        .json(&json!({"email": user.email}))
        .await;

    let mails = app.deliver_mail().await;
    assert_eq!(mails.len(), 1, "one mail, only to the real account");
    let token = link_token(&mails[0].text, "http://jury.test/reset-password?token=");

    let weak = app
        .post("/api/v1/auth/password/reset")
        .json(&json!({"token": token, "password": "password1"}))
        .await;
    assert_eq!(weak.status, 422);
    let res = app
        .post("/api/v1/auth/password/reset")
        .json(&json!({"token": token, "password": "a fresh long secret"}))
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(
        app.get("/api/v1/me").by(&user).await.status,
        401,
        "old sessions end"
    );
    app.login(&user.email, "a fresh long secret").await;

    let reuse = app
        .post("/api/v1/auth/password/reset")
        .json(&json!({"token": token, "password": "yet another secret"}))
        .await;
    assert_eq!(
        (reuse.status.as_u16(), reuse.code()),
        (400, "invalid_reset_token")
    );

    // A link older than its hour is refused.
    app.db(|c| {
        use diesel::prelude::*;
        use jury::db::schema::outbox;
        diesel::delete(outbox::table).execute(c)?;
        Ok(())
    })
    .await;
    app.post("/api/v1/auth/password/forgot")
        .json(&json!({"email": user.email}))
        .await;
    let mails = app.deliver_mail().await;
    let token = link_token(
        &mails.last().unwrap().text,
        "http://jury.test/reset-password?token=",
    );
    app.db(|c| {
        use diesel::prelude::*;
        use jury::db::schema::one_time_tokens;
        diesel::update(one_time_tokens::table)
            .set(one_time_tokens::expires_at.eq(jury::db::now() - chrono::Duration::minutes(1)))
            .execute(c)?;
        Ok(())
    })
    .await;
    let expired = app
        .post("/api/v1/auth/password/reset")
        .json(&json!({"token": token, "password": "yet another secret"}))
        .await;
    assert_eq!(expired.code(), "invalid_reset_token");
}
