//! Conflicts before assignment: organisations on a judge's profile (any script) and conflicts
//! marked from the contest's entry list keep those pairs out of every later assignment —
//! automatic, repaired or by hand — and a blind round keeps its entry list hidden.

use actix_web::http::Method;
use serde_json::{Value, json};

use crate::common::{TestApp, User};

/// The (judge, application) pairs of the round.
async fn pairs(app: &TestApp, admin: &User, round: i64) -> Vec<(i64, i64)> {
    let res = app
        .get(&format!("/api/v1/rounds/{round}/assignments"))
        .by(admin)
        .await;
    res.body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["judge_id"].as_i64().unwrap(),
                a["application_id"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn auto(app: &TestApp, admin: &User, round: i64) -> Value {
    let res = app
        .post(&format!("/api/v1/rounds/{round}/assignments/auto"))
        .by(admin)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body
}

#[actix_web::test]
async fn declared_ties_and_marked_entries_stay_out_of_every_assignment() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app
        .judging(&admin, 3, &["KR", "CN", "KR", "CN"], false)
        .await;
    let (tied, marker) = (&j.judges[0], &j.judges[1]);
    let (a0, a1, a2) = (
        j.applications[0].1,
        j.applications[1].1,
        j.applications[2].1,
    );

    // From the profile: a family company written in Korean matches the start-up's Korean name.
    let res = app
        .patch("/api/v1/me/judge-profile")
        .by(tied)
        .json(
            &json!({"affiliations": [{"name": "(주)제니스 1", "kind": "family"},
                                       {"name": "Nothing Alike", "kind": "employer"}]}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["affiliations"][0]["kind"], "family");
    let bad = app
        .patch("/api/v1/me/judge-profile")
        .by(tied)
        .json(&json!({"affiliations": [{"name": "  ", "kind": "employer"}]}))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);

    // From the entry list, before anything is assigned: names and tracks, nothing personal.
    let lists = app.get("/api/v1/me/entries").by(marker).await;
    assert_eq!(lists.status, 200, "{}", lists.text);
    let list = &lists.body[0];
    assert_eq!(list["contest_id"], j.contest);
    assert_eq!(list["blind"], false);
    let entries = list["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    let mut keys: Vec<&str> = entries[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "application_id",
            "company_name",
            "company_name_native",
            "conflict",
            "track"
        ]
    );
    assert!(
        !lists.text.contains("zenith") && !lists.text.contains("Founder"),
        "{}",
        lists.text
    );
    let res = app
        .post(&format!("/api/v1/applications/{a2}/conflict"))
        .by(marker)
        .json(&json!({"reason": "I invested in them"}))
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    let one = app
        .get(&format!("/api/v1/contests/{}/entries", j.contest))
        .by(marker)
        .await;
    let marked = one.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["application_id"] == a2)
        .unwrap()
        .clone();
    assert_eq!(marked["conflict"], "declared");

    // Automatic, then repaired after a late conflict, then by hand: never those pairs.
    auto(&app, &admin, j.round).await;
    let now = pairs(&app, &admin, j.round).await;
    assert!(
        !now.contains(&(tied.id, a1)) && !now.contains(&(marker.id, a2)),
        "{now:?}"
    );
    let late = if now.contains(&(marker.id, a0)) {
        a0
    } else {
        a1
    };
    let res = app
        .post(&format!("/api/v1/applications/{late}/conflict"))
        .by(marker)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    let repaired = auto(&app, &admin, j.round).await;
    assert_eq!(repaired["objective"]["reviews"], 6, "{repaired}");
    let now = pairs(&app, &admin, j.round).await;
    for banned in [(tied.id, a1), (marker.id, a2), (marker.id, late)] {
        assert!(!now.contains(&banned), "{banned:?} in {now:?}");
    }
    for (judge, application) in [(tied, a1), (marker, a2)] {
        let res = app.assign(&admin, j.round, judge, application).await;
        assert_eq!(res.code(), "conflict_of_interest", "{}", res.text);
    }

    // A judge withdraws only what they marked; the profile's tie is not theirs to lift here.
    let url = |a: i64| format!("/api/v1/applications/{a}/conflict");
    let res = app.req(Method::DELETE, &url(a2)).by(marker).await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(
        app.req(Method::DELETE, &url(a2)).by(marker).await.status,
        404
    );
    assert_eq!(app.req(Method::DELETE, &url(a1)).by(tied).await.status, 404);
    let audit = app
        .get("/api/v1/admin/audit?action=conflict.withdrawn")
        .by(&admin)
        .await;
    assert!(audit.text.contains("conflict.withdrawn"), "{}", audit.text);
}

#[actix_web::test]
async fn a_blind_round_keeps_its_entry_list_from_judges() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR"], true).await;
    let judge = &j.judges[0];
    let res = app
        .get(&format!("/api/v1/contests/{}/entries", j.contest))
        .by(judge)
        .await;
    assert_eq!(res.status, 403, "{}", res.text);
    assert_eq!(res.code(), "round_blind");
    let mine = app.get("/api/v1/me/entries").by(judge).await;
    assert_eq!(mine.body[0]["blind"], true);
    assert_eq!(mine.body[0]["entries"], json!([]));
    let res = app
        .post(&format!(
            "/api/v1/applications/{}/conflict",
            j.applications[0].1
        ))
        .by(judge)
        .json(&json!({}))
        .await;
    assert_eq!(
        res.status, 404,
        "an unseen entry cannot be marked: {}",
        res.text
    );

    // A judge of another contest does not learn that this one exists.
    let other = app.judging(&admin, 1, &["CN"], false).await;
    let res = app
        .get(&format!("/api/v1/contests/{}/entries", j.contest))
        .by(&other.judges[0])
        .await;
    assert_eq!(res.status, 404);
}
