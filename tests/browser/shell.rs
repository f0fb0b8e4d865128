//! The product shell: first-admin setup, sign-in, language switching, sign-out.

use serde_json::json;

use crate::common::TestApp;
use crate::common::webdriver::Browser;

#[actix_web::test]
async fn setup_login_language_logout() {
    let Some(b) = Browser::start("setup_login_language_logout").await else {
        return;
    };
    let app = TestApp::new().await;
    let link = app.setup_link().await;

    b.goto(&app.url(&link)).await;
    b.wait_for("[data-screen=setup] #setup-name").await;
    b.fill("#setup-name", "Park Ji-won").await;
    b.fill("#setup-email", "admin@gsc.example").await;
    b.fill("#setup-password", "a long admin passphrase").await;
    b.fill("#setup-password2", "a different passphrase").await;
    b.click("form button[type=submit]").await;
    b.wait_for("#setup-password2[aria-invalid=true]").await;
    b.fill("#setup-password2", "a long admin passphrase").await;
    b.click("form button[type=submit]").await;
    b.wait_for("[data-screen=home] [data-tile=judges]").await;
    assert_eq!(b.text("#whoami").await, "Park Ji-won");
    b.screenshot("shell-admin-en").await;

    // Korean, then Chinese: the page re-renders, <html lang> follows, the choice is stored.
    b.select("#lang-switch", "ko").await;
    b.wait_until(
        "Korean heading",
        "return document.querySelector('h1')?.textContent === '관리'",
    )
    .await;
    assert_eq!(
        b.exec("return document.documentElement.lang", json!([]))
            .await,
        "ko"
    );
    assert_eq!(b.text("#logout").await, "로그아웃");
    b.screenshot("shell-admin-ko").await;
    b.select("#lang-switch", "zh").await;
    b.wait_until(
        "Chinese heading",
        "return document.querySelector('h1')?.textContent === '管理'",
    )
    .await;
    assert_eq!(
        b.exec("return document.documentElement.lang", json!([]))
            .await,
        "zh-Hans"
    );

    // A reload keeps the session (refresh cookie) and the language (stored on the user).
    b.goto(&app.url("/")).await;
    b.wait_until(
        "session restored in Chinese",
        "return document.querySelector('[data-tile=judges] h3')?.textContent === '评委'",
    )
    .await;
    assert_eq!(
        b.exec("return document.documentElement.lang", json!([]))
            .await,
        "zh-Hans"
    );
    let stored = app
        .get("/api/v1/me")
        .by(&app
            .login("admin@gsc.example", "a long admin passphrase")
            .await)
        .await;
    assert_eq!(stored.body["locale"], "zh");
    b.screenshot("shell-admin-zh").await;

    // Phone width: nothing overflows sideways.
    b.set_window_size(360, 740).await;
    b.wait_until(
        "no horizontal overflow",
        "return document.documentElement.scrollWidth <= window.innerWidth + 1",
    )
    .await;
    b.screenshot("shell-admin-zh-360").await;
    b.set_window_size(1280, 900).await;

    b.click("#logout").await;
    b.wait_for("[data-screen=login] #login-email").await;
    b.goto(&app.url("/")).await;
    b.wait_for("[data-screen=home] a[href='/login']").await;

    // A wrong password shows the localized error; the right one signs in.
    b.goto(&app.url("/login")).await;
    b.fill("#login-email", "admin@gsc.example").await;
    b.fill("#login-password", "not the password").await;
    b.click("form button[type=submit]").await;
    b.wait_until("error shown", "const a = document.querySelector('.alert-error'); return !!a && !a.hidden && a.textContent.length > 0").await;
    assert_eq!(b.text(".alert-error").await, "邮箱或密码错误。");
    b.fill("#login-password", "a long admin passphrase").await;
    b.keys("\u{E007}").await;
    b.wait_for("[data-screen=home] [data-tile=audit]").await;
    b.click("#logout").await;
    b.wait_for("[data-screen=login]").await;

    let errors = b.console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| !e.contains("Content Security Policy") && !e.contains("Uncaught")),
        "page errors: {errors:?}"
    );
    b.quit().await;
}
