//! A whole edition on screen (issue 15): award tiers in the contest settings, extending the
//! deadline (the draft holder is emailed), copying the edition; then the final's award places,
//! an override with a reason, the publish dialog's counts, and the winner's card and the
//! public page naming the award.

use serde_json::json;

use crate::common::TestApp;
use crate::common::webdriver::Browser;

fn tiers() -> serde_json::Value {
    json!([
        {"key": "grand", "name": {"en": "Grand Prize", "ko": "대상", "zh": "特等奖"}, "places": 1,
         "prize": {"en": "KRW 30,000,000", "ko": "상금 3,000만 원", "zh": "奖金 3000 万韩元"}},
        {"key": "merit", "name": {"en": "Merit Award", "ko": "우수상", "zh": "鼓励奖"}, "places": 2}
    ])
}

#[actix_web::test]
async fn an_organiser_sets_awards_extends_the_deadline_and_copies_the_edition_in_chinese() {
    let Some(b) = Browser::start(
        "an_organiser_sets_awards_extends_the_deadline_and_copies_the_edition_in_chinese",
    )
    .await
    else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let drafter = app.applicant().await;
    app.draft_application(&drafter, contest).await;
    b.sign_in(
        &app.url(&format!("/login?next=/admin/contests/{contest}/edit")),
        &admin.email,
        &admin.password,
    )
    .await;
    b.wait_for("[data-screen=admin-contest] #contest-awards-empty")
        .await;
    b.select("#lang-switch", "zh").await;
    b.wait_until(
        "Chinese",
        "return document.documentElement.lang.startsWith('zh') && document.querySelector('#add-award')?.textContent === '添加奖项'",
    )
    .await;

    // One award tier, typed on screen; a zero-place tier is refused at the field first.
    b.click("#add-award").await;
    let row = "#contest-awards fieldset:last-child";
    b.fill(&format!("{row} [name=key]"), "grand").await;
    b.fill(&format!("{row} [name=places]"), "0").await;
    b.fill(&format!("{row} [name=name-en]"), "Grand Prize")
        .await;
    b.fill(&format!("{row} [name=name-zh]"), "特等奖").await;
    b.fill(&format!("{row} [name=prize-zh]"), "奖金 3000 万韩元")
        .await;
    b.click("#contest-save").await;
    b.wait_for("#contest-awards[aria-invalid=true]").await;
    let error = b.text("#contest-awards-error").await;
    assert!(error.contains("1 到 50"), "{error}");
    b.fill(&format!("{row} [name=places]"), "1").await;
    b.click("#contest-save").await;
    b.wait_until(
        "saved",
        "return !!document.querySelector('#contest-awards fieldset legend') && document.querySelector('#contest-awards fieldset legend').textContent === '特等奖'",
    )
    .await;
    let saved = app
        .get(&format!("/api/v1/contests/{contest}"))
        .by(&admin)
        .await;
    assert_eq!(saved.body["awards"][0]["places"], 1, "{}", saved.text);
    assert_eq!(saved.body["awards"][0]["prize"]["zh"], "奖金 3000 万韩元");

    // Extending the deadline says who will be emailed, and the draft holder is.
    let before = app.deliver_mail().await.len();
    b.click("#contest-extend").await;
    b.wait_for("dialog #extend-closes").await;
    let note = b.text("#extend-drafts").await;
    assert!(note.contains('1'), "{note}");
    b.click("dialog .btn:not(.btn-ghost)").await;
    b.wait_until("dialog closed", "return !document.querySelector('dialog')")
        .await;
    b.wait_for("[data-screen=admin-contest] #contest-save")
        .await;
    let mails = app.deliver_mail().await;
    let to_drafter: Vec<_> = mails[before..]
        .iter()
        .filter(|m| m.to == drafter.email)
        .collect();
    assert_eq!(to_drafter.len(), 1, "one deadline mail to the draft holder");
    let after = app
        .get(&format!("/api/v1/contests/{contest}"))
        .by(&admin)
        .await;
    assert_ne!(after.body["closes_at"], saved.body["closes_at"]);

    // Copy as the next edition, on a phone: the dialog fits and the copy opens.
    b.set_window_size(390, 844).await;
    b.click("#contest-copy").await;
    b.wait_for("dialog #copy-slug").await;
    b.fill("#copy-slug", "gsc-next-edition").await;
    b.fill("#copy-name-zh", "下一届全球创业大赛").await;
    let overflow = b
        .exec(
            "const d = document.querySelector('dialog'); return d.scrollWidth > d.clientWidth + 1",
            json!([]),
        )
        .await;
    assert_eq!(overflow, false, "the dialog fits a phone");
    b.click("dialog .btn:not(.btn-ghost)").await;
    b.wait_until(
        "the copy's settings",
        "return document.querySelector('#contest-slug')?.value === 'gsc-next-edition'",
    )
    .await;
    let legend = b.text("#contest-awards fieldset legend").await;
    assert_eq!(legend, "特等奖", "the awards came along");
    b.screenshot("edition-copied").await;
    // The refused zero-place tier is the one error the browser logged.
    let errors: Vec<_> = b
        .unexpected_console_errors()
        .await
        .into_iter()
        .filter(|e| !e.contains("status of 422"))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    b.quit().await;
}

