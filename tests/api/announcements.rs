//! Announcements: who each audience reaches (status, track, round, result, judges, everyone),
//! one mail per person in their language, the preview agreeing with the send, the refusals,
//! the audit entry, and who may call it.

use actix_web::http::Method;
use serde_json::{Value, json};

use crate::common::{Judging, TestApp, User};

const SUBJECT_EN: &str = "Final pitch day";
const SUBJECT_KO: &str = "결선 발표회 안내";

fn input(audience: Value) -> Value {
    json!({
        "audience": audience,
        "subject": {"en": SUBJECT_EN, "ko": SUBJECT_KO},
        "body": {"en": "The final is on 18 December.", "ko": "결선은 12월 18일입니다."}
    })
}

async fn preview(app: &TestApp, admin: &User, contest: i64, audience: Value) -> Value {
    let res = app
        .post(&format!("/api/v1/contests/{contest}/announcements/preview"))
        .by(admin)
        .json(&input(audience.clone()))
        .await;
    assert_eq!(res.status, 200, "preview {audience}: {}", res.text);
    res.body
}

async fn count(app: &TestApp, admin: &User, contest: i64, audience: Value) -> i64 {
    preview(app, admin, contest, audience).await["recipients"]
        .as_i64()
        .expect("recipients")
}

async fn set_locale(app: &TestApp, user: &User, locale: &str) {
    let res = app
        .req(Method::PATCH, "/api/v1/me")
        .by(user)
        .json(&json!({"locale": locale}))
        .await;
    assert_eq!(res.status, 200, "locale: {}", res.text);
}

/// Three submitted applications judged with distinct scores (application 0 best), the best
/// one advanced and the round published; a draft in the `bio` track; a judge invited after
/// the assignments (no assignment) and deactivated at the end of the test.
async fn world(app: &TestApp, admin: &User) -> (Judging, User) {
    let j = app.judging(admin, 3, &["KR", "CN"], false).await;
    let res = app
        .post(&format!("/api/v1/rounds/{}/assignments/auto", j.round))
        .by(admin)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 200, "auto: {}", res.text);
    let apps: Vec<i64> = j.applications.iter().map(|(_, id)| *id).collect();
    for judge in &j.judges {
        let queue = app.get("/api/v1/me/assignments").by(judge).await;
        for item in queue.body["items"].as_array().expect("items") {
            let a = item["assignment_id"].as_i64().expect("assignment");
            let rank = apps
                .iter()
                .position(|x| Some(*x) == item["application_id"].as_i64())
                .expect("known application") as i64;
            let res = app
                .post(&format!("/api/v1/assignments/{a}/review/submit"))
                .by(judge)
                .json(&json!({"scores": {"team": 5 - rank, "market": 9 - 3 * rank}}))
                .await;
            assert_eq!(res.status, 200, "review: {}", res.text);
        }
    }
    let draft_owner = app.applicant().await;
    let draft = app.draft_application(&draft_owner, j.contest).await;
    let res = app
        .patch(&format!("/api/v1/applications/{draft}"))
        .by(&draft_owner)
        .json(&json!({"track": "bio"}))
        .await;
    assert_eq!(res.status, 200, "draft track: {}", res.text);
    (j, draft_owner)
}

async fn publish(app: &TestApp, admin: &User, j: &Judging) {
    let res = app
        .post(&format!("/api/v1/rounds/{}/transition", j.round))
        .by(admin)
        .json(&json!({"to": "closed", "confirm": true}))
        .await;
    assert_eq!(res.status, 200, "close: {}", res.text);
    let res = app
        .post(&format!("/api/v1/rounds/{}/advance", j.round))
        .by(admin)
        .json(&json!({"mode": "top", "n": 1}))
        .await;
    assert_eq!(
        res.body["advanced"],
        json!([j.applications[0].1]),
        "{}",
        res.text
    );
    let res = app
        .post(&format!("/api/v1/rounds/{}/publish", j.round))
        .by(admin)
        .send()
        .await;
    assert_eq!(res.status, 200, "publish: {}", res.text);
}

