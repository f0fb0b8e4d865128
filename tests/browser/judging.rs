//! The judging story in Chromium: the admin invites a judge from the judges screen, the judge
//! accepts by the emailed link, the admin runs the automatic assignment (preview, then apply),
//! the judge declares one conflict and scores another application with the keyboard only, and
//! the admin watches the round's progress move.

use serde_json::json;

use crate::common::webdriver::{Browser, key};
use crate::common::{TestApp, User, link_token};

const JUDGE_EMAIL: &str = "seo.yeon@hanriver.example";
const JUDGE_PASSWORD: &str = "judging startups since 2011";

#[actix_web::test]
async fn invite_accept_conflict_score_with_keyboard_progress() {
    let Some(b) = Browser::start("invite_accept_conflict_score_with_keyboard_progress").await
    else {
        return;
    };
    let app = TestApp::new().await;
    let admin: User = app.admin().await;
    // Three submitted applications, a CN judge from the API and a round open for judging.
    let j = app.judging(&admin, 3, &["CN"], false).await;

    // The admin invites a Korean judge from the judges screen.
    b.sign_in(
        &app.url(&format!("/login?next=/admin/contests/{}/judges", j.contest)),
        &admin.email,
        &admin.password,
    )
    .await;
    b.wait_for("[data-screen=admin-judges] #judges-table").await;
    b.exec(
        "document.querySelectorAll('details').forEach((d) => { d.open = true; })",
        json!([]),
    )
    .await;
    b.fill("#invite-judge-name", "Seo Yeon").await;
    b.fill("#invite-judge-email", JUDGE_EMAIL).await;
    b.fill("#invite-judge-org", "Han River Ventures").await;
    b.select("#invite-judge-region", "KR").await;
    b.select("#invite-exp-ai", "3").await;
    b.click("#invite-judge-send").await;
    b.wait_until(
        "the new judge listed as invited",
        "return [...document.querySelectorAll('#judges-table tr[data-status=invited]')].some((r) => r.textContent.includes('Seo Yeon'))",
    )
    .await;
    b.screenshot("judges-admin").await;
    b.sign_out().await;

    // The judge accepts through the emailed link and lands on their profile.
    let mails = app.deliver_mail().await;
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.to == JUDGE_EMAIL)
        .expect("invitation mail");
    let token = link_token(&mail.text, "/accept-invitation?token=");
    b.goto(&app.url(&format!("/accept-invitation?token={token}")))
        .await;
    b.fill("#invite-password", JUDGE_PASSWORD).await;
    b.fill("#invite-password-again", JUDGE_PASSWORD).await;
    b.click("form button[type=submit]").await;
    b.wait_for("[data-screen=judge-profile] #profile-organization")
        .await;
    assert_eq!(b.value("#profile-organization").await, "Han River Ventures");
    assert_eq!(b.value("#profile-region").await, "KR");
    // The judge adds an expertise, switches reminders off and saves.
    b.select("#expertise-bio", "2").await;
    b.click("#profile-reminders").await;
    b.click("[data-screen=judge-profile] form button[type=submit]")
        .await;
    b.wait_until(
        "profile saved",
        "return [...document.querySelectorAll('#toasts .toast')].some((e) => e.textContent.includes('Profile saved'))",
    )
    .await;
    let (expertise, reminders) = app
        .db(|c| {
            use diesel::prelude::*;
            use jury::db::schema::{judge_profiles, users};
            Ok(judge_profiles::table
                .inner_join(users::table)
                .filter(users::email.eq(JUDGE_EMAIL))
                .select((judge_profiles::expertise, judge_profiles::reminders))
                .first::<(String, bool)>(c)?)
        })
        .await;
    assert!(expertise.contains("\"bio\":2"), "{expertise}");
    assert!(!reminders);
    b.click("a[href='/judge']").await;
    b.wait_for("[data-screen=judge-queue] .empty").await;
    b.sign_out().await;

    // The admin previews the optimal assignment, then applies it.
    b.sign_in(
        &app.url(&format!(
            "/login?next=/admin/rounds/{}?tab=assignments",
            j.round
        )),
        &admin.email,
        &admin.password,
    )
    .await;
    b.click("#assign-run").await;
    b.wait_for("#assign-preview #assign-apply").await;
    b.screenshot("assign-preview").await;
    b.click("#assign-apply").await;
    b.wait_until(
        "every seat filled",
        "return document.querySelectorAll('#assign-matrix button.chip').length === 6",
    )
    .await;
    b.screenshot("assign-matrix").await;
    b.sign_out().await;

    // The judge sees three reviews, declares a conflict on the first.
    b.sign_in(&app.url("/login?next=/judge"), JUDGE_EMAIL, JUDGE_PASSWORD)
        .await;
    b.wait_until(
        "three reviews queued",
        "return document.querySelectorAll('.queue-item').length === 3",
    )
    .await;
    b.click(".queue-item:first-child .queue-link").await;
    b.wait_for("[data-screen=scoring] #declare-conflict").await;
    b.click("#declare-conflict").await;
    b.fill("#dialog-input", "I advised this team last year")
        .await;
    b.click("dialog .btn-danger").await;
    b.wait_until(
        "two reviews left",
        "return document.querySelector('[data-screen=judge-queue]') && document.querySelectorAll('.queue-item').length === 2",
    )
    .await;

    // Scores the next one with the keyboard only: number keys per criterion, then submit.
    b.click(".queue-item:first-child .queue-link").await;
    b.wait_for("[data-screen=scoring] fieldset.criterion").await;
    b.exec(
        "document.querySelector('fieldset.criterion input').focus()",
        json!([]),
    )
    .await;
    b.keys("4").await; // team: 4 of 1–5, focus moves to market
    b.keys("7").await; // market: 7 of 0–10, focus moves to the comment
    b.keys("Strong team, crowded market.").await;
    b.wait_until(
        "the draft saved itself",
        "return document.querySelector('.autosave')?.dataset.state === 'saved'",
    )
    .await;
    assert_eq!(
        b.exec(
            "return [...document.querySelectorAll('fieldset.criterion input:checked')].map((i) => i.value)",
            json!([])
        )
        .await,
        json!(["4", "7"])
    );
    assert!(
        b.text("output.total").await.contains("2 of 2"),
        "total shows both criteria"
    );
    b.screenshot("scoring").await;
    b.exec(
        "document.querySelector('#submit-review').focus()",
        json!([]),
    )
    .await;
    b.keys(key::ENTER).await;
    b.wait_until(
        "submitted (the screen then moves on to the next review)",
        "return [...document.querySelectorAll('#toasts .toast')].some((e) => e.textContent.includes('Review submitted'))",
    )
    .await;
    let stored = app
        .db(move |c| {
            use diesel::prelude::*;
            use jury::db::schema::reviews;
            Ok(reviews::table
                .filter(reviews::status.eq("submitted"))
                .select(reviews::scores)
                .load::<String>(c)?)
        })
        .await;
    assert_eq!(stored.len(), 1);
    assert!(
        stored[0].contains("\"team\":4") && stored[0].contains("\"market\":7"),
        "{stored:?}"
    );
    b.sign_out().await;

    // The admin's progress tab shows the submitted review.
    b.sign_in(
        &app.url(&format!(
            "/login?next=/admin/rounds/{}?tab=progress",
            j.round
        )),
        &admin.email,
        &admin.password,
    )
    .await;
    b.wait_for("#progress-judges").await;
    b.wait_until(
        "one review submitted in the progress",
        "return [...document.querySelectorAll('#progress-judges .bar-row')].some((r) => r.dataset.submitted === '1' && r.textContent.includes('Seo Yeon'))",
    )
    .await;
    b.screenshot("round-progress").await;
    let errors = b.unexpected_console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    b.quit().await;
}

