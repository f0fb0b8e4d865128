//! Administering judges: invitations (single, bulk, CSV), profiles and deactivation; conflicts of
//! interest declared by a judge and detected by organization and email domain.

use actix_web::http::Method;
use serde_json::json;

use crate::common::{PASSWORD, TestApp};

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
    let (_, _, elsewhere) = app.submitted_application(&admin).await;
    let unassigned = app
        .post(&format!("/api/v1/applications/{elsewhere}/conflict"))
        .by(judge)
        .json(&json!({}))
        .await;
    assert_eq!(
        unassigned.status, 404,
        "only assigned or listed applications can be declared"
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
