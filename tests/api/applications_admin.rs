//! Applications from the administrators' side and after submission: withdrawal and disqualification
//! (audited and mailed, refused after the deadline or once results are out), the filtered list
//! and its CSV export, and contests validated and hidden until published.

use serde_json::json;

use crate::common::{TestApp, complete_fields};

#[actix_web::test]
async fn withdraw_and_disqualify_are_audited_and_mailed() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (founder, _, id) = app.submitted_application(&admin).await;

    let no_reason = app
        .post(&format!("/api/v1/applications/{id}/disqualify"))
        .by(&admin)
        .json(&json!({"reason": " "}))
        .await;
    assert_eq!(no_reason.body["fields"]["reason"], "required");
    let by_applicant = app
        .post(&format!("/api/v1/applications/{id}/disqualify"))
        .by(&founder)
        .json(&json!({"reason": "x"}))
        .await;
    assert_eq!(by_applicant.status, 403);
    let res = app
        .post(&format!("/api/v1/applications/{id}/disqualify"))
        .by(&admin)
        .json(&json!({"reason": "Founded before the eligibility window"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["status"], "disqualified");
    assert_eq!(
        res.body["status_reason"],
        "Founded before the eligibility window"
    );
    let withdraw = app
        .post(&format!("/api/v1/applications/{id}/withdraw"))
        .by(&founder)
        .json(&json!({}))
        .await;
    assert_eq!(withdraw.code(), "not_editable");
    let mails = app.deliver_mail().await;
    assert!(
        mails
            .iter()
            .any(|m| m.to == founder.email
                && m.text.contains("Founded before the eligibility window"))
    );
    let audit = app.db(|c| jury::audit::recent(c, 5)).await;
    let entry = audit
        .iter()
        .find(|e| e.action == "application.disqualified")
        .unwrap();
    assert_eq!(entry.actor_id, Some(admin.id));

    let (other, _, other_id) = app.submitted_application(&admin).await;
    let res = app
        .post(&format!("/api/v1/applications/{other_id}/withdraw"))
        .by(&other)
        .json(&json!({"reason": "pivot"}))
        .await;
    assert_eq!(res.body["status"], "withdrawn");
}

#[actix_web::test]
async fn admin_list_filters_pages_and_exports_csv() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    for i in 0..7 {
        let founder = app.applicant().await;
        let id = app.draft_application(&founder, contest).await;
        let mut f = complete_fields();
        f["company_name"] = json!(format!("Startup {i}"));
        f["company_name_native"] = json!(if i % 2 == 0 {
            format!("스타트업 {i}")
        } else {
            format!("创业公司 {i}")
        });
        f["country"] = json!(if i % 2 == 0 { "KR" } else { "CN" });
        f["track"] = json!(if i < 3 { "ai" } else { "bio" });
        if i == 6 {
            f["company_name"] = json!("=HYPERLINK(\"http://evil\")");
        }
        app.patch(&format!("/api/v1/applications/{id}"))
            .by(&founder)
            .json(&f)
            .await;
    }
    let url = format!("/api/v1/contests/{contest}/applications");
    let all = app.get(&format!("{url}?per_page=5")).by(&admin).await;
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(all.body["total"], 7);
    assert_eq!(all.body["items"].as_array().unwrap().len(), 5);
    let page2 = app
        .get(&format!("{url}?per_page=5&page=2"))
        .by(&admin)
        .await;
    assert_eq!(page2.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.get(&format!("{url}?country=CN")).by(&admin).await.body["total"],
        3
    );
    assert_eq!(
        app.get(&format!("{url}?track=ai&country=KR"))
            .by(&admin)
            .await
            .body["total"],
        2
    );
    assert_eq!(
        app.get(&format!("{url}?q=%EC%8A%A4%ED%83%80%ED%8A%B8%EC%97%85"))
            .by(&admin)
            .await
            .body["total"],
        4
    ); // 스타트업
    assert_eq!(
        app.get(&format!("{url}?q=startup%201"))
            .by(&admin)
            .await
            .body["total"],
        1
    );
    assert_eq!(
        app.get(&format!("{url}?status=submitted"))
            .by(&admin)
            .await
            .body["total"],
        0
    );
    assert_eq!(
        app.get(&format!("{url}?status=bogus"))
            .by(&admin)
            .await
            .status,
        422
    );
    assert_eq!(
        app.get(&format!("{url}?per_page=100000"))
            .by(&admin)
            .await
            .status,
        422
    );
    let applicant = app.applicant().await;
    assert_eq!(app.get(&url).by(&applicant).await.status, 403);

    let csv = app
        .get(&format!("/api/v1/contests/{contest}/applications.csv"))
        .by(&admin)
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.text.starts_with('\u{feff}'), "UTF-8 BOM");
    assert!(csv.text.contains("스타트업 0") && csv.text.contains("创业公司 1"));
    assert!(
        csv.text.contains("'=HYPERLINK"),
        "formula cells are defused"
    );
    assert_eq!(csv.text.lines().count(), 8);
}

