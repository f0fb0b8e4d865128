//! An organiser sets up a contest on screen, in Korean: "New contest" from the empty contest
//! list, names in three languages, the window on Seoul's clock (also shown in Shanghai), two
//! tracks; then edits it: reorders and renames tracks, and is told why a track that an
//! application uses cannot be removed.

use serde_json::json;

use crate::common::TestApp;
use crate::common::webdriver::Browser;

#[actix_web::test]
async fn an_organiser_creates_and_edits_a_contest_in_korean() {
    let Some(b) = Browser::start("an_organiser_creates_and_edits_a_contest_in_korean").await else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    b.sign_in(
        &app.url("/login?next=/admin/contests"),
        &admin.email,
        &admin.password,
    )
    .await;
    b.wait_for("[data-screen=admin-contests]").await;
    b.select("#lang-switch", "ko").await;
    b.wait_until(
        "Korean",
        "return document.documentElement.lang === 'ko' && document.querySelector('#new-contest')?.textContent === '새 공모전'",
    )
    .await;
    b.click("#new-contest").await;
    b.wait_for("[data-screen=admin-contest] #contest-slug")
        .await;
    assert_eq!(b.value("#contest-timezone").await, "Asia/Seoul");

    // Saving with the slug empty names the field, and keeps everything typed.
    b.fill("#contest-name-en", "Global Start-up Contest 2027")
        .await;
    b.click("#contest-save").await;
    b.wait_for("#contest-slug[aria-invalid=true]").await;
    assert_eq!(
        b.value("#contest-name-en").await,
        "Global Start-up Contest 2027"
    );

    // A reload before saving brings the typing back, and says so.
    b.refresh().await;
    b.wait_for("[data-screen=admin-contest] #restored-notice")
        .await;
    assert_eq!(
        b.value("#contest-name-en").await,
        "Global Start-up Contest 2027"
    );

    b.fill("#contest-slug", "gsc-2027").await;
    b.fill("#contest-name-ko", "글로벌 스타트업 공모전 2027")
        .await;
    b.fill("#contest-name-zh", "全球创业大赛 2027").await;
    b.fill(
        "#contest-description-ko",
        "경기와 항저우가 함께 여는 공모전",
    )
    .await;
    // Opened yesterday at 09:00 and closing in two months at 18:00, both on Seoul's clock
    // (UTC+9, no daylight saving). Date pickers take their value as a whole.
    let day = |offset: i64| {
        (chrono::Utc::now() + chrono::Duration::days(offset))
            .format("%Y-%m-%d")
            .to_string()
    };
    let (opens_day, closes_day) = (day(-1), day(60));
    let closes_local = format!("{closes_day}T18:00");
    for (css, value) in [
        ("#contest-opens", format!("{opens_day}T09:00")),
        ("#contest-closes", closes_local.clone()),
    ] {
        b.exec(
            "const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event('input', {bubbles: true}));",
            json!([css, value]),
        )
        .await;
    }
    let shown = b.text("#contest-closes-at").await;
    assert!(
        shown.contains("Asia/Shanghai") && shown.contains("Asia/Seoul"),
        "the deadline is shown on both clocks: {shown}"
    );
    let rows = "#contest-tracks fieldset";
    b.fill(&format!("{rows}:nth-of-type(1) [name=key]"), "ai")
        .await;
    b.fill(&format!("{rows}:nth-of-type(1) [name=name-en]"), "AI")
        .await;
    b.fill(&format!("{rows}:nth-of-type(1) [name=name-ko]"), "인공지능")
        .await;
    b.click("#add-track").await;
    b.fill(&format!("{rows}:nth-of-type(2) [name=key]"), "bio")
        .await;
    b.fill(&format!("{rows}:nth-of-type(2) [name=name-en]"), "Bio")
        .await;
    b.fill(&format!("{rows}:nth-of-type(2) [name=name-zh]"), "生物")
        .await;
    b.click("#contest-published").await;
    b.screenshot("contest-form-ko").await;
    b.click("#contest-save").await;
    b.wait_for("[data-screen=admin-rounds]").await;
    let kept = b
        .exec(
            "return Object.keys(localStorage).filter((k) => k.startsWith('jury.unsaved.'))",
            json!([]),
        )
        .await;
    assert_eq!(kept, json!([]), "saved, so nothing is kept in the browser");

    let list = app.get("/api/v1/contests").by(&admin).await;
    let c = &list.body[0];
    assert_eq!(c["slug"], "gsc-2027");
    assert_eq!(
        c["name"],
        json!({"en": "Global Start-up Contest 2027", "ko": "글로벌 스타트업 공모전 2027", "zh": "全球创业大赛 2027"})
    );
    assert_eq!(c["timezone"], "Asia/Seoul");
    assert_eq!(
        c["closes_at"],
        format!("{closes_day}T09:00:00Z"),
        "18:00 in Seoul is 09:00 UTC"
    );
    assert_eq!(c["opens_at"], format!("{opens_day}T00:00:00Z"));
    assert_eq!(
        c["tracks"],
        json!([{"key": "ai", "name": {"en": "AI", "ko": "인공지능"}}, {"key": "bio", "name": {"en": "Bio", "zh": "生物"}}])
    );
    assert_eq!(c["published"], true);
    let contest = c["id"].as_i64().unwrap();

    // An applicant picks the bio track; the organiser reorders, renames, then tries to
    // remove it.
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    let res = app
        .patch(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .json(&json!({"track": "bio"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    b.goto(&app.url(&format!("/admin/contests/{contest}/edit")))
        .await;
    b.wait_for("[data-screen=admin-contest] #contest-slug")
        .await;
    assert_eq!(b.value("#contest-closes").await, closes_local);
    b.click(&format!("{rows}:nth-of-type(2) [data-act=up]"))
        .await;
    b.fill(&format!("{rows}:nth-of-type(1) [name=name-ko]"), "바이오")
        .await;
    b.click("#contest-save").await;
    b.wait_until(
        "saved",
        "return !!document.querySelector('.toast') && !document.querySelector('[aria-invalid=true]')",
    )
    .await;
    let c = app
        .get(&format!("/api/v1/contests/{contest}"))
        .by(&admin)
        .await
        .body;
    assert_eq!(c["tracks"][0]["key"], "bio");
    assert_eq!(c["tracks"][0]["name"]["ko"], "바이오");

    b.wait_for("[data-screen=admin-contest] #contest-slug")
        .await;
    b.click(".toast-close").await;
    b.click(&format!("{rows}:nth-of-type(1) [data-act=remove]"))
        .await;
    b.click("#contest-save").await;
    let reason = b.text("#contest-tracks-error:not([hidden])").await;
    assert!(reason.contains("분야"), "the reason, in Korean: {reason}");
    let c = app
        .get(&format!("/api/v1/contests/{contest}"))
        .by(&admin)
        .await
        .body;
    assert_eq!(
        c["tracks"].as_array().map(Vec::len),
        Some(2),
        "nothing removed"
    );

    // The dashboard's checklist: what is done, and what comes next, linked to its screen.
    b.goto(&app.url("/")).await;
    b.wait_for("[data-screen=home] .checklist-box").await;
    let steps = b
        .exec(
            "return [...document.querySelectorAll('.checklist-box [data-step]')].map((s) => s.dataset.step + ':' + s.dataset.state)",
            json!([]),
        )
        .await;
    assert_eq!(
        steps,
        json!([
            "created:done",
            "tracks:done",
            "open:done",
            "applications:next",
            "judges:blocked",
            "round:blocked",
            "rubric:blocked",
            "assignments:blocked",
            "judging:blocked",
            "closed:blocked",
            "awards:blocked",
            "published:blocked"
        ])
    );
    b.click(".checklist-box [data-step=applications] a").await;
    b.wait_for("[data-screen=admin-applications]").await;

    // Closing early, on the server's clock.
    b.goto(&app.url(&format!("/admin/contests/{contest}/edit")))
        .await;
    b.click("#contest-close-now").await;
    b.wait_for("[data-screen=admin-contest] #contest-slug")
        .await;
    b.wait_until(
        "closed",
        "return !document.querySelector('#contest-close-now')",
    )
    .await;
    let c = app
        .get(&format!("/api/v1/contests/{contest}"))
        .by(&admin)
        .await
        .body;
    assert_eq!(c["phase"], "closed");
    let errors: Vec<String> = b
        .console_errors()
        .await
        .into_iter()
        .filter(|e| !e.contains("status of 422") && !e.contains("status of 409"))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    b.quit().await;
}

#[actix_web::test]
async fn a_contest_page_says_why_it_cannot_be_applied_to_and_links_its_results() {
    let Some(b) =
        Browser::start("a_contest_page_says_why_it_cannot_be_applied_to_and_links_its_results")
            .await
    else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.published(&admin, 1).await;
    let (founder, entry) = j.applications[0].clone();

    // The applicant who applied is sent to their application, not offered a second one.
    b.sign_in(
        &app.url(&format!("/login?next=/contests/{}", j.contest)),
        &founder.email,
        &founder.password,
    )
    .await;
    b.wait_for("[data-screen=contest] a#apply").await;
    let href = b
        .exec(
            "return document.querySelector('#apply').getAttribute('href')",
            json!([]),
        )
        .await;
    assert_eq!(href, format!("/applications/{entry}"));
    b.sign_out().await;

    // Closed: the button is disabled and says since when; the results are one click away.
    app.close_window(&admin, j.contest).await;
    b.goto(&app.url(&format!("/contests/{}", j.contest))).await;
    b.wait_for("[data-screen=contest] button#apply[disabled]")
        .await;
    let why = b.text("#apply-why").await;
    assert!(why.contains("closed"), "{why}");
    b.click("#contest-results-link a").await;
    b.wait_for("[data-screen=public-results]").await;
    assert_eq!(b.console_errors().await, Vec::<String>::new());
    b.quit().await;
}
