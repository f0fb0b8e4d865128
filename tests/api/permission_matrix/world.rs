//! The world the permission matrix runs in: one contest, the owner's submitted application, a
//! round with assignments, and a caller of each kind; and the states a row is tried in. The
//! round is run by an organiser (issue 22) whose staff invited the judges; a second
//! organiser's staff stand for another scope.

use super::*;

/// The fixture world: one contest, the owner's submitted application and the callers.
pub(super) struct World {
    pub(super) admin: User,
    pub(super) contest: i64,
    pub(super) round: i64,
    pub(super) callers: [Option<User>; super::N],
    pub(super) ids: BTreeMap<&'static str, String>,
    pub(super) vars: BTreeMap<&'static str, String>,
    pub(super) reviewers: Vec<(User, i64)>,
}

async fn submitted(app: &TestApp, founder: &User, contest: i64, n: usize) -> (i64, i64) {
    let id = app.draft_application(founder, contest).await;
    let mut fields = complete_fields();
    fields["company_name"] = json!(format!("Matrix Startup {n}"));
    let res = app
        .patch(&format!("/api/v1/applications/{id}"))
        .by(founder)
        .json(&fields)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let deck = jury::applications::pdf::sample("Deck");
    let res = app.upload(founder, id, "deck.pdf", deck).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let doc = res.body["id"].as_i64().expect("document id");
    let res = app
        .post(&format!("/api/v1/applications/{id}/submit"))
        .by(founder)
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    (id, doc)
}

async fn assign(app: &TestApp, admin: &User, round: i64, judge: &User, application: i64) -> i64 {
    let res = app.assign(admin, round, judge, application).await;
    assert_eq!(res.status, 201, "assign: {}", res.text);
    res.body["id"].as_i64().expect("assignment id")
}

