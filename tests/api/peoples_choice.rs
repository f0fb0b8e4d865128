//! The People's Choice on the projector (issue 21): once the audience vote has closed, the
//! display's staged reveal opens with it as a step of its own, named in both of the hall's
//! languages, before the judges' tiers, which it never changes.

use serde_json::{Value, json};

use crate::audience::{ballot, move_to, open_ticket_vote};
use crate::common::{TestApp, User};
use crate::editions::tiers;
use crate::live::{control, score};
use crate::live_steps::{display_path, make_live};

async fn shown(app: &TestApp, display: &str) -> Value {
    let res = app.get(display).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body
}

async fn name_of(app: &TestApp, admin: &User, id: i64) -> Value {
    app.get(&format!("/api/v1/applications/{id}"))
        .by(admin)
        .await
        .body["company_name"]
        .clone()
}

#[actix_web::test]
async fn the_display_reveals_the_peoples_choice_first_once_the_vote_has_closed() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (j, key, codes) = open_ticket_vote(&app, &admin).await;
    let (first, second) = (j.applications[0].1, j.applications[1].1);
    // The audience prefers the second finalist, two votes to one.
    for (code, choice) in [(&codes[0], second), (&codes[1], second), (&codes[2], first)] {
        let res = ballot(
            &app,
            &key,
            json!({"application_id": choice, "ticket": code}),
        )
        .await;
        assert_eq!(res.status, 201, "{}", res.text);
    }

    let res = app
        .patch(&format!("/api/v1/contests/{}", j.contest))
        .by(&admin)
        .json(&json!({"awards": tiers()}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let order = [first, second];
    make_live(&app, &admin, &j, &order, 0).await;
    let display = display_path(&app, &admin, j.round).await;

    // The judges score the first finalist higher: their grand prize differs from the audience's.
    control(&app, &admin, j.round, "start").await;
    for (i, app_id) in order.iter().enumerate() {
        for (k, judge) in j.judges.iter().enumerate() {
            let r = score(
                &app,
                judge,
                j.round,
                *app_id,
                &format!("pc{i}-j{k}-abcdef"),
                5 - i as i64,
            )
            .await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
        control(&app, &admin, j.round, "next").await;
    }

    // While the vote is open, the reveal holds only the judges' two tiers.
    let s = shown(&app, &display).await;
    assert_eq!(
        (&s["phase"], &s["reveal_steps"]),
        (&json!("finished"), &json!(2))
    );

    let res = move_to(&app, &admin, j.round, "closed").await;
    assert_eq!(res.status, 200, "{}", res.text);
    let s = shown(&app, &display).await;
    assert_eq!(s["reveal_steps"], 3, "the People's Choice is one more step");
    assert_eq!(
        s["revealed"],
        json!([]),
        "nothing shows before the organiser steps"
    );

    control(&app, &admin, j.round, "reveal").await;
    let s = shown(&app, &display).await;
    let pc = &s["revealed"][0];
    assert_eq!(pc["key"], "peoples_choice");
    assert_eq!(
        (&pc["name"]["ko"], &pc["name"]["zh"], &pc["name"]["en"]),
        (
            &json!("관객상"),
            &json!("最佳人气奖"),
            &json!("People's Choice")
        )
    );
    assert_eq!(pc["winners"], json!([name_of(&app, &admin, second).await]));

    // The judges' tiers follow unchanged: their grand prize is the judges' favourite.
    control(&app, &admin, j.round, "reveal").await;
    control(&app, &admin, j.round, "reveal").await;
    let s = shown(&app, &display).await;
    let keys: Vec<&str> = s["revealed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["peoples_choice", "merit", "grand"]);
    assert_eq!(
        s["revealed"][2]["winners"],
        json!([name_of(&app, &admin, first).await])
    );
}
