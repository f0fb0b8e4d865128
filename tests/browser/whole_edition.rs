//! A whole edition in Chromium, from an empty database, through the screens only (issue 15):
//! the setup link, the first administrator, a contest in three languages with two tracks,
//! opened; two founders register (one in Chinese), verify by the link mailed to the test SMTP
//! server, apply with a deck and submit; a judge is invited and accepts; the screening round
//! gets a rubric, the automatic assignment and the judge's scores; it is closed and the top one
//! advances to the final, which is judged and closed the same way; the award tiers are set,
//! the final is published, and the winner's mail, result card and the public page name the
//! award. Nothing but the browser talks to the API; the test only reads the mail.

mod applicant;
pub(crate) mod steps;

use applicant::{Founder, apply};
use steps::{
    Mailbox, close_round, confirm, contest_page, go, id_in_url, open_round, round_page,
    round_state, score, sign_in,
};

use crate::common::TestApp;
use crate::common::smtp::SmtpServer;
use crate::common::webdriver::{Browser, key};

const ADMIN_EMAIL: &str = "jiwon.park@gsc.example";
const ADMIN_PASSWORD: &str = "two regions, one contest";
const JUDGE_EMAIL: &str = "seo.yeon@hanriver.example";
const JUDGE_PASSWORD: &str = "judging startups since 2011";

const HANBIT: Founder = Founder {
    name: "Kim Minjun",
    email: "minjun@hanbit.example.kr",
    password: "robots run the warehouse 2026",
    lang: "en",
    verify_word: "Confirm your email",
    company: "Hanbit Robotics",
    native: "한빛로보틱스",
    country: "KR",
    city: "Suwon",
    track: "ai",
    summary: "Autonomous robots for warehouses.",
};

const XIHU: Founder = Founder {
    name: "王芳",
    email: "wangfang@xihu.example.cn",
    password: "西湖边的生物实验室 2026",
    lang: "zh",
    verify_word: "验证",
    company: "Xihu Bio",
    native: "西湖生物",
    country: "CN",
    city: "杭州",
    track: "bio",
    summary: "快速诊断试剂。",
};

