//! Pitch day in Chromium (issue 21): three judges on three phones follow a run sheet of three
//! pitches by server push; one phone loses the network mid-pitch (DevTools network emulation),
//! keeps scoring, comes back, and every score arrives exactly once; then the projector's page
//! reveals the awards in Korean and Chinese at once.

use serde_json::{Value, json};

use crate::common::webdriver::Browser;
use crate::common::{TestApp, User};

const SCREEN: &str = "[data-screen=live-judge]";

async fn control(app: &TestApp, admin: &User, round: i64, action: &str) {
    let res = app
        .post(&format!("/api/v1/rounds/{round}/live/control"))
        .by(admin)
        .json(&json!({"action": action}))
        .await;
    assert_eq!(res.status, 200, "{action}: {}", res.text);
}

/// Waits until the phone shows `name` as the pitch on stage, then scores it and sends.
async fn score_current(b: &Browser, name: &str, team: i64) {
    b.wait_until(
        &format!("the phone follows to {name}"),
        &format!(
            "const n = document.querySelector('{SCREEN} .live-name'); const f = document.querySelector('{SCREEN} form h2'); return !!n && n.textContent === {name:?} && !!f && f.textContent === {name:?} && !document.querySelector('#score-team').disabled"
        ),
    )
    .await;
    b.fill("#score-team", &team.to_string()).await;
    b.fill("#score-market", "4").await;
    b.click(&format!("{SCREEN} form button[type=submit]")).await;
}

async fn audit_count(app: &TestApp, admin: &User, action: &str) -> usize {
    let res = app
        .get(&format!("/api/v1/admin/audit?action={action}"))
        .by(admin)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body.as_array().map_or(0, Vec::len)
}

async fn offline(b: &Browser, off: bool) {
    b.cdp("Network.enable", json!({})).await;
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": off, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await;
}

