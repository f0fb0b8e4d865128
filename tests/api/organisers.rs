//! Joint organisers (issue 22): two organisations each run a preliminary routed by country,
//! with their own staff and judges; each advances its best into one joint final, whose panels
//! draw on both sides. Staff see their own scope only.

use std::collections::BTreeSet;

use serde_json::json;

use crate::common::{Joint, TestApp, User};

/// Judges of one side, invited by that side's staff.
async fn judges(app: &TestApp, staff: &User, contest: i64, region: &str) -> Vec<User> {
    let mut out = Vec::new();
    for i in 0..2 {
        out.push(
            app.invited_judge(staff, contest, region, &format!("{region} Fund {i}"))
                .await,
        );
    }
    out
}

async fn judge_all(app: &TestApp, judges: &[User]) {
    for judge in judges {
        let queue = app.get("/api/v1/me/assignments").by(judge).await;
        for item in queue.body["items"].as_array().expect("queue items") {
            let a = item["assignment_id"].as_i64().expect("assignment id");
            let app_id = item["application_id"].as_i64().unwrap_or(a);
            let res = app
                .post(&format!("/api/v1/assignments/{a}/review/submit"))
                .by(judge)
                .json(&json!({"scores": {"team": 1 + app_id % 5, "market": 7}}))
                .await;
            assert_eq!(res.status, 200, "review: {}", res.text);
        }
    }
}

/// Staff run their preliminary: start, auto-assign their judges, judging, close, advance two.
async fn run_preliminary(app: &TestApp, staff: &User, round: i64, judges: &[User]) -> Vec<i64> {
    let go = |to: &'static str| {
        app.post(&format!("/api/v1/rounds/{round}/transition"))
            .by(staff)
            .json(&json!({"to": to, "confirm": true}))
    };
    let res = go("judging").await;
    assert_eq!(res.status, 200, "start: {}", res.text);
    let res = app
        .post(&format!("/api/v1/rounds/{round}/assignments/auto"))
        .by(staff)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 200, "auto-assign: {}", res.text);
    judge_all(app, judges).await;
    assert_eq!(go("closed").await.status, 200);
    let res = app
        .post(&format!("/api/v1/rounds/{round}/advance"))
        .by(staff)
        .json(&json!({"mode": "top", "n": 2}))
        .await;
    assert_eq!(res.status, 200, "advance: {}", res.text);
    let ids: Vec<i64> = res.body["advanced"]
        .as_array()
        .unwrap_or_else(|| panic!("advanced: {}", res.text))
        .iter()
        .filter_map(|v| v.as_i64().or(v["application_id"].as_i64()))
        .collect();
    assert_eq!(ids.len(), 2, "{}", res.text);
    ids
}

