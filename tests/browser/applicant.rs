//! The applicant journey in Chromium: register, verify by the emailed link, fill the form in
//! Korean, upload a PDF with progress, submit, and see the submitted state; then the admin's
//! list finds it.

use serde_json::json;

use crate::common::webdriver::Browser;
use crate::common::{TestApp, link_token};

#[actix_web::test]
async fn register_verify_fill_in_korean_upload_and_submit() {
    let Some(b) = Browser::start("register_verify_fill_in_korean_upload_and_submit").await else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;

    b.goto(&app.url(&format!("/contests/{contest}"))).await;
    b.wait_for("[data-screen=contest] #apply").await;
    b.select("#lang-switch", "ko").await;
    b.wait_until(
        "Korean landing",
        "return document.querySelector('#apply')?.textContent === '계정을 만들고 지원하기'",
    )
    .await;
    b.screenshot("contest-landing-ko").await;
    b.click("#apply").await;

    b.wait_for("[data-screen=register] #reg-name").await;
    b.fill("#reg-name", "김민준").await;
    b.fill("#reg-email", "minjun@hanbit.example.kr").await;
    b.fill("#reg-password", "password").await;
    b.click("form button[type=submit]").await;
    b.wait_for("#reg-password[aria-invalid=true]").await;
    b.fill("#reg-password", "로봇이 창고를 달린다 2026").await;
    b.click("form button[type=submit]").await;
    b.wait_for("[data-state=check-email]").await;

    let mails = app.deliver_mail().await;
    let mail = mails
        .iter()
        .find(|m| m.to == "minjun@hanbit.example.kr")
        .expect("verification mail");
    assert!(
        mail.subject.contains("인증"),
        "Korean mail: {}",
        mail.subject
    );
    let token = link_token(&mail.text, "/verify-email?token=");
    b.goto(&app.url(&format!("/verify-email?token={token}")))
        .await;
    b.wait_for("[data-screen=contest] #apply:not([disabled])")
        .await;
    b.click("#apply").await;

    b.wait_for("[data-screen=application] #app-company_name")
        .await;
    let fields = [
        ("#app-company_name", "Hanbit Robotics"),
        ("#app-company_name_native", "한빛로보틱스"),
        ("#app-city", "수원"),
        ("#app-founded_year", "2022"),
        ("#app-team_size", "12"),
        ("#app-website", "https://hanbit.example.kr"),
        ("#app-summary", "물류 창고용 자율 주행 로봇을 만듭니다."),
        ("#app-problem", "창고 인력이 부족합니다."),
        ("#app-solution", "저렴한 자율 이동 로봇."),
        ("#app-market", "국내 물류 시장."),
        ("#app-traction", "파일럿 고객 세 곳."),
        ("#team-0-name", "김민준"),
        ("#team-0-role", "대표"),
    ];
    for (css, value) in fields {
        b.fill(css, value).await;
    }
    b.select("#app-country", "KR").await;
    b.select("#app-stage", "mvp").await;
    b.select("#app-track", "ai").await;
    b.wait_until(
        "autosaved",
        "return document.querySelector('.autosave')?.dataset.state === 'saved'",
    )
    .await;
    assert!(
        b.exec(
            "return document.querySelector('#submit-application').disabled",
            json!([])
        )
        .await
            == true,
        "no deck yet"
    );

    let pdf = app.dir.path().join("한빛 IR.pdf");
    std::fs::write(&pdf, jury::applications::pdf::sample("Hanbit Robotics")).unwrap();
    let input = b.wait_for("#app-deck").await;
    b.send_file(&input, &pdf).await;
    b.wait_until(
        "deck uploaded",
        "return document.querySelector('#deck-info')?.textContent.includes('한빛 IR.pdf')",
    )
    .await;
    b.wait_until(
        "complete",
        "return document.querySelector('progress')?.value === 100",
    )
    .await;
    b.screenshot("application-form-ko").await;

    b.click("#submit-application").await;
    b.wait_for("[data-status=submitted]").await;
    b.screenshot("application-submitted-ko").await;

    let id = app
        .db(|c| {
            use diesel::prelude::*;
            use jury::db::schema::applications;
            Ok(applications::table
                .select((
                    applications::id,
                    applications::status,
                    applications::company_name_native,
                ))
                .first::<(i64, String, String)>(c)?)
        })
        .await;
    assert_eq!(
        (id.1.as_str(), id.2.as_str()),
        ("submitted", "한빛로보틱스")
    );
    let mails = app.deliver_mail().await;
    assert!(
        mails.iter().any(|m| m.subject.contains("지원서 접수 완료")),
        "confirmation in Korean"
    );

    // The organiser finds it in the admin list.
    b.click("#logout").await;
    b.wait_for("[data-screen=login] #login-email").await;
    b.fill("#login-email", &admin.email).await;
    b.fill("#login-password", crate::common::PASSWORD).await;
    b.click("form button[type=submit]").await;
    b.wait_for("[data-screen=home]").await;
    b.goto(&app.url(&format!(
        "/admin/contests/{contest}/applications?status=submitted"
    )))
    .await;
    b.wait_for(&format!("tr[data-application='{}']", id.0))
        .await;
    assert!(b.text("#result-count").await.contains('1'));
    b.screenshot("admin-applications").await;

    // Opening one shows the application read-only.
    b.click(&format!("tr[data-application='{}'] a", id.0)).await;
    b.wait_for("[data-screen=application] [data-status=submitted]")
        .await;
    assert_eq!(
        b.exec(
            "return document.querySelector('#app-company_name').value",
            json!([])
        )
        .await,
        "Hanbit Robotics"
    );
    assert_eq!(
        b.exec(
            "return document.querySelector('#app-company_name').disabled",
            json!([])
        )
        .await,
        true
    );
    assert_eq!(
        b.exec(
            "return document.querySelector('#submit-application').hidden",
            json!([])
        )
        .await,
        true
    );
    b.quit().await;
}
