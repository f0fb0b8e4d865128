//! The live final (issue 21): the organiser runs the show, judges score each pitch while it is
//! open, a late score waits for the organiser's unlock, a phone's replay changes nothing,
//! events reach clients on a second instance, and the display reveals the awards.

use std::time::Duration;

use actix_web::http::Method;
use serde_json::{Value, json};

use crate::common::{Judging, TestApp, User, use_postgres};
use crate::editions::{audit_actions, tiers};
use crate::live_steps::{display_path, make_live};

/// Three finalists, two judges seated on all of them, the round marked live with no grace.
async fn live_final(app: &TestApp, admin: &User, grace: i32) -> (Judging, Vec<i64>) {
    let j = app.judging(admin, 3, &["KR", "CN"], false).await;
    let order: Vec<i64> = j.applications.iter().rev().map(|(_, id)| *id).collect();
    let res = make_live(app, admin, &j, &order, grace).await;
    assert_eq!(res.body["judges"].as_array().map(Vec::len), Some(2));
    assert_eq!(res.body["show"]["phase"], "ready");
    (j, order)
}

pub(crate) async fn control(app: &TestApp, admin: &User, round: i64, action: &str) -> Value {
    let res = app
        .post(&format!("/api/v1/rounds/{round}/live/control"))
        .by(admin)
        .json(&json!({"action": action}))
        .await;
    assert_eq!(res.status, 200, "{action}: {}", res.text);
    res.body
}

pub(crate) async fn score(
    app: &TestApp,
    judge: &User,
    round: i64,
    app_id: i64,
    client: &str,
    team: i64,
) -> crate::common::Resp {
    app.req(
        Method::PUT,
        &format!("/api/v1/me/live/{round}/scores/{app_id}"),
    )
    .by(judge)
    .json(&json!({"client_id": client, "scores": {"team": team, "market": 5}}))
    .await
}

#[actix_web::test]
async fn a_late_score_is_refused_until_the_organiser_unlocks_that_pitch_for_that_judge() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (j, order) = live_final(&app, &admin, 0).await;
    let (kim, wang) = (&j.judges[0], &j.judges[1]);

    let early = score(&app, kim, j.round, order[0], "phone-kim-0001", 4).await;
    assert_eq!(
        (early.status.as_u16(), early.code()),
        (409, "pitch_not_started"),
        "{}",
        early.text
    );

    let board = control(&app, &admin, j.round, "start").await;
    assert_eq!(board["show"]["current"]["application_id"], order[0]);
    let screen = app
        .get(&format!("/api/v1/me/live/{}", j.round))
        .by(kim)
        .await;
    assert_eq!(screen.status, 200, "{}", screen.text);
    assert_eq!(screen.body["pitches"][0]["scoring"], "open");
    assert_eq!(screen.body["pitches"][1]["scoring"], "upcoming");
    assert!(
        !screen.text.contains("raw") && !screen.text.contains("total"),
        "no totals reach judges: {}",
        screen.text
    );

    let ok = score(&app, kim, j.round, order[0], "phone-kim-0002", 4).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.body["review"]["status"], "submitted");

    control(&app, &admin, j.round, "next").await;
    let late = score(&app, wang, j.round, order[0], "phone-wang-0001", 3).await;
    assert_eq!(
        (late.status.as_u16(), late.code()),
        (409, "score_locked"),
        "{}",
        late.text
    );

    let res = app
        .post(&format!("/api/v1/rounds/{}/live/unlock", j.round))
        .by(&admin)
        .json(&json!({"application_id": order[0], "judge_id": wang.id}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let again = score(&app, wang, j.round, order[0], "phone-wang-0002", 3).await;
    assert_eq!(again.status, 200, "{}", again.text);
    // The unlock is for that judge only.
    let other = score(&app, kim, j.round, order[0], "phone-kim-0003", 5).await;
    assert_eq!(other.code(), "score_locked", "{}", other.text);

    let board = app
        .get(&format!("/api/v1/rounds/{}/live", j.round))
        .by(&admin)
        .await;
    let cells = &board.body["pitches"][0]["cells"];
    assert!(
        cells
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "submitted"),
        "{cells}"
    );
    assert_eq!(board.body["results_ready"], false);

    let unlocked = audit_actions(&app, &admin, "live.unlocked").await;
    assert_eq!(unlocked.len(), 1);
    assert_eq!(unlocked[0]["details"]["judge_id"], wang.id);
    for action in ["live.configured", "live.start", "live.next"] {
        assert_eq!(
            audit_actions(&app, &admin, action).await.len(),
            1,
            "{action}"
        );
    }
    // Scores went through the reviews' own path: one audited submission per judge.
    assert_eq!(
        audit_actions(&app, &admin, "review.submitted").await.len(),
        2
    );
}