#[actix_web::test]
async fn each_filter_reaches_its_people_once() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (j, _draft_owner) = world(&app, &admin).await;
    let (c, round) = (j.contest, j.round);

    // The result filter waits for the round's publication.
    let res = app
        .post(&format!("/api/v1/contests/{c}/announcements/preview"))
        .by(&admin)
        .json(&input(
            json!({"group": "applicants", "round_id": round, "result": "advanced"}),
        ))
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.body["fields"]["result"], "not_published");
    publish(&app, &admin, &j).await;

    let late_judge = app.invited_judge(&admin, c, "KR", "Late Fund").await;
    let cases = [
        (json!({"group": "applicants"}), 4),
        (json!({"group": "applicants", "statuses": ["submitted"]}), 3),
        (json!({"group": "applicants", "statuses": ["draft"]}), 1),
        (
            json!({"group": "applicants", "statuses": ["withdrawn", "disqualified"]}),
            0,
        ),
        (json!({"group": "applicants", "track": "bio"}), 1),
        (json!({"group": "applicants", "track": "ai"}), 3),
        (json!({"group": "applicants", "round_id": round}), 3),
        (
            json!({"group": "applicants", "round_id": round, "result": "advanced"}),
            1,
        ),
        (
            json!({"group": "applicants", "round_id": round, "result": "not_advanced"}),
            2,
        ),
        // A round that advances entries gives no awards.
        (
            json!({"group": "applicants", "round_id": round, "result": "awarded"}),
            0,
        ),
        (json!({"group": "judges"}), 3),
        (json!({"group": "judges", "round_id": round}), 2),
        (json!({"group": "everyone"}), 7),
        (json!({"group": "everyone", "round_id": round}), 5),
    ];
    for (audience, want) in cases {
        assert_eq!(
            count(&app, &admin, c, audience.clone()).await,
            want,
            "{audience}"
        );
    }

    // A deactivated judge is no longer reached.
    let res = app
        .post(&format!("/api/v1/judges/{}/deactivate", late_judge.id))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(count(&app, &admin, c, json!({"group": "judges"})).await, 2);
    assert_eq!(
        count(&app, &admin, c, json!({"group": "everyone"})).await,
        6
    );
}

#[actix_web::test]
async fn one_mail_each_in_their_language_as_previewed() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (j, draft_owner) = world(&app, &admin).await;
    let c = j.contest;
    set_locale(&app, &j.applications[1].0, "ko").await;
    set_locale(&app, &j.applications[2].0, "zh").await;
    set_locale(&app, &j.judges[0], "ko").await;
    app.deliver_mail().await;
    let before = app.deliver_mail().await.len();

    let everyone = json!({"group": "everyone"});
    let p = preview(&app, &admin, c, everyone.clone()).await;
    assert_eq!(p["recipients"], 6, "{p}");
    assert_eq!(p["by_language"], json!({"en": 3, "ko": 2, "zh": 1}));
    assert_eq!(p["fallback"], json!(["zh"]), "Chinese was left empty");
    assert_eq!(p["rendered"]["ko"]["subject"], SUBJECT_KO);
    assert!(
        p["rendered"]["ko"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("결선은 12월 18일입니다.") && t.contains("안녕하세요")),
        "{p}"
    );
    assert_eq!(p["rendered"]["zh"]["subject"], SUBJECT_EN, "falls back");

    let res = app
        .post(&format!("/api/v1/contests/{c}/announcements"))
        .by(&admin)
        .json(&input(everyone.clone()))
        .await;
    assert_eq!(res.status, 201, "send: {}", res.text);
    assert_eq!(res.body["recipients"], p["recipients"]);
    assert_eq!(res.body["emails_queued"], 6);
    let id = res.body["id"].as_i64().expect("id");

    let mails = app.deliver_mail().await;
    let sent = &mails[before..];
    let mut people: Vec<(&User, &str)> = vec![
        (&j.applications[0].0, SUBJECT_EN),
        (&j.applications[1].0, SUBJECT_KO),
        (&j.applications[2].0, SUBJECT_EN),
        (&draft_owner, SUBJECT_EN),
        (&j.judges[0], SUBJECT_KO),
        (&j.judges[1], SUBJECT_EN),
    ];
    for (who, subject) in people.drain(..) {
        let theirs: Vec<_> = sent.iter().filter(|m| m.to == who.email).collect();
        assert_eq!(theirs.len(), 1, "{} gets one mail", who.email);
        assert_eq!(theirs[0].subject, subject, "{}", who.email);
    }
    assert_eq!(sent.len(), 6, "nobody else");

    let list = app
        .get(&format!("/api/v1/contests/{c}/announcements"))
        .by(&admin)
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.body[0]["id"], id);
    assert_eq!(list.body[0]["recipients"], 6);
    assert_eq!(list.body[0]["audience"]["group"], "everyone");
    assert_eq!(list.body[0]["subject"]["ko"], SUBJECT_KO);

    let audit = app
        .get("/api/v1/admin/audit?action=announcement.sent")
        .by(&admin)
        .await;
    assert_eq!(audit.status, 200, "{}", audit.text);
    let entry = &audit.body[0];
    assert_eq!(entry["entity_id"], id.to_string());
    let details: Value = match &entry["details"] {
        Value::String(s) => serde_json::from_str(s).expect("details"),
        v => v.clone(),
    };
    assert_eq!(details["recipients"], 6, "{details}");
    assert_eq!(details["audience"]["group"], "everyone");
}

