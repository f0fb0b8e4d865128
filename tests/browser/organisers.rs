//! Joint organisers (issue 22) in Chromium: the Korean organiser's staff on a phone and the
//! Chinese organiser's staff on a desktop, two sessions at once, each close their preliminary
//! and advance two from its results tab; each sees only their own organisation's dashboard.
//! Then the owner opens the joint final from its round page and auto-assigns it, and its panels
//! draw on both sides' judges.

use std::collections::BTreeSet;

use serde_json::json;

use crate::common::webdriver::{Browser, browser_or_skip};
use crate::common::{TestApp, User};
use crate::whole_edition::steps::{arrived, confirm, go, round_state};

/// Both sides' preliminaries judging, every review in, through the API.
async fn judged(app: &TestApp, owner: &User) -> (crate::common::Joint, [Vec<User>; 2]) {
    let j = app.joint(owner).await;
    for n in 0..3 {
        app.submitted_from(j.contest, "KR", n).await;
        app.submitted_from(j.contest, "CN", n).await;
    }
    let mut judges: [Vec<User>; 2] = Default::default();
    for (side, region) in [(0, "KR"), (1, "CN")] {
        for i in 0..2 {
            let who = app
                .invited_judge(
                    &j.staff[side],
                    j.contest,
                    region,
                    &format!("{region} Fund {i}"),
                )
                .await;
            judges[side].push(who);
        }
        let round = j.prelims[side];
        let res = app
            .post(&format!("/api/v1/rounds/{round}/transition"))
            .by(&j.staff[side])
            .json(&json!({"to": "judging"}))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        let res = app
            .post(&format!("/api/v1/rounds/{round}/assignments/auto"))
            .by(&j.staff[side])
            .json(&json!({}))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        for judge in &judges[side] {
            let queue = app.get("/api/v1/me/assignments").by(judge).await;
            for (i, item) in queue.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .enumerate()
            {
                let a = item["assignment_id"].as_i64().expect("assignment");
                let res = app
                    .post(&format!("/api/v1/assignments/{a}/review/submit"))
                    .by(judge)
                    .json(&json!({"scores": {"team": 1 + (i % 5), "market": 7}}))
                    .await;
                assert_eq!(res.status, 200, "{}", res.text);
            }
        }
    }
    (j, judges)
}

async fn sign_in(b: &Browser, app: &TestApp, who: &User, next: &str) {
    b.sign_in(
        &app.url(&format!("/login?next={next}")),
        &who.email,
        &who.password,
    )
    .await;
}

/// A staff member closes their preliminary and advances its top two from the results tab.
async fn close_and_advance(b: &Browser, round: i64) {
    b.click("#to-closed").await;
    b.wait_for("dialog").await;
    confirm(b).await;
    round_state(b, "Closed").await;
    go(b, "[data-tab=results]", "admin-round").await;
    b.wait_for("#results-table").await;
    b.fill("#advance-n", "2").await;
    go(b, "#advance-go", "admin-round").await;
    b.wait_until(
        "two advanced",
        "return document.querySelectorAll('#results-table .badge-ok').length === 2",
    )
    .await;
    let _ = round;
}

#[actix_web::test]
async fn two_organisers_advance_in_parallel_and_the_owner_opens_the_joint_final() {
    let Some(chrome) = browser_or_skip() else {
        return;
    };
    let app = TestApp::new().await;
    let owner = app.admin().await;
    let (j, judges) = judged(&app, &owner).await;
    let test = "two_organisers_advance_in_parallel_and_the_owner_opens_the_joint_final";
    let (kr, cn) = (
        Browser::launch(&chrome, test).await,
        Browser::launch(&chrome, test).await,
    );
    kr.set_window_size(390, 844).await;
    cn.set_window_size(1280, 900).await;
    let (kr_round, cn_round) = (j.prelims[0], j.prelims[1]);
    // Both sessions sign in and open their own preliminary, then work at the same time.
    tokio_join(
        sign_in(&kr, &app, &j.staff[0], &format!("/admin/rounds/{kr_round}")),
        sign_in(&cn, &app, &j.staff[1], &format!("/admin/rounds/{cn_round}")),
    )
    .await;
    arrived(&kr, "admin-round").await;
    arrived(&cn, "admin-round").await;
    tokio_join(
        close_and_advance(&kr, kr_round),
        close_and_advance(&cn, cn_round),
    )
    .await;

    // Each sees its own organisation only; the other side's round is not there for them.
    for (b, side) in [(&kr, 0), (&cn, 1)] {
        b.goto(&app.url(&format!("/admin/contests/{}/organisations", j.contest)))
            .await;
        arrived(b, "admin-organisations").await;
        let shown = b.exec("return [...document.querySelectorAll('#organisations [data-organisation]')].map((e) => Number(e.dataset.organisation))", json!([])).await;
        assert_eq!(shown, json!([j.orgs[side]]));
        b.wait_until(
            "no sideways scrolling",
            "return document.documentElement.scrollWidth <= window.innerWidth",
        )
        .await;
        b.screenshot(&format!("organisers-{side}")).await;
    }
    cn.goto(&app.url(&format!("/admin/rounds/{kr_round}")))
        .await;
    arrived(&cn, "notfound").await;

    // The owner opens the joint final and fills its panels from both sides.
    let owner_b = kr;
    // At phone width sign-out is inside the closed menu: the owner works at desktop width.
    owner_b.set_window_size(1280, 900).await;
    owner_b.sign_out().await;
    sign_in(
        &owner_b,
        &app,
        &owner,
        &format!("/admin/rounds/{}", j.final_round),
    )
    .await;
    arrived(&owner_b, "admin-round").await;
    owner_b.click("#to-judging").await;
    confirm(&owner_b).await;
    round_state(&owner_b, "Judging").await;
    go(&owner_b, "[data-tab=assignments]", "admin-round").await;
    owner_b.click("#assign-run").await;
    owner_b.click("#assign-preview #assign-apply").await;
    owner_b
        .wait_until(
            "every seat filled",
            "return document.querySelectorAll('#assign-matrix button.chip').length === 8",
        )
        .await;

    let rows = app
        .get(&format!("/api/v1/rounds/{}/assignments", j.final_round))
        .by(&owner)
        .await;
    let rows = rows.body.as_array().expect("assignments").clone();
    let entries: BTreeSet<i64> = rows
        .iter()
        .filter_map(|r| r["application_id"].as_i64())
        .collect();
    assert_eq!(entries.len(), 4, "two from each side, once each");
    let side_of = |id: i64| judges.iter().position(|s| s.iter().any(|u| u.id == id));
    for a in entries {
        let sides: BTreeSet<usize> = rows
            .iter()
            .filter(|r| r["application_id"].as_i64() == Some(a))
            .filter_map(|r| side_of(r["judge_id"].as_i64()?))
            .collect();
        assert_eq!(sides.len(), 2, "application {a}: panel from both sides");
    }
    for b in [owner_b, cn] {
        // The 404 of the other side's round, opened on purpose above, is the only one allowed.
        let errors: Vec<String> = b
            .unexpected_console_errors()
            .await
            .into_iter()
            .filter(|e| !e.contains(&format!("/api/v1/rounds/{kr_round}")))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        b.quit().await;
    }
}

async fn tokio_join<A: std::future::Future<Output = ()>, B: std::future::Future<Output = ()>>(
    a: A,
    b: B,
) {
    futures_util::future::join(a, b).await;
}
