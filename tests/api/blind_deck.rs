//! A blind round's deck reaches the judge without the name the applicant gave the file, which
//! often names the start-up (issue 17, item 5); administrators still get it.

use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn a_blind_rounds_deck_download_does_not_name_the_start_up() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR", "CN"], true).await;
    let (round, app_id) = (j.round, j.applications[0].1);
    let doc = app
        .db(move |c| {
            use diesel::prelude::*;
            use jury::db::schema::{documents, rounds};
            diesel::update(rounds::table.find(round))
                .set(rounds::blind_shows_deck.eq(true))
                .execute(c)?;
            diesel::update(documents::table.filter(documents::application_id.eq(app_id)))
                .set(documents::original_name.eq("Zenith Robotics - pitch deck 2026.pdf"))
                .execute(c)?;
            Ok(documents::table
                .filter(documents::application_id.eq(app_id))
                .select(documents::id)
                .first::<i64>(c)?)
        })
        .await;
    let res = app
        .post(&format!("/api/v1/rounds/{round}/assignments/auto"))
        .by(&admin)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let path = format!("/api/v1/applications/{app_id}/documents/{doc}");
    let judged = app.get(&path).by(&j.judges[0]).await;
    assert_eq!(judged.status, 200);
    let shown = judged
        .header("content-disposition")
        .unwrap_or_default()
        .to_string();
    assert!(!shown.contains("Zenith"), "{shown}");
    assert!(
        shown.contains(&format!("pitch-deck-{app_id}.pdf")),
        "{shown}"
    );
    let admins = app.get(&path).by(&admin).await;
    let shown = admins.header("content-disposition").unwrap_or_default();
    assert!(shown.contains("Zenith Robotics"), "{shown}");
}
