//! Results: the ranking, reproducible from reviews.csv alone; nothing visible before
//! publication; advancing; publishing once, with a digest and one email per applicant.

use std::collections::BTreeMap;

use actix_web::http::Method;
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn rank_recompute_from_csv_advance_and_publish_once() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app
        .judging(&admin, 3, &["KR", "CN", "KR", "CN"], false)
        .await;
    app.req(Method::PATCH, &format!("/api/v1/rounds/{}", j.round))
        .by(&admin)
        .json(&json!({"feedback_to_applicants": true, "tie_break": ["team"]}))
        .await;
    let auto = app
        .post(&format!("/api/v1/rounds/{}/assignments/auto", j.round))
        .by(&admin)
        .json(&json!({}))
        .await;
    assert_eq!(auto.body["objective"]["reviews"], 6, "{}", auto.text);

    // Every judge scores what they have; application 0 is best, 2 worst.
    let apps: Vec<i64> = j.applications.iter().map(|(_, id)| *id).collect();
    for judge in &j.judges {
        let queue = app.get("/api/v1/me/assignments").by(judge).await;
        for item in queue.body["items"].as_array().unwrap() {
            let a = item["assignment_id"].as_i64().unwrap();
            let rank = apps
                .iter()
                .position(|x| *x == item["application_id"].as_i64().unwrap())
                .unwrap() as i64;
            let res = app
                .post(&format!("/api/v1/assignments/{a}/review/submit"))
                .by(judge)
                .json(&json!({"scores": {"team": 5 - rank, "market": 9 - 3 * rank + (judge.id % 2)}, "comment_applicant": "명확한 시장 분석"}))
                .await;
            assert_eq!(res.status, 200, "{}", res.text);
        }
    }

    // Before publication nothing leaks: not to the applicant, the public, or a judge.
    let (owner, first) = (&j.applications[0].0, apps[0]);
    assert_eq!(
        app.get(&format!("/api/v1/applications/{first}/result"))
            .by(owner)
            .await
            .body,
        json!([])
    );
    assert_eq!(
        app.get(&format!("/api/v1/contests/{}/results", j.contest))
            .await
            .body,
        json!([])
    );
    for who in [owner, &j.judges[0]] {
        assert_eq!(
            app.get(&format!("/api/v1/rounds/{}/results", j.round))
                .by(who)
                .await
                .status,
            403
        );
        assert_eq!(
            app.get(&format!("/api/v1/rounds/{}/reviews.csv", j.round))
                .by(who)
                .await
                .status,
            403
        );
    }
    let early = app
        .post(&format!("/api/v1/rounds/{}/publish", j.round))
        .by(&admin)
        .send()
        .await;
    assert_eq!(early.code(), "round_not_closed");

    let res = app
        .get(&format!("/api/v1/rounds/{}/results", j.round))
        .by(&admin)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let order: Vec<i64> = res.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["application_id"].as_i64().unwrap())
        .collect();
    assert_eq!(order, apps);
    assert_eq!(res.body["rows"][0]["rank"], 1);

    // Anyone can recompute the table from reviews.csv with the published formulas.
    let csv = app
        .get(&format!("/api/v1/rounds/{}/reviews.csv", j.round))
        .by(&admin)
        .await;
    assert!(csv.text.starts_with('\u{feff}'));
    let mut reader = csv::Reader::from_reader(csv.text.trim_start_matches('\u{feff}').as_bytes());
    let mut criteria: BTreeMap<String, jury::scoring::Criterion> = BTreeMap::new();
    let mut reviews: BTreeMap<(i64, i64), BTreeMap<String, i32>> = BTreeMap::new();
    for rec in reader.records() {
        let r = rec.unwrap();
        let key = r[2].to_string();
        criteria
            .entry(key.clone())
            .or_insert(jury::scoring::Criterion {
                key: key.clone(),
                weight: r[4].parse().unwrap(),
                min: r[5].parse().unwrap(),
                max: r[6].parse().unwrap(),
            });
        reviews
            .entry((r[0].parse().unwrap(), r[1].parse().unwrap()))
            .or_default()
            .insert(key, r[3].parse().unwrap());
    }
    let reviews: Vec<jury::scoring::Review> = reviews
        .into_iter()
        .map(|((judge, application), scores)| jury::scoring::Review {
            judge,
            application,
            scores,
        })
        .collect();
    let again = jury::scoring::compute(
        &criteria.into_values().collect::<Vec<_>>(),
        &reviews,
        &apps,
        jury::scoring::Method::Raw,
        &["team".into()],
    );
    for (mine, theirs) in again
        .applications
        .iter()
        .zip(res.body["rows"].as_array().unwrap())
    {
        assert_eq!(Some(mine.application), theirs["application_id"].as_i64());
        assert_eq!(mine.rank.map(|r| r as i64), theirs["rank"].as_i64());
        assert!((mine.raw.unwrap() - theirs["raw"].as_f64().unwrap()).abs() < 1e-9);
    }

    app.post(&format!("/api/v1/rounds/{}/transition", j.round))
        .by(&admin)
        .json(&json!({"to": "closed"}))
        .await;
    let adv = app
        .post(&format!("/api/v1/rounds/{}/advance", j.round))
        .by(&admin)
        .json(&json!({"mode": "top", "n": 1}))
        .await;
    assert_eq!(adv.body["advanced"], json!([first]), "{}", adv.text);

    let published = app
        .post(&format!("/api/v1/rounds/{}/publish", j.round))
        .by(&admin)
        .send()
        .await;
    assert_eq!(published.status, 200, "{}", published.text);
    assert_eq!(published.body["emails_queued"], 3);
    let twice = app
        .post(&format!("/api/v1/rounds/{}/publish", j.round))
        .by(&admin)
        .send()
        .await;
    assert_eq!(twice.body["sha256"], published.body["sha256"]);
    assert_eq!(
        twice.body["emails_queued"], 0,
        "publishing twice sends nothing"
    );
    let mails = app.deliver_mail().await;
    let results: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.starts_with("Results of") || m.subject.starts_with("Congratulations"))
        .collect();
    assert_eq!(
        results.len(),
        3,
        "{:?}",
        mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    assert!(
        results.iter().any(|m| m.text.contains("명확한 시장 분석")),
        "feedback shared when the round allows it"
    );

    let public = app
        .get(&format!("/api/v1/contests/{}/results", j.contest))
        .await;
    assert_eq!(public.body[0]["sha256"], published.body["sha256"]);
    assert_eq!(
        public.body[0]["advanced"][0]["company_name"],
        "Zenith Startup 0"
    );
    assert!(
        !public.text.contains("raw"),
        "the public sees who advanced, not scores"
    );
    let mine = app
        .get(&format!("/api/v1/applications/{first}/result"))
        .by(owner)
        .await;
    assert_eq!(mine.body[0]["rank"], 1);
    assert_eq!(mine.body[0]["advanced"], true);
    let stranger = app.applicant().await;
    assert_eq!(
        app.get(&format!("/api/v1/applications/{first}/result"))
            .by(&stranger)
            .await
            .status,
        404
    );
    let late = app
        .req(Method::PUT, &format!("/api/v1/rounds/{}/rubric", j.round))
        .by(&admin)
        .json(&crate::common::rubric())
        .await;
    assert_eq!(late.status, 409, "a published round is frozen");
}

