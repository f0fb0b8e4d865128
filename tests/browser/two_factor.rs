//! Two-factor sign-in in Chromium: with `JURY_REQUIRE_ADMIN_2FA` an administrator is sent from
//! the dashboard to the account screen's enrolment section, scans (reads) the key, confirms a
//! code, sees the recovery codes once, signs out and signs in again with a code.

use jury::auth::totp;

use crate::common::webdriver::Browser;
use crate::common::{PASSWORD, TestApp};

fn code(secret: &str, step: i64) -> String {
    totp::code_at(&totp::base32_decode(secret).expect("base32"), step)
}

fn now_step() -> i64 {
    totp::step_at(chrono::Utc::now().timestamp())
}

#[actix_web::test]
async fn an_admin_enrols_on_the_account_screen_and_signs_in_with_a_code() {
    let Some(b) =
        Browser::start("an_admin_enrols_on_the_account_screen_and_signs_in_with_a_code").await
    else {
        return;
    };
    let app = TestApp::with_config(|c| c.require_admin_2fa = true).await;
    let admin = app.admin().await;

    // Admin screens answer 403 two_factor_setup_required: the app moves to the enrolment.
    b.sign_in(
        &app.url("/login?next=/admin/contests"),
        &admin.email,
        PASSWORD,
    )
    .await;
    b.wait_for("[data-screen=account] #two-factor #twofa-required")
        .await;
    assert!(
        b.current_url()
            .await
            .contains("/account?required=1#two-factor")
    );

    b.fill("#twofa-setup-password", PASSWORD).await;
    b.click("#twofa-start").await;
    b.wait_for("#two-factor svg.qr path").await;
    let secret = b.text("#twofa-secret").await;
    assert_eq!(
        totp::base32_decode(&secret).map(|s| s.len()),
        Some(20),
        "{secret}"
    );
    b.screenshot("two-factor-enrol").await;
    b.fill("#twofa-enable-code", &code(&secret, now_step()))
        .await;
    b.click("#twofa-enable").await;
    b.wait_for("#twofa-codes").await;
    let shown = b
        .exec(
            "return document.querySelectorAll('#twofa-codes li').length",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(shown, 10);
    b.click("#twofa-codes-saved").await;
    b.wait_for("#two-factor[data-enabled=true] #twofa-disable")
        .await;

    // The admin screens answer now.
    b.goto(&app.url("/admin/contests")).await;
    b.wait_for("[data-screen=admin-contests]").await;
    b.sign_out().await;

    // Signing in again asks for the code after the password.
    b.fill("#login-email", &admin.email).await;
    b.fill("#login-password", PASSWORD).await;
    b.click("form button[type=submit]").await;
    b.wait_for("form[data-step=two-factor] #login-code").await;
    let attrs = b
        .exec(
            "const i = document.querySelector('#login-code'); return [i.autocomplete, i.inputMode, !!document.querySelector('#login-use-recovery')]",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(attrs, serde_json::json!(["one-time-code", "numeric", true]));
    b.fill("#login-code", &code(&secret, now_step() + 1)).await;
    b.click("form[data-step=two-factor] button[type=submit]")
        .await;
    b.wait_until(
        "signed in",
        "return !document.querySelector('#logout').hidden && !document.querySelector('[data-screen=login]')",
    )
    .await;

    // The only errors expected are the 403s that sent the admin to enrol.
    let errors: Vec<String> = b
        .unexpected_console_errors()
        .await
        .into_iter()
        .filter(|e| !e.contains("status of 403"))
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:?}");
    b.quit().await;
}