#[actix_web::test]
async fn a_replayed_save_answers_the_first_answer_and_never_writes_twice() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (j, order) = live_final(&app, &admin, 30).await;
    let kim = &j.judges[0];
    control(&app, &admin, j.round, "start").await;

    let first = score(&app, kim, j.round, order[0], "3f0c9a52-replay", 4).await;
    assert_eq!(first.status, 200, "{}", first.text);
    // The phone did not hear the answer and sends the same save again, even after the
    // pitch closed: the same answer, nothing changed.
    control(&app, &admin, j.round, "next").await;
    control(&app, &admin, j.round, "next").await;
    let replay = score(&app, kim, j.round, order[0], "3f0c9a52-replay", 2).await;
    assert_eq!(replay.status, 200, "{}", replay.text);
    assert_eq!(replay.body, first.body);
    assert_eq!(replay.body["review"]["scores"]["team"], 4);
    assert_eq!(replay.body["review"]["version"], 1);
    assert_eq!(
        audit_actions(&app, &admin, "review.submitted").await.len(),
        1
    );

    // Within the grace time a new save (a new id) still counts as an edit.
    let edit = score(&app, kim, j.round, order[0], "3f0c9a52-second", 5).await;
    assert_eq!(edit.status, 200, "{}", edit.text);
    assert_eq!(edit.body["review"]["version"], 2);
    assert_eq!(audit_actions(&app, &admin, "review.edited").await.len(), 1);
}

#[actix_web::test]
async fn judges_follow_the_show_by_server_push_and_the_board_sees_them_connected() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (j, order) = live_final(&app, &admin, 10).await;
    let kim = &j.judges[0];
    let wait = Duration::from_secs(5);
    let mut phone = app
        .events(&format!("/api/v1/me/live/{}/events", j.round), Some(kim))
        .await;
    let first = phone.next(wait).await.expect("a first snapshot");
    assert_eq!(first["show"]["phase"], "ready");
    let mut board = app
        .events(
            &format!("/api/v1/rounds/{}/live/events", j.round),
            Some(&admin),
        )
        .await;
    let b = board
        .until(wait, |b| {
            b["judges"]
                .as_array()
                .is_some_and(|js| js.iter().any(|x| x["id"] == kim.id && x["online"] == true))
        })
        .await;
    assert_eq!(b["pitches"][0]["cells"].as_array().map(Vec::len), Some(2));

    control(&app, &admin, j.round, "start").await;
    let s = phone.until(wait, |s| s["show"]["phase"] == "running").await;
    assert_eq!(s["show"]["current"]["application_id"], order[0]);
    assert_eq!(s["pitches"][0]["scoring"], "open");
    control(&app, &admin, j.round, "next").await;
    let s = phone
        .until(wait, |s| s["show"]["current"]["position"] == 2)
        .await;
    assert_eq!(s["pitches"][0]["scoring"], "open", "grace time: {s}");
    assert!(
        s["pitches"][0]["locks_in_ms"]
            .as_i64()
            .is_some_and(|ms| ms > 0 && ms <= 10_000)
    );
    control(&app, &admin, j.round, "pause").await;
    let s = phone.until(wait, |s| s["show"]["phase"] == "paused").await;
    assert_eq!(s["show"]["running"], false);

    let ok = score(&app, kim, j.round, order[1], "kim-pitch-2-aaaa", 5).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let b = board
        .until(wait, |b| {
            b["pitches"][1]["cells"].as_array().is_some_and(|c| {
                c.iter()
                    .any(|c| c["judge_id"] == kim.id && c["status"] == "submitted")
            })
        })
        .await;
    let wang = b["pitches"][1]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["judge_id"] == j.judges[1].id)
        .cloned();
    assert_eq!(wang.unwrap()["status"], "offline", "never connected");
    assert!(
        !b.to_string().contains("\"raw\""),
        "the board holds no totals"
    );
}

