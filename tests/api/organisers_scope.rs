//! Joint organisers (issue 22), the scope rule: staff's audit entries and mail carry their
//! organisation and stay in their scope; owner-only changes answer them 403.

use std::collections::BTreeSet;

use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn staff_audit_entries_and_mail_carry_their_organisation_and_stay_in_their_scope() {
    let app = TestApp::new().await;
    let owner = app.admin().await;
    let j = app.joint(&owner).await;
    app.invited_judge(&j.staff[0], j.contest, "KR", "Seoul Fund")
        .await;
    app.invited_judge(&j.staff[1], j.contest, "CN", "Hangzhou Fund")
        .await;

    let audit = app.get("/api/v1/admin/audit").by(&j.staff[0]).await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    let entries = audit.body.as_array().expect("entries");
    assert!(
        entries.iter().any(|e| e["action"] == "judge.invited"),
        "{}",
        audit.text
    );
    assert!(
        entries.iter().all(|e| e["organisation_id"] == j.orgs[0]),
        "{}",
        audit.text
    );
    let all = app
        .get("/api/v1/admin/audit?action=judge.invited")
        .by(&owner)
        .await;
    let orgs: BTreeSet<i64> = all
        .body
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["organisation_id"].as_i64())
        .collect();
    assert_eq!(orgs, j.orgs.iter().copied().collect());
    let staff_accepted = app
        .get("/api/v1/admin/audit?action=staff.accepted")
        .by(&owner)
        .await;
    assert_eq!(
        staff_accepted.body.as_array().map(Vec::len),
        Some(2),
        "{}",
        staff_accepted.text
    );
    let verify = app.get("/api/v1/admin/audit/verify").by(&owner).await;
    assert_eq!(
        verify.body["intact"], true,
        "the chain covers the organisation: {}",
        verify.text
    );
    assert_eq!(
        app.get("/api/v1/admin/audit/verify")
            .by(&j.staff[0])
            .await
            .status,
        403
    );

    let outbox = app.get("/api/v1/admin/outbox").by(&j.staff[1]).await;
    let mails = outbox.body.as_array().expect("outbox");
    assert_eq!(
        mails.len(),
        1,
        "the CN staff's own invitation mail: {}",
        outbox.text
    );
    assert!(
        mails[0]["to_address"]
            .as_str()
            .unwrap_or_default()
            .contains("hangzhoufund")
    );
    let theirs = app.get("/api/v1/admin/outbox").by(&j.staff[0]).await.body[0]["id"]
        .as_i64()
        .expect("id");
    let res = app
        .post(&format!("/api/v1/admin/outbox/{theirs}/retry"))
        .by(&j.staff[1])
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 404, "another side's mail: {}", res.text);

    // Owner-only: contests, rounds, organisations, staff.
    assert_eq!(
        app.post("/api/v1/contests")
            .by(&j.staff[0])
            .json(&json!({}))
            .await
            .status,
        403
    );
    let res = app
        .post(&format!("/api/v1/contests/{}/rounds", j.contest))
        .by(&j.staff[0])
        .json(&json!({"name": {"en": "Mine"}}))
        .await;
    assert_eq!(res.status, 403);
    let res = app
        .patch(&format!("/api/v1/rounds/{}", j.prelims[0]))
        .by(&j.staff[0])
        .json(&json!({"organisation_id": j.orgs[1]}))
        .await;
    assert_eq!(res.status, 403, "who runs a round is the owner's choice");
    let res = app
        .patch(&format!("/api/v1/rounds/{}", j.prelims[0]))
        .by(&j.staff[0])
        .json(&json!({"blind": true}))
        .await;
    assert_eq!(res.status, 200, "staff run their own round: {}", res.text);
    let rounds = app
        .get(&format!("/api/v1/contests/{}/rounds", j.contest))
        .by(&j.staff[1])
        .await;
    assert_eq!(
        rounds.body.as_array().map(Vec::len),
        Some(1),
        "{}",
        rounds.text
    );
    let me = app.get("/api/v1/me").by(&j.staff[1]).await;
    assert_eq!(me.body["organisation_id"], j.orgs[1]);
}