#[actix_web::test]
async fn two_preliminaries_advance_into_one_joint_final_with_panels_from_both_sides() {
    let app = TestApp::new().await;
    let owner = app.admin().await;
    let Joint {
        contest,
        staff,
        prelims,
        final_round,
        orgs,
    } = app.joint(&owner).await;
    let mut kr_apps = Vec::new();
    let mut cn_apps = Vec::new();
    for n in 0..3 {
        kr_apps.push(app.submitted_from(contest, "KR", n).await);
        cn_apps.push(app.submitted_from(contest, "CN", n).await);
    }
    let kr_judges = judges(&app, &staff[0], contest, "KR").await;
    let cn_judges = judges(&app, &staff[1], contest, "CN").await;

    // Each side sees its own judges only; the owner sees all four.
    let listed = |who: &User| {
        app.get(&format!("/api/v1/contests/{contest}/judges"))
            .by(who)
    };
    let ids = |v: &serde_json::Value| -> BTreeSet<i64> {
        v.as_array()
            .expect("list")
            .iter()
            .filter_map(|j| j["id"].as_i64())
            .collect()
    };
    assert_eq!(
        ids(&listed(&staff[0]).await.body),
        kr_judges.iter().map(|j| j.id).collect()
    );
    assert_eq!(ids(&listed(&owner).await.body).len(), 4);

    // In parallel: both preliminaries judge at once, each from its own side.
    let kr = run_preliminary(&app, &staff[0], prelims[0], &kr_judges).await;
    let cn = run_preliminary(&app, &staff[1], prelims[1], &cn_judges).await;
    assert!(kr.iter().all(|a| kr_apps.contains(a)), "{kr:?}");
    assert!(cn.iter().all(|a| cn_apps.contains(a)), "{cn:?}");

    // Each publishes on its own, with its own digest.
    let mut digests = BTreeSet::new();
    for (who, round) in [(&staff[0], prelims[0]), (&staff[1], prelims[1])] {
        let res = app
            .post(&format!("/api/v1/rounds/{round}/publish"))
            .by(who)
            .send()
            .await;
        assert_eq!(res.status, 200, "publish: {}", res.text);
        digests.insert(res.body["sha256"].as_str().expect("digest").to_string());
    }
    assert_eq!(digests.len(), 2, "each preliminary has its own digest");
    let public = app
        .get(&format!("/api/v1/contests/{contest}/results"))
        .await;
    assert_eq!(public.status, 200, "{}", public.text);
    assert!(
        public.text.contains("Korean preliminary") && public.text.contains("Chinese preliminary"),
        "{}",
        public.text
    );

    // Staff do not run the final; the owner opens it with both sides' best, once each.
    let res = app
        .post(&format!("/api/v1/rounds/{final_round}/transition"))
        .by(&staff[0])
        .json(&json!({"to": "judging"}))
        .await;
    assert_eq!(res.status, 404, "{}", res.text);
    let res = app
        .post(&format!("/api/v1/rounds/{final_round}/transition"))
        .by(&owner)
        .json(&json!({"to": "judging"}))
        .await;
    assert_eq!(res.status, 200, "open the final: {}", res.text);
    assert_eq!(res.body["entries"], 4, "{}", res.text);
    let res = app
        .post(&format!("/api/v1/rounds/{final_round}/assignments/auto"))
        .by(&owner)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 200, "auto-assign the final: {}", res.text);
    let assignments = app
        .get(&format!("/api/v1/rounds/{final_round}/assignments"))
        .by(&owner)
        .await;
    let rows = assignments.body.as_array().expect("assignments");
    let entries: BTreeSet<i64> = rows
        .iter()
        .filter_map(|a| a["application_id"].as_i64())
        .collect();
    let expected: BTreeSet<i64> = kr.iter().chain(&cn).copied().collect();
    assert_eq!(
        entries, expected,
        "the final holds both sides' best, without duplicates"
    );
    let kr_ids: BTreeSet<i64> = kr_judges.iter().map(|j| j.id).collect();
    let cn_ids: BTreeSet<i64> = cn_judges.iter().map(|j| j.id).collect();
    for a in &expected {
        let panel: BTreeSet<i64> = rows
            .iter()
            .filter(|r| r["application_id"].as_i64() == Some(*a))
            .filter_map(|r| r["judge_id"].as_i64())
            .collect();
        assert!(
            panel.iter().any(|j| kr_ids.contains(j)) && panel.iter().any(|j| cn_ids.contains(j)),
            "application {a}: the final's panel is KR + CN, got {panel:?}"
        );
    }

    // The joint summary shows both organisations' progress and the final.
    let summary = app
        .get(&format!("/api/v1/contests/{contest}/organisations/summary"))
        .by(&owner)
        .await;
    assert_eq!(summary.status, 200, "{}", summary.text);
    assert_eq!(
        summary.body["organisations"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(summary.body["organisations"][0]["rounds"][0]["advanced"], 2);
    assert_eq!(summary.body["joint_rounds"][0]["state"], "judging");
    let res = app
        .get(&format!("/api/v1/organisations/{}/dashboard", orgs[0]))
        .by(&staff[0])
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.body["judges"].as_i64() == Some(2), "{}", res.text);
    let res = app
        .get(&format!("/api/v1/organisations/{}/dashboard", orgs[1]))
        .by(&staff[0])
        .await;
    assert_eq!(res.status, 404, "the other side's dashboard: {}", res.text);
}

