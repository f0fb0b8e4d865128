//! The product shell in Chromium: first-admin setup, the role-aware home, language switching
//! (header, screen, `<html lang>`, kept on the user and across reloads), sign-out and sign-in,
//! session restore through the refresh cookie, protected deep links, the 404 screen, the
//! first-screen budget and the phone-width header.

use serde_json::{Value, json};

use crate::common::TestApp;
use crate::common::webdriver::{Browser, key};

const ADMIN_EMAIL: &str = "admin@gsc.example";
const ADMIN_PASSWORD: &str = "a long admin passphrase";

async fn html_lang(b: &Browser) -> Value {
    b.exec("return document.documentElement.lang", json!([]))
        .await
}

/// Nothing sticks out sideways (the page cannot be scrolled horizontally).
async fn assert_no_horizontal_overflow(b: &Browser, what: &str) {
    let widths = b
        .exec(
            "const h = document.querySelector('.topbar'); return [document.documentElement.scrollWidth, window.innerWidth, h.scrollWidth, h.clientWidth]",
            json!([]),
        )
        .await;
    let w: Vec<i64> = widths
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert!(
        w[0] <= w[1] && w[2] <= w[3],
        "{what}: horizontal overflow (page {} > viewport {} or header {} > {})",
        w[0],
        w[1],
        w[2],
        w[3]
    );
}

/// The cumulative layout shift since the page loaded (not counting shifts right after input).
async fn layout_shift(b: &Browser) -> f64 {
    b.execute_async(
        "const done = arguments[0]; let cls = 0;
         new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) cls += e.value; })
           .observe({type: 'layout-shift', buffered: true});
         setTimeout(() => done(cls), 300);",
        json!([]),
    )
    .await
    .as_f64()
    .unwrap()
}

/// Every interactive element of the header is at least 44 px tall (touch targets).
async fn assert_touch_targets(b: &Browser, what: &str) {
    let small = b
        .exec(
            "return [...document.querySelectorAll('.topbar a, .topbar button, .topbar select')]
               .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
               .map((e) => e.outerHTML.slice(0, 80))",
            json!([]),
        )
        .await;
    assert_eq!(small, json!([]), "{what}: touch targets under 44 px");
}