/// Every results endpoint × every role, before publication: only admins see scores or ranks;
/// the public lists are empty; after publication, the applicant and the public see theirs.
#[actix_web::test]
async fn no_score_or_rank_leaks_before_publication_on_any_results_endpoint() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN"], false).await;
    let res = app
        .post(&format!("/api/v1/rounds/{}/assignments/auto", j.round))
        .by(&admin)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    for judge in &j.judges {
        let queue = app.get("/api/v1/me/assignments").by(judge).await;
        for item in queue.body["items"].as_array().unwrap() {
            let a = item["assignment_id"].as_i64().unwrap();
            let res = app
                .post(&format!("/api/v1/assignments/{a}/review/submit"))
                .by(judge)
                .json(&json!({"scores": {"team": 4, "market": 6}}))
                .await;
            assert_eq!(res.status, 200, "{}", res.text);
        }
    }
    app.post(&format!("/api/v1/rounds/{}/transition", j.round))
        .by(&admin)
        .json(&json!({"to": "closed", "confirm": true}))
        .await;
    let (owner, app_id) = (&j.applications[0].0, j.applications[0].1);
    let other = &j.applications[1].0;
    let judge = &j.judges[0];
    let round = j.round;
    let round_paths = [
        format!("/api/v1/rounds/{round}/results"),
        format!("/api/v1/rounds/{round}/results.csv"),
        format!("/api/v1/rounds/{round}/reviews.csv"),
        format!("/api/v1/rounds/{round}/sensitivity"),
    ];
    for path in &round_paths {
        assert_eq!(app.get(path).await.status, 401, "anonymous {path}");
        for (who, name) in [
            (owner, "owner"),
            (other, "other applicant"),
            (judge, "judge"),
        ] {
            assert_eq!(app.get(path).by(who).await.status, 403, "{name} {path}");
        }
        assert_eq!(app.get(path).by(&admin).await.status, 200, "admin {path}");
    }
    let public = format!("/api/v1/contests/{}/results", j.contest);
    for who in [None, Some(owner), Some(judge), Some(&admin)] {
        let req = app.get(&public);
        let res = match who {
            Some(u) => req.by(u).await,
            None => req.await,
        };
        assert_eq!(
            (res.status.as_u16(), res.body.clone()),
            (200, json!([])),
            "public list before"
        );
    }
    let empty_tag = app
        .get(&public)
        .await
        .header("etag")
        .expect("etag")
        .to_string();
    let mine = format!("/api/v1/applications/{app_id}/result");
    assert_eq!(app.get(&mine).by(owner).await.body, json!([]));
    assert_eq!(app.get(&mine).await.status, 401);
    let outsider = app.get(&mine).by(other).await.status.as_u16();
    let judge_view = app.get(&mine).by(judge).await.status.as_u16();
    assert!(
        matches!(outsider, 403 | 404),
        "another applicant: {outsider}"
    );
    assert!(matches!(judge_view, 403 | 404), "a judge: {judge_view}");

    // After publication: the owner sees a rank and score, the public the list, others nothing.
    let res = app
        .post(&format!(
            "/api/v1/rounds/{round}/publish?confirm_no_winners=true"
        ))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let seen = app.get(&mine).by(owner).await;
    assert!(seen.body[0]["rank"].as_u64().is_some(), "{}", seen.text);
    assert_eq!(app.get(&mine).by(other).await.status.as_u16(), outsider);
    assert_eq!(app.get(&public).await.body.as_array().unwrap().len(), 1);
    // The public page is rendered once per set of published digests and revalidates with its
    // ETag: the tag from before publication no longer matches, the current one is a 304.
    let stale = app.get(&public).header("if-none-match", &empty_tag).await;
    assert_eq!(stale.status, 200, "a new publication is never served stale");
    assert_eq!(stale.body.as_array().map(Vec::len), Some(1));
    let tag = stale.header("etag").expect("etag").to_string();
    assert_ne!(tag, empty_tag);
    let fresh = app.get(&public).header("if-none-match", &tag).await;
    assert_eq!(fresh.status, 304);
    assert!(fresh.text.is_empty());
    for who in [owner, judge] {
        assert_eq!(
            app.get(&round_paths[0]).by(who).await.status,
            403,
            "still admin only"
        );
    }
}
