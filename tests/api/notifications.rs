//! The judge and result mail beyond the basics: "reviews assigned" when judging opens (once per
//! load), "round closing soon" 48 hours ahead (once, honouring the opt-out), "winner" for first
//! place in the last round, and the admin's template preview.

use diesel::prelude::*;
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn judges_hear_of_their_reviews_and_of_the_closing_once() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN"], false).await;
    // Judging opened before anyone was assigned: nothing to say yet.
    let before = app.deliver_mail().await.len();
    let res = app
        .post(&format!("/api/v1/rounds/{}/assignments/auto", j.round))
        .by(&admin)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let mails = app.deliver_mail().await;
    let assigned: Vec<_> = mails[before..]
        .iter()
        .filter(|m| m.subject.contains("applications to review"))
        .collect();
    assert_eq!(assigned.len(), 2, "one per judge");
    assert!(assigned[0].text.contains("/judge"));
    // The same run again changes nothing and sends nothing.
    app.post(&format!("/api/v1/rounds/{}/assignments/auto", j.round))
        .by(&admin)
        .json(&json!({}))
        .await;
    assert_eq!(app.deliver_mail().await.len(), mails.len());

    // The round closes in a day: one "closing soon" per judge, none for the one who opted out.
    let round = j.round;
    app.db(move |c| {
        use jury::db::schema::rounds;
        diesel::update(rounds::table.find(round))
            .set(rounds::judging_closes_at.eq(Some(jury::db::now() + chrono::Duration::hours(24))))
            .execute(c)?;
        Ok(())
    })
    .await;
    let res = app
        .patch("/api/v1/me/judge-profile")
        .by(&j.judges[1])
        .json(&json!({"reminders": false}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(jury::rounds::notify::tick(&app.state).await.unwrap(), 1);
    assert_eq!(
        jury::rounds::notify::tick(&app.state).await.unwrap(),
        0,
        "once"
    );
    let mails = app.deliver_mail().await;
    let closing: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.contains("closes"))
        .collect();
    assert_eq!(closing.len(), 1);
    assert!(
        closing[0].text.contains("2 of your reviews"),
        "{}",
        closing[0].text
    );
}

#[actix_web::test]
async fn the_final_tells_each_winner_their_award_by_name() {
    let app = TestApp::new().await;
    let demo = jury::demo::seed(&app.state, 32, 8).await.expect("seed");
    let admin = app.login(&demo.admin_email, jury::demo::PASSWORD).await;
    let final_round = app
        .db(move |c| {
            use jury::db::schema::rounds;
            Ok(rounds::table
                .filter(rounds::state.eq("judging"))
                .select(rounds::id)
                .first::<i64>(c)?)
        })
        .await;
    let res = app
        .post(&format!("/api/v1/rounds/{final_round}/transition"))
        .by(&admin)
        .json(&json!({"to": "closed", "confirm": true}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let before = app.deliver_mail().await.len();
    let res = app
        .post(&format!("/api/v1/rounds/{final_round}/publish"))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let mails = app.deliver_mail().await;
    let results = &mails[before..];
    // The demo's tiers: Grand Prize ×1, Excellence ×2, Merit ×3, named in each person's language.
    let named = |names: &[&str]| {
        results
            .iter()
            .filter(|m| names.iter().any(|n| m.subject.contains(n)))
            .count()
    };
    let subjects: Vec<_> = results.iter().map(|m| &m.subject).collect();
    assert_eq!(named(&["Grand Prize", "대상", "特等奖"]), 1, "{subjects:?}");
    assert_eq!(
        named(&["Excellence Award", "최우수상", "优秀奖"]),
        2,
        "{subjects:?}"
    );
    assert_eq!(
        named(&["Merit Award", " 우수상 ", "鼓励奖"]),
        3,
        "{subjects:?}"
    );
    let placed = named(&["placed", "개 팀 중", "个团队中"]);
    assert_eq!(
        placed + 6,
        results.len(),
        "the others are told their place: {subjects:?}"
    );
    let public = app
        .get(&format!("/api/v1/contests/{}/results", demo.contest))
        .await;
    let last = public
        .body
        .as_array()
        .and_then(|r| r.last())
        .expect("rounds");
    assert_eq!(last["final_round"], true, "{}", public.text);
    assert_eq!(last["awards"][0]["key"], "grand");
    assert_eq!(
        last["awards"][0]["winners"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        last["awards"][2]["winners"].as_array().map(Vec::len),
        Some(3)
    );
}

#[actix_web::test]
async fn admins_preview_any_template_in_any_language() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let judge = app.judge().await;
    let names = app.get("/api/v1/admin/mail/templates").by(&admin).await;
    assert_eq!(names.status, 200);
    assert!(names.body.as_array().unwrap().len() >= 15);
    let ko = app
        .get("/api/v1/admin/mail/templates/judge_invitation?locale=ko")
        .by(&admin)
        .await;
    assert_eq!(ko.status, 200, "{}", ko.text);
    assert!(
        ko.body["subject"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| ('가'..='힣').contains(&c))
    );
    assert!(
        ko.body["html"]
            .as_str()
            .unwrap()
            .contains("<html lang=\"ko\">")
    );
    assert_eq!(
        app.get("/api/v1/admin/mail/templates/nope")
            .by(&admin)
            .await
            .status,
        404
    );
    let bad = app
        .get("/api/v1/admin/mail/templates/judge_invitation?locale=fr")
        .by(&admin)
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.code(), "validation_failed");
    assert_eq!(
        app.get("/api/v1/admin/mail/templates")
            .by(&judge)
            .await
            .status,
        403
    );
    assert_eq!(app.get("/api/v1/admin/mail/templates").await.status, 401);
}

#[actix_web::test]
async fn unread_counts_new_messages_until_seen() {
    let app = TestApp::new().await;
    let judge = app.judge().await;
    let other = app.judge().await;
    let count = |u: &crate::common::User| {
        let req = app.get("/api/v1/me/notifications/unread").by(u);
        async move { req.await.body["unread"].as_i64().unwrap() }
    };
    assert_eq!(count(&judge).await, 0);
    let res = app
        .patch("/api/v1/me")
        .by(&judge)
        .json(&json!({"current_password": crate::common::PASSWORD, "new_password": "a brand new passphrase"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    // Changing the password ends the old sessions: sign in again.
    let judge = app.login(&judge.email, "a brand new passphrase").await;
    assert_eq!(count(&judge).await, 1, "the password-changed mail");
    assert_eq!(count(&other).await, 0, "only one's own mail");
    let res = app
        .post("/api/v1/me/notifications/seen")
        .by(&judge)
        .send()
        .await;
    assert_eq!(res.status, 204);
    assert_eq!(count(&judge).await, 0);
    assert_eq!(
        app.post("/api/v1/me/notifications/seen")
            .send()
            .await
            .status,
        401
    );
}
