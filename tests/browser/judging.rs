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