#[actix_web::test]
async fn contests_are_validated_and_unpublished_ones_hidden() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let bad = app
        .post("/api/v1/contests")
        .by(&admin)
        .json(&json!({
            "slug": "Bad Slug!", "name": {"ko": "이름만"}, "timezone": "Mars/Olympus",
            "tracks": [{"key": "ai", "name": {"en": "AI"}}, {"key": "ai", "name": {"en": "AI again"}}],
            "opens_at": "2026-12-01T00:00:00Z", "closes_at": "2026-11-01T00:00:00Z"
        }))
        .await;
    assert_eq!(bad.status, 422);
    for (field, code) in [
        ("slug", "invalid"),
        ("name", "required"),
        ("timezone", "invalid_timezone"),
        ("tracks", "invalid_key"),
        ("closes_at", "before_opens_at"),
    ] {
        assert_eq!(bad.body["fields"][field], code, "{field}: {}", bad.text);
    }
    let contest = app.contest(&admin).await;
    let public = app.get(&format!("/api/v1/contests/{contest}")).await;
    assert_eq!(public.status, 200);
    assert_eq!(public.body["phase"], "open");
    assert_eq!(public.body["name"]["zh"], "2026 全球创业大赛");
    app.patch(&format!("/api/v1/contests/{contest}"))
        .by(&admin)
        .json(&json!({"published": false}))
        .await;
    assert_eq!(
        app.get(&format!("/api/v1/contests/{contest}")).await.status,
        404
    );
    assert_eq!(app.get("/api/v1/contests").await.body, json!([]));
    assert_eq!(
        app.get("/api/v1/contests")
            .by(&admin)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let judge = app.judge().await;
    let res = app
        .post("/api/v1/contests")
        .by(&judge)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 403);

    // A track in use cannot disappear from under its applications.
    app.patch(&format!("/api/v1/contests/{contest}"))
        .by(&admin)
        .json(&json!({"published": true}))
        .await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    app.patch(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .json(&json!({"track": "bio"}))
        .await;
    let res = app
        .patch(&format!("/api/v1/contests/{contest}"))
        .by(&admin)
        .json(&json!({"tracks": [{"key": "ai", "name": {"en": "AI"}}]}))
        .await;
    assert_eq!((res.status.as_u16(), res.code()), (409, "track_in_use"));
}

/// Withdrawal is an applicant's choice while the call is open. After the deadline the
/// application is being judged, and after publication it is part of a public record: then the
/// API refuses (409) and the application says so in `actions`, so no screen offers it.
#[actix_web::test]
async fn withdraw_is_refused_after_the_deadline_and_after_results_are_published() {
    let app = TestApp::new().await;
    let admin = app.admin().await;

    // Open window: offered and accepted (seen in the answer before the call).
    let (open_founder, contest, open_id) = app.submitted_application(&admin).await;
    let res = app
        .get(&format!("/api/v1/applications/{open_id}"))
        .by(&open_founder)
        .await;
    assert_eq!(res.body["actions"]["withdraw"], true, "{}", res.text);
    assert_eq!(res.body["actions"]["submit"], false, "already submitted");

    // Deadline passed: not offered, and refused with the reason.
    app.close_window(&admin, contest).await;
    let res = app
        .get(&format!("/api/v1/applications/{open_id}"))
        .by(&open_founder)
        .await;
    assert_eq!(
        res.body["actions"],
        json!({"edit": false, "submit": false, "withdraw": false})
    );
    let late = app
        .post(&format!("/api/v1/applications/{open_id}/withdraw"))
        .by(&open_founder)
        .json(&json!({"reason": "too late"}))
        .await;
    assert_eq!((late.status.as_u16(), late.code()), (409, "window_closed"));
    let res = app
        .get(&format!("/api/v1/applications/{open_id}"))
        .by(&open_founder)
        .await;
    assert_eq!(res.body["status"], "submitted", "nothing changed");

    // Results published while the window is still open: refused too, and the result stays.
    let j = app.published(&admin, 1).await;
    let (founder, id) = j.applications[0].clone();
    let res = app
        .get(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .await;
    assert_eq!(res.body["editable"], true, "the window is still open");
    assert_eq!(res.body["actions"]["withdraw"], false, "{}", res.text);
    let refused = app
        .post(&format!("/api/v1/applications/{id}/withdraw"))
        .by(&founder)
        .json(&json!({}))
        .await;
    assert_eq!(
        (refused.status.as_u16(), refused.code()),
        (409, "results_published")
    );
    let result = app
        .get(&format!("/api/v1/applications/{id}/result"))
        .by(&founder)
        .await;
    assert_eq!(
        result.body.as_array().map(Vec::len),
        Some(1),
        "{}",
        result.text
    );
    let audit = app.db(|c| jury::audit::recent(c, 50)).await;
    assert!(
        !audit.iter().any(|e| e.action == "application.withdrawn"),
        "no withdrawal was recorded"
    );
}
