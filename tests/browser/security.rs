//! Security in Chromium: hostile names show as plain text (no element injected, no script run),
//! an administrator ends a judge's sessions from the judges screen, and a password change signs
//! the other devices out while this browser carries on.

use serde_json::json;

use crate::common::webdriver::Browser;
use crate::common::{PASSWORD, TestApp};

const EVIL_NAME: &str = "<img src=x onerror=\"window.__pwned=1\">";
const EVIL_ORG: &str = "<script>window.__pwned=2</script>";

#[actix_web::test]
async fn hostile_names_are_shown_as_text_and_an_admin_ends_a_judges_sessions() {
    let Some(b) =
        Browser::start("hostile_names_are_shown_as_text_and_an_admin_ends_a_judges_sessions").await
    else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let judge = app.invited_judge(&admin, contest, "KR", "Fund A").await;
    let res = app
        .patch("/api/v1/me")
        .by(&judge)
        .json(&json!({"name": EVIL_NAME}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app
        .patch("/api/v1/me/judge-profile")
        .by(&judge)
        .json(&json!({"organization": EVIL_ORG}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    b.sign_in(
        &app.url(&format!("/login?next=/admin/contests/{contest}/judges")),
        &admin.email,
        &admin.password,
    )
    .await;
    let row = format!("#judges-table tr[data-judge='{}']", judge.id);
    b.wait_for(&row).await;
    let text = b.text(&row).await;
    assert!(text.contains(EVIL_NAME), "{text}");
    assert!(text.contains(EVIL_ORG), "{text}");
    let injected = b
        .exec(
            "return [document.querySelectorAll('main img, main script').length, window.__pwned === undefined]",
            json!([]),
        )
        .await;
    assert_eq!(
        injected,
        json!([0, true]),
        "no element injected, nothing ran"
    );
    b.screenshot("hostile-names").await;

    // End every session of that judge, after a confirmation.
    assert_eq!(app.get("/api/v1/me").by(&judge).await.status, 200);
    b.click(&format!("{row} .end-sessions")).await;
    b.wait_for("dialog").await;
    let body = b.text("dialog p").await;
    assert!(
        body.contains(EVIL_NAME) && body.contains("every device"),
        "{body}"
    );
    b.click("dialog .btn-danger").await;
    b.wait_until(
        "a confirmation toast",
        "return [...document.querySelectorAll('#toasts .toast')].some((e) => e.textContent.includes('signed out everywhere'))",
    )
    .await;
    assert_eq!(app.get("/api/v1/me").by(&judge).await.status, 401);
    let res = app
        .post("/api/v1/auth/refresh")
        .header("x-jury-csrf", "1")
        .cookie(judge.refresh.as_deref().unwrap())
        .send()
        .await;
    assert_eq!(res.status, 401);
    assert_eq!(
        b.exec("return window.__pwned === undefined", json!([]))
            .await,
        json!(true)
    );
    let errors = b.unexpected_console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    b.quit().await;
}

#[actix_web::test]
async fn a_password_change_signs_out_the_other_devices_and_this_one_carries_on() {
    let Some(b) =
        Browser::start("a_password_change_signs_out_the_other_devices_and_this_one_carries_on")
            .await
    else {
        return;
    };
    let app = TestApp::new().await;
    let phone = app.applicant().await;

    b.sign_in(
        &app.url("/login?next=/account/password"),
        &phone.email,
        PASSWORD,
    )
    .await;
    b.wait_for("[data-screen=password] #password-form").await;
    assert_eq!(
        b.exec(
            "return document.querySelector('#password-end-others').checked",
            json!([])
        )
        .await,
        json!(true),
        "signing the others out is the default"
    );
    b.fill("#password-current", "not my password").await;
    b.fill("#password-new", "a new phrase for 2026").await;
    b.click("#password-save").await;
    b.wait_for("#password-current[aria-invalid=true]").await;

    b.fill("#password-current", PASSWORD).await;
    b.click("#password-save").await;
    b.wait_until(
        "a confirmation toast",
        "return [...document.querySelectorAll('#toasts .toast')].some((e) => e.textContent.includes('other devices have been signed out'))",
    )
    .await;
    assert_eq!(
        app.get("/api/v1/me").by(&phone).await.status,
        401,
        "the other device is out"
    );

    // A full reload restores this browser's session from its fresh refresh cookie.
    b.goto(&app.url("/notifications")).await;
    b.wait_for("[data-screen=notifications]").await;
    assert_eq!(b.text("#whoami").await, "Min Applicant");
    app.login(&phone.email, "a new phrase for 2026").await;
    let errors: Vec<String> = b
        .unexpected_console_errors()
        .await
        .into_iter()
        .filter(|e| {
            !e.contains(
                "/api/v1/me - Failed to load resource: the server responded with a status of 422",
            )
        })
        .collect();
    assert!(
        errors.is_empty(),
        "only the wrong password's 422: {errors:?}"
    );
    b.quit().await;
}
