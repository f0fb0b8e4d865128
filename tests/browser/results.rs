//! Running a contest's rounds in Chromium, on the demo contest: the rounds list, a new round
//! with its rubric built by keyboard, the conflicts screen, closing the final round (the
//! confirmation names the unfinished reviews), the results with charts and a per-judge
//! breakdown, advancing and publishing; then the public page with its digest and the
//! applicant's own result.

use serde_json::json;

use crate::common::TestApp;
use crate::common::webdriver::{Browser, key};

#[actix_web::test]
async fn rounds_rubric_conflicts_results_publish_public_page() {
    let Some(b) = Browser::start("rounds_rubric_conflicts_results_publish_public_page").await
    else {
        return;
    };
    let app = TestApp::new().await;
    let demo = jury::demo::seed(&app.state, 40, 12).await.expect("seed");
    let contest = demo.contest;

    // The dashboard: the contest's counts and its three rounds (the two published regional
    // preliminaries and the joint final), the open final with its progress.
    b.sign_in(
        &app.url("/login?next=/"),
        &demo.admin_email,
        jury::demo::PASSWORD,
    )
    .await;
    b.wait_until(
        "three rounds on the dashboard, one with a progress meter",
        "return document.querySelectorAll('[data-contest] .round-line').length === 3 && document.querySelectorAll('[data-contest] .round-line progress').length === 1",
    )
    .await;
    b.screenshot("admin-dashboard").await;

    // The rounds list shows the two published preliminaries and the final in progress.
    b.goto(&app.url(&format!("/admin/contests/{contest}/rounds")))
        .await;
    b.wait_until(
        "three rounds listed",
        "return document.querySelectorAll('[data-screen=admin-rounds] [data-round]').length === 3",
    )
    .await;

    // A new round; the builder opens on its rubric.
    b.exec(
        "document.querySelector('details.card').open = true",
        json!([]),
    )
    .await;
    b.fill("#round-name-en", "Investor day").await;
    b.fill("#round-name-ko", "투자자의 날").await;
    b.fill("#round-k", "2").await;
    b.click("#round-save").await;
    b.wait_for("[data-screen=admin-round] #add-criterion").await;
    b.click("#add-criterion").await;
    // Focus is on the new criterion's key: type it, Tab on to the weight.
    b.keys("vision").await;
    b.keys(key::TAB).await;
    assert_eq!(
        b.exec("return document.activeElement.name", json!([]))
            .await,
        "weight"
    );
    b.fill("fieldset.criterion-edit [name=weight]", "2").await;
    b.fill("fieldset.criterion-edit [name=name-en]", "Vision")
        .await;
    b.fill("fieldset.criterion-edit [name=max]", "0").await;
    b.click("#save-rubric").await;
    b.wait_for("fieldset.criterion-edit [name=max][aria-invalid=true]")
        .await;
    b.fill("fieldset.criterion-edit [name=max]", "7").await;
    b.click("#save-rubric").await;
    b.wait_until(
        "rubric saved",
        "return document.querySelector('fieldset.criterion-edit legend')?.textContent === 'Vision'",
    )
    .await;
    let saved = app
        .db(|c| {
            use diesel::prelude::*;
            use jury::db::schema::rubric_criteria;
            Ok(rubric_criteria::table
                .filter(rubric_criteria::key.eq("vision"))
                .select((rubric_criteria::weight, rubric_criteria::scale_max))
                .first::<(f64, i32)>(c)?)
        })
        .await;
    assert_eq!(saved, (2.0, 7));
    b.screenshot("rubric-builder").await;

    // Conflicts: the demo's declared and added ones are listed.
    b.goto(&app.url(&format!("/admin/contests/{contest}/conflicts")))
        .await;
    b.wait_for("#conflicts-table tbody tr").await;
    b.screenshot("conflicts").await;

    // Close the final: the confirmation names the unfinished reviews.
    let rounds = app
        .db(move |c| {
            use diesel::prelude::*;
            use jury::db::schema::rounds;
            Ok(rounds::table
                .filter(rounds::contest_id.eq(contest))
                .order(rounds::position)
                .select(rounds::id)
                .load::<i64>(c)?)
        })
        .await;
    let (screening, final_round) = (rounds[0], rounds[2]);
    b.goto(&app.url(&format!("/admin/rounds/{final_round}?tab=settings")))
        .await;
    b.click("#to-closed").await;
    b.wait_for("dialog").await;
    let body = b.text("dialog p").await;
    assert!(body.contains("not submitted yet"), "{body}");
    b.click("dialog .btn-danger").await;
    b.wait_for("#round-save").await;
    b.wait_until(
        "closed",
        "return document.querySelector('.page-head .badge')?.textContent === 'Closed'",
    )
    .await;

    // Results: every method side by side, charts, fragility, a judge-by-judge breakdown.
    b.click("[data-tab=results]").await;
    b.wait_for("#results-table tbody tr").await;
    b.wait_for("svg.chart circle").await;
    b.wait_for("svg.chart rect").await;
    b.wait_for("#fragility-table tbody tr").await;
    b.click("#results-table tbody tr:first-child button.link")
        .await;
    b.wait_until(
        "breakdown dialog with judges' totals",
        "return document.querySelectorAll('dialog tbody tr').length >= 2",
    )
    .await;
    b.screenshot("results-breakdown").await;
    b.keys(key::ESCAPE).await;
    b.screenshot("results").await;

    // Advance the top 3, then publish (the confirmation names how many are emailed).
    b.fill("#advance-n", "3").await;
    b.click("#advance-go").await;
    b.wait_until(
        "three advanced",
        "return document.querySelectorAll('#results-table .badge-ok').length >= 3",
    )
    .await;
    // Then hand-pick instead: untick the first, tick the fifth, advance the ticked ones.
    b.click("#results-table tbody tr:nth-child(1) [data-pick]")
        .await;
    b.click("#results-table tbody tr:nth-child(5) [data-pick]")
        .await;
    b.select("#advance-mode", "manual").await;
    b.click("#advance-go").await;
    b.wait_until(
        "the hand-picked list advanced",
        "const rows = [...document.querySelectorAll('#results-table tbody tr')]; return rows.length > 4 && !rows[0].querySelector('.badge-ok') && !!rows[4].querySelector('.badge-ok')",
    )
    .await;
    b.click("#publish").await;
    b.wait_for("dialog").await;
    assert!(b.text("dialog p").await.contains("emailed"));
    b.click("dialog .btn-danger").await;
    b.wait_until(
        "published",
        "return document.querySelector('.page-head .badge')?.textContent === 'Published'",
    )
    .await;

    // The public page: the two preliminaries and the final, each with its own digest.
    b.click("#logout").await;
    b.wait_for("[data-screen=login]").await;
    b.goto(&app.url(&format!("/contests/{contest}/results")))
        .await;
    b.wait_until(
        "three published rounds",
        "return document.querySelectorAll('[data-screen=public-results] [data-round]').length === 3",
    )
    .await;
    let digests = b
        .exec(
            "return [...document.querySelectorAll('code.digest')].map((c) => c.textContent.length)",
            json!([]),
        )
        .await;
    assert_eq!(digests, json!([64, 64, 64]));
    b.screenshot("public-results").await;

    // The first applicant sees their own result on their application.
    let app_id = app
        .db(move |c| {
            use diesel::prelude::*;
            use jury::db::schema::round_entries;
            Ok(round_entries::table
                .filter(round_entries::round_id.eq(screening))
                .select(round_entries::application_id)
                .order(round_entries::application_id)
                .first::<i64>(c)?)
        })
        .await;
    b.sign_in(
        &app.url(&format!("/login?next=/applications/{app_id}")),
        &demo.applicant_email,
        jury::demo::PASSWORD,
    )
    .await;
    b.wait_for("#my-result").await;
    b.screenshot("applicant-result").await;
    b.quit().await;
}