#[actix_web::test]
async fn setup_login_language_logout() {
    let Some(b) = Browser::start("setup_login_language_logout").await else {
        return;
    };
    let app = TestApp::new().await;

    // First visit, signed out: the welcome with a sign-in link, within the page budget.
    b.goto(&app.url("/")).await;
    b.wait_for("[data-screen=home] a[href='/login']").await;
    assert_eq!(
        html_lang(&b).await,
        "en",
        "first visit follows the browser (en-US)"
    );
    let bytes = b
        .exec(
            "return performance.getEntries().filter((e) => 'transferSize' in e).reduce((n, e) => n + e.transferSize, 0)",
            json!([]),
        )
        .await
        .as_i64()
        .unwrap();
    assert!(
        bytes > 0 && bytes < 100_000,
        "first screen transferred {bytes} bytes (budget 100 KB)"
    );
    let shift = layout_shift(&b).await;
    assert!(shift < 0.01, "layout shift on first load: {shift}");
    eprintln!("first screen: {bytes} bytes transferred, layout shift {shift}");

    // Keyboard: the first Tab reaches the skip link, Enter on it moves focus to the content
    // without re-rendering the page.
    b.keys(key::TAB).await;
    assert_eq!(
        b.exec("return document.activeElement.className", json!([]))
            .await,
        "skip"
    );
    b.keys(key::ENTER).await;
    assert_eq!(
        b.exec("return document.activeElement.id", json!([])).await,
        "main"
    );

    // A protected deep link while signed out goes to the sign-in form, remembering the way.
    b.goto(&app.url("/admin/contests")).await;
    b.wait_for("[data-screen=login] #login-email").await;
    assert!(
        b.current_url()
            .await
            .ends_with("/login?next=%2Fadmin%2Fcontests"),
        "{}",
        b.current_url().await
    );

    // The one-time setup link: a mismatched confirmation is caught beside the field.
    let link = app.setup_link().await;
    b.goto(&app.url(&link)).await;
    b.wait_for("[data-screen=setup] #setup-name").await;
    b.fill("#setup-name", "Park Ji-won").await;
    b.fill("#setup-email", ADMIN_EMAIL).await;
    b.fill("#setup-password", ADMIN_PASSWORD).await;
    b.fill("#setup-password2", "a different passphrase").await;
    b.click("form button[type=submit]").await;
    b.wait_for("#setup-password2[aria-invalid=true]").await;
    assert_eq!(
        b.text("#setup-password2-error").await,
        "The passwords do not match."
    );
    b.fill("#setup-password2", ADMIN_PASSWORD).await;
    b.click("form button[type=submit]").await;

    // Signed in on the administrator's home.
    b.wait_for("[data-screen=home] [data-tile=judges]").await;
    assert_eq!(b.text("h1").await, "Administration");
    assert_eq!(b.text("#whoami").await, "Park Ji-won");
    assert_eq!(b.text("#logout").await, "Sign out");
    assert_eq!(b.text(".topnav [aria-current=page]").await, "Dashboard");
    assert_touch_targets(&b, "admin header").await;
    b.screenshot("shell-admin-en").await;

    // Korean, then Chinese, chosen in the header's switcher: the screen and the header
    // re-render, <html lang> follows.
    b.select_option("#lang-switch", "ko").await;
    b.wait_until(
        "Korean heading",
        "return document.querySelector('h1')?.textContent === '관리'",
    )
    .await;
    assert_eq!(html_lang(&b).await, "ko");
    assert_eq!(b.text("#logout").await, "로그아웃");
    assert_eq!(b.text(".topnav [aria-current=page]").await, "대시보드");
    assert_eq!(b.text("[data-tile=judges] h3").await, "심사위원");
    b.screenshot("shell-admin-ko").await;

    b.select_option("#lang-switch", "zh").await;
    b.wait_until(
        "Chinese heading",
        "return document.querySelector('h1')?.textContent === '管理'",
    )
    .await;
    assert_eq!(html_lang(&b).await, "zh-Hans");
    assert_eq!(b.text("#logout").await, "退出登录");
    assert_eq!(b.text("[data-tile=judges] h3").await, "评委");

    // A reload keeps the session (refresh cookie) and the language, which is stored on the user.
    b.refresh().await;
    b.wait_until(
        "session restored in Chinese",
        "return document.querySelector('[data-tile=judges] h3')?.textContent === '评委'",
    )
    .await;
    assert_eq!(html_lang(&b).await, "zh-Hans");
    assert_eq!(b.value("#lang-switch").await, "zh");
    assert_eq!(b.text("#whoami").await, "Park Ji-won");
    let admin = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(app.get("/api/v1/me").by(&admin).await.body["locale"], "zh");
    b.screenshot("shell-admin-zh").await;

    // Dark mode (prefers-color-scheme) keeps text readable: dark page, light text.
    b.cdp(
        "Emulation.setEmulatedMedia",
        json!({"features": [{"name": "prefers-color-scheme", "value": "dark"}]}),
    )
    .await;
    let colors = b
        .exec(
            "const s = getComputedStyle(document.documentElement); return [s.backgroundColor, s.color]",
            json!([]),
        )
        .await;
    assert_eq!(colors, json!(["rgb(16, 21, 28)", "rgb(230, 233, 238)"]));
    b.keys(key::TAB).await;
    b.screenshot("shell-admin-zh-dark").await;
    b.cdp("Emulation.setEmulatedMedia", json!({"features": []}))
        .await;

    // Phone width: the header fits, nothing overflows sideways, targets stay 44 px.
    b.set_window_size(360, 740).await;
    b.wait_until("narrow layout", "return window.innerWidth <= 360")
        .await;
    // A slow network makes the session restore land after the first paint, as on a busy
    // machine: the header must already have the space the signed-in header takes.
    b.cdp("Network.enable", json!({})).await;
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 250, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await;
    b.refresh().await;
    b.wait_for("[data-screen=home] [data-tile=judges]").await;
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await;
    let shift = layout_shift(&b).await;
    assert!(
        shift < 0.01,
        "layout shift restoring the session at 360 px: {shift}"
    );
    eprintln!("restored session at 360 px: layout shift {shift}");
    assert_no_horizontal_overflow(&b, "admin home at 360 px").await;
    assert_touch_targets(&b, "admin header at 360 px").await;
    b.screenshot("shell-admin-zh-360").await;
    b.set_window_size(1280, 900).await;

    // Sign out: back to the sign-in form, still in Chinese (kept in this browser).
    b.click("#logout").await;
    b.wait_for("[data-screen=login] #login-email").await;
    assert_eq!(
        b.exec(
            "return ['#logout', '#whoami'].map((s) => getComputedStyle(document.querySelector(s)).display)",
            json!([])
        )
        .await,
        json!(["none", "none"]),
        "signed out: no name, no sign-out button"
    );
    assert_eq!(b.text("h1").await, "登录");
    b.refresh().await;
    b.wait_for("[data-screen=login] #login-email").await;
    assert_eq!(
        html_lang(&b).await,
        "zh-Hans",
        "the choice survives sign-out"
    );

    // An unknown address shows the 404 screen.
    b.goto(&app.url("/no/such/page")).await;
    b.wait_for("[data-screen=notfound] a[href='/']").await;
    assert_eq!(b.text("h1").await, "页面不存在");

    // A wrong password shows the localized error; the right one (submitted with Enter) signs in.
    b.goto(&app.url("/login")).await;
    b.fill("#login-email", ADMIN_EMAIL).await;
    b.fill("#login-password", "not the password").await;
    b.click("form button[type=submit]").await;
    b.wait_until(
        "error shown",
        "const a = document.querySelector('[role=alert]'); return !!a && !a.hidden && a.textContent.length > 0",
    )
    .await;
    assert_eq!(b.text("[role=alert]").await, "邮箱或密码错误。");
    b.screenshot("shell-login-error-zh").await;
    b.fill("#login-password", ADMIN_PASSWORD).await;
    b.keys(key::ENTER).await;
    b.wait_for("[data-screen=home] [data-tile=audit]").await;
    assert_eq!(b.text("#whoami").await, "Park Ji-won");

    // The session survives a reload (the refresh cookie, not storage, holds it; storage has
    // only the language and a "may have a session" hint, which holds no secret).
    b.refresh().await;
    b.wait_for("[data-screen=home] [data-tile=audit]").await;
    assert_eq!(
        b.exec("return localStorage.getItem('jury.session')", json!([]))
            .await,
        "1"
    );
    assert_eq!(
        b.exec(
            "return Object.keys(localStorage).concat(Object.keys(sessionStorage)).sort().join(',')",
            json!([])
        )
        .await,
        "jury.locale,jury.session",
        "no token in web storage"
    );

    // Signed out, a protected deep link returns to where it led after signing in.
    b.click("#logout").await;
    b.wait_for("[data-screen=login]").await;
    b.goto(&app.url("/admin/contests")).await;
    b.fill("#login-email", ADMIN_EMAIL).await;
    b.fill("#login-password", ADMIN_PASSWORD).await;
    b.click("form button[type=submit]").await;
    b.wait_for("[data-screen=admin-contests]").await;
    assert!(b.current_url().await.ends_with("/admin/contests"));
    b.click("#logout").await;
    b.wait_for("[data-screen=login]").await;

    // Signed out at phone width: the header still fits.
    b.set_window_size(360, 740).await;
    b.wait_until("narrow layout", "return window.innerWidth <= 360")
        .await;
    assert_no_horizontal_overflow(&b, "sign-in at 360 px").await;
    b.screenshot("shell-login-zh-360").await;

    let errors = b.console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| !e.contains("Content Security Policy") && !e.contains("Uncaught")),
        "page errors: {errors:?}"
    );
    b.quit().await;
}
