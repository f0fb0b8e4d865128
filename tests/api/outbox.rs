//! Administrators see every email with its last error and can retry; users see their own
//! messages; the audit log is filterable and its chain checkable.

use serde_json::json;

use crate::common::smtp::{Mode, SmtpServer};
use crate::common::{PASSWORD, TestApp};

#[actix_web::test]
async fn failed_mail_is_listed_retried_and_delivered() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::with_smtp(&smtp.url()).await;
    let admin = app.admin().await;
    let judge = app.judge().await;
    smtp.set_mode(Mode::Reject);
    app.patch("/api/v1/me")
        .by(&judge)
        .json(&json!({"current_password": PASSWORD, "new_password": "another long secret"}))
        .await;
    app.deliver_mail().await;

    let failed = app
        .get("/api/v1/admin/outbox?status=failed")
        .by(&admin)
        .await;
    assert_eq!(failed.status, 200, "{}", failed.text);
    let row = &failed.body[0];
    assert_eq!(row["template"], "password_changed");
    assert!(row["last_error"].as_str().unwrap().contains("550"));
    let id = row["id"].as_i64().unwrap();
    assert_eq!(
        app.get("/api/v1/admin/outbox?status=bogus")
            .by(&admin)
            .await
            .status,
        422
    );
    assert_eq!(app.get("/api/v1/admin/outbox").by(&judge).await.status, 403);

    smtp.set_mode(Mode::Accept);
    assert_eq!(
        app.post(&format!("/api/v1/admin/outbox/{id}/retry"))
            .by(&admin)
            .send()
            .await
            .status,
        204
    );
    let again = app
        .post(&format!("/api/v1/admin/outbox/{id}/retry"))
        .by(&admin)
        .send()
        .await;
    assert_eq!(again.code(), "not_failed");
    app.deliver_mail().await;
    assert_eq!(smtp.received().len(), 1);
    let sent = app.get("/api/v1/admin/outbox?status=sent").by(&admin).await;
    assert_eq!(sent.body[0]["id"], id);

    let mine = app
        .get("/api/v1/me/notifications")
        .by(&app.login(&judge.email, "another long secret").await)
        .await;
    assert_eq!(mine.body[0]["template"], "password_changed");
    assert_eq!(
        app.get("/api/v1/me/notifications").by(&admin).await.body,
        json!([])
    );

    let audit = app
        .get("/api/v1/admin/audit?action=outbox.retry")
        .by(&admin)
        .await;
    assert_eq!(audit.body.as_array().unwrap().len(), 1);
    assert_eq!(audit.body[0]["actor_id"], admin.id);
    let chain = app.get("/api/v1/admin/audit/verify").by(&admin).await;
    assert_eq!(chain.body["intact"], true, "{}", chain.text);
    assert_eq!(app.get("/api/v1/admin/audit").by(&judge).await.status, 403);
}

/// Found by schemathesis: a page number near i64::MAX overflowed the offset and dropped the
/// connection. Every paged list answers an empty page instead.
#[actix_web::test]
async fn huge_page_numbers_give_an_empty_page() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let huge = "9223372036854775806";
    for path in [
        format!("/api/v1/admin/outbox?page={huge}"),
        format!("/api/v1/admin/audit?page={huge}"),
        format!("/api/v1/contests/{contest}/applications?page={huge}"),
    ] {
        let res = app.get(&path).by(&admin).await;
        assert_eq!(res.status, 200, "{path}: {}", res.text);
    }
}