pub(super) async fn build(app: &TestApp) -> World {
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let owner = app.applicant().await;
    let (target, doc) = submitted(app, &owner, contest, 0).await;
    let founder = app.applicant().await;
    let (second, _) = submitted(app, &founder, contest, 1).await;
    let other = app.applicant().await;
    app.draft_application(&other, contest).await;
    let organiser = app.organisation(&admin, contest, "KR").await;
    let other_organiser = app.organisation(&admin, contest, "CN").await;
    let staff = app.staff(&admin, organiser).await;
    let other_staff = app.staff(&admin, other_organiser).await;
    let mut judges = Vec::new();
    for (i, region) in ["KR", "CN", "KR", "CN", "KR", "CN"].iter().enumerate() {
        let org = format!("Matrix Fund {i}");
        judges.push(app.invited_judge(&staff, contest, region, &org).await);
    }
    let [asg, una, cfl, dea, spare, helper] = judges.try_into().expect("six judges");
    let res = app
        .post(&format!("/api/v1/contests/{contest}/rounds"))
        .by(&admin)
        .json(
            &json!({"name": {"en": "Screening"}, "reviews_per_application": 2,
            "blind": false, "blind_shows_deck": false, "ranking_method": "raw",
            "organisation_id": organiser}),
        )
        .await;
    assert_eq!(res.status, 201, "round: {}", res.text);
    let round = res.body["id"].as_i64().expect("round id");
    let res = app
        .req(Method::PUT, &format!("/api/v1/rounds/{round}/rubric"))
        .by(&admin)
        .json(&rubric())
        .await;
    assert_eq!(res.status, 200, "rubric: {}", res.text);
    let a = assign(app, &admin, round, &asg, target).await;
    let una_a = assign(app, &admin, round, &una, second).await;
    let spare_a = assign(app, &admin, round, &helper, second).await;
    assign(app, &admin, round, &cfl, target).await;
    let res = app
        .post(&format!("/api/v1/applications/{target}/conflict"))
        .by(&cfl)
        .json(&json!({"reason": "I advised them last year"}))
        .await;
    assert_eq!(res.status.as_u16() / 100, 2, "declare: {}", res.text);
    let conflicts = app
        .get(&format!("/api/v1/contests/{contest}/conflicts"))
        .by(&admin)
        .await;
    let conflict = conflicts
        .body
        .as_array()
        .expect("conflicts")
        .iter()
        .find(|c| {
            c["judge_id"].as_i64() == Some(cfl.id) && c["application_id"].as_i64() == Some(target)
        });
    let conflict = conflict.expect("declared conflict")["id"]
        .as_i64()
        .expect("id");
    let res = app
        .post(&format!("/api/v1/judges/{}/deactivate", dea.id))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.status, 204, "deactivate: {}", res.text);
    let outbox = app.get("/api/v1/admin/outbox").by(&staff).await;
    let outbox = outbox.body[0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("an outbox item: {}", outbox.text));
    let res = app
        .post(&format!("/api/v1/contests/{contest}/day-links"))
        .by(&admin)
        .json(&json!({"judge_ids": [spare.id]}))
        .await;
    assert_eq!(res.status, 201, "day link: {}", res.text);
    let day_link = res.body["links"][0]["id"].as_i64().expect("day link id");
    let res = app
        .req(
            Method::PUT,
            &format!("/api/v1/rounds/{round}/audience-vote"),
        )
        .by(&admin)
        .json(&json!({"mode": "tickets"}))
        .await;
    assert_eq!(res.status, 200, "audience vote: {}", res.text);
    let vote_key = res.body["vote_url"].as_str().expect("vote url");
    let vote_key = vote_key.rsplit('/').next().unwrap_or_default().to_string();
    let ids = BTreeMap::from([
        ("contest", contest.to_string()),
        ("day_link", day_link.to_string()),
        ("vote_key", vote_key),
        ("round", round.to_string()),
        ("app", target.to_string()),
        ("doc", doc.to_string()),
        ("assignment", a.to_string()),
        ("spare_assignment", spare_a.to_string()),
        ("judge", spare.id.to_string()),
        ("conflict", conflict.to_string()),
        ("outbox", outbox.to_string()),
        ("template", "judge_invitation".to_string()),
        ("organisation", organiser.to_string()),
    ]);
    let vars = BTreeMap::from([
        ("owner_id", owner.id.to_string()),
        ("app_id", target.to_string()),
        ("cfl_id", cfl.id.to_string()),
    ]);
    World {
        contest,
        round,
        reviewers: vec![(asg.clone(), a), (una.clone(), una_a)],
        callers: [
            None,
            Some(owner),
            Some(other),
            Some(asg),
            Some(una),
            Some(cfl),
            Some(dea),
            Some(other_staff),
            Some(staff),
            Some(admin.clone()),
        ],
        admin,
        ids,
        vars,
    }
}

/// Moves the world into `state` (the states come in order).
pub(super) async fn enter(app: &TestApp, w: &World, state: &str) {
    let transition = |to: &'static str| {
        app.post(&format!("/api/v1/rounds/{}/transition", w.round))
            .by(&w.admin)
            .json(&json!({"to": to, "confirm": true}))
    };
    match state {
        "setup" => {}
        "judging" => {
            let res = transition("judging").await;
            assert_eq!(res.status, 200, "start judging: {}", res.text);
        }
        "closed" => {
            for (judge, a) in &w.reviewers {
                let res = app
                    .post(&format!("/api/v1/assignments/{a}/review/submit"))
                    .by(judge)
                    .json(&json!({"scores": {"team": 4, "market": 7}}))
                    .await;
                assert_eq!(res.status, 200, "review: {}", res.text);
            }
            let res = transition("closed").await;
            assert_eq!(res.status, 200, "close: {}", res.text);
        }
        "published" => {
            let round = app
                .get(&format!("/api/v1/rounds/{}", w.round))
                .by(&w.admin)
                .await;
            if round.body["state"] != "published" {
                let res = app
                    .post(&format!(
                        "/api/v1/rounds/{}/publish?confirm_no_winners=true",
                        w.round
                    ))
                    .by(&w.admin)
                    .send()
                    .await;
                assert_eq!(res.status, 200, "publish: {}", res.text);
            }
        }
        "late" => app.close_window(&w.admin, w.contest).await,
        other => panic!("unknown state {other}"),
    }
}
