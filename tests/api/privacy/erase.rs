//! Administrators erase a withdrawn application once the contest is over (scores stay), and the
//! personal-data routes in the published document.

use super::*;

#[actix_web::test]
async fn admins_erase_a_withdrawn_application_after_the_contest_and_scores_stay() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN"], false).await;
    let ((founder, gone), (_, kept)) = (j.applications[0].clone(), j.applications[1].clone());
    let judge = &j.judges[0];
    let assignment = app.assign(&admin, j.round, judge, gone).await.body["id"]
        .as_i64()
        .unwrap();
    let url = format!("/api/v1/assignments/{assignment}/review");
    let res = app
        .req(Method::PUT, &url)
        .by(judge)
        .json(&json!({"scores": {"team": 4, "market": 7}, "comment_applicant": "좋은 팀"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app
        .post(&format!("{url}/submit"))
        .by(judge)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app
        .post(&format!("/api/v1/applications/{gone}/withdraw"))
        .by(&founder)
        .json(&json!({"reason": "김민준 joined another accelerator"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(stored_files(&app).len(), 2);

    let erase = |id: i64, who: &User| {
        app.post(&format!("/api/v1/admin/applications/{id}/erase"))
            .by(who)
            .send()
    };
    let early = erase(gone, &admin).await;
    assert_eq!(
        (early.status.as_u16(), early.code()),
        (409, "contest_not_over")
    );
    app.close_window(&admin, j.contest).await;
    let early = erase(gone, &admin).await;
    assert_eq!(
        early.code(),
        "contest_not_over",
        "the round is still judging"
    );
    assert!(early.text.contains("judging"), "{}", early.text);
    let res = app
        .post(&format!("/api/v1/rounds/{}/transition", j.round))
        .by(&admin)
        .json(&json!({"to": "closed", "confirm": true}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    assert_eq!(erase(gone, judge).await.status, 403);
    assert_eq!(erase(gone, &founder).await.status, 403);
    assert_eq!(erase(999_999, &admin).await.status, 404);
    let submitted = erase(kept, &admin).await;
    assert_eq!(
        (submitted.status.as_u16(), submitted.code()),
        (409, "not_erasable")
    );

    let res = erase(gone, &admin).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let body = &res.body;
    assert_eq!(body["company_name"], "[erased]");
    assert_eq!(body["company_name_native"], "[erased]");
    assert_eq!(body["summary"], "[erased]");
    assert_eq!(body["status_reason"], "[erased]");
    assert_eq!(body["team"], json!([]));
    assert_eq!(body["website"], "");
    assert!(body["deck"].is_null());
    assert!(body["erased_at"].is_string());
    assert_eq!(body["track"], "ai", "statistics stay");
    assert!(!res.text.contains("김민준"));
    assert_eq!(
        stored_files(&app).len(),
        1,
        "only the kept application's deck"
    );
    assert_eq!(erase(gone, &admin).await.code(), "already_erased");

    // The review and its scores stay, so the round's results are reproducible.
    let reviews: i64 = app
        .db(move |c| {
            use jury::db::schema::reviews;
            Ok(reviews::table
                .filter(reviews::assignment_id.eq(assignment))
                .filter(reviews::status.eq("submitted"))
                .count()
                .get_result(c)?)
        })
        .await;
    assert_eq!(reviews, 1);
    let results = app
        .get(&format!("/api/v1/rounds/{}/results", j.round))
        .by(&admin)
        .await;
    assert_eq!(results.status, 200, "{}", results.text);
    assert!(results.text.contains(&format!("\"application_id\":{gone}")));

    // Lists show it as erased, without its applicant.
    let list = app
        .get(&format!("/api/v1/contests/{}/applications", j.contest))
        .by(&admin)
        .await;
    let item = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == gone)
        .unwrap()
        .clone();
    assert!(item["erased_at"].is_string());
    assert_eq!(item["applicant_email"], "[erased]");
    let csv = app
        .get(&format!("/api/v1/contests/{}/applications.csv", j.contest))
        .by(&admin)
        .await;
    assert!(!csv.text.contains(&founder.email));

    let audit = audit_actions(&app).await;
    let (_, who, details) = audit
        .iter()
        .find(|(a, _, _)| a == "application.erased")
        .expect("audited");
    assert_eq!(*who, Some(admin.id));
    assert_eq!(details["documents_removed"].as_array().unwrap().len(), 1);
    assert!(app.db(jury::audit::verify_chain).await.is_ok());
}

#[actix_web::test]
async fn the_personal_data_routes_are_in_the_openapi_spec() {
    let app = TestApp::new().await;
    let spec = app.get("/api/openapi.json").await;
    for (path, method) in [
        ("/api/v1/me/export", "get"),
        ("/api/v1/me", "delete"),
        ("/api/v1/admin/applications/{id}/erase", "post"),
    ] {
        assert!(
            spec.body["paths"][path][method].is_object(),
            "{method} {path} missing from the spec"
        );
    }
    let doc = &spec.body["components"]["schemas"]["Document"]["properties"];
    assert!(doc["flags"].is_object() && doc["page_count"].is_object());
}
