//! Awards in the final (issue 15): tiers filled by the final's ranks and overridden with a
//! reason, the publish dialog's counts, a final that names nobody.

use serde_json::json;

use crate::common::TestApp;
use crate::editions::{audit_actions, tiers};

#[actix_web::test]
async fn the_finals_ranks_fill_the_award_tiers_and_an_override_needs_a_reason() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 4, &["KR", "CN"], false).await;
    let contest = format!("/api/v1/contests/{}", j.contest);

    let bad = app
        .patch(&contest)
        .by(&admin)
        .json(&json!({"awards": [{"key": "Grand Prize!", "name": {"en": ""}, "places": 0}]}))
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert!(bad.body["fields"]["awards"].is_string(), "{}", bad.text);
    let ok = app
        .patch(&contest)
        .by(&admin)
        .json(&json!({"awards": tiers()}))
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.body["awards"], tiers());

    app.scored_and_closed(&admin, &j).await;
    let ids: Vec<i64> = j.applications.iter().map(|(_, id)| *id).collect();
    let (best, second, third, last) = (ids[3], ids[2], ids[1], ids[0]);
    let preview = format!("/api/v1/rounds/{}/publish-preview", j.round);
    let p = app.get(&preview).by(&admin).await;
    assert_eq!(p.status, 200, "{}", p.text);
    assert_eq!(p.body["final_round"], true);
    assert_eq!(
        (
            &p.body["awarded"],
            &p.body["not_advanced"],
            &p.body["advanced"]
        ),
        (&json!(3), &json!(1), &json!(0)),
        "{}",
        p.text
    );
    assert_eq!(p.body["needs_confirmation"], false);
    assert_eq!(p.body["awards"][0]["winners"][0]["application_id"], best);

    // An override needs a known tier and a reason; it takes the place, the ranks move up.
    let place = |app_id: i64| format!("/api/v1/rounds/{}/awards/{app_id}", j.round);
    let res = app
        .req(actix_web::http::Method::PUT, &place(best))
        .by(&admin)
        .json(&json!({"award": null, "reason": "  "}))
        .await;
    assert_eq!(
        (res.status.as_u16(), res.body["fields"]["reason"].as_str()),
        (422, Some("required"))
    );
    let res = app
        .req(actix_web::http::Method::PUT, &place(best))
        .by(&admin)
        .json(&json!({"award": "platinum", "reason": "typo"}))
        .await;
    assert_eq!(res.body["fields"]["award"], "unknown", "{}", res.text);
    let res = app
        .req(actix_web::http::Method::PUT, &place(9_999_999))
        .by(&admin)
        .json(&json!({"award": null, "reason": "not an entry"}))
        .await;
    assert_eq!(res.status, 404);
    let res = app
        .req(actix_web::http::Method::PUT, &place(best))
        .by(&admin)
        .json(&json!({"award": null, "reason": "Already funded beyond the contest's limit"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        res.body["awards"][0]["winners"][0]["application_id"],
        second
    );
    assert_eq!(
        res.body["overrides"][0]["reason"],
        "Already funded beyond the contest's limit"
    );
    let audit = audit_actions(&app, &admin, "award.overridden").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["details"]["application_id"], best);
    // A judge cannot see the dialog's counts.
    assert_eq!(app.get(&preview).by(&j.judges[0]).await.status, 403);

    let before = app.deliver_mail().await.len();
    let publish = format!("/api/v1/rounds/{}/publish", j.round);
    let res = app.post(&publish).by(&admin).send().await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["emails_queued"], 4);
    let again = app.post(&publish).by(&admin).send().await;
    assert_eq!(again.body["emails_queued"], 0, "publishing is idempotent");
    assert_eq!(again.body["sha256"], res.body["sha256"]);
    let mails = app.deliver_mail().await;
    let mails = &mails[before..];
    assert_eq!(mails.len(), 4);
    let to = |app_id: i64| {
        let owner = &j
            .applications
            .iter()
            .find(|(_, id)| *id == app_id)
            .unwrap()
            .0;
        mails
            .iter()
            .find(|m| m.to == owner.email)
            .expect("a result mail")
    };
    assert!(
        to(second).subject.contains("Grand Prize"),
        "{}",
        to(second).subject
    );
    assert!(to(second).text.contains("KRW 30,000,000"));
    assert!(to(third).subject.contains("Merit Award"));
    assert!(to(last).subject.contains("Merit Award"));
    assert!(to(best).subject.contains("placed"), "{}", to(best).subject);

    let res = app
        .req(actix_web::http::Method::DELETE, &place(best))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.code(), "results_published");

    let public = app
        .get(&format!("/api/v1/contests/{}/results", j.contest))
        .await;
    let round = &public.body[0];
    assert_eq!(round["final_round"], true, "{}", public.text);
    assert_eq!(round["awards"][0]["name"]["ko"], "대상");
    assert_eq!(
        round["awards"][0]["winners"][0]["company_name"],
        "Zenith Startup 2"
    );
    assert_eq!(
        round["awards"][1]["winners"].as_array().map(Vec::len),
        Some(2)
    );
    let (owner, _) = &j.applications[2];
    let mine = app
        .get(&format!("/api/v1/applications/{second}/result"))
        .by(owner)
        .await;
    assert_eq!(mine.body[0]["award"]["key"], "grand", "{}", mine.text);
    let p = app.get(&preview).by(&admin).await;
    assert_eq!(
        (p.body["published"].clone(), p.body["awarded"].clone()),
        (json!(true), json!(3))
    );
}

#[actix_web::test]
async fn a_final_that_names_nobody_is_published_only_when_confirmed() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN"], false).await;
    app.scored_and_closed(&admin, &j).await;
    let p = app
        .get(&format!("/api/v1/rounds/{}/publish-preview", j.round))
        .by(&admin)
        .await;
    assert_eq!(p.body["needs_confirmation"], true, "{}", p.text);
    assert_eq!(p.body["not_advanced"], 2);
    let publish = format!("/api/v1/rounds/{}/publish", j.round);
    let res = app.post(&publish).by(&admin).send().await;
    assert_eq!((res.status.as_u16(), res.code()), (409, "nobody_awarded"));
    let round = app
        .get(&format!("/api/v1/rounds/{}", j.round))
        .by(&admin)
        .await;
    assert_eq!(
        round.body["state"], "closed",
        "a refused publish changes nothing"
    );
    let before = app.deliver_mail().await.len();
    let res = app
        .post(&format!("{publish}?confirm_no_winners=true"))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let mails = app.deliver_mail().await;
    assert!(
        mails[before..]
            .iter()
            .all(|m| m.subject.contains("Final results")),
        "a final's entrants are told their place, not that they did not advance"
    );
    let audit = audit_actions(&app, &admin, "round.published").await;
    assert_eq!(audit[0]["details"]["confirmed_no_winners"], true);
}
