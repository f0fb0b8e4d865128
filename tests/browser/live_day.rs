//! Pitch day in Chromium (issue 21): a member of the audience votes on a phone in Korean with
//! a ticket code (a mistyped code is refused in words, a second vote on the same ticket too),
//! and a judge signs in with the one-time link the organiser issued, which then no longer
//! works; the organiser sees it as used on the day-links screen.

use serde_json::json;

use crate::common::TestApp;
use crate::common::webdriver::Browser;

const HANGUL: &str = "/[\\uac00-\\ud7a3]/";

#[actix_web::test]
async fn the_audience_votes_on_a_phone_in_korean() {
    let Some(b) = Browser::start("the_audience_votes_on_a_phone_in_korean").await else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR"], false).await;
    let res = app
        .req(
            actix_web::http::Method::PUT,
            &format!("/api/v1/rounds/{}/audience-vote", j.round),
        )
        .by(&admin)
        .json(&json!({"mode": "tickets"}))
        .await;
    let url = res.body["vote_url"].as_str().unwrap().to_string();
    let path = &url[url.find("/vote/").unwrap()..];
    let res = app
        .post(&format!("/api/v1/rounds/{}/audience-vote/tickets", j.round))
        .by(&admin)
        .json(&json!({"generate": 2}))
        .await;
    let code = res.body["codes"][0].as_str().unwrap().to_string();
    let res = app
        .post(&format!(
            "/api/v1/rounds/{}/audience-vote/transition",
            j.round
        ))
        .by(&admin)
        .json(&json!({"to": "open"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    b.set_window_size(390, 844).await;
    b.goto(&app.url(path)).await;
    b.wait_for("#vote-form").await;
    b.select("#lang-switch", "ko").await;
    b.wait_until(
        "the vote page in Korean",
        &format!("return document.documentElement.lang === 'ko' && {HANGUL}.test(document.querySelector('h1').textContent) && !!document.querySelector('#vote-form')"),
    )
    .await;
    let first = j.applications[0].1;
    b.click(&format!("label.vote-choice[data-application='{first}']"))
        .await;
    b.fill("#vote-ticket", "ZZZZ-ZZZZ").await;
    b.click("#vote-submit").await;
    b.wait_until(
        "an unknown ticket refused in Korean",
        &format!("const a = document.querySelector('#vote-form .alert-error'); return a && !a.hidden && {HANGUL}.test(a.textContent)"),
    )
    .await;
    b.fill("#vote-ticket", &code.to_lowercase()).await;
    b.click("#vote-submit").await;
    b.wait_until(
        "thanked in Korean",
        &format!("const t = document.querySelector('#vote-thanks'); return t && {HANGUL}.test(t.textContent)"),
    )
    .await;
    b.wait_until(
        "nothing wider than the phone",
        "return document.documentElement.scrollWidth <= window.innerWidth",
    )
    .await;
    b.screenshot("audience-vote-ko-phone").await;

    // The same ticket again, from a fresh page: refused.
    b.refresh().await;
    b.wait_for("#vote-form").await;
    b.click(&format!(
        "label.vote-choice[data-application='{}']",
        j.applications[1].1
    ))
    .await;
    b.fill("#vote-ticket", &code).await;
    b.click("#vote-submit").await;
    b.wait_until(
        "a second vote refused",
        &format!("const a = document.querySelector('#vote-form .alert-error'); return a && !a.hidden && {HANGUL}.test(a.textContent)"),
    )
    .await;
    let result = app
        .get(&format!("/api/v1/rounds/{}/audience-vote/result", j.round))
        .by(&admin)
        .await;
    assert_eq!(result.body["ballots"], 1, "{}", result.text);
    assert_eq!(result.body["winners"], json!([first]));

    let errors = b.unexpected_console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| e.contains("the server responded with a status of")),
        "console errors: {errors:?}"
    );
    b.quit().await;
}

#[actix_web::test]
async fn a_judge_signs_in_with_a_day_link() {
    let Some(b) = Browser::start("a_judge_signs_in_with_a_day_link").await else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR"], false).await;
    let judge = &j.judges[0];

    // The organiser issues the link on the day-links screen and sees its QR code.
    b.set_window_size(1366, 900).await;
    b.sign_in(
        &app.url(&format!(
            "/login?next=/admin/contests/{}/day-links",
            j.contest
        )),
        &admin.email,
        &admin.password,
    )
    .await;
    b.wait_for(&format!(
        "#day-table tr[data-judge='{}'] button[data-issue]",
        judge.id
    ))
    .await;
    b.click(&format!(
        "#day-table tr[data-judge='{}'] button[data-issue]",
        judge.id
    ))
    .await;
    b.wait_for("#day-issued .qr-card svg.qr").await;
    let link = b.text("#day-issued .qr-card code").await;
    assert!(link.contains("/day#contest="), "{link}");
    // The link names the public address (JURY_PUBLIC_URL); the test server listens elsewhere.
    let link = app.url(&link[link.find("/day#").unwrap_or(0)..]);
    b.sign_out().await;

    // The judge opens it on a phone: signed in, the secret gone from the address bar.
    b.set_window_size(390, 844).await;
    b.goto(&link).await;
    b.wait_until(
        "the judge's queue",
        "return location.pathname === '/judge' && !location.hash",
    )
    .await;
    let me = b
        .execute_async(
            "const done = arguments[0]; import('/js/api.js').then((api) => api.get('/me')).then((me) => done(me.id), () => done(null));",
            json!([]),
        )
        .await;
    assert_eq!(me.as_i64(), Some(judge.id));
    // Back at desktop width, where the account menu's sign-out is on the bar.
    b.set_window_size(1366, 900).await;
    b.sign_out().await;

    // Used once: the same link is refused in words.
    b.goto(&link).await;
    b.wait_until(
        "the used link refused",
        "const a = document.querySelector('#day-sign-in .alert-error'); return a && !a.hidden && a.textContent.length > 10",
    )
    .await;
    let list = app
        .get(&format!("/api/v1/contests/{}/day-links", j.contest))
        .by(&admin)
        .await;
    let row = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["judge_id"] == judge.id)
        .cloned()
        .unwrap();
    assert_eq!(row["latest"]["state"], "used");

    let errors = b.unexpected_console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| e.contains("the server responded with a status of")),
        "console errors: {errors:?}"
    );
    b.quit().await;
}
