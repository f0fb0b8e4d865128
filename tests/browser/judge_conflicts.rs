//! Conflicts before assignment in Chromium, on a phone, with the screen in Chinese: a judge
//! adds an organisation they are tied to on their profile (an empty one is refused on the page,
//! before anything is sent), sees the start-up it names marked on the contest's entry list, and
//! marks another entry there. The API then keeps both pairs out of the assignment.

use serde_json::json;

use crate::common::TestApp;
use crate::common::webdriver::Browser;

#[actix_web::test]
async fn a_judge_declares_ties_and_marks_an_entry_on_a_phone_in_chinese() {
    let Some(b) =
        Browser::start("a_judge_declares_ties_and_marks_an_entry_on_a_phone_in_chinese").await
    else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 3, &["KR", "CN"], false).await;
    let judge = &j.judges[0];
    let (a1, a2) = (j.applications[1].1, j.applications[2].1);

    b.set_window_size(390, 844).await;
    b.sign_in(
        &app.url("/login?next=/judge/profile"),
        &judge.email,
        &judge.password,
    )
    .await;
    b.wait_for("[data-screen=judge-profile] #profile-affiliations")
        .await;
    b.select("#lang-switch", "zh").await;
    b.wait_until(
        "the profile in Chinese",
        "return document.documentElement.lang.startsWith('zh') && /[\\u4e00-\\u9fff]/.test(document.querySelector('h1').textContent) && !!document.querySelector('#add-affiliation')",
    )
    .await;

    // An organisation without a name is refused on the page.
    b.click("#add-affiliation").await;
    b.click("[data-screen=judge-profile] form button[type=submit]")
        .await;
    b.wait_until(
        "the empty name refused",
        "const e = document.querySelector('#profile-affiliations-error'); return !e.hidden && /[\\u4e00-\\u9fff]/.test(e.textContent)",
    )
    .await;
    b.fill(
        "#profile-affiliations fieldset:last-child [name=name]",
        "(주)제니스 1",
    )
    .await;
    b.select(
        "#profile-affiliations fieldset:last-child [name=kind]",
        "family",
    )
    .await;
    b.click("[data-screen=judge-profile] form button[type=submit]")
        .await;
    b.wait_for(".toast").await;
    let profile = app.get("/api/v1/me/judge-profile").by(judge).await;
    assert_eq!(
        profile.body["affiliations"],
        json!([{"name": "(주)제니스 1", "kind": "family"}]),
        "{}",
        profile.text
    );
    b.wait_until(
        "no sideways scrolling on the profile",
        "return document.documentElement.scrollWidth <= window.innerWidth",
    )
    .await;
    b.exec(
        "document.querySelector('#profile-affiliations').scrollIntoView()",
        json!([]),
    )
    .await;
    b.screenshot("judge-ties-zh-phone").await;

    // The entry list: the tied start-up is already marked; the judge marks another one.
    b.goto(&app.url("/judge/entries")).await;
    b.wait_for(&format!(
        "li.entry[data-application='{a1}'][data-conflict=detected]"
    ))
    .await;
    b.click(&format!(
        "li.entry[data-application='{a2}'] button[data-act=mark]"
    ))
    .await;
    b.wait_for(&format!(
        "li.entry[data-application='{a2}'][data-conflict=declared] button[data-act=withdraw]"
    ))
    .await;
    b.wait_until(
        "the list in Chinese, nothing wider than the phone",
        "return /[\\u4e00-\\u9fff]/.test(document.querySelector('h1').textContent) && document.documentElement.scrollWidth <= window.innerWidth",
    )
    .await;
    b.screenshot("judge-entries-zh-phone").await;

    let run = app
        .post(&format!("/api/v1/rounds/{}/assignments/auto", j.round))
        .by(&admin)
        .json(&json!({}))
        .await;
    assert_eq!(run.status, 200, "{}", run.text);
    let mine = app.get("/api/v1/me/assignments").by(judge).await;
    let ids: Vec<i64> = mine.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["application_id"].as_i64().unwrap())
        .collect();
    assert!(!ids.contains(&a1) && !ids.contains(&a2), "{ids:?}");

    let errors = b.unexpected_console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    b.quit().await;
}
