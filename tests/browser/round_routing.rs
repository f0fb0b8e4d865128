//! The owner sets up the joint shape on screen (issue 22), in Korean on a phone: a preliminary's
//! organiser and the countries it takes on its settings tab, and a new round created beside
//! the preliminaries' stage rather than after it.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::common::webdriver::Browser;
use crate::common::{TestApp, User};

async fn round(app: &TestApp, owner: &User, id: i64) -> Value {
    app.get(&format!("/api/v1/rounds/{id}"))
        .by(owner)
        .await
        .body
}

#[actix_web::test]
async fn the_owner_routes_a_preliminary_and_adds_one_beside_it_in_korean_on_a_phone() {
    let Some(b) = Browser::start("round_routing").await else {
        return;
    };
    let app = TestApp::new().await;
    let owner = app.admin().await;
    let j = app.joint(&owner).await;
    let res = app
        .patch("/api/v1/me")
        .by(&owner)
        .json(&json!({"locale": "ko"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    b.set_window_size(390, 844).await;

    // The Chinese preliminary takes Hong Kong and Singapore too, and changes hands.
    let cn_round = j.prelims[1];
    b.sign_in(
        &app.url(&format!("/login?next=/admin/rounds/{cn_round}")),
        &owner.email,
        &owner.password,
    )
    .await;
    b.wait_for("#round-routing #route-form").await;
    let title = b.text("#round-routing h2").await;
    assert_eq!(title, "운영 기관과 배정 규칙");
    assert_eq!(b.value("#route-org").await, j.orgs[1].to_string());
    for code in ["HK", "SG"] {
        b.click(&format!("#route-countries input[value={code}]"))
            .await;
    }
    b.select_option("#route-org", &j.orgs[0].to_string()).await;
    b.click("#route-save").await;
    let mut saved = Value::Null;
    for _ in 0..50 {
        saved = round(&app, &owner, cn_round).await;
        if saved["route"]["countries"].as_array().map(Vec::len) == Some(3) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let countries: BTreeSet<&str> = saved["route"]["countries"]
        .as_array()
        .expect("countries")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(countries, BTreeSet::from(["CN", "HK", "SG"]), "{saved}");
    assert_eq!(saved["organisation_id"], j.orgs[0], "{saved}");
    b.wait_until(
        "the saved rule on the reloaded tab",
        "return document.querySelector('#route-countries input[value=HK]')?.checked === true",
    )
    .await;
    b.wait_until(
        "no sideways scrolling",
        "return document.documentElement.scrollWidth <= window.innerWidth",
    )
    .await;
    b.screenshot("round-routing-ko-390").await;

    // A third preliminary beside the first two, not a stage after them.
    b.goto(&app.url(&format!("/admin/contests/{}/rounds", j.contest)))
        .await;
    b.wait_for("[data-screen=admin-rounds] details.card").await;
    b.exec(
        "document.querySelector('details.card').open = true",
        json!([]),
    )
    .await;
    b.fill("#round-name-en", "International preliminary").await;
    b.fill("#round-name-ko", "국제 예선").await;
    b.select_option("#round-stage", "1").await;
    b.click("#round-save").await;
    b.wait_for("[data-screen=admin-round] #add-criterion").await;
    let rounds = app
        .get(&format!("/api/v1/contests/{}/rounds", j.contest))
        .by(&owner)
        .await;
    let added = rounds
        .body
        .as_array()
        .expect("rounds")
        .iter()
        .find(|r| r["name"]["en"] == "International preliminary")
        .cloned()
        .expect("the new round");
    assert_eq!(added["stage"], 1, "{added}");
    let final_round = round(&app, &owner, j.final_round).await;
    assert_eq!(final_round["stage"], 2, "the final stays after them");
    b.quit().await;
}
