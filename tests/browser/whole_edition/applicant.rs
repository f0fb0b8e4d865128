//! A founder's way in, on screen: from the public home page to the contest, registering in
//! their language, the verification link from their inbox, the form, the deck and the submit.

use super::steps::{Mailbox, arrived, go, id_in_url};
use crate::common::webdriver::Browser;

pub struct Founder {
    pub name: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    /// `en`, `ko` or `zh`: chosen in the header before registering, kept on the account.
    pub lang: &'static str,
    /// A word of the verification mail's subject in that language.
    pub verify_word: &'static str,
    pub company: &'static str,
    pub native: &'static str,
    pub country: &'static str,
    pub city: &'static str,
    pub track: &'static str,
    pub summary: &'static str,
}

/// Registers, verifies, fills, uploads and submits; returns the application's id and leaves the
/// founder signed out.
pub async fn apply(b: &Browser, mail: &Mailbox<'_>, contest: i64, f: &Founder) -> i64 {
    b.goto(&mail.app.url("/")).await;
    arrived(b, "home").await;
    if f.lang != "en" {
        b.select_option("#lang-switch", f.lang).await;
        b.wait_until(
            "the page in the founder's language",
            &format!(
                "return document.documentElement.lang.startsWith('{}')",
                f.lang
            ),
        )
        .await;
    }
    let card = format!("[data-screen=home] [data-contest='{contest}'] a");
    go(b, &card, "contest").await;
    go(b, "#apply", "register").await;

    b.fill("#reg-name", f.name).await;
    b.fill("#reg-email", f.email).await;
    b.fill("#reg-password", f.password).await;
    b.click("form button[type=submit]").await;
    b.wait_for("[data-state=check-email]").await;

    let verify = mail.last_to(f.email).await;
    assert!(
        verify.subject.contains(f.verify_word),
        "the verification mail in {}: {}",
        f.lang,
        verify.subject
    );
    b.goto(&mail.link(f.email, "/verify-email?token=").await)
        .await;
    arrived(b, "contest").await;
    go(b, "#apply:not([disabled])", "application").await;
    let id = id_in_url(b, "/applications/").await;
    let fields = [
        ("#app-company_name", f.company),
        ("#app-company_name_native", f.native),
        ("#app-city", f.city),
        ("#app-founded_year", "2023"),
        ("#app-team_size", "6"),
        ("#app-website", "https://startup.example.com"),
        ("#app-summary", f.summary),
        ("#app-problem", "Too much manual work."),
        ("#app-solution", "Software that does it."),
        ("#app-market", "Asia, then the world."),
        ("#app-traction", "Two pilot customers."),
        ("#team-0-name", f.name),
        ("#team-0-role", "CEO"),
    ];
    for (css, value) in fields {
        b.fill(css, value).await;
    }
    b.select_option("#app-country", f.country).await;
    b.select_option("#app-stage", "mvp").await;
    b.select_option("#app-track", f.track).await;
    b.wait_until(
        "autosaved",
        "return document.querySelector('.autosave')?.dataset.state === 'saved'",
    )
    .await;

    let pdf = mail.app.dir.path().join(format!("{} deck.pdf", f.company));
    std::fs::write(&pdf, jury::applications::pdf::sample(f.company)).expect("write deck");
    let input = b.wait_for("#app-deck").await;
    b.send_file(&input, &pdf).await;
    b.wait_until(
        "deck uploaded",
        "return document.querySelector('#deck-info')?.textContent.includes('deck.pdf') && !document.querySelector('#submit-application').disabled",
    )
    .await;
    b.click("#submit-application").await;
    b.wait_for("[data-status=submitted]").await;
    b.sign_out().await;
    id
}
