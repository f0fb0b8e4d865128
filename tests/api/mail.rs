//! The mail core against a real SMTP listener: what leaves the outbox, how it is encoded, and
//! what happens when the server refuses or is away.

use diesel::prelude::*;
use jury::db::schema::outbox;
use serde_json::json;

use crate::common::smtp::{Mode, SmtpServer};
use crate::common::{PASSWORD, TestApp};

async fn change_password(app: &TestApp, locale: &str) -> crate::common::User {
    let user = app.judge().await;
    app.patch("/api/v1/me")
        .by(&user)
        .json(&json!({"locale": locale}))
        .await;
    let res = app
        .patch("/api/v1/me")
        .by(&user)
        .json(&json!({"current_password": PASSWORD, "new_password": "another long secret"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    user
}

async fn statuses(app: &TestApp) -> Vec<(String, i32, Option<String>)> {
    app.db(|c| {
        Ok(outbox::table
            .order(outbox::id.asc())
            .select((outbox::status, outbox::attempts, outbox::last_error))
            .load(c)?)
    })
    .await
}

#[actix_web::test]
async fn korean_mail_reaches_a_real_smtp_server_encoded() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::with_smtp(&smtp.url()).await;
    let user = change_password(&app, "ko").await;
    app.deliver_mail().await;

    let got = smtp.received();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert!(m.to[0].contains(&user.email));
    let data = &m.data;
    // RFC 2047: a non-ASCII subject travels as an encoded word, never raw bytes.
    let subject = data.lines().find(|l| l.starts_with("Subject:")).unwrap();
    assert!(
        subject.contains("=?utf-8?") || subject.contains("=?UTF-8?"),
        "{subject}"
    );
    assert!(subject.is_ascii());
    assert!(data.contains("Message-ID: <"));
    assert!(data.contains("multipart/alternative"));
    assert!(data.to_ascii_lowercase().contains("charset=utf-8"));
    let parsed = mail_parser::MessageParser::default()
        .parse(data.as_bytes())
        .unwrap();
    assert!(parsed.subject().unwrap().contains("비밀번호"));
    let text = parsed.body_text(0).unwrap();
    assert!(text.contains("http://jury.test/login"), "{text}");
    assert!(text.contains("님, 안녕하세요"), "{text}");
    let html = parsed.body_html(0).unwrap();
    assert!(html.contains("href=\"http://jury.test/login\""), "{html}");
    assert_eq!(statuses(&app).await, vec![("sent".into(), 1, None)]);
}

#[actix_web::test]
async fn a_550_fails_at_once_and_a_451_is_retried_later() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::with_smtp(&smtp.url()).await;
    smtp.set_mode(Mode::Reject);
    change_password(&app, "en").await;
    app.deliver_mail().await;
    let s = statuses(&app).await;
    assert_eq!(s[0].0, "failed");
    assert_eq!(s[0].1, 1, "a permanent refusal is not retried");
    assert!(s[0].2.as_deref().unwrap_or_default().contains("550"));

    smtp.set_mode(Mode::Defer);
    change_password(&app, "zh").await;
    app.deliver_mail().await;
    let s = statuses(&app).await;
    assert_eq!(
        s[1].0, "pending",
        "a temporary refusal waits for its next attempt"
    );
    assert!(smtp.received().is_empty());

    // The server recovers; once the back-off has passed the message goes out.
    smtp.set_mode(Mode::Accept);
    app.db(|c| {
        diesel::update(outbox::table.filter(outbox::status.eq("pending")))
            .set(outbox::next_attempt_at.eq(jury::db::now()))
            .execute(c)?;
        Ok(())
    })
    .await;
    app.deliver_mail().await;
    assert_eq!(statuses(&app).await[1].0, "sent");
    assert_eq!(smtp.received().len(), 1);
}

#[actix_web::test]
async fn smtp_down_keeps_mail_pending_and_a_stall_times_out() {
    // Nothing listens on this port: connection refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = TestApp::with_smtp(&format!("smtp://127.0.0.1:{closed}")).await;
    change_password(&app, "en").await;
    app.deliver_mail().await;
    let s = statuses(&app).await;
    assert_eq!((s[0].0.as_str(), s[0].1), ("pending", 1));
    assert!(s[0].2.is_some());

    let smtp = SmtpServer::start().await;
    smtp.set_mode(Mode::Stall);
    let mut app = TestApp::with_smtp(&smtp.url()).await;
    let mut mailer = app.state.mailer.clone();
    mailer.send_timeout = std::time::Duration::from_millis(500);
    app.state.mailer = mailer;
    change_password(&app, "en").await;
    let started = std::time::Instant::now();
    app.deliver_mail().await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "send must not hang"
    );
    assert_eq!(statuses(&app).await[0].0, "pending");
}

#[actix_web::test]
async fn a_rolled_back_change_sends_nothing_and_a_duplicate_key_stores_one_row() {
    let app = TestApp::new().await;
    let mailer = app.state.mailer.clone();
    let result = jury::db::write(&app.state.db, move |c| {
        let out = |key: &str| jury::mail::Outgoing {
            key: key.to_string(),
            user_id: None,
            to: "someone@jury.test",
            to_name: "Someone",
            locale: "en",
            template: "setup_link",
            vars: vec![("link", "http://jury.test/setup".into())],
        };
        assert!(jury::mail::enqueue(c, &mailer, out("k1"))?);
        assert!(
            !jury::mail::enqueue(c, &mailer, out("k1"))?,
            "same key, no second row"
        );
        Err::<(), _>(jury::error::AppError::conflict(
            jury::error::ErrorCode::Conflict,
            "roll back",
        ))
    })
    .await;
    assert!(result.is_err());
    assert!(
        statuses(&app).await.is_empty(),
        "the rollback took the message with it"
    );
    assert!(app.deliver_mail().await.is_empty());
}
