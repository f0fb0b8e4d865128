//! The screens of the whole-edition story, one helper per thing a person does there. Every
//! helper clicks and types in the browser; only `Mailbox` reads what the server sent, from the
//! test SMTP listener.

use serde_json::json;

use crate::common::smtp::SmtpServer;
use crate::common::webdriver::Browser;
use crate::common::{TestApp, link_token};

/// One message as the SMTP listener received it, decoded.
pub struct Mail {
    pub subject: String,
    pub text: String,
}

/// The test SMTP server's inbox: runs the outbox, then reads the newest message to someone.
pub struct Mailbox<'a> {
    pub app: &'a TestApp,
    pub smtp: &'a SmtpServer,
}

impl Mailbox<'_> {
    pub async fn last_to(&self, to: &str) -> Mail {
        self.app.deliver_mail().await;
        let got = self.smtp.received();
        let m = got
            .iter()
            .rev()
            .find(|m| m.to.iter().any(|r| r.contains(to)))
            .unwrap_or_else(|| panic!("no mail to {to} among {} received", got.len()));
        let parsed = mail_parser::MessageParser::default()
            .parse(m.data.as_bytes())
            .expect("a parsable message");
        Mail {
            subject: parsed.subject().unwrap_or_default().to_string(),
            text: parsed.body_text(0).unwrap_or_default().to_string(),
        }
    }

    /// The app's own address for the link with `path` in the newest mail to `to` (the mail
    /// names the configured public URL; the test server listens elsewhere).
    pub async fn link(&self, to: &str, path: &str) -> String {
        let mail = self.last_to(to).await;
        let token = link_token(&mail.text, path);
        assert!(!token.is_empty(), "no token after {path} in {}", mail.text);
        self.app.url(&format!("{path}{token}"))
    }
}

/// Clicks `css`, a link or button that leads to another screen (or the same one anew), and
/// waits until `screen` has rendered in place of the old one and nothing is loading.
pub async fn go(b: &Browser, css: &str, screen: &str) {
    b.exec(
        "const n = document.querySelector('#main > [data-screen]'); if (n) n.dataset.e2eOld = '';",
        json!([]),
    )
    .await;
    b.click(css).await;
    arrived(b, screen).await;
}

/// Waits for a fresh `screen` (one not marked by `go`) with nothing loading.
pub async fn arrived(b: &Browser, screen: &str) {
    b.wait_for(&format!(
        "#main:not([aria-busy]) > [data-screen={screen}]:not([data-e2e-old])"
    ))
    .await;
}

