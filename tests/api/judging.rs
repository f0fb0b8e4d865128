//! Judging: a judge scores an assigned application, assignments under the hard rules, nothing
//! unassigned is scored, and blind rounds. Judges are administered in `judges.rs`, rounds and
//! the automatic assignment are in `rounds.rs`.

use actix_web::http::Method;
use serde_json::json;

use crate::common::{TestApp, rubric};

#[actix_web::test]
async fn a_judge_scores_an_assigned_application_and_admin_sees_progress() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN"], false).await;
    let (kr, cn) = (&j.judges[0], &j.judges[1]);
    let target = j.applications[0].1;
    let res = app.assign(&admin, j.round, kr, target).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let assignment = res.body["id"].as_i64().unwrap();
    assert_eq!(app.assign(&admin, j.round, cn, target).await.status, 201);

    let queue = app.get("/api/v1/me/assignments").by(kr).await;
    assert_eq!(queue.status, 200, "{}", queue.text);
    assert_eq!(queue.body["total"], 1);
    assert_eq!(queue.body["items"][0]["company_name"], "Zenith Startup 0");

    let view = app
        .get(&format!("/api/v1/assignments/{assignment}"))
        .by(kr)
        .await;
    assert_eq!(view.status, 200, "{}", view.text);
    assert_eq!(view.body["criteria"].as_array().unwrap().len(), 2);
    assert_eq!(view.body["review"]["status"], "none");
    let deck = view.body["application"]["deck_url"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.get(&deck).by(kr).await.status,
        200,
        "assigned judges open the deck"
    );

    let url = format!("/api/v1/assignments/{assignment}/review");
    let out_of_scale = app
        .req(Method::PUT, &url)
        .by(kr)
        .json(&json!({"scores": {"team": 9}}))
        .await;
    assert_eq!(out_of_scale.status, 422);
    assert_eq!(out_of_scale.body["fields"]["scores.team"], "out_of_range");
    let unknown = app
        .req(Method::PUT, &url)
        .by(kr)
        .json(&json!({"scores": {"charisma": 3}}))
        .await;
    assert_eq!(
        unknown.body["fields"]["scores.charisma"],
        "unknown_criterion"
    );

    let draft = app
        .req(Method::PUT, &url)
        .by(kr)
        .json(&json!({"scores": {"team": 4}, "comment_applicant": "강한 팀", "comment_private": "watch burn rate"}))
        .await;
    assert_eq!(draft.status, 200, "{}", draft.text);
    assert_eq!(draft.body["status"], "draft");
    let missing = app
        .post(&format!("{url}/submit"))
        .by(kr)
        .json(&json!({}))
        .await;
    assert_eq!(missing.status, 422);
    assert_eq!(missing.body["fields"]["scores.market"], "required");
    let submitted = app
        .post(&format!("{url}/submit"))
        .by(kr)
        .json(&json!({"scores": {"market": 7}}))
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    assert_eq!(submitted.body["status"], "submitted");
    assert_eq!(submitted.body["scores"], json!({"market": 7, "team": 4}));
    assert_eq!(submitted.body["comment_applicant"], "강한 팀");

    // Edits after submission are allowed while judging lasts, and audited.
    let edit = app
        .req(Method::PUT, &url)
        .by(kr)
        .json(&json!({"scores": {"market": 8}}))
        .await;
    assert_eq!(edit.body["status"], "submitted");
    let audit = app.db(|c| jury::audit::recent(c, 10)).await;
    assert!(audit.iter().any(|e| e.action == "review.submitted"));
    assert!(audit.iter().any(|e| e.action == "review.edited"));

    let progress = app
        .get(&format!("/api/v1/rounds/{}/progress", j.round))
        .by(&admin)
        .await;
    assert_eq!(progress.status, 200, "{}", progress.text);
    assert_eq!(progress.body["assignments"], 2);
    assert_eq!(progress.body["submitted"], 1);
    assert_eq!(progress.body["percent"], 50.0);
    let apps = progress.body["applications"].as_array().unwrap();
    assert_eq!(
        apps.iter().find(|a| a["application_id"] == target).unwrap()["open_seats"],
        0
    );

    // The rubric is frozen once a review is in; the round closes only with confirmation.
    let res = app
        .req(Method::PUT, &format!("/api/v1/rounds/{}/rubric", j.round))
        .by(&admin)
        .json(&rubric())
        .await;
    assert_eq!((res.status.as_u16(), res.code()), (409, "rubric_frozen"));
    let res = app
        .post(&format!("/api/v1/rounds/{}/transition", j.round))
        .by(&admin)
        .json(&json!({"to": "closed"}))
        .await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (409, "unfinished_reviews")
    );
    let res = app
        .post(&format!("/api/v1/rounds/{}/transition", j.round))
        .by(&admin)
        .json(&json!({"to": "closed", "confirm": true}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let late = app
        .req(Method::PUT, &url)
        .by(kr)
        .json(&json!({"scores": {"market": 2}}))
        .await;
    assert_eq!((late.status.as_u16(), late.code()), (409, "round_closed"));
}

#[actix_web::test]
async fn assignment_hard_rules_are_enforced() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN", "OTHER"], false).await;
    let (a0, a1) = (j.applications[0].1, j.applications[1].1);
    assert_eq!(
        app.assign(&admin, j.round, &j.judges[0], a0).await.status,
        201
    );
    let twice = app.assign(&admin, j.round, &j.judges[0], a0).await;
    assert_eq!(
        (twice.status.as_u16(), twice.code()),
        (409, "already_assigned")
    );
    assert_eq!(
        app.assign(&admin, j.round, &j.judges[1], a0).await.status,
        201
    );
    let full = app.assign(&admin, j.round, &j.judges[2], a0).await;
    assert_eq!((full.status.as_u16(), full.code()), (409, "panel_full"));

    // A conflict set by an admin makes the pair impossible.
    let res = app
        .post(&format!("/api/v1/contests/{}/conflicts", j.contest))
        .by(&admin)
        .json(
            &json!({"judge_id": j.judges[2].id, "application_id": a1, "reason": "former employer"}),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    let conflicted = app.assign(&admin, j.round, &j.judges[2], a1).await;
    assert_eq!(
        (conflicted.status.as_u16(), conflicted.code()),
        (409, "conflict_of_interest")
    );

    // Capacity.
    app.req(Method::PATCH, &format!("/api/v1/judges/{}", j.judges[1].id))
        .by(&admin)
        .json(&json!({"capacity": 1}))
        .await;
    let at_capacity = app.assign(&admin, j.round, &j.judges[1], a1).await;
    assert_eq!(
        (at_capacity.status.as_u16(), at_capacity.code()),
        (409, "judge_at_capacity")
    );

    let not_judge = app
        .post(&format!("/api/v1/rounds/{}/assignments", j.round))
        .by(&admin)
        .json(&json!({"judge_id": j.applications[0].0.id, "application_id": a1}))
        .await;
    assert_eq!(not_judge.body["fields"]["judge_id"], "not_a_judge");
}

#[actix_web::test]
async fn scoring_anything_not_assigned_is_404() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR", "CN"], false).await;
    let res = app
        .assign(&admin, j.round, &j.judges[0], j.applications[0].1)
        .await;
    let assignment = res.body["id"].as_i64().unwrap();
    let other = &j.judges[1];
    assert_eq!(
        app.get(&format!("/api/v1/assignments/{assignment}"))
            .by(other)
            .await
            .status,
        404
    );
    let res = app
        .req(
            Method::PUT,
            &format!("/api/v1/assignments/{assignment}/review"),
        )
        .by(other)
        .json(&json!({"scores": {"team": 3}}))
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(
        app.get(&format!("/api/v1/applications/{}", j.applications[0].1))
            .by(other)
            .await
            .status,
        404
    );
    let doc = app
        .get(&format!("/api/v1/assignments/{assignment}"))
        .by(&j.judges[0])
        .await
        .body["application"]["deck_url"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(app.get(&doc).by(other).await.status, 404);
}

#[actix_web::test]
async fn a_blind_round_leaks_no_identity_to_judges() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR"], true).await;
    let judge = &j.judges[0];
    let id = j.applications[0].1;
    let a = app.assign(&admin, j.round, judge, id).await.body["id"]
        .as_i64()
        .unwrap();
    let mut seen = String::new();
    for path in [
        "/api/v1/me/assignments".to_string(),
        format!("/api/v1/assignments/{a}"),
        format!("/api/v1/assignments/{a}/review"),
        format!("/api/v1/rounds/{}/rubric", j.round),
    ] {
        let res = app.get(&path).by(judge).await;
        assert_eq!(res.status, 200, "{path}: {}", res.text);
        seen.push_str(&res.text);
    }
    for secret in [
        "Zenith",
        "제니스",
        "Founder Kim",
        "zenith0.kr",
        "한빛",
        "수원",
    ] {
        assert!(
            !seen.contains(secret),
            "{secret} leaked to a judge in a blind round: {seen}"
        );
    }
    let view = app.get(&format!("/api/v1/assignments/{a}")).by(judge).await;
    assert!(
        view.body["application"]["deck_url"].is_null(),
        "deck hidden when the round says so"
    );
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}/documents/1"))
            .by(judge)
            .await
            .status,
        404
    );
}
