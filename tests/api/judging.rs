//! Judging: invitations, rounds and rubrics, assignments under the hard rules, reviews, blind
//! rounds, conflicts, progress and reminders.

use actix_web::http::Method;
use serde_json::json;

use crate::common::{PASSWORD, TestApp, rubric};

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

#[actix_web::test]
async fn declaring_a_conflict_removes_the_assignment_and_detection_finds_colleagues() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN"], false).await;
    let (judge, target) = (&j.judges[0], j.applications[0].1);
    app.assign(&admin, j.round, judge, target).await;
    let res = app
        .post(&format!("/api/v1/applications/{target}/conflict"))
        .by(judge)
        .json(&json!({"reason": "I advised them last year"}))
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(
        app.get("/api/v1/me/assignments").by(judge).await.body["total"],
        0
    );
    let progress = app
        .get(&format!("/api/v1/rounds/{}/progress", j.round))
        .by(&admin)
        .await;
    let seat = progress.body["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["application_id"] == target)
        .unwrap()
        .clone();
    assert_eq!(seat["open_seats"], 2, "the seat is open again");
    let again = app.assign(&admin, j.round, judge, target).await;
    assert_eq!(again.code(), "conflict_of_interest");
    let unassigned = app
        .post(&format!(
            "/api/v1/applications/{}/conflict",
            j.applications[1].1
        ))
        .by(judge)
        .json(&json!({}))
        .await;
    assert_eq!(
        unassigned.status, 404,
        "only assigned applications can be declared"
    );

    // A judge from the start-up's own domain is caught by detection.
    let insider = app
        .invited_judge(&admin, j.contest, "KR", "Other Org")
        .await;
    let email = "insider@zenith1.kr".to_string();
    app.db(move |c| {
        use diesel::prelude::*;
        use jury::db::schema::users;
        diesel::update(users::table.find(insider.id))
            .set(users::email.eq(email))
            .execute(c)?;
        Ok(())
    })
    .await;
    let found = app
        .post(&format!("/api/v1/contests/{}/conflicts/detect", j.contest))
        .by(&admin)
        .send()
        .await;
    assert_eq!(found.body["found"], 1, "{}", found.text);
    let list = app
        .get(&format!("/api/v1/contests/{}/conflicts", j.contest))
        .by(&admin)
        .await;
    let sources: Vec<&str> = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["source"].as_str().unwrap())
        .collect();
    assert!(
        sources.contains(&"declared") && sources.contains(&"detected"),
        "{sources:?}"
    );
    let lift_id = list.body[0]["id"].as_i64().unwrap();
    let lifted = app
        .req(Method::DELETE, &format!("/api/v1/conflicts/{lift_id}"))
        .by(&admin)
        .send()
        .await;
    assert_eq!(lifted.status, 204);
}

#[actix_web::test]
async fn invitations_bulk_import_profiles_and_deactivation() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let csv = "email,name,organization,region,expertise,capacity,locale\n\
               lee@vc.kr,이서연,Seoul Ventures,KR,ai:3;bio:2,15,ko\n\
               zhang@fund.cn,张伟,Hangzhou Capital,cn,ai:2,12,zh\n\
               broken,Nobody,,XX,ai:9,abc,\n";
    let res = app
        .post(&format!("/api/v1/contests/{contest}/judges/import"))
        .by(&admin)
        .body("text/csv", csv)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["invited"], 2);
    assert_eq!(res.body["failed"], 1);
    assert_eq!(res.body["rows"][2]["row"], 3);
    assert_eq!(res.body["rows"][2]["status"], "error");
    let mails = app.deliver_mail().await;
    let korean = mails.iter().find(|m| m.to == "lee@vc.kr").unwrap();
    assert!(korean.subject.contains("심사위원"), "{}", korean.subject);

    let judges = app
        .get(&format!("/api/v1/contests/{contest}/judges"))
        .by(&admin)
        .await;
    assert_eq!(judges.body.as_array().unwrap().len(), 2);
    assert_eq!(judges.body[0]["status"], "invited");
    assert_eq!(judges.body[1]["profile"]["region"], "CN");

    // Re-sending replaces the link: the old one no longer works.
    let old = crate::common::link_token(&korean.text, "/accept-invitation?token=");
    let again = app
        .post(&format!("/api/v1/contests/{contest}/judges/invitations"))
        .by(&admin)
        .json(&json!({"judges": [{"email": "lee@vc.kr", "name": "이서연", "region": "KR"}]}))
        .await;
    assert_eq!(again.body["rows"][0]["status"], "reinvited");
    let res = app
        .post("/api/v1/auth/invitations/accept")
        .json(&json!({"token": old, "password": PASSWORD}))
        .await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (400, "invalid_invitation_token")
    );

    let judge = app
        .invited_judge(&admin, contest, "KR", "Gyeonggi Angels")
        .await;
    let res = app
        .patch("/api/v1/me/judge-profile")
        .by(&judge)
        .json(&json!({"expertise": {"ai": 3, "robotics": 2}, "languages": ["ko", "en"], "reminders": false}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["expertise"]["robotics"], 2);
    let own_capacity = app
        .patch("/api/v1/me/judge-profile")
        .by(&judge)
        .json(&json!({"capacity": 99}))
        .await;
    assert_eq!(own_capacity.body["fields"]["capacity"], "admin_only");

    assert_eq!(
        app.post(&format!("/api/v1/judges/{}/deactivate", judge.id))
            .by(&admin)
            .send()
            .await
            .status,
        204
    );
    let res = app.get("/api/v1/me/assignments").by(&judge).await;
    assert_eq!((res.status.as_u16(), res.code()), (401, "invalid_token"));
}

