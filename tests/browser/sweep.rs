//! The sweep: every route in `frontend/js/routes.js`, for every role that may open it, in
//! English, Korean and Chinese, at 1366×900 and 390×844, on the demo contest (full screens)
//! and on a second contest with nothing in it (empty states). On each page it runs axe-core
//! (vendored from npm in `vendor/`) and the checks in `sweep/checks.js`: visible `null`,
//! `undefined`, `NaN` or `[object`, raw i18n keys, raw codes on ko/zh pages, sideways
//! scrolling and table cells squeezed to one character per line; plus the console errors the
//! page logged; a new applicant's screens add empty states. Every problem of a run is
//! collected and listed at the end: path, role, language, width, problem. The pages swept
//! are in `sweep/pages.rs`.
//!
//! One test per role so they run in parallel; each browser signs in once and moves between
//! pages by clicking a link (as a person would), with a full load for each language and width.
//! Frontend-only, so it runs on the SQLite pass only.

use std::time::Instant;

use serde_json::{Value, json};

use crate::common::webdriver::Browser;
use crate::common::{PASSWORD, TestApp, User, use_postgres};

mod pages;
use pages::{Ids, codes, paths, routes, staff_pages};

const AXE: &str = include_str!("vendor/axe.min.js");
const CHECKS: &str = include_str!("sweep/checks.js");
const EN: &str = include_str!("../../frontend/i18n/en.json");
const LANGS: [&str; 3] = ["en", "ko", "zh"];
const WIDTHS: [(u32, u32); 2] = [(1366, 900), (390, 844)];

/// Known problems allowed for a while, so the sweep keeps guarding everything else while a
/// fix is under way elsewhere: (role, text in the path, text in the problem). Empty now; an
/// entry that matches nothing fails the sweep, so none can outlive its fix.
const KNOWN: &[(&str, &str, &str)] = &[];

async fn seed(app: &TestApp) -> (jury::demo::Demo, Ids) {
    let demo = jury::demo::seed(&app.state, 40, 12)
        .await
        .expect("seed demo");
    let admin = app.login(&demo.admin_email, jury::demo::PASSWORD).await;
    let empty_contest = app.contest(&admin).await;
    let applicant = app.login(&demo.applicant_email, jury::demo::PASSWORD).await;
    let mine = app
        .get("/api/v1/me/applications")
        .by(&applicant)
        .send()
        .await;
    let judge = app.login(&demo.judge_kr_email, jury::demo::PASSWORD).await;
    let queue = app.get("/api/v1/me/assignments").by(&judge).send().await;
    let rounds = app
        .get(&format!("/api/v1/contests/{}/rounds", demo.contest))
        .by(&admin)
        .send()
        .await;
    // The first round's audience vote, open with ticket codes (the second round has none).
    let round = rounds.body[0]["id"].as_i64().expect("round");
    let vote = app
        .req(
            actix_web::http::Method::PUT,
            &format!("/api/v1/rounds/{round}/audience-vote"),
        )
        .by(&admin)
        .json(&json!({"mode": "tickets"}))
        .await;
    let vote_key = vote.body["vote_url"].as_str().unwrap_or_default();
    let vote_key = vote_key.rsplit('/').next().unwrap_or_default().to_string();
    app.post(&format!("/api/v1/rounds/{round}/audience-vote/tickets"))
        .by(&admin)
        .json(&json!({"generate": 5}))
        .await;
    app.post(&format!("/api/v1/rounds/{round}/audience-vote/transition"))
        .by(&admin)
        .json(&json!({"to": "open"}))
        .await;
    // The demo's two preliminaries (issue 22) come first; the joint final is the last round.
    let all_rounds = rounds.body.as_array().map(Vec::len).unwrap_or_default();
    let final_round = rounds.body[all_rounds - 1]["id"].as_i64().expect("final");
    let link = app
        .post(&format!("/api/v1/rounds/{final_round}/live/display-link"))
        .by(&admin)
        .send()
        .await;
    assert_eq!(link.status, 201, "{}", link.text);
    let first = |v: &Value, key: &str| v[0][key].as_i64().unwrap_or_else(|| panic!("{key} in {v}"));
    let ids = Ids {
        contest: demo.contest,
        empty_contest,
        application: first(&mine.body, "id"),
        assignment: first(&queue.body["items"], "assignment_id"),
        rounds: (0..all_rounds)
            .map(|i| rounds.body[i]["id"].as_i64().expect("round"))
            .collect(),
        vote: vote_key,
        display: link.body["token"].as_str().expect("token").to_string(),
    };
    (demo, ids)
}

