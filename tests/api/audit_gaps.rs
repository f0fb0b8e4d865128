//! Issue 17, finding 8: every state change an administrator or the system makes is in the
//! audit log, and a change names each field it changed with its old and new value.

use actix_web::http::Method;
use serde_json::{Value, json};

use crate::common::{TestApp, User, rubric};
use crate::editions::audit_actions;

async fn only(app: &TestApp, admin: &User, action: &str) -> Value {
    let entries = audit_actions(app, admin, action).await;
    assert_eq!(entries.len(), 1, "one {action} entry: {entries:?}");
    entries[0].clone()
}

#[actix_web::test]
async fn a_settings_change_names_every_field_it_changed_with_old_and_new_values() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let res = app
        .post(&format!("/api/v1/contests/{contest}/rounds"))
        .by(&admin)
        .json(&json!({"name": {"en": "Final"}, "ranking_method": "raw"}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let round = res.body["id"].as_i64().unwrap();

    // The change that reorders winners without anyone seeing it, unless it is audited.
    let res = app
        .patch(&format!("/api/v1/rounds/{round}"))
        .by(&admin)
        .json(&json!({"ranking_method": "zscore", "feedback_to_applicants": true, "blind": false}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let entry = only(&app, &admin, "round.updated").await;
    assert_eq!(entry["actor_id"], admin.id);
    assert_eq!(
        entry["details"],
        json!({
            "ranking_method": {"old": "raw", "new": "zscore"},
            "feedback_to_applicants": {"old": false, "new": true},
        }),
        "every changed field, nothing unchanged"
    );

    let url = format!("/api/v1/rounds/{round}/rubric");
    let res = app.req(Method::PUT, &url).by(&admin).json(&rubric()).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let mut lighter = rubric();
    lighter["criteria"][0]["weight"] = json!(0.25);
    let res = app.req(Method::PUT, &url).by(&admin).json(&lighter).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let rubric_set = audit_actions(&app, &admin, "round.rubric_set").await;
    let key = rubric()["criteria"][0]["key"].as_str().unwrap().to_string();
    let change = &rubric_set[0]["details"][&key];
    assert_eq!(
        (&change["old"]["weight"], &change["new"]["weight"]),
        (&rubric()["criteria"][0]["weight"], &json!(0.25)),
        "{rubric_set:?}"
    );

    let res = app
        .patch(&format!("/api/v1/contests/{contest}"))
        .by(&admin)
        .json(&json!({"timezone": "Asia/Shanghai"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let entry = only(&app, &admin, "contest.updated").await;
    assert_eq!(
        entry["details"]["timezone"],
        json!({"old": "Asia/Seoul", "new": "Asia/Shanghai"})
    );
    assert!(app.db(jury::audit::verify_chain).await.is_ok());
}

#[actix_web::test]
async fn adding_an_active_judge_to_another_contest_is_audited() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let first = app.contest(&admin).await;
    let judge = app.invited_judge(&admin, first, "KR", "Fund 0").await;
    let second = app.contest(&admin).await;
    let res = app
        .post(&format!("/api/v1/contests/{second}/judges/invitations"))
        .by(&admin)
        .json(
            &json!({"judges": [{"email": judge.email, "name": "Judge KR", "region": "KR",
            "organization": "Fund 0", "expertise": {"ai": 3}, "capacity": 20}]}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.body["rows"][0]["status"], "already_active",
        "{}",
        res.text
    );
    let entries = audit_actions(&app, &admin, "judge.invited").await;
    let added = entries
        .iter()
        .find(|e| e["details"]["contest_id"] == second)
        .unwrap_or_else(|| panic!("the judge's joining contest {second} is audited: {entries:?}"));
    assert_eq!(added["actor_id"], admin.id);
    assert_eq!(added["details"]["status"], "already_active");
}

#[actix_web::test]
async fn conflict_detection_audits_as_the_system_the_assignments_it_removed() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR"], false).await;
    let (judge, application) = (&j.judges[0], j.applications[0].1);
    let res = app.assign(&admin, j.round, judge, application).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let assignment = res.body["id"].as_i64().unwrap();
    // The judge turns out to work for the start-up.
    let res = app
        .patch(&format!("/api/v1/judges/{}", judge.id))
        .by(&admin)
        .json(&json!({"organization": "Zenith Startup 0 Co., Ltd.", "capacity": 5}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let profile = only(&app, &admin, "judge.profile_updated").await;
    assert_eq!(
        profile["details"],
        json!({
            "organization": {"old": "Fund 0", "new": "Zenith Startup 0 Co., Ltd."},
            "capacity": {"old": 20, "new": 5},
        })
    );

    let found = app
        .post(&format!("/api/v1/contests/{}/conflicts/detect", j.contest))
        .by(&admin)
        .send()
        .await;
    assert_eq!(found.body["found"], 1, "{}", found.text);
    let live = app
        .get(&format!("/api/v1/rounds/{}/assignments", j.round))
        .by(&admin)
        .await;
    assert!(
        !live.text.contains(&format!("\"id\":{assignment},")),
        "{}",
        live.text
    );

    let entry = only(&app, &admin, "conflict.detected").await;
    assert!(entry["actor_id"].is_null(), "the system acted: {entry}");
    assert_eq!(entry["entity_id"], format!("{}:{application}", judge.id));
    assert_eq!(entry["details"]["assignments_removed"], json!([assignment]));
    assert_eq!(entry["details"]["judge_id"], judge.id);
    assert!(app.db(jury::audit::verify_chain).await.is_ok());
}