#[actix_web::test]
async fn a_whole_edition_from_an_empty_database_on_screen() {
    let Some(b) = Browser::start("a_whole_edition_from_an_empty_database_on_screen").await else {
        return;
    };
    let smtp = SmtpServer::start().await;
    let app = TestApp::with_smtp(&smtp.url()).await;
    let mail = Mailbox {
        app: &app,
        smtp: &smtp,
    };
    let mut errors = Vec::new();

    // The one-time link the server printed makes the first administrator.
    b.goto(&app.url(&app.setup_link().await)).await;
    b.fill("[data-screen=setup] #setup-name", "Park Ji-won")
        .await;
    b.fill("#setup-email", ADMIN_EMAIL).await;
    b.fill("#setup-password", ADMIN_PASSWORD).await;
    b.fill("#setup-password2", ADMIN_PASSWORD).await;
    go(&b, "form button[type=submit]", "home").await;

    // A contest with names in three languages and two tracks, listed and open.
    go(&b, "[data-screen=home] #new-contest", "admin-contest").await;
    b.fill("#contest-slug", "gsc-2027").await;
    b.fill("#contest-name-en", "Global Start-up Contest 2027")
        .await;
    b.fill("#contest-name-ko", "글로벌 스타트업 공모전 2027")
        .await;
    b.fill("#contest-name-zh", "全球创业大赛 2027").await;
    b.fill(
        "#contest-description-en",
        "Gyeonggi and Hangzhou, together.",
    )
    .await;
    let track =
        |n: usize, field: &str| format!("#contest-tracks fieldset:nth-of-type({n}) [name={field}]");
    let tracks = [
        (1, ["ai", "AI", "인공지능", "人工智能"]),
        (2, ["bio", "Bio & Health", "바이오", "生物健康"]),
    ];
    for (n, names) in tracks {
        if n > 1 {
            b.click("#add-track").await;
        }
        for (field, value) in ["key", "name-en", "name-ko", "name-zh"].iter().zip(names) {
            b.fill(&track(n, field), value).await;
        }
    }
    // Opened two days ago at 09:00 on Seoul's clock, typed into the date picker (month, day,
    // year, then the time); it closes by the form's default, a month on. ("Open now" here
    // and "Close now" below could fall in the same minute, which the form cannot save.)
    let opened = chrono::Utc::now() - chrono::Duration::days(2);
    let typed = format!("{}{}0900AM", opened.format("%m%d%Y"), key::TAB);
    b.fill("#contest-opens", &typed).await;
    let expected = format!("{}T09:00", opened.format("%Y-%m-%d"));
    assert_eq!(b.value("#contest-opens").await, expected);
    b.click("#contest-published").await;
    go(&b, "#contest-save", "admin-rounds").await;
    let contest = id_in_url(&b, "/admin/contests/").await;
    errors.extend(b.console_errors().await);
    b.sign_out().await;

    // Two founders apply; the second does it all in Chinese.
    let hanbit = apply(&b, &mail, contest, &HANBIT).await;
    let xihu = apply(&b, &mail, contest, &XIHU).await;
    errors.extend(b.console_errors().await);

    // The organiser closes the window and invites a judge.
    sign_in(&b, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    contest_page(&b, contest, "edit").await;
    go(&b, "#contest-close-now", "admin-contest").await;
    assert!(
        b.find("#contest-close-now").await.is_none(),
        "the window is closed"
    );
    contest_page(&b, contest, "judges").await;
    b.fill("#invite-judge-name", "Seo Yeon").await;
    b.fill("#invite-judge-email", JUDGE_EMAIL).await;
    b.fill("#invite-judge-org", "Han River Ventures").await;
    b.select_option("#invite-judge-region", "KR").await;
    b.select_option("#invite-exp-ai", "3").await;
    go(&b, "#invite-judge-send", "admin-judges").await;
    b.wait_for("#judges-table tr[data-status=invited]").await;
    b.sign_out().await;

    // The judge accepts by the emailed link.
    b.goto(&mail.link(JUDGE_EMAIL, "/accept-invitation?token=").await)
        .await;
    b.fill("#invite-password", JUDGE_PASSWORD).await;
    b.fill("#invite-password-again", JUDGE_PASSWORD).await;
    go(&b, "form button[type=submit]", "judge-profile").await;
    b.sign_out().await;

    // The screening round: rubric, judging, automatic assignment (one review each).
    sign_in(&b, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let screening = open_round(&b, contest, "Screening", 1, 2).await;
    b.sign_out().await;

    // The judge scores the two differently.
    sign_in(&b, &app, JUDGE_EMAIL, JUDGE_PASSWORD).await;
    score(&b, &[(HANBIT.company, 5, 4), (XIHU.company, 2, 3)]).await;
    errors.extend(b.console_errors().await);
    b.sign_out().await;

    // Closed; the results rank Hanbit first and the top one advances.
    sign_in(&b, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    close_round(&b, screening).await;
    go(&b, "[data-tab=results]", "admin-round").await;
    let ranked = |id: i64, rank: u32| {
        format!("#results-table tr[data-application='{id}'][data-rank='{rank}']")
    };
    b.wait_for(&ranked(hanbit, 1)).await;
    b.wait_for(&ranked(xihu, 2)).await;
    b.fill("#advance-n", "1").await;
    go(&b, "#advance-go", "admin-round").await;
    b.wait_for(&format!(
        "#results-table tr[data-application='{hanbit}'] .badge-ok"
    ))
    .await;
    let advanced = b
        .exec(
            "return document.querySelectorAll('#results-table .badge-ok').length",
            serde_json::json!([]),
        )
        .await;
    assert_eq!(advanced, 1, "only the top one advanced");

    // The final: the one finalist, judged the same way.
    let fin = open_round(&b, contest, "Final", 1, 1).await;
    b.sign_out().await;
    sign_in(&b, &app, JUDGE_EMAIL, JUDGE_PASSWORD).await;
    score(&b, &[(HANBIT.company, 4, 5)]).await;
    b.sign_out().await;

    // Closed; the award tiers are set in the contest's settings; the final is published.
    sign_in(&b, &app, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    close_round(&b, fin).await;
    contest_page(&b, contest, "edit").await;
    b.click("#add-award").await;
    let tier = [
        ("key", "grand"),
        ("places", "1"),
        ("name-en", "Grand Prize"),
        ("name-ko", "대상"),
        ("name-zh", "特等奖"),
        ("prize-en", "KRW 30,000,000"),
    ];
    for (field, value) in tier {
        b.fill(
            &format!("#contest-awards fieldset:last-child [name={field}]"),
            value,
        )
        .await;
    }
    go(&b, "#contest-save", "admin-contest").await;
    let legend = b.text("#contest-awards fieldset legend").await;
    assert_eq!(legend, "Grand Prize", "the tier saved");
    round_page(&b, fin).await;
    go(&b, "[data-tab=results]", "admin-round").await;
    b.wait_for(&format!(
        "#award-places [data-award=grand] [data-application='{hanbit}']"
    ))
    .await;
    b.click("#publish").await;
    let grand = b.text("dialog .publish-counts [data-award=grand]").await;
    assert!(grand.contains(HANBIT.company), "{grand}");
    confirm(&b).await;
    round_state(&b, "Published").await;
    errors.extend(b.console_errors().await);
    b.sign_out().await;

    // The winner's mail names the award.
    let won = mail.last_to(HANBIT.email).await;
    assert!(won.subject.contains("Grand Prize"), "{}", won.subject);
    assert!(won.text.contains("Grand Prize"), "{}", won.text);

    // So does the winner's result card.
    sign_in(&b, &app, HANBIT.email, HANBIT.password).await;
    let mine = format!("[data-screen=home] [data-application='{hanbit}'] a");
    go(&b, &mine, "application").await;
    let card = b.text("#my-result .award-won").await;
    assert!(card.contains("Grand Prize"), "{card}");
    b.select_option("#lang-switch", "ko").await;
    b.wait_until(
        "the award in Korean",
        "return (document.querySelector('#my-result .award-won')?.textContent || '').includes('대상')",
    )
    .await;
    b.select_option("#lang-switch", "en").await;

    // And the public results page, reached from the contest's page.
    go(&b, ".topnav a[href='/contests']", "contests").await;
    go(
        &b,
        &format!("[data-screen=contests] [data-contest='{contest}'] a"),
        "contest",
    )
    .await;
    go(&b, "#contest-results-link a", "public-results").await;
    let public = b
        .text("[data-screen=public-results] [data-award=grand]")
        .await;
    assert!(
        public.contains("Grand Prize") && public.contains(HANBIT.company),
        "{public}"
    );
    b.screenshot("whole-edition-public").await;
    errors.extend(b.console_errors().await);
    assert!(errors.is_empty(), "console errors: {errors:?}");
    b.quit().await;
}