#[actix_web::test]
async fn round_guards_and_reminders_once_a_day() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let res = app
        .post(&format!("/api/v1/contests/{contest}/rounds"))
        .by(&admin)
        .json(&json!({"name": {"en": "Final"}}))
        .await;
    let round = res.body["id"].as_i64().unwrap();
    let res = app
        .post(&format!("/api/v1/rounds/{round}/transition"))
        .by(&admin)
        .json(&json!({"to": "judging"}))
        .await;
    assert_eq!(res.code(), "no_rubric");
    app.req(Method::PUT, &format!("/api/v1/rounds/{round}/rubric"))
        .by(&admin)
        .json(&rubric())
        .await;
    let res = app
        .post(&format!("/api/v1/rounds/{round}/transition"))
        .by(&admin)
        .json(&json!({"to": "judging"}))
        .await;
    assert_eq!(res.code(), "no_entries");
    let res = app
        .post(&format!("/api/v1/rounds/{round}/transition"))
        .by(&admin)
        .json(&json!({"to": "published"}))
        .await;
    assert_eq!(res.code(), "invalid_transition");
    let bad = app
        .req(Method::PUT, &format!("/api/v1/rounds/{round}/rubric"))
        .by(&admin)
        .json(&json!({"criteria": [{"key": "Team!", "name": {}, "weight": 0, "min": 5, "max": 1}]}))
        .await;
    assert_eq!(bad.status, 422);
    for f in [
        "criteria.0.key",
        "criteria.0.name",
        "criteria.0.weight",
        "criteria.0.max",
    ] {
        assert!(bad.body["fields"][f].is_string(), "{f}: {}", bad.text);
    }

    let j = app.judging(&admin, 1, &["KR", "CN"], false).await;
    app.assign(&admin, j.round, &j.judges[0], j.applications[0].1)
        .await;
    app.assign(&admin, j.round, &j.judges[1], j.applications[0].1)
        .await;
    app.patch("/api/v1/me/judge-profile")
        .by(&j.judges[1])
        .json(&json!({"reminders": false}))
        .await;
    let first = app
        .post(&format!("/api/v1/rounds/{}/reminders", j.round))
        .by(&admin)
        .send()
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(
        (
            first.body["queued"].as_u64(),
            first.body["skipped"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let second = app
        .post(&format!("/api/v1/rounds/{}/reminders", j.round))
        .by(&admin)
        .send()
        .await;
    assert_eq!(second.body["queued"], 0, "one reminder per judge per day");
    let mails = app.deliver_mail().await;
    assert_eq!(
        mails
            .iter()
            .filter(|m| m.subject.contains("waiting"))
            .count(),
        1
    );
}

#[actix_web::test]
async fn auto_assignment_previews_then_applies_cross_border_panels() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app
        .judging(&admin, 4, &["KR", "CN", "KR", "CN"], false)
        .await;
    let url = format!("/api/v1/rounds/{}/assignments/auto", j.round);

    let preview = app
        .post(&url)
        .by(&admin)
        .json(&json!({"dry_run": true}))
        .await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    assert_eq!(
        preview.body["objective"]["reviews"], 8,
        "k = 2 for 4 applications"
    );
    assert_eq!(
        preview.body["objective"]["regions_covered"], 8,
        "every panel cross-border"
    );
    assert_eq!(preview.body["added"].as_array().unwrap().len(), 8);
    assert!(
        preview.body["explanations"][0]["text"]
            .as_str()
            .unwrap()
            .contains("seat")
    );
    let none = app
        .get(&format!("/api/v1/rounds/{}/assignments", j.round))
        .by(&admin)
        .await;
    assert_eq!(
        none.body.as_array().unwrap().len(),
        0,
        "a dry run writes nothing"
    );

    let applied = app.post(&url).by(&admin).json(&json!({})).await;
    assert_eq!(applied.status, 200, "{}", applied.text);
    let list = app
        .get(&format!("/api/v1/rounds/{}/assignments", j.round))
        .by(&admin)
        .await;
    let rows = list.body.as_array().unwrap();
    assert_eq!(rows.len(), 8);
    assert!(rows.iter().all(|r| r["source"] == "auto"));

    // A judge starts a review; a later run keeps it and changes nothing else.
    let mine = app.get("/api/v1/me/assignments").by(&j.judges[0]).await;
    let first = mine.body["items"][0]["assignment_id"].as_i64().unwrap();
    app.req(Method::PUT, &format!("/api/v1/assignments/{first}/review"))
        .by(&j.judges[0])
        .json(&json!({"scores": {"team": 3}}))
        .await;
    let again = app.post(&url).by(&admin).json(&json!({})).await;
    assert_eq!(
        again.body["added"].as_array().unwrap().len(),
        0,
        "{}",
        again.text
    );
    assert_eq!(again.body["removed"].as_array().unwrap().len(), 0);
    assert_eq!(again.body["locked"], 1);

    // Only administrators run it.
    assert_eq!(
        app.post(&url)
            .by(&j.judges[0])
            .json(&json!({}))
            .await
            .status,
        403
    );
}