/// Waits until no screen has been loading for a moment: after an action that may move on to
/// another screen by itself.
pub async fn settle(b: &Browser) {
    for _ in 0..2 {
        b.wait_until(
            "nothing loading",
            "return !document.querySelector('#main[aria-busy]')",
        )
        .await;
        actix_web::rt::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}

/// Signs in on the sign-in form and waits for the home screen.
pub async fn sign_in(b: &Browser, app: &TestApp, email: &str, password: &str) {
    b.goto(&app.url("/login")).await;
    b.fill("[data-screen=login] #login-email", email).await;
    b.fill("#login-password", password).await;
    go(b, "form button[type=submit]", "home").await;
}

/// The number after `after` in the current address (`/applications/7?x` → 7).
pub async fn id_in_url(b: &Browser, after: &str) -> i64 {
    let url = b.current_url().await;
    let start = url
        .find(after)
        .unwrap_or_else(|| panic!("{after} not in {url}"))
        + after.len();
    url[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no id after {after} in {url}"))
}

/// Presses a dialog's confirming button and waits for the dialog to go.
pub async fn confirm(b: &Browser) {
    b.click("dialog .actions .btn:not(.btn-ghost)").await;
    b.wait_until(
        "the dialog closed",
        "return !document.querySelector('dialog')",
    )
    .await;
}

/// Waits for a toast whose text contains `text`.
pub async fn toast(b: &Browser, text: &str) {
    b.wait_until(
        &format!("a toast saying {text}"),
        &format!(
            "return [...document.querySelectorAll('#toasts .toast')].some((e) => e.textContent.includes({}))",
            json!(text)
        ),
    )
    .await;
}

/// Marks the link (`a`) under `scope` whose text contains `text` and returns a selector for
/// it, to click like any other.
pub async fn link_named(b: &Browser, scope: &str, text: &str) -> String {
    b.wait_until(
        &format!("a link {text} in {scope}"),
        &format!(
            "const a = [...document.querySelectorAll({})].find((e) => e.textContent.includes({})); if (!a) return false; a.dataset.e2ePick = ''; return true;",
            json!(format!("{scope} a")),
            json!(text)
        ),
    )
    .await;
    format!("{scope} a[data-e2e-pick]")
}

/// The round page's state badge reads `state` (in English).
pub async fn round_state(b: &Browser, state: &str) {
    b.wait_until(
        &format!("the round {state}"),
        &format!(
            "return !document.querySelector('#main[aria-busy]') && document.querySelector('[data-screen=admin-round] .page-head .badge')?.textContent === {}",
            json!(state)
        ),
    )
    .await;
}

/// From the header's contest list to one of the contest's pages: `edit`, `rounds`, `judges`.
pub async fn contest_page(b: &Browser, contest: i64, page: &str) {
    go(b, ".topnav a[href='/admin/contests']", "admin-contests").await;
    let screen = match page {
        "edit" => "admin-contest".to_string(),
        other => format!("admin-{other}"),
    };
    go(
        b,
        &format!("[data-contest='{contest}'] a[href='/admin/contests/{contest}/{page}']"),
        &screen,
    )
    .await;
}

/// From the dashboard to a round's page.
pub async fn round_page(b: &Browser, round: i64) {
    go(b, ".topnav a[href='/']", "home").await;
    go(
        b,
        &format!("[data-screen=home] .round-line[data-round='{round}'] a"),
        "admin-round",
    )
    .await;
}

/// A new round from the rounds list: English name, `k` reviews each, raw scores; then its
/// rubric of two criteria, the move to judging and the automatic assignment. Returns its id.
pub async fn open_round(b: &Browser, contest: i64, name: &str, k: u32, seats: usize) -> i64 {
    contest_page(b, contest, "rounds").await;
    let open = b
        .exec(
            "return document.querySelector('details.card').open",
            json!([]),
        )
        .await;
    if open != true {
        b.click("details.card summary").await;
    }
    b.fill("#round-name-en", name).await;
    b.fill("#round-k", &k.to_string()).await;
    b.select_option("#round-method", "raw").await;
    go(b, "#round-save", "admin-round").await;
    let round = id_in_url(b, "/admin/rounds/").await;

    let row =
        |n: usize, field: &str| format!("fieldset.criterion-edit:nth-of-type({n}) [name={field}]");
    for (n, (key, en, ko, weight)) in [
        (1, ("team", "Team", "팀", "2")),
        (2, ("market", "Market", "시장", "1")),
    ] {
        b.click("#add-criterion").await;
        b.fill(&row(n, "key"), key).await;
        b.fill(&row(n, "name-en"), en).await;
        b.fill(&row(n, "name-ko"), ko).await;
        b.fill(&row(n, "weight"), weight).await;
    }
    b.click("#save-rubric").await;
    b.wait_until(
        "rubric saved",
        "return [...document.querySelectorAll('fieldset.criterion-edit legend')].map((l) => l.textContent).join() === 'Team,Market'",
    )
    .await;

    go(b, "[data-tab=settings]", "admin-round").await;
    b.click("#to-judging").await;
    confirm(b).await;
    round_state(b, "Judging").await;

    go(b, "[data-tab=assignments]", "admin-round").await;
    b.click("#assign-run").await;
    b.click("#assign-preview #assign-apply").await;
    b.wait_until(
        "every seat filled",
        &format!(
            "return document.querySelectorAll('#assign-matrix button.chip').length === {seats}"
        ),
    )
    .await;
    settle(b).await;
    round
}

/// A judge scores the open round's reviews on the scoring screen: `(company, team, market)`.
pub async fn score(b: &Browser, scores: &[(&str, u32, u32)]) {
    let item = "[data-screen=judge-queue] .queue-round[data-state=judging] .queue-item";
    for (company, team, market) in scores {
        go(b, ".topnav a[href='/judge']", "judge-queue").await;
        let link = link_named(b, item, company).await;
        go(b, &link, "scoring").await;
        assert!(b.text("h1").await.contains(company), "scoring {company}");
        b.click(&format!("label[for='score-team-{team}']")).await;
        b.click(&format!("label[for='score-market-{market}']"))
            .await;
        b.fill(
            "#comment-applicant",
            &format!("{company}: scored {team} and {market}."),
        )
        .await;
        b.click("#submit-review").await;
        toast(b, "Review submitted").await;
        // The screen moves on to the next review by itself, if there is one.
        settle(b).await;
    }
    go(b, ".topnav a[href='/judge']", "judge-queue").await;
    b.wait_until(
        "every review submitted",
        &format!("return [...document.querySelectorAll({})].every((i) => i.dataset.status === 'submitted')", json!(item)),
    )
    .await;
}

/// The organiser closes a round from its settings tab; every review is in, so the confirmation
/// is the plain one.
pub async fn close_round(b: &Browser, round: i64) {
    round_page(b, round).await;
    b.click("#to-closed").await;
    b.wait_for("dialog").await;
    let body = b.text("dialog p").await;
    assert!(
        !body.contains("not submitted"),
        "all reviews were in: {body}"
    );
    confirm(b).await;
    round_state(b, "Closed").await;
}
