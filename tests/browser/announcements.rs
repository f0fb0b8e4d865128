//! An announcement in Chromium, on a phone, with the screen in Korean: the administrator picks
//! the submitted applicants, writes English and Korean text, sees the count and the Korean
//! preview, confirms the count and sends; the announcement is listed and each applicant's mail
//! arrives once, in Korean for Korean readers and in English for the others. Back on a
//! desktop in English, the list and the audit log show it in words.

use diesel::prelude::*;
use serde_json::json;

use crate::common::TestApp;
use crate::common::webdriver::Browser;

const SUBJECT_EN: &str = "Final pitch day on 18 December";
const SUBJECT_KO: &str = "12월 18일 결선 발표회 안내";

#[actix_web::test]
async fn an_admin_sends_an_announcement_in_two_languages() {
    let Some(b) = Browser::start("an_admin_sends_an_announcement_in_two_languages").await else {
        return;
    };
    let app = TestApp::new().await;
    let demo = jury::demo::seed(&app.state, 16, 6).await.expect("seed");
    let contest = demo.contest;
    app.deliver_mail().await;
    let before = app.deliver_mail().await.len();
    // What the API says the chosen audience reaches, to compare with the screen.
    let admin = app.login(&demo.admin_email, jury::demo::PASSWORD).await;
    let audience = json!({"group": "applicants", "statuses": ["submitted"]});
    let expected = app
        .post(&format!("/api/v1/contests/{contest}/announcements/preview"))
        .by(&admin)
        .json(&json!({"audience": audience, "subject": {}, "body": {}}))
        .await
        .body["recipients"]
        .as_i64()
        .expect("recipients");
    assert!(expected > 0, "the demo has submitted applications");

    b.set_window_size(390, 844).await;
    b.sign_in(
        &app.url(&format!(
            "/login?next=/admin/contests/{contest}/announcements"
        )),
        &demo.admin_email,
        jury::demo::PASSWORD,
    )
    .await;
    b.wait_for("[data-screen=admin-announcements] #ann-form")
        .await;
    b.select("#lang-switch", "ko").await;
    b.wait_until(
        "the screen in Korean, nothing sent yet",
        "return document.documentElement.lang === 'ko' && /[가-힣]/.test(document.querySelector('h1').textContent) && !!document.querySelector('[data-screen=admin-announcements] .empty')",
    )
    .await;

    b.select("#ann-group", "applicants").await;
    b.fill("#ann-subject-en", SUBJECT_EN).await;
    b.fill(
        "#ann-body-en",
        "The final is at the Gyeonggi Start-up Campus.",
    )
    .await;
    b.click("#ann-tab-ko").await;
    b.fill("#ann-subject-ko", SUBJECT_KO).await;
    b.fill("#ann-body-ko", "결선은 경기 스타트업 캠퍼스에서 열립니다.")
        .await;
    b.wait_until(
        "the count and the Korean preview",
        &format!(
            "return document.querySelector('#ann-count').textContent.includes('{expected}') && document.querySelector('#ann-preview-subject').textContent === '{SUBJECT_KO}' && document.querySelector('#ann-preview-text').textContent.includes('결선은 경기')"
        ),
    )
    .await;
    // The layout holds at phone width: nothing wider than the screen.
    b.wait_until(
        "no sideways scrolling",
        "return document.documentElement.scrollWidth <= window.innerWidth",
    )
    .await;
    b.screenshot("announcement-ko-phone").await;

    b.click("#ann-send").await;
    b.wait_for("dialog[open]").await;
    let question = b.text("dialog[open] p").await;
    assert!(
        question.contains(&expected.to_string()),
        "the confirmation names the count: {question}"
    );
    assert!(
        b.text("#ann-status").await.is_empty(),
        "nothing is called sent before the server said so"
    );
    b.click("dialog[open] .actions .btn:not(.btn-ghost)").await;
    b.wait_until(
        "sent, and listed",
        &format!(
            "return document.querySelector('#ann-status').textContent.includes('{expected}') && document.querySelectorAll('#ann-table tbody tr').length === 1"
        ),
    )
    .await;
    b.screenshot("announcement-sent").await;

    // On a desktop, in English, the list names it by its English subject and audience.
    b.set_window_size(1280, 900).await;
    b.select("#lang-switch", "en").await;
    b.wait_until(
        "the list in English",
        &format!(
            "const row = document.querySelector('#ann-table tbody tr'); return document.documentElement.lang === 'en' && !!row && row.textContent.includes('{SUBJECT_EN}') && row.textContent.includes('Applicants · Submitted')"
        ),
    )
    .await;
    b.screenshot("announcement-desktop-en").await;
    b.exec("window.scrollTo(0, 0)", json!([])).await;
    b.screenshot("announcement-desktop-top").await;

    // The audit log names the audience in words.
    b.goto(&app.url("/admin/audit")).await;
    b.fill("#audit-action", "announcement.sent").await;
    b.click("form.filters button[type=submit]").await;
    b.wait_until(
        "the announcement in the audit log, in words",
        "const rows = document.querySelectorAll('#audit-table > tbody > tr'); return rows.length === 1 && rows[0].textContent.includes('Announcement sent') && rows[0].textContent.includes('Applicants') && rows[0].textContent.includes('Submitted')",
    )
    .await;
    let errors = b.unexpected_console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    b.quit().await;

    // Each recipient got one mail, Korean readers in Korean, the others in English.
    let mails = app.deliver_mail().await;
    let ours: Vec<_> = mails[before..]
        .iter()
        .filter(|m| m.subject == SUBJECT_EN || m.subject == SUBJECT_KO)
        .collect();
    assert_eq!(ours.len() as i64, expected, "one mail per person");
    let mut seen = std::collections::BTreeSet::new();
    for m in ours {
        assert!(seen.insert(m.to.clone()), "{} got two", m.to);
        let to = m.to.clone();
        let locale: String = app
            .db(move |c| {
                use jury::db::schema::users;
                Ok(users::table
                    .filter(users::email.eq(to))
                    .select(users::locale)
                    .first(c)?)
            })
            .await;
        let want = if locale == "ko" {
            SUBJECT_KO
        } else {
            SUBJECT_EN
        };
        assert_eq!(m.subject, want, "{} reads {locale}", m.to);
    }
}