/// Waits until the screen for the current URL is rendered and its requests have settled.
const SETTLE: &str = include_str!("sweep/settle.js");

/// Follows a link to `path` the way a click does (the router takes over; axe stays loaded).
const FOLLOW: &str = "document.getElementById('main').firstElementChild.dataset.sweepSeen = '1'; const a = document.createElement('a'); a.href = arguments[0]; document.body.append(a); a.click(); a.remove();";

struct Sweep {
    b: Browser,
    app_url: String,
    keys: Vec<String>,
    problems: Vec<String>,
    pages: usize,
}

impl Sweep {
    /// Every page of `pages` in each language and width, as `user` (signed in) or anonymous.
    async fn pass(&mut self, app: &TestApp, user: Option<&User>, role: &str, pages: &[String]) {
        for lang in LANGS {
            match user {
                Some(u) => {
                    let res = app
                        .patch("/api/v1/me")
                        .by(u)
                        .json(&json!({"locale": lang}))
                        .await;
                    assert_eq!(res.status, 200, "{}", res.text);
                }
                None => {
                    self.b.goto(&app.url("/contests")).await;
                    self.b
                        .exec(
                            "localStorage.setItem('jury.locale', arguments[0])",
                            json!([lang]),
                        )
                        .await;
                }
            }
            for (w, h) in WIDTHS {
                self.b
                    .cdp(
                        "Emulation.setDeviceMetricsOverride",
                        json!({"width": w, "height": h, "deviceScaleFactor": 1, "mobile": w < 600}),
                    )
                    .await;
                let label = format!("{role} | {lang} | {w}");
                for (i, path) in pages.iter().enumerate() {
                    self.check(path, i == 0, &label).await;
                }
            }
        }
    }

    /// Opens `path` (`full`: a page load; else a link click) and records what is wrong.
    async fn check(&mut self, path: &str, full: bool, label: &str) {
        if full {
            self.b.goto(&format!("{}{path}", self.app_url)).await;
        } else {
            self.b.exec(FOLLOW, json!([path])).await;
        }
        let screen = self.b.execute_async(SETTLE, json!([])).await;
        let mut found = Vec::new();
        match screen.as_str() {
            None => found.push("never finished rendering".to_string()),
            Some("error") | Some("notfound") => {
                let text = self.b.text("#main").await;
                found.push(format!(
                    "shows the {screen} screen: {}",
                    text.replace('\n', " ")
                ));
            }
            Some(_) => {}
        }
        if self.b.exec("return !!window.axe", json!([])).await != Value::Bool(true) {
            self.b.exec(AXE, json!([])).await;
        }
        let lang = self
            .b
            .exec(
                "return document.documentElement.lang.slice(0, 2)",
                json!([]),
            )
            .await;
        let codes = codes();
        let checked = self
            .b
            .execute_async(CHECKS, json!([self.keys, codes, lang]))
            .await;
        found.extend(
            checked
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_str().map(str::to_string)),
        );
        found.extend(
            self.b
                .unexpected_console_errors()
                .await
                .into_iter()
                .map(|e| format!("console error: {e}")),
        );
        self.pages += 1;
        for p in found {
            self.problems.push(format!("{path} | {label} | {p}"));
        }
    }
}