#[actix_web::test]
async fn three_judges_follow_the_show_one_drops_offline_and_every_score_arrives_once() {
    let Some(b1) = Browser::start("live_final_judge_1").await else {
        return;
    };
    let (Some(b2), Some(b3)) = (
        Browser::start("live_final_judge_2").await,
        Browser::start("live_final_judge_3").await,
    ) else {
        return;
    };
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 3, &["KR", "CN", "KR"], false).await;
    let res = app
        .patch(&format!("/api/v1/contests/{}", j.contest))
        .by(&admin)
        .json(&json!({"awards": json!([{"key": "grand", "name": {"en": "Grand Prize", "ko": "대상", "zh": "特等奖"}, "places": 1},
            {"key": "merit", "name": {"en": "Merit Award", "ko": "우수상", "zh": "鼓励奖"}, "places": 2}])}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let order: Vec<i64> = j.applications.iter().map(|(_, id)| *id).collect();
    let res = app
        .req(
            actix_web::http::Method::PUT,
            &format!("/api/v1/rounds/{}/live", j.round),
        )
        .by(&admin)
        .json(
            &json!({"pitch_secs": 240, "qa_secs": 120, "grace_secs": 600, "languages": ["ko", "zh"],
            "order": order, "judge_ids": j.judges.iter().map(|u| u.id).collect::<Vec<_>>()}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let names: Vec<String> = res.body["pitches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["company_name"].as_str().unwrap().to_string())
        .collect();

    let phones = [&b1, &b2, &b3];
    for (b, judge) in phones.iter().zip(&j.judges) {
        b.set_window_size(390, 844).await;
        b.sign_in(
            &app.url(&format!("/login?next=/judge/live/{}", j.round)),
            &judge.email,
            &judge.password,
        )
        .await;
        b.wait_for(&format!("{SCREEN}[data-online=true]")).await;
    }

    control(&app, &admin, j.round, "start").await;
    for (i, b) in phones.iter().enumerate() {
        score_current(b, &names[0], 2 + i as i64).await;
    }
    for b in phones {
        b.wait_for(&format!(
            "{SCREEN}[data-waiting='0'] [data-pitch='{}'][data-state=sent]",
            order[0]
        ))
        .await;
    }

    control(&app, &admin, j.round, "next").await;
    score_current(&b1, &names[1], 3).await;
    score_current(&b2, &names[1], 3).await;
    // The third phone's network drops while the second finalist pitches; the judge scores
    // anyway and the phone keeps the score.
    b3.wait_until(
        "pitch two on the third phone",
        &format!(
            "return document.querySelector('{SCREEN} .live-name')?.textContent === {:?}",
            names[1]
        ),
    )
    .await;
    offline(&b3, true).await;
    score_current(&b3, &names[1], 5).await;
    b3.wait_for(&format!("{SCREEN}[data-waiting='1'][data-online=false]"))
        .await;
    b3.screenshot("live-judge-offline-phone").await;
    let board = app
        .get(&format!("/api/v1/rounds/{}/live", j.round))
        .by(&admin)
        .await;
    let cell = |b: &Value, judge: i64| {
        b["pitches"][1]["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["judge_id"] == judge)
            .map(|c| c["status"].clone())
    };
    assert_ne!(
        cell(&board.body, j.judges[2].id),
        Some(json!("submitted")),
        "not received while offline"
    );

    // Back online: the kept score is sent once, and the phone follows the show again.
    offline(&b3, false).await;
    b3.exec("window.dispatchEvent(new Event('online'))", json!([]))
        .await;
    b3.wait_for(&format!(
        "{SCREEN}[data-waiting='0'] [data-pitch='{}'][data-state=sent]",
        order[1]
    ))
    .await;
    control(&app, &admin, j.round, "next").await;
    for b in phones {
        score_current(b, &names[2], 4).await;
    }
    for b in phones {
        b.wait_for(&format!(
            "{SCREEN}[data-waiting='0'] [data-pitch='{}'][data-state=sent]",
            order[2]
        ))
        .await;
    }

    // Every judge has exactly one submitted review per finalist; no save was applied twice.
    let board = app
        .get(&format!("/api/v1/rounds/{}/live", j.round))
        .by(&admin)
        .await;
    assert_eq!(board.body["results_ready"], true, "{}", board.text);
    let submitted = audit_count(&app, &admin, "review.submitted").await;
    let edited = audit_count(&app, &admin, "review.edited").await;
    assert_eq!((submitted, edited), (9, 0), "each score once");
    let kept = app
        .db(|c| {
            use diesel::prelude::*;
            Ok(jury::db::schema::live_saves::table
                .count()
                .get_result::<i64>(c)?)
        })
        .await;
    assert_eq!(kept, 9);

    // The hall voted too: one ticket, for the first finalist; the vote closes before the reveal.
    let vote = app
        .req(
            actix_web::http::Method::PUT,
            &format!("/api/v1/rounds/{}/audience-vote", j.round),
        )
        .by(&admin)
        .json(&json!({"mode": "tickets"}))
        .await;
    assert_eq!(vote.status, 200, "{}", vote.text);
    let key = vote.body["vote_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let codes = app
        .post(&format!("/api/v1/rounds/{}/audience-vote/tickets", j.round))
        .by(&admin)
        .json(&json!({"generate": 1}))
        .await;
    for to in ["open", "closed"] {
        if to == "closed" {
            let ballot = app
                .post(&format!("/api/v1/votes/{key}/ballots"))
                .json(&json!({"application_id": order[0], "ticket": codes.body["codes"][0]}))
                .await;
            assert_eq!(ballot.status, 201, "{}", ballot.text);
        }
        let res = app
            .post(&format!(
                "/api/v1/rounds/{}/audience-vote/transition",
                j.round
            ))
            .by(&admin)
            .json(&json!({"to": to}))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    }

    // The show ends; the projector reveals the awards one step at a time, in both languages:
    // the audience's People's Choice first, then the judges' tiers.
    control(&app, &admin, j.round, "next").await;
    let link = app
        .post(&format!("/api/v1/rounds/{}/live/display-link", j.round))
        .by(&admin)
        .send()
        .await;
    assert_eq!(link.status, 201, "{}", link.text);
    b1.set_window_size(1280, 720).await;
    b1.goto(&app.url(link.body["path"].as_str().unwrap())).await;
    b1.wait_for("[data-screen=live-display][data-phase=finished][data-revealed='0']")
        .await;
    control(&app, &admin, j.round, "reveal").await;
    b1.wait_for("[data-screen=live-display][data-revealed='1']")
        .await;
    control(&app, &admin, j.round, "reveal").await;
    b1.wait_for("[data-screen=live-display][data-revealed='2']")
        .await;
    control(&app, &admin, j.round, "reveal").await;
    b1.wait_for("[data-screen=live-display][data-revealed='3']")
        .await;
    let text = b1.text("[data-screen=live-display]").await;
    for words in [
        "관객상",
        "最佳人气奖",
        "대상",
        "特等奖",
        "우수상",
        "鼓励奖",
        "시상",
        "颁奖",
    ] {
        assert!(text.contains(words), "{words} on the display: {text}");
    }
    b1.screenshot("live-display-awards").await;
    for b in phones {
        assert!(
            b.unexpected_console_errors()
                .await
                .iter()
                .all(|e| e.contains("ERR_INTERNET_DISCONNECTED") || e.contains("Failed to fetch")),
            "console"
        );
    }
    b1.quit().await;
    b2.quit().await;
    b3.quit().await;
}
