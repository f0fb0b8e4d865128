//! A contest's own questions in Chromium (issue 15): the organiser adds a single choice and a
//! required, identifying short text; the applicant answers them with autosave ("Saved" only
//! once the server holds the answer), a refused number shows its error at the question, and
//! the judge of a blind round reads the choice but not the identifying answer; the organiser
//! filters the list by an answer.

use serde_json::json;

use crate::common::TestApp;
use crate::common::webdriver::Browser;

#[actix_web::test]
async fn an_organiser_asks_an_applicant_answers_and_a_blind_judge_reads_the_safe_answers() {
    let Some(b) = Browser::start(
        "an_organiser_asks_an_applicant_answers_and_a_blind_judge_reads_the_safe_answers",
    )
    .await
    else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR"], true).await;
    let (founder, application) = (&j.applications[0].0, j.applications[0].1);
    // A bounded number question is already there; the screen adds the other two.
    let res = app
        .patch(&format!("/api/v1/contests/{}", j.contest))
        .by(&admin)
        .json(
            &json!({"questions": [{"key": "employees", "kind": "number", "min": 0, "max": 100,
            "label": {"en": "Employees", "ko": "직원 수", "zh": "员工人数"}}]}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    b.sign_in(
        &app.url(&format!("/login?next=/admin/contests/{}/edit", j.contest)),
        &admin.email,
        &admin.password,
    )
    .await;
    b.wait_for("[data-screen=admin-contest] #contest-questions fieldset[data-question=employees]")
        .await;
    b.click("#add-question").await;
    let row = "#contest-questions fieldset:last-child";
    b.fill(&format!("{row} [name=key]"), "funding").await;
    b.select(&format!("{row} [name=kind]"), "single_choice")
        .await;
    b.fill(&format!("{row} [name=label-en]"), "Funding so far")
        .await;
    for (i, (key, label)) in [("none", "None yet"), ("seed", "Seed round")]
        .iter()
        .enumerate()
    {
        b.click(&format!("{row} .question-choices .actions button"))
            .await;
        let line = format!("{row} .question-option:nth-child({})", i + 1);
        b.fill(&format!("{line} [name=option-key]"), key).await;
        b.fill(&format!("{line} [name=option-en]"), label).await;
    }
    b.click("#add-question").await;
    b.fill(&format!("{row} [name=key]"), "founder_name").await;
    b.fill(&format!("{row} [name=label-en]"), "Founder's full name")
        .await;
    b.fill(&format!("{row} [name=label-ko]"), "대표자 성명")
        .await;
    b.click(&format!("{row} [name=required]")).await;
    b.click(&format!("{row} [name=identifying]")).await;
    b.click("#contest-save").await;
    b.wait_for("#contest-questions fieldset[data-question=founder_name]")
        .await;
    let contest = app
        .get(&format!("/api/v1/contests/{}", j.contest))
        .by(&admin)
        .await;
    let keys: Vec<&str> = contest.body["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        ["employees", "funding", "founder_name"],
        "{}",
        contest.text
    );
    assert_eq!(contest.body["questions"][2]["identifying"], true);
    assert_eq!(contest.body["questions"][1]["options"][1]["key"], "seed");

    // The applicant answers; "Saved" appears only once the server holds each answer.
    b.sign_out().await;
    b.sign_in(
        &app.url(&format!("/login?next=/applications/{application}")),
        &founder.email,
        &founder.password,
    )
    .await;
    b.wait_for("[data-screen=application] #app-answer-founder_name")
        .await;
    let api = &app;
    let stored = |key: &'static str| async move {
        api.get(&format!("/api/v1/applications/{application}"))
            .by(founder)
            .await
            .body["answers"][key]
            .clone()
    };
    b.fill("#app-answer-founder_name", "Kim Minjun").await;
    b.wait_until(
        "autosaved",
        "return document.querySelector('.autosave')?.dataset.state === 'saved'",
    )
    .await;
    assert_eq!(stored("founder_name").await, "Kim Minjun");
    b.select("#app-answer-funding", "seed").await;
    b.wait_until(
        "choice autosaved",
        "return document.querySelector('.autosave')?.dataset.state === 'saved'",
    )
    .await;
    assert_eq!(stored("funding").await, "seed");

    // 250 employees is over the question's bound: the error shows at the question.
    b.fill("#app-answer-employees", "250").await;
    b.wait_for("#app-answer-employees-error:not([hidden])")
        .await;
    assert_eq!(
        b.text("#app-answer-employees-error").await,
        "This value is out of range."
    );
    b.wait_until(
        "refused in the status",
        "return document.querySelector('.autosave')?.dataset.state === 'refused'",
    )
    .await;
    assert!(stored("employees").await.is_null());
    b.fill("#app-answer-employees", "25").await;
    b.wait_until(
        "number autosaved",
        "return document.querySelector('.autosave')?.dataset.state === 'saved'",
    )
    .await;
    assert_eq!(stored("employees").await, 25);
    b.screenshot("questions-application-form").await;

    // The blind round's judge reads the funding answer, not the founder's name.
    let res = app.assign(&admin, j.round, &j.judges[0], application).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let assignment = res.body["id"].as_i64().unwrap();
    b.sign_out().await;
    b.sign_in(
        &app.url(&format!("/login?next=/judge/assignments/{assignment}")),
        &j.judges[0].email,
        &j.judges[0].password,
    )
    .await;
    b.wait_for("#scoring-answers [data-answer=funding]").await;
    let answers = b.text("#scoring-answers").await;
    assert!(
        answers.contains("Funding so far") && answers.contains("Seed round"),
        "{answers}"
    );
    assert!(
        !answers.contains("Kim Minjun") && !answers.contains("Founder"),
        "{answers}"
    );
    b.screenshot("questions-scoring-blind").await;
    let page = b.text("[data-screen=scoring]").await;
    assert!(!page.contains("Kim Minjun"), "{page}");

    // The organiser filters the applications by an answer.
    b.sign_out().await;
    b.sign_in(
        &app.url(&format!(
            "/login?next=/admin/contests/{}/applications",
            j.contest
        )),
        &admin.email,
        &admin.password,
    )
    .await;
    let row = format!("tr[data-application='{application}']");
    b.wait_for(&row).await;
    for (answer, listed) in [("none", false), ("seed", true)] {
        b.select("#filter-question", "funding").await;
        b.fill("#filter-answer", answer).await;
        b.click("form.filters button[type=submit]").await;
        b.wait_until(
            "filtered",
            &format!("return location.search.includes('answer={answer}') && !!document.querySelector(\"{row}\") === {listed}"),
        )
        .await;
    }
    b.quit().await;
}
