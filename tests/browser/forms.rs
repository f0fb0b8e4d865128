//! Forms that never lie and never lose input, in Chromium: a refused field keeps what was
//! typed, says "not saved" and its reason at the field, survives a reload and saves once fixed;
//! a judge scores with the network gone and the scores reach the server when it returns; the
//! 0 key gives 10 on a 1–10 scale; withdrawal is not offered once the deadline has passed or
//! results are published; an empty sign-in names the empty fields.

use actix_web::http::Method;
use serde_json::{Value, json};

use crate::common::webdriver::Browser;
use crate::common::{PASSWORD, TestApp, User};

mod refused_early;

async fn application(app: &TestApp, who: &User, id: i64) -> Value {
    app.get(&format!("/api/v1/applications/{id}"))
        .by(who)
        .await
        .body
}

async fn autosave_state(b: &Browser) -> String {
    b.exec(
        "return document.querySelector('.autosave')?.dataset.state || ''",
        json!([]),
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

#[actix_web::test]
async fn a_refused_field_keeps_the_input_says_not_saved_and_survives_a_reload() {
    let Some(b) =
        Browser::start("a_refused_field_keeps_the_input_says_not_saved_and_survives_a_reload")
            .await
    else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;

    // A founder in Hangzhou, on a phone, in Chinese.
    b.set_window_size(390, 844).await;
    b.sign_in(
        &app.url(&format!("/login?next=/applications/{id}")),
        &founder.email,
        PASSWORD,
    )
    .await;
    b.wait_for("[data-screen=application] #app-company_name")
        .await;
    b.exec(
        "document.querySelector('#app-company_name').dataset.old = '1'",
        json!([]),
    )
    .await;
    b.select("#lang-switch", "zh").await;
    b.wait_until(
        "the form again, in Chinese",
        "return document.documentElement.lang === 'zh-Hans' && !!document.querySelector('[data-screen=application] #app-company_name:not([data-old])')",
    )
    .await;
    b.fill("#app-company_name", "Hanbit Robotics").await;
    b.fill("#app-city", "수원").await;
    b.fill("#app-founded_year", "1800").await;

    // The server refuses the year: the status says what is not saved, the field says why,
    // and the other fields are saved without it.
    b.wait_until(
        "the year is refused",
        "return document.querySelector('.autosave')?.dataset.state === 'refused'",
    )
    .await;
    let status = b.text(".autosave").await;
    assert!(
        status.contains("成立年份") && status.contains("未保存"),
        "the status names the field, in Chinese: {status}"
    );
    let reason = b.text("#app-founded_year-error:not([hidden])").await;
    assert!(!reason.is_empty(), "the field says why");
    assert!(
        b.find("#app-founded_year[aria-invalid=true]")
            .await
            .is_some(),
        "marked invalid"
    );
    assert_eq!(b.value("#app-founded_year").await, "1800", "input kept");
    let stored = application(&app, &founder, id).await;
    assert_eq!(stored["company_name"], "Hanbit Robotics", "{stored}");
    assert_eq!(stored["city"], "수원");
    assert!(stored["founded_year"].is_null(), "{stored}");

    // A reload (or a crash) brings the refused input back, says so, and refuses it again.
    b.refresh().await;
    b.wait_for("#restored-notice").await;
    assert_eq!(b.value("#app-founded_year").await, "1800");
    assert_eq!(b.value("#app-company_name").await, "Hanbit Robotics");
    b.wait_until(
        "refused again after the reload",
        "return document.querySelector('.autosave')?.dataset.state === 'refused' && !document.querySelector('#app-founded_year-error').hidden",
    )
    .await;

    // Fixing it clears the error at once, and only then does the status say Saved.
    b.fill("#app-founded_year", "2019").await;
    assert!(
        b.exec(
            "return document.querySelector('#app-founded_year-error').hidden",
            json!([])
        )
        .await
            == true,
        "the error went as soon as the value was valid"
    );
    b.wait_until(
        "saved",
        "return document.querySelector('.autosave')?.dataset.state === 'saved'",
    )
    .await;
    assert_eq!(application(&app, &founder, id).await["founded_year"], 2019);
    let kept = b
        .exec(
            "return Object.keys(localStorage).filter((k) => k.startsWith('jury.unsaved.'))",
            json!([]),
        )
        .await;
    assert_eq!(kept, json!([]), "nothing left waiting in the browser");
    b.refresh().await;
    b.wait_for("[data-screen=application] #app-company_name")
        .await;
    assert!(b.find("#restored-notice").await.is_none());
    assert_eq!(b.value("#app-founded_year").await, "2019");

    // Kept input can be thrown away: the form then shows what the server holds.
    b.fill("#app-founded_year", "1700").await;
    b.wait_until(
        "refused",
        "return document.querySelector('.autosave')?.dataset.state === 'refused'",
    )
    .await;
    b.refresh().await;
    b.click("#discard-restored").await;
    b.wait_until(
        "the server's value is back",
        "const y = document.querySelector('#app-founded_year'); return !!y && y.value === '2019' && !document.querySelector('#restored-notice')",
    )
    .await;
    let kept = b
        .exec(
            "return Object.keys(localStorage).filter((k) => k.startsWith('jury.unsaved.'))",
            json!([]),
        )
        .await;
    assert_eq!(kept, json!([]), "discarded");
    // The refused saves are the browser's only complaints.
    let errors: Vec<String> = b
        .unexpected_console_errors()
        .await
        .into_iter()
        .filter(|e| !e.contains("status of 422"))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    b.quit().await;
}

#[actix_web::test]
async fn a_judge_scores_offline_and_the_scores_arrive_after_reconnecting() {
    let Some(b) =
        Browser::start("a_judge_scores_offline_and_the_scores_arrive_after_reconnecting").await
    else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR"], false).await;
    // A 1–10 scale, where the 0 key means 10.
    let res = app
        .req(Method::PUT, &format!("/api/v1/rounds/{}/rubric", j.round))
        .by(&admin)
        .json(&json!({"criteria": [
            {"key": "team", "name": {"en": "Team", "ko": "팀", "zh": "团队"}, "weight": 1.0, "min": 1, "max": 10},
            {"key": "market", "name": {"en": "Market", "ko": "시장", "zh": "市场"}, "weight": 1.0, "min": 1, "max": 5}
        ]}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let judge = &j.judges[0];
    let res = app
        .assign(&admin, j.round, judge, j.applications[0].1)
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let assignment = res.body["id"].as_i64().unwrap();

    b.sign_in(
        &app.url(&format!("/login?next=/judge/assignments/{assignment}")),
        &judge.email,
        &judge.password,
    )
    .await;
    b.wait_for("[data-screen=scoring] #score-team-1").await;

    b.cdp("Network.enable", json!({})).await;
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await;
    // Keyboard: focus the first criterion, 0 gives 10 and moves on; 4 scores the market.
    b.exec("document.querySelector('#score-team-1').focus()", json!([]))
        .await;
    b.keys("04").await;
    b.fill("#comment-applicant", "강한 팀, 시장 검증 필요")
        .await;
    b.wait_until(
        "offline shown",
        "return document.querySelector('.autosave')?.dataset.state === 'offline'",
    )
    .await;
    assert_eq!(
        b.exec(
            "return document.querySelector('#score-team-10').checked && document.querySelector('#score-market-4').checked",
            json!([])
        )
        .await,
        true,
        "0 gave 10 on a 1–10 scale"
    );
    let review = app
        .get(&format!("/api/v1/assignments/{assignment}"))
        .by(judge)
        .await
        .body;
    assert_eq!(review["review"]["scores"], json!({}), "nothing arrived yet");
    let kept = b
        .exec(
            "return Object.keys(localStorage).filter((k) => k.startsWith('jury.unsaved.')).length",
            json!([]),
        )
        .await;
    assert_eq!(kept, 1, "kept in the browser meanwhile");

    // Leaving with input the server has not accepted asks first; staying keeps everything.
    b.click(".scoring-screen a[href='/judge']").await;
    b.wait_for("dialog[open]").await;
    let question = b.text("dialog[open] h2").await;
    assert!(!question.is_empty());
    b.click("dialog[open] .btn-ghost").await;
    b.wait_until(
        "still scoring",
        "return !document.querySelector('dialog') && location.pathname.startsWith('/judge/assignments/')",
    )
    .await;
    assert_eq!(
        b.value("#comment-applicant").await,
        "강한 팀, 시장 검증 필요"
    );

    b.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await;
    b.wait_until(
        "saved after reconnecting",
        "return document.querySelector('.autosave')?.dataset.state === 'saved'",
    )
    .await;
    let review = app
        .get(&format!("/api/v1/assignments/{assignment}"))
        .by(judge)
        .await
        .body;
    assert_eq!(
        review["review"]["scores"],
        json!({"team": 10, "market": 4}),
        "{review}"
    );
    assert_eq!(
        review["review"]["comment_applicant"],
        "강한 팀, 시장 검증 필요"
    );
    assert_eq!(autosave_state(&b).await, "saved");
    b.quit().await;
}

#[actix_web::test]
async fn withdraw_is_not_offered_after_the_deadline_or_after_publication() {
    let Some(b) =
        Browser::start("withdraw_is_not_offered_after_the_deadline_or_after_publication").await
    else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (founder, contest, id) = app.submitted_application(&admin).await;

    b.sign_in(
        &app.url(&format!("/login?next=/applications/{id}")),
        &founder.email,
        PASSWORD,
    )
    .await;
    b.wait_for("[data-status=submitted]").await;
    assert!(
        b.find("#withdraw:not([hidden])").await.is_some(),
        "offered while the window is open"
    );

    app.close_window(&admin, contest).await;
    b.refresh().await;
    b.wait_for("[data-status=submitted]").await;
    assert!(
        b.find("#withdraw:not([hidden])").await.is_none(),
        "not offered after the deadline"
    );
    let res = app
        .post(&format!("/api/v1/applications/{id}/withdraw"))
        .by(&founder)
        .json(&json!({}))
        .await;
    assert_eq!(res.code(), "window_closed");

    // Published while the window is still open: the result is shown, withdrawal is not.
    let j = app.published(&admin, 1).await;
    let (finalist, entry) = j.applications[0].clone();
    b.sign_out().await;
    b.sign_in(
        &app.url(&format!("/login?next=/applications/{entry}")),
        &finalist.email,
        PASSWORD,
    )
    .await;
    b.wait_for("[data-status=submitted]").await;
    b.wait_for("#my-result").await;
    assert!(
        b.find("#withdraw:not([hidden])").await.is_none(),
        "not offered after publication"
    );
    assert!(
        b.find("#app-company_name:not([disabled])").await.is_some(),
        "the window is open, so the form is still editable"
    );
    b.quit().await;
}