/// A judge in the final sees it first, with its own deadline and progress; the finished
/// screening round is folded away below, not mixed in.
#[actix_web::test]
async fn the_queue_shows_the_open_round_first_and_folds_finished_ones() {
    let Some(b) =
        Browser::start("the_queue_shows_the_open_round_first_and_folds_finished_ones").await
    else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN"], false).await;
    let judge = &j.judges[0];
    let ids: Vec<i64> = j.applications.iter().map(|(_, id)| *id).collect();
    for (n, id) in ids.iter().enumerate() {
        let a = app.assign(&admin, j.round, judge, *id).await;
        let a = a.body["id"].as_i64().unwrap();
        let res = app
            .post(&format!("/api/v1/assignments/{a}/review/submit"))
            .by(judge)
            .json(&json!({"scores": {"team": 5 - n as i64, "market": 8}}))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    }
    let res = app
        .post(&format!("/api/v1/rounds/{}/transition", j.round))
        .by(&admin)
        .json(&json!({"to": "closed", "confirm": true}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app
        .post(&format!("/api/v1/rounds/{}/advance", j.round))
        .by(&admin)
        .json(&json!({"mode": "manual", "application_ids": [ids[0]]}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app
        .post(&format!("/api/v1/contests/{}/rounds", j.contest))
        .by(&admin)
        .json(&json!({"name": {"en": "Final", "ko": "본선", "zh": "决赛"}, "reviews_per_application": 1,
            "blind": false, "blind_shows_deck": true, "ranking_method": "raw"}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let fin = res.body["id"].as_i64().unwrap();
    let res = app
        .req(
            actix_web::http::Method::PUT,
            &format!("/api/v1/rounds/{fin}/rubric"),
        )
        .by(&admin)
        .json(&crate::common::rubric())
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app
        .post(&format!("/api/v1/rounds/{fin}/transition"))
        .by(&admin)
        .json(&json!({"to": "judging"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app.assign(&admin, fin, judge, ids[0]).await;
    assert_eq!(res.status, 201, "{}", res.text);

    b.sign_in(
        &app.url("/login?next=/judge"),
        &judge.email,
        &judge.password,
    )
    .await;
    b.wait_for("[data-screen=judge-queue] .queue-round").await;
    let sections = b
        .exec(
            "return [...document.querySelectorAll('.queue-round')].map((s) => [s.tagName, s.dataset.state, s.querySelectorAll('.queue-item').length])",
            json!([]),
        )
        .await;
    assert_eq!(
        sections,
        json!([["SECTION", "judging", 1], ["DETAILS", "closed", 2]]),
        "the final first, the screening folded below"
    );
    let progress = b
        .text(".queue-round[data-state=judging] .meter-label")
        .await;
    assert!(
        progress.contains("0%"),
        "the final's own progress: {progress}"
    );
    assert!(
        b.exec(
            "return !document.querySelector('details.queue-round').open",
            json!([])
        )
        .await
            == true
    );
    b.quit().await;
}
