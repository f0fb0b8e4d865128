//! A save reads the judge's sign-in, the assignment, its round, the review and the rubric in one
//! statement, and writes the review with its audit entry in one more, which on PostgreSQL is
//! its own transaction (`unit::one_statement`). What the separate reads refused, the one read
//! still refuses; the rubric a save is checked against is the one stored at that moment; a
//! refused or stale submission leaves no entry, and each accepted one leaves exactly one. The
//! review read (`GET …/review`) uses the same statement and refuses the same things.

use diesel::prelude::*;
use serde_json::json;

use super::put_review;
use crate::common::{TestApp, rubric};

#[actix_web::test]
async fn a_save_checks_what_is_stored_now_and_audits_only_what_it_wrote() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN"], false).await;
    let (kr, cn) = (&j.judges[0], &j.judges[1]);
    let mut ids = Vec::new();
    for (judge, (_, application)) in [(kr, &j.applications[0]), (cn, &j.applications[1])] {
        let res = app.assign(&admin, j.round, judge, *application).await;
        assert_eq!(res.status, 201, "{}", res.text);
        ids.push(res.body["id"].as_i64().unwrap());
    }
    let (mine, theirs) = (ids[0], ids[1]);
    let chain = || app.db(jury::audit::verify_chain);

    let read = |id: i64| app.get(&format!("/api/v1/assignments/{id}/review")).by(kr);

    // Another judge's assignment and one that does not exist are not found, to a save and to
    // the read (which uses the save's statement).
    for id in [theirs, theirs + 1000] {
        let res = put_review(&app, kr, id, json!({"scores": {"team": 3}})).await;
        assert_eq!(
            (res.status.as_u16(), res.code()),
            (404, "not_found"),
            "{}",
            res.text
        );
        let res = read(id).await;
        assert_eq!((res.status.as_u16(), res.code()), (404, "not_found"));
    }
    let none = read(mine).await;
    assert_eq!(none.status, 200, "{}", none.text);
    assert_eq!(
        (&none.body["status"], &none.body["version"]),
        (&json!("none"), &json!(0))
    );
    let draft = put_review(&app, kr, mine, json!({"scores": {"team": 3}, "version": 0})).await;
    assert_eq!(draft.status, 200, "{}", draft.text);
    let v = draft.body["version"].as_i64().unwrap();

    // Nothing is submitted yet, so the organiser may add a criterion; the next save is
    // checked against it, and so is the submission.
    let mut wider = rubric();
    wider["criteria"].as_array_mut().unwrap().push(json!({
        "key": "product", "name": {"en": "Product", "ko": "제품", "zh": "产品"},
        "weight": 1.0, "min": 1, "max": 3
    }));
    let path = format!("/api/v1/rounds/{}/rubric", j.round);
    let res = app
        .req(actix_web::http::Method::PUT, &path)
        .by(&admin)
        .json(&wider)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let start = chain().await.expect("chain intact");
    let high = put_review(&app, kr, mine, json!({"scores": {"product": 4}})).await;
    assert_eq!(high.status, 422, "{}", high.text);
    assert_eq!(high.body["fields"]["scores.product"], "out_of_range");
    let submit = format!("/api/v1/assignments/{mine}/review/submit");
    let short = app
        .post(&submit)
        .by(kr)
        .json(&json!({"scores": {"team": 3, "market": 5}}))
        .await;
    assert_eq!(short.status, 422, "{}", short.text);
    assert_eq!(short.body["fields"]["scores.product"], "required");

    // A submission from a stale tab is refused and leaves no entry.
    let stale = app
        .post(&submit)
        .by(kr)
        .json(&json!({"scores": {"team": 3, "market": 5, "product": 2}, "version": v - 1}))
        .await;
    assert_eq!(
        (stale.status.as_u16(), stale.code()),
        (409, "edit_conflict"),
        "{}",
        stale.text
    );
    assert_eq!(chain().await, Ok(start), "no entry for refused saves");

    // The submission and an edit after it leave one entry each, chained.
    let full = json!({"scores": {"team": 3, "market": 5, "product": 2}, "version": v});
    let done = app.post(&submit).by(kr).json(&full).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["status"], "submitted");
    let edit = put_review(&app, kr, mine, json!({"scores": {"market": 6}})).await;
    assert_eq!(edit.status, 200, "{}", edit.text);
    assert_eq!(edit.body["status"], "submitted");
    assert_eq!(chain().await, Ok(start + 2));
    let back = read(mine).await;
    assert_eq!(
        back.body, edit.body,
        "the read returns what the last save returned"
    );
    let entries = app.db(|c| jury::audit::recent(c, 2)).await;
    let mut actions: Vec<_> = entries.iter().map(|e| e.action.as_str()).collect();
    actions.sort();
    assert_eq!(actions, ["review.edited", "review.submitted"]);
    let edited = entries
        .iter()
        .find(|e| e.action == "review.edited")
        .unwrap();
    assert_eq!(edited.actor_id, Some(kr.id));
    assert_eq!(edited.entity_id.as_deref(), Some(mine.to_string().as_str()));
    let details: serde_json::Value = serde_json::from_str(&edited.details).unwrap();
    assert_eq!(
        details["scores"],
        json!({"team": 3, "market": 6, "product": 2})
    );

    // A judge disabled since signing in is refused by the same read, and nothing is written.
    let id = kr.id;
    app.db(move |c| {
        use jury::db::schema::users;
        diesel::update(users::table.find(id))
            .set(users::disabled_at.eq(Some(jury::db::now())))
            .execute(c)?;
        Ok(())
    })
    .await;
    let late = put_review(&app, kr, mine, json!({"scores": {"market": 1}})).await;
    assert_eq!(
        (late.status.as_u16(), late.code()),
        (401, "invalid_token"),
        "{}",
        late.text
    );
    let res = read(mine).await;
    assert_eq!((res.status.as_u16(), res.code()), (401, "invalid_token"));
    let stored = app
        .db(move |c| jury::reviews::model::find(c, mine))
        .await
        .expect("the review");
    assert!(stored.scores.contains("\"market\":6"), "{}", stored.scores);
    assert_eq!(chain().await, Ok(start + 2));
}