#[actix_web::test]
async fn routing_follows_the_rules_until_the_owner_overrides_it_and_the_override_is_audited() {
    let app = TestApp::new().await;
    let owner = app.admin().await;
    let j = app.joint(&owner).await;
    let kr = app.submitted_from(j.contest, "KR", 0).await;
    let cn = app.submitted_from(j.contest, "CN", 0).await;
    let us = app.submitted_from(j.contest, "US", 0).await;
    let routes = |who: &User| {
        app.get(&format!("/api/v1/contests/{}/routing", j.contest))
            .by(who)
    };
    let route_of = |body: &serde_json::Value, id: i64| {
        body.as_array()
            .expect("routes")
            .iter()
            .find(|r| r["application_id"] == id)
            .map(|r| r["round_id"].clone())
    };
    let all = routes(&owner).await.body;
    assert_eq!(route_of(&all, kr), Some(json!(j.prelims[0])));
    assert_eq!(route_of(&all, cn), Some(json!(j.prelims[1])));
    assert_eq!(
        route_of(&all, us),
        Some(json!(null)),
        "no catch-all round: nobody takes it"
    );

    // The Korean staff see only what their preliminary takes.
    let mine = routes(&j.staff[0]).await.body;
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    assert_eq!(
        app.get(&format!("/api/v1/applications/{cn}"))
            .by(&j.staff[0])
            .await
            .status,
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/applications/{kr}"))
            .by(&j.staff[0])
            .await
            .status,
        200
    );

    // Overrides are the owner's, need a reason, and are audited.
    let put = |who: &User, body: serde_json::Value| {
        app.req(
            actix_web::http::Method::PUT,
            &format!("/api/v1/applications/{us}/route"),
        )
        .by(who)
        .json(&body)
    };
    assert_eq!(
        put(
            &j.staff[0],
            json!({"round_id": j.prelims[0], "reason": "x"})
        )
        .await
        .status,
        403
    );
    assert_eq!(
        put(&owner, json!({"round_id": j.prelims[0]})).await.status,
        422
    );
    assert_eq!(
        put(&owner, json!({"round_id": j.final_round, "reason": "x"}))
            .await
            .status,
        422
    );
    let res = put(
        &owner,
        json!({"round_id": j.prelims[0], "reason": "Korean subsidiary"}),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["by"], "override");
    assert_eq!(
        app.get(&format!("/api/v1/applications/{us}"))
            .by(&j.staff[0])
            .await
            .status,
        200
    );
    let audit = app
        .get("/api/v1/admin/audit?action=application.routed")
        .by(&owner)
        .await;
    assert_eq!(audit.body[0]["entity_id"], us.to_string(), "{}", audit.text);
    assert!(
        audit.body[0]["details"]
            .as_str()
            .unwrap_or_default()
            .contains("Korean subsidiary")
    );

    // Once the preliminary has started, routing into or out of it is refused.
    let res = app
        .post(&format!("/api/v1/rounds/{}/transition", j.prelims[0]))
        .by(&j.staff[0])
        .json(&json!({"to": "judging"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.body["entries"], 2,
        "KR and the overridden US application"
    );
    let res = put(&owner, json!({"round_id": null})).await;
    assert_eq!(res.status, 409, "{}", res.text);
    assert_eq!(res.body["error"], "routing_frozen");
}

/// The final takes the union of what its stage's preliminaries advanced: an application
/// recorded as advanced by both (the worst case: a hand-picked entry kept on both sides)
/// enters the final once.
#[actix_web::test]
async fn an_application_advanced_by_both_preliminaries_enters_the_final_once() {
    let app = TestApp::new().await;
    let owner = app.admin().await;
    let j = app.joint(&owner).await;
    let kr = app.submitted_from(j.contest, "KR", 0).await;
    let cn = app.submitted_from(j.contest, "CN", 0).await;
    let prelims = j.prelims;
    app.db(move |c| {
        use diesel::prelude::*;
        use jury::db::schema::{round_entries, rounds};
        for (round, apps) in [(prelims[0], vec![kr]), (prelims[1], vec![cn, kr])] {
            for a in apps {
                diesel::insert_into(round_entries::table)
                    .values((
                        round_entries::round_id.eq(round),
                        round_entries::application_id.eq(a),
                        round_entries::advanced.eq(true),
                        round_entries::created_at.eq(jury::db::now()),
                    ))
                    .execute(c)?;
            }
            diesel::update(rounds::table.find(round))
                .set(rounds::state.eq("closed"))
                .execute(c)?;
        }
        Ok(())
    })
    .await;
    let res = app
        .post(&format!("/api/v1/rounds/{}/transition", j.final_round))
        .by(&owner)
        .json(&json!({"to": "judging"}))
        .await;
    assert_eq!(res.status, 200, "open the final: {}", res.text);
    assert_eq!(res.body["entries"], 2, "{}", res.text);
    let entries = app
        .db(move |c| jury::rounds::model::entry_ids(c, j.final_round))
        .await;
    let mut sorted = vec![kr, cn];
    sorted.sort_unstable();
    assert_eq!(entries, sorted, "each application once");
}