#[actix_web::test]
async fn refusals_and_roles() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (owner, c, _) = app.submitted_application(&admin).await;
    let judge = app.judge().await;
    let url = format!("/api/v1/contests/{c}/announcements");
    let send = |body: Value| app.post(&url).by(&admin).json(&body);

    let res =
        send(json!({"audience": {"group": "everyone"}, "subject": {"ko": "안내"}, "body": {}}))
            .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.body["fields"]["subject.en"], "required");
    assert_eq!(res.body["fields"]["body.en"], "required");

    // The preview counts while the message is still unwritten.
    let res = app
        .post(&format!("{url}/preview"))
        .by(&admin)
        .json(&json!({"audience": {"group": "applicants"}, "subject": {}, "body": {}}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["recipients"], 1);

    let res = send(json!({"audience": {"group": "everyone"},
        "subject": {"en": "x".repeat(201)}, "body": {"en": "ok", "ko": "가".repeat(10_001)}}))
    .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.body["fields"]["subject.en"], "too_long");
    assert_eq!(res.body["fields"]["body.ko"], "too_long");

    let res = send(input(json!({"group": "applicants", "track": "space"}))).await;
    assert_eq!(res.body["fields"]["track"], "unknown_track", "{}", res.text);

    let res = send(input(json!({"group": "applicants", "result": "advanced"}))).await;
    assert_eq!(res.body["fields"]["round_id"], "required", "{}", res.text);

    let res = send(input(
        json!({"group": "applicants", "statuses": ["withdrawn"]}),
    ))
    .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.body["fields"]["audience"], "no_recipients");

    // A round of another contest is answered like a missing one.
    let other = app.contest(&admin).await;
    let res = app
        .post(&format!("/api/v1/contests/{other}/rounds"))
        .by(&admin)
        .json(&json!({"name": {"en": "Other"}, "reviews_per_application": 1}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let foreign = res.body["id"].as_i64().expect("round");
    let res = send(input(json!({"group": "judges", "round_id": foreign}))).await;
    assert_eq!(res.status, 404, "{}", res.text);
    let res = app
        .post("/api/v1/contests/999999/announcements/preview")
        .by(&admin)
        .json(&input(json!({"group": "everyone"})))
        .await;
    assert_eq!(res.status, 404, "{}", res.text);

    for who in [&owner, &judge] {
        for res in [
            app.post(&url)
                .by(who)
                .json(&input(json!({"group": "everyone"})))
                .await,
            app.post(&format!("{url}/preview"))
                .by(who)
                .json(&input(json!({"group": "everyone"})))
                .await,
            app.get(&url).by(who).await,
        ] {
            assert_eq!(res.status, 403, "{}", res.text);
        }
    }
    let res = app.get(&url).by(&admin).await;
    assert_eq!(res.body, json!([]), "nothing was sent");
}

#[actix_web::test]
async fn awarded_are_the_finals_award_winners() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 4, &["KR", "CN"], false).await;
    let res = app
        .patch(&format!("/api/v1/contests/{}", j.contest))
        .by(&admin)
        .json(&json!({"awards": crate::editions::tiers()}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.scored_and_closed(&admin, &j).await;
    let res = app
        .post(&format!("/api/v1/rounds/{}/publish", j.round))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.status, 200, "publish: {}", res.text);
    let round = j.round;
    let awarded = json!({"group": "applicants", "round_id": round, "result": "awarded"});
    assert_eq!(
        count(&app, &admin, j.contest, awarded).await,
        3,
        "one grand prize, two merits"
    );
    let advanced = json!({"group": "applicants", "round_id": round, "result": "advanced"});
    assert_eq!(count(&app, &admin, j.contest, advanced).await, 0);
}