/// Sweeps every page `role` may open, signed in as the demo's user of that role.
async fn sweep(role: &str) {
    let test = format!("sweep_{role}");
    if use_postgres() {
        eprintln!(
            "SKIP {test} on PostgreSQL: it checks the frontend, which the SQLite pass covers"
        );
        return;
    }
    let Some(b) = Browser::start(&test).await else {
        return;
    };
    let started = Instant::now();
    let app = TestApp::new().await;
    let (demo, ids) = seed(&app).await;
    let email = match role {
        "applicant" => Some(demo.applicant_email.clone()),
        "judge" => Some(demo.judge_kr_email.clone()),
        "admin" => Some(demo.admin_email.clone()),
        "staff" => demo.staff_emails.first().cloned(),
        _ => None,
    };
    let pages: Vec<String> = if role == "staff" {
        staff_pages(&ids)
    } else {
        routes()
            .into_iter()
            .filter(|(_, roles)| roles.contains(&role))
            .flat_map(|(pattern, _)| paths(&pattern, role, &ids))
            .collect()
    };
    let en: serde_json::Map<String, Value> = serde_json::from_str(EN).expect("en.json");
    let mut s = Sweep {
        b,
        app_url: app.base_url.clone(),
        keys: en.keys().cloned().collect(),
        problems: Vec::new(),
        pages: 0,
    };
    let user = match &email {
        Some(email) => {
            s.b.sign_in(&app.url("/login"), email, jury::demo::PASSWORD)
                .await;
            s.b.wait_until(
                "signed in",
                "return !document.getElementById('logout').hidden",
            )
            .await;
            Some(app.login(email, jury::demo::PASSWORD).await)
        }
        None => None,
    };
    s.pass(&app, user.as_ref(), role, &pages).await;
    // The empty state: a new applicant with no application yet.
    if role == "applicant" {
        // At phone width sign-out is inside the closed menu: sign out at desktop width.
        s.b.cdp("Emulation.clearDeviceMetricsOverride", json!({}))
            .await;
        s.b.sign_out().await;
        let fresh = app.applicant().await;
        s.b.sign_in(&app.url("/login"), &fresh.email, PASSWORD)
            .await;
        s.b.wait_for("[data-screen=home]").await;
        let empty = ["/", "/account/data", "/notifications"].map(String::from);
        s.pass(&app, Some(&fresh), "applicant (new)", &empty).await;
    }
    let mut problems = std::mem::take(&mut s.problems);
    for (_, path, text) in KNOWN.iter().filter(|k| k.0 == role) {
        let before = problems.len();
        problems.retain(|p| {
            let (page, problem) = p.split_once(" | ").unwrap_or_default();
            !(page.contains(path) && problem.contains(text))
        });
        if problems.len() == before {
            problems.push(format!(
                "{path} | {role} | allow-list entry {text} matches nothing: remove it"
            ));
        }
    }
    eprintln!(
        "{test}: {} pages ({} paths × {} languages × {} widths, and empty states) in {:.0?}",
        s.pages,
        pages.len(),
        LANGS.len(),
        WIDTHS.len(),
        started.elapsed()
    );
    s.b.quit().await;
    assert!(
        problems.is_empty(),
        "{test}: {} problem(s) (path | role | language | width | problem):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[actix_web::test]
async fn sweep_anonymous() {
    sweep("anonymous").await;
}

#[actix_web::test]
async fn sweep_applicant() {
    sweep("applicant").await;
}

#[actix_web::test]
async fn sweep_judge() {
    sweep("judge").await;
}

#[actix_web::test]
async fn sweep_admin() {
    sweep("admin").await;
}

/// The Korean organiser's staff (issue 22): the screens of their scope, in their own view.
#[actix_web::test]
async fn sweep_staff() {
    sweep("staff").await;
}