#[actix_web::test]
async fn the_final_is_published_with_its_awards_and_the_winner_sees_theirs() {
    let Some(b) =
        Browser::start("the_final_is_published_with_its_awards_and_the_winner_sees_theirs").await
    else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 4, &["KR", "CN"], false).await;
    let res = app
        .patch(&format!("/api/v1/contests/{}", j.contest))
        .by(&admin)
        .json(&json!({"awards": tiers()}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.scored_and_closed(&admin, &j).await;
    let ids: Vec<i64> = j.applications.iter().map(|(_, id)| *id).collect();
    let (best, second) = (ids[3], ids[2]);

    b.sign_in(
        &app.url(&format!(
            "/login?next=/admin/rounds/{}?tab=results",
            j.round
        )),
        &admin.email,
        &admin.password,
    )
    .await;
    b.wait_for("[data-screen=admin-round] #results-table").await;
    let errors = b.unexpected_console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    b.wait_for(&format!(
        "#award-places [data-award=grand] [data-application='{best}']"
    ))
    .await;

    // The jury decided the first-ranked start-up gets no award: a reason is required.
    b.click(&format!("#award-places [data-change='{best}']"))
        .await;
    b.wait_for("dialog #award-reason").await;
    b.select("#award-choice", "").await;
    b.click("dialog .btn:not(.btn-ghost)").await;
    b.wait_for("#award-reason[aria-invalid=true]").await;
    b.fill("#award-reason", "Already funded beyond the contest's limit")
        .await;
    b.click("dialog .btn:not(.btn-ghost)").await;
    b.wait_for(&format!(
        "#award-places [data-award=grand] [data-application='{second}']"
    ))
    .await;
    assert!(
        b.text("#award-overrides").await.contains("Already funded"),
        "the reason is listed"
    );

    // The publish dialog counts who is told what.
    b.click("#publish").await;
    b.wait_for("dialog .publish-counts").await;
    let grand = b.text("dialog [data-award=grand]").await;
    assert!(grand.contains("Zenith Startup 2"), "{grand}");
    let placed = b.text("#publish-count-not-advanced").await;
    assert!(placed.contains('1'), "{placed}");
    b.screenshot("publish-dialog").await;
    b.click("dialog .btn-danger").await;
    b.wait_until(
        "published",
        "return document.querySelector('.page-head .badge')?.textContent === 'Published'",
    )
    .await;
    let mails = app.deliver_mail().await;
    let winner = &j.applications[2].0;
    let mail = mails
        .iter()
        .rev()
        .find(|m| m.to == winner.email)
        .expect("the winner's mail");
    assert!(mail.subject.contains("Grand Prize"), "{}", mail.subject);

    // The winner's card names the award, in Korean.
    b.click("#logout").await;
    b.wait_for("[data-screen=login]").await;
    b.sign_in(
        &app.url(&format!("/login?next=/applications/{second}")),
        &winner.email,
        &winner.password,
    )
    .await;
    b.wait_for("#my-result .award-won").await;
    b.select("#lang-switch", "ko").await;
    b.wait_until(
        "the award in Korean",
        "return (document.querySelector('#my-result .award-won')?.textContent || '').includes('대상')",
    )
    .await;

    // The public page lists the awards and their winners.
    b.goto(&app.url(&format!("/contests/{}/results", j.contest)))
        .await;
    b.wait_for("[data-screen=public-results] [data-award=grand] li")
        .await;
    let public = b
        .text("[data-screen=public-results] [data-award=merit]")
        .await;
    assert!(public.contains("우수상"), "{public}");
    b.screenshot("public-awards").await;
    let errors = b.unexpected_console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    b.quit().await;
}