#[actix_web::test]
async fn the_display_link_shows_the_show_and_reveals_the_awards_step_by_step() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (j, order) = live_final(&app, &admin, 0).await;
    let res = app
        .patch(&format!("/api/v1/contests/{}", j.contest))
        .by(&admin)
        .json(&json!({"awards": tiers()}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let display = display_path(&app, &admin, j.round).await;
    let wait = Duration::from_secs(5);
    let mut projector = app.events(&format!("{display}/events"), None).await;
    assert_eq!(projector.next(wait).await.unwrap()["phase"], "ready");

    control(&app, &admin, j.round, "start").await;
    for (i, app_id) in order.iter().enumerate() {
        let s = projector
            .until(wait, |s| s["current"]["application_id"] == *app_id)
            .await;
        assert_eq!(s["languages"], json!(["ko", "zh"]));
        for (k, judge) in j.judges.iter().enumerate() {
            let r = score(
                &app,
                judge,
                j.round,
                *app_id,
                &format!("p{i}-j{k}-abcdef"),
                3 + i as i64,
            )
            .await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
        control(&app, &admin, j.round, "next").await;
    }
    let s = projector.until(wait, |s| s["phase"] == "finished").await;
    assert_eq!(
        (s["revealed"].as_array().map(Vec::len), &s["reveal_steps"]),
        (Some(0), &json!(2))
    );
    let board = app
        .get(&format!("/api/v1/rounds/{}/live", j.round))
        .by(&admin)
        .await;
    assert_eq!(board.body["results_ready"], true, "{}", board.text);

    control(&app, &admin, j.round, "reveal").await;
    let s = projector
        .until(wait, |s| {
            s["revealed"].as_array().is_some_and(|r| r.len() == 1)
        })
        .await;
    assert_eq!(s["revealed"][0]["key"], "merit", "lowest tier first");
    assert_eq!(s["revealed"][0]["name"]["ko"], "우수상");
    assert_eq!(s["revealed"][0]["name"]["zh"], "鼓励奖");
    control(&app, &admin, j.round, "reveal").await;
    let s = projector
        .until(wait, |s| {
            s["revealed"].as_array().is_some_and(|r| r.len() == 2)
        })
        .await;
    // The last pitch scored highest and takes the grand prize.
    let best = j
        .applications
        .iter()
        .find(|(_, id)| *id == order[2])
        .map(|(_, id)| *id)
        .unwrap();
    let best_name = app
        .get(&format!("/api/v1/applications/{best}"))
        .by(&admin)
        .await
        .body["company_name"]
        .clone();
    assert_eq!(s["revealed"][1]["winners"][0], best_name);
    let more = app
        .post(&format!("/api/v1/rounds/{}/live/control", j.round))
        .by(&admin)
        .json(&json!({"action": "reveal"}))
        .await;
    assert_eq!(more.code(), "invalid_transition");

    let res = app
        .req(
            Method::DELETE,
            &format!("/api/v1/rounds/{}/live/display-link", j.round),
        )
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.status, 204);
    assert_eq!(
        app.get(&display).await.status,
        404,
        "a revoked link opens nothing"
    );
    assert_eq!(
        audit_actions(&app, &admin, "live.display_link_revoked")
            .await
            .len(),
        1
    );
}

/// Two instances on one PostgreSQL database: the organiser's move on one reaches a judge
/// connected to the other (LISTEN/NOTIFY), and a score on the second reaches the board on the first.
#[actix_web::test]
async fn events_reach_clients_connected_to_a_second_instance_on_postgresql() {
    if !use_postgres() {
        eprintln!("SKIP: needs JURY_TEST_BACKEND=postgres (one instance only on SQLite)");
        return;
    }
    let app = TestApp::new().await;
    let other = app.sibling().await;
    let admin = app.admin().await;
    let (j, order) = live_final(&app, &admin, 0).await;
    let kim = &j.judges[0];
    let wait = Duration::from_secs(5);
    let mut phone = other
        .events(&format!("/api/v1/me/live/{}/events", j.round), Some(kim))
        .await;
    assert_eq!(phone.next(wait).await.unwrap()["show"]["phase"], "ready");
    let mut board = app
        .events(
            &format!("/api/v1/rounds/{}/live/events", j.round),
            Some(&admin),
        )
        .await;
    board.next(wait).await.expect("board snapshot");

    control(&app, &admin, j.round, "start").await;
    let s = phone.until(wait, |s| s["show"]["phase"] == "running").await;
    assert_eq!(s["show"]["current"]["application_id"], order[0]);

    let r = score(&other, kim, j.round, order[0], "kim-on-other-0001", 5).await;
    assert_eq!(r.status, 200, "{}", r.text);
    board
        .until(wait, |b| {
            b["pitches"][0]["cells"].as_array().is_some_and(|c| {
                c.iter()
                    .any(|c| c["judge_id"] == kim.id && c["status"] == "submitted")
            })
        })
        .await;
}
