//! Personal data in Chromium: an applicant with a draft downloads their data and deletes the
//! account; an administrator sees a flagged deck on a withdrawn application and erases it.

use diesel::prelude::*;
use serde_json::json;

use crate::common::TestApp;
use crate::common::webdriver::Browser;

#[actix_web::test]
async fn export_delete_account_and_erase_in_the_browser() {
    let Some(b) = Browser::start("export_delete_account_and_erase_in_the_browser").await else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let draft = app.draft_application(&founder, contest).await;
    let up = app
        .upload(
            &founder,
            draft,
            "deck.pdf",
            jury::applications::pdf::sample("Draft"),
        )
        .await;
    assert_eq!(up.status, 201, "{}", up.text);

    // A withdrawn application with a deck that runs JavaScript, in a contest that is over.
    let (quitter, over, gone) = app.submitted_application(&admin).await;
    let js = b"%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >> endobj\n".to_vec();
    let mut flagged = jury::applications::pdf::sample("Flagged");
    flagged.splice(9..9, js[9..].iter().copied());
    let res = app.upload(&quitter, gone, "deck.pdf", flagged).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.body["flags"], json!(["javascript", "open_action"]));
    let res = app
        .post(&format!("/api/v1/applications/{gone}/withdraw"))
        .by(&quitter)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.close_window(&admin, over).await;

    // The applicant downloads their data, then deletes the account.
    b.sign_in(
        &app.url("/login?next=/account/data"),
        &founder.email,
        &founder.password,
    )
    .await;
    b.wait_for("[data-screen=my-data] #export-data").await;
    b.click("#export-data").await;
    b.wait_for("#export-status[data-state=done]").await;
    b.fill("#delete-password", &founder.password).await;
    b.click("#delete-account").await;
    b.wait_for("dialog").await;
    let consequence = b.text("dialog p").await;
    assert!(consequence.contains("1 draft"), "{consequence}");
    b.screenshot("privacy-delete-confirm").await;
    b.click("dialog .btn-danger").await;
    b.wait_for("[data-screen=home]").await;
    let uid = founder.id;
    let email: String = app
        .db(move |c| {
            use jury::db::schema::users;
            Ok(users::table.find(uid).select(users::email).first(c)?)
        })
        .await;
    assert_eq!(email, format!("deleted-{uid}@deleted.invalid"));

    // The administrator sees the flags and erases the withdrawn application.
    b.sign_in(
        &app.url(&format!("/login?next=/applications/{gone}")),
        &admin.email,
        &admin.password,
    )
    .await;
    b.wait_for("#deck-flags [data-flag=javascript]").await;
    b.click("#erase-application").await;
    b.wait_for("dialog").await;
    b.click("dialog .btn-danger").await;
    b.wait_for("#erased-banner").await;
    b.screenshot("privacy-erased").await;
    let view = app
        .get(&format!("/api/v1/applications/{gone}"))
        .by(&admin)
        .await;
    assert_eq!(view.body["company_name"], "[erased]");
    b.goto(&app.url(&format!("/admin/contests/{over}/applications")))
        .await;
    b.wait_for(&format!("tr[data-application='{gone}'] [data-erased]"))
        .await;

    let errors = b.unexpected_console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    b.quit().await;
}
