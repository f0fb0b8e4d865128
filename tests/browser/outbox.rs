//! The outbox, audit log and notifications in Chromium: the admin filters the outbox, previews
//! a template in Korean and checks the audit chain; an applicant sees the unread count on the
//! bell, opens the list, and the count clears.

use crate::common::TestApp;
use crate::common::webdriver::Browser;

#[actix_web::test]
async fn outbox_filter_preview_and_the_notification_bell() {
    let Some(b) = Browser::start("outbox_filter_preview_and_the_notification_bell").await else {
        return;
    };
    let app = TestApp::new().await;
    let demo = jury::demo::seed(&app.state, 24, 8).await.expect("seed");
    app.deliver_mail().await;

    b.sign_in(
        &app.url("/login?next=/admin/outbox"),
        &demo.admin_email,
        jury::demo::PASSWORD,
    )
    .await;
    b.wait_for("#outbox-table tbody tr[data-status=sent]").await;
    b.select("#outbox-status", "failed").await;
    b.wait_for("[data-screen=admin-outbox] .empty").await;
    b.select("#preview-template", "judge_invitation").await;
    b.select("#preview-locale", "ko").await;
    b.wait_until(
        "Korean subject",
        "return /[가-힣]/.test(document.querySelector('#preview-subject').textContent)",
    )
    .await;
    b.screenshot("outbox-preview").await;

    // The audit log: the chain checks out, and a filter finds the publications (one for each
    // regional preliminary).
    b.goto(&app.url("/admin/audit")).await;
    b.click("#audit-verify").await;
    b.wait_until(
        "the chain is intact",
        "return document.querySelector('#audit-verdict.alert-ok')?.textContent.includes('intact')",
    )
    .await;
    b.fill("#audit-action", "round.published").await;
    b.click("form.filters button[type=submit]").await;
    b.wait_until(
        "two publications",
        "return document.querySelectorAll('#audit-table > tbody > tr').length === 2",
    )
    .await;
    b.screenshot("audit").await;
    b.click("#logout").await;
    b.wait_for("[data-screen=login]").await;

    // The applicant got their result by mail: the bell shows it until the list is opened.
    b.fill("#login-email", &demo.applicant_email).await;
    b.fill("#login-password", jury::demo::PASSWORD).await;
    b.click("form button[type=submit]").await;
    b.wait_until(
        "an unread count",
        "const c = document.querySelector('#notif-count'); return c && !c.hidden && Number(c.textContent) >= 1",
    )
    .await;
    b.click("#notif-link").await;
    b.wait_for("[data-screen=notifications] [data-notification]")
        .await;
    b.wait_until(
        "count cleared",
        "return document.querySelector('#notif-count').hidden",
    )
    .await;
    let errors = b.unexpected_console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    b.quit().await;
}