/// Staff of one side get 404 on every object of the other side: its application, round,
/// judge, assignment, outbox message; their audit list holds their own entries only.
#[actix_web::test]
async fn staff_of_one_side_get_404_on_the_other_sides_objects() {
    let app = TestApp::new().await;
    let owner = app.admin().await;
    let j = app.joint(&owner).await;
    let cn_app = app.submitted_from(j.contest, "CN", 0).await;
    let cn_judge = app
        .invited_judge(&j.staff[1], j.contest, "CN", "Hangzhou Fund")
        .await;
    app.invited_judge(&j.staff[0], j.contest, "KR", "Seoul Fund")
        .await;
    let res = app
        .post(&format!("/api/v1/rounds/{}/transition", j.prelims[1]))
        .by(&j.staff[1])
        .json(&json!({"to": "judging"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app
        .post(&format!("/api/v1/rounds/{}/assignments", j.prelims[1]))
        .by(&j.staff[1])
        .json(&json!({"judge_id": cn_judge.id, "application_id": cn_app}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let assignment = res.body["id"].as_i64().expect("assignment id");
    let outbox = app.get("/api/v1/admin/outbox").by(&j.staff[1]).await;
    let mail = outbox.body[0]["id"].as_i64().expect("a CN mail");

    let kr = &j.staff[0];
    let cn_round = j.prelims[1];
    for (what, method, path, body) in [
        (
            "application",
            "GET",
            format!("/api/v1/applications/{cn_app}"),
            None,
        ),
        ("round", "GET", format!("/api/v1/rounds/{cn_round}"), None),
        (
            "round progress",
            "GET",
            format!("/api/v1/rounds/{cn_round}/progress"),
            None,
        ),
        (
            "round assignments",
            "GET",
            format!("/api/v1/rounds/{cn_round}/assignments"),
            None,
        ),
        (
            "round results",
            "GET",
            format!("/api/v1/rounds/{cn_round}/results"),
            None,
        ),
        (
            "judge",
            "PATCH",
            format!("/api/v1/judges/{}", cn_judge.id),
            Some(json!({"capacity": 3})),
        ),
        (
            "judge deactivation",
            "POST",
            format!("/api/v1/judges/{}/deactivate", cn_judge.id),
            Some(json!({})),
        ),
        (
            "assignment",
            "DELETE",
            format!("/api/v1/assignments/{assignment}"),
            None,
        ),
        (
            "outbox message",
            "POST",
            format!("/api/v1/admin/outbox/{mail}/retry"),
            Some(json!({})),
        ),
    ] {
        let method = actix_web::http::Method::from_bytes(method.as_bytes()).expect("method");
        let req = app.req(method, &path).by(kr);
        let res = match body {
            Some(b) => req.json(&b).await,
            None => req.send().await,
        };
        assert_eq!(res.status, 404, "the other side's {what}: {}", res.text);
    }
    // Their lists hold none of it.
    let judges = app
        .get(&format!("/api/v1/contests/{}/judges", j.contest))
        .by(kr)
        .await;
    assert!(!judges.text.contains(&cn_judge.email), "{}", judges.text);
    let apps = app
        .get(&format!("/api/v1/contests/{}/applications", j.contest))
        .by(kr)
        .await;
    assert_eq!(apps.body["total"], 0, "{}", apps.text);
    let audit = app.get("/api/v1/admin/audit").by(kr).await;
    assert!(
        audit
            .body
            .as_array()
            .expect("entries")
            .iter()
            .all(|e| e["organisation_id"] == j.orgs[0]),
        "{}",
        audit.text
    );
    // The owner sees both sides.
    assert_eq!(
        app.get(&format!("/api/v1/applications/{cn_app}"))
            .by(&owner)
            .await
            .status,
        200
    );
}
