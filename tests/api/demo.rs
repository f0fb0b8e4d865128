//! `jury seed-demo`: the demo contest is complete, consistent with every rule, and what the
//! results screens need (lenient and harsh judges, a published round, a round in progress);
//! and it has the joint shape of issue 22: two organisers' preliminaries judged side by side,
//! and their joint final open.

use serde_json::Value;

use crate::common::TestApp;

#[actix_web::test]
async fn seed_demo_builds_a_consistent_contest_once() {
    let app = TestApp::new().await;
    let demo = jury::demo::seed(&app.state, 40, 12).await.expect("seed");
    assert_eq!((demo.applications, demo.judges), (40, 12));
    let admin = app.login(&demo.admin_email, jury::demo::PASSWORD).await;

    let rounds = app
        .get(&format!("/api/v1/contests/{}/rounds", demo.contest))
        .by(&admin)
        .send()
        .await;
    assert_eq!(rounds.status, 200, "{}", rounds.text);
    let states: Vec<&str> = rounds
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["published", "published", "judging"]);
    let (r1, r2) = (
        rounds.body[0]["id"].as_i64().unwrap(),
        rounds.body[2]["id"].as_i64().unwrap(),
    );
    let orgs: Vec<Value> = (0..3)
        .map(|i| rounds.body[i]["organisation_id"].clone())
        .collect();
    assert!(
        orgs[0].is_i64() && orgs[1].is_i64() && orgs[0] != orgs[1] && orgs[2].is_null(),
        "{orgs:?}"
    );
    let prelim_entries: i64 = (0..2)
        .map(|i| rounds.body[i]["entries"].as_i64().unwrap())
        .sum();
    let routing = app
        .get(&format!("/api/v1/contests/{}/routing", demo.contest))
        .by(&admin)
        .await;
    let routed = routing.body.as_array().unwrap();
    assert!(
        routed.iter().all(|r| r["round_id"].is_i64()),
        "{}",
        routing.text
    );
    assert_eq!(
        routed.len() as i64,
        prelim_entries,
        "every submitted application in one preliminary"
    );
    // Two organisations, a staff member each, who see their own preliminary only.
    let organisations = app
        .get(&format!("/api/v1/contests/{}/organisations", demo.contest))
        .by(&admin)
        .await;
    assert_eq!(
        organisations.body.as_array().map(Vec::len),
        Some(2),
        "{}",
        organisations.text
    );
    assert_eq!(demo.staff_emails.len(), 2);
    for email in &demo.staff_emails {
        let staff = app.login(email, jury::demo::PASSWORD).await;
        let mine = app
            .get(&format!("/api/v1/contests/{}/rounds", demo.contest))
            .by(&staff)
            .await;
        assert_eq!(mine.body.as_array().map(Vec::len), Some(1), "{}", mine.text);
    }

    // The Korean preliminary: every seat filled by Korean judges, no conflicted pair.
    let list = app
        .get(&format!("/api/v1/rounds/{r1}/assignments"))
        .by(&admin)
        .send()
        .await;
    let entries = rounds.body[0]["entries"].as_i64().unwrap() as usize;
    assert_eq!(list.body.as_array().unwrap().len(), entries * 3);
    assert!(
        list.body
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["judge_region"] == "KR"),
        "{}",
        list.text
    );
    let conflicts = app
        .get(&format!("/api/v1/contests/{}/conflicts", demo.contest))
        .by(&admin)
        .send()
        .await;
    let conflicted: Vec<(i64, i64)> = conflicts
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["judge_id"].as_i64().unwrap(),
                c["application_id"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(!conflicted.is_empty());
    // The joint final: panels cross-border.
    let final_list = app
        .get(&format!("/api/v1/rounds/{r2}/assignments"))
        .by(&admin)
        .send()
        .await;
    let mut regions: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
    for a in list.body.as_array().unwrap() {
        let pair = (
            a["judge_id"].as_i64().unwrap(),
            a["application_id"].as_i64().unwrap(),
        );
        assert!(
            !conflicted.contains(&pair),
            "conflicted pair assigned: {pair:?}"
        );
    }
    for a in final_list.body.as_array().unwrap() {
        regions
            .entry(a["application_id"].as_i64().unwrap())
            .or_default()
            .push(a["judge_region"].as_str().unwrap().into());
    }
    for (app_id, r) in &regions {
        assert!(
            r.iter().any(|x| x == "KR") && r.iter().any(|x| x == "CN"),
            "{app_id}: {r:?}"
        );
    }

    // Results: lenient judges above the mean, harsh ones below, and a public page with a digest.
    let res = app
        .get(&format!("/api/v1/rounds/{r1}/results"))
        .by(&admin)
        .send()
        .await;
    let severity: Vec<f64> = res.body["severity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["severity"].as_f64().unwrap())
        .collect();
    assert!(
        severity.iter().any(|s| *s > 3.0) && severity.iter().any(|s| *s < -3.0),
        "{severity:?}"
    );
    let public = app
        .get(&format!("/api/v1/contests/{}/results", demo.contest))
        .send()
        .await;
    assert_eq!(public.status, 200);
    for i in 0..2 {
        assert!(
            public.body[i]["advanced"].as_array().unwrap().len() >= 5,
            "each preliminary's top 5 and ties"
        );
        assert_eq!(public.body[i]["sha256"].as_str().unwrap().len(), 64);
    }
    assert_ne!(public.body[0]["sha256"], public.body[1]["sha256"]);

    // Round 2 is under way: some reviews submitted, some not; a judge sees a queue.
    let progress = app
        .get(&format!("/api/v1/rounds/{r2}/progress"))
        .by(&admin)
        .send()
        .await;
    let (done, all) = (
        progress.body["submitted"].as_i64().unwrap(),
        progress.body["assignments"].as_i64().unwrap(),
    );
    assert!(done > 0 && done < all, "{done} of {all}");
    // It is a live final ready to run: the run sheet lists every entry, the show not started.
    let live = app
        .get(&format!("/api/v1/rounds/{r2}/live"))
        .by(&admin)
        .send()
        .await;
    assert_eq!(live.status, 200, "{}", live.text);
    assert_eq!(live.body["show"]["phase"], "ready");
    assert_eq!(
        live.body["show"]["languages"],
        serde_json::json!(["ko", "zh"])
    );
    assert_eq!(
        live.body["pitches"].as_array().map(Vec::len),
        rounds.body[2]["entries"].as_u64().map(|n| n as usize)
    );
    let judge = app.login(&demo.judge_kr_email, jury::demo::PASSWORD).await;
    let queue: Value = app
        .get("/api/v1/me/assignments")
        .by(&judge)
        .send()
        .await
        .body;
    assert!(queue["total"].as_u64().unwrap() > 0);

    // Once only.
    let again = jury::demo::seed(&app.state, 40, 12).await;
    assert!(matches!(
        again,
        Err(jury::error::AppError::Conflict {
            code: jury::error::ErrorCode::DemoExists,
            ..
        })
    ));
}
