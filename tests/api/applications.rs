//! The application form and pitch deck: the happy path, the deadline, eligibility, ownership and
//! concurrent edits. The deck's files on disk are in `deck_files.rs`, the administrators' side
//! in `applications_admin.rs`.

use serde_json::json;

use crate::common::{TestApp, complete_fields};

pub(crate) fn deck() -> Vec<u8> {
    jury::applications::pdf::sample("Hanbit Robotics")
}

#[actix_web::test]
async fn fill_upload_submit_and_get_a_confirmation() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;

    let res = app
        .post(&format!("/api/v1/applications/{id}/submit"))
        .by(&founder)
        .send()
        .await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (422, "validation_failed")
    );
    for field in ["company_name", "summary", "team", "deck"] {
        assert_eq!(
            res.body["fields"][field], "required",
            "{field}: {}",
            res.text
        );
    }

    let saved = app
        .patch(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .json(&complete_fields())
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["company_name_native"], "한빛로보틱스");
    assert_eq!(saved.body["completeness"]["missing"], json!(["deck"]));
    assert_eq!(saved.body["completeness"]["percent"], 92);

    let up = app.upload(&founder, id, "한빛 IR 자료.pdf", deck()).await;
    assert_eq!(up.status, 201, "{}", up.text);
    assert_eq!(up.body["original_name"], "한빛 IR 자료.pdf");
    assert_eq!(up.body["size_bytes"], deck().len());
    let sha = up.body["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha.len(), 64);

    let res = app
        .post(&format!("/api/v1/applications/{id}/submit"))
        .by(&founder)
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["status"], "submitted");
    assert!(res.body["submitted_at"].is_string());
    let twice = app
        .post(&format!("/api/v1/applications/{id}/submit"))
        .by(&founder)
        .send()
        .await;
    assert_eq!(twice.status, 200, "submitting again changes nothing");

    let mails = app.deliver_mail().await;
    let confirm = mails
        .iter()
        .find(|m| m.to == founder.email)
        .expect("confirmation");
    assert!(confirm.subject.contains("Hanbit Robotics"));
    assert!(
        confirm.text.contains("물류 창고용 자율 주행 로봇"),
        "summary of what was sent"
    );

    let doc_url = up.body["url"].as_str().unwrap().to_string();
    let download = app.get(&doc_url).by(&founder).await;
    assert_eq!(download.status, 200);
    assert_eq!(download.header("content-type"), Some("application/pdf"));
    let cd = download.header("content-disposition").unwrap();
    assert!(
        cd.starts_with("inline") && cd.contains("filename*=UTF-8''"),
        "{cd}"
    );
    assert!(download.text.starts_with("%PDF-"));

    let audit = app.db(|c| jury::audit::recent(c, 20)).await;
    for action in [
        "application.created",
        "application.deck_uploaded",
        "application.submitted",
    ] {
        assert!(audit.iter().any(|e| e.action == action), "{action}");
    }
}

#[actix_web::test]
async fn one_application_per_contest_and_format_errors_are_named() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    let second = app
        .post(&format!("/api/v1/contests/{contest}/applications"))
        .by(&founder)
        .json(&json!({}))
        .await;
    assert_eq!(
        (second.status.as_u16(), second.code()),
        (409, "application_exists")
    );

    let bad = app
        .patch(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .json(&json!({
            "country": "Korea", "founded_year": 1800, "track": "space", "stage": "unicorn",
            "website": "javascript:alert(1)", "summary": "x".repeat(601),
            "team": [{"name": "", "role": "CEO"}]
        }))
        .await;
    assert_eq!(bad.status, 422);
    let f = &bad.body["fields"];
    assert_eq!(f["country"], "invalid_country");
    assert_eq!(f["founded_year"], "out_of_range");
    assert_eq!(f["track"], "invalid_choice");
    assert_eq!(f["stage"], "invalid_choice");
    assert_eq!(f["website"], "invalid_url");
    assert_eq!(f["summary"], "too_long");
    assert_eq!(f["team"], "required");
    let unchanged = app
        .get(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .await;
    assert_eq!(
        unchanged.body["country"], "",
        "a refused save changes nothing"
    );
}

#[actix_web::test]
async fn the_deadline_refuses_changes_and_keeps_the_draft() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    app.patch(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .json(&complete_fields())
        .await;
    assert_eq!(
        app.upload(&founder, id, "deck.pdf", deck()).await.status,
        201
    );

    app.close_window(&admin, contest).await;
    let submit = app
        .post(&format!("/api/v1/applications/{id}/submit"))
        .by(&founder)
        .send()
        .await;
    assert_eq!(
        (submit.status.as_u16(), submit.code()),
        (409, "window_closed")
    );
    let save = app
        .patch(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .json(&json!({"city": "Seoul"}))
        .await;
    assert_eq!(save.code(), "window_closed");
    let upload = app.upload(&founder, id, "deck2.pdf", deck()).await;
    assert_eq!(upload.code(), "window_closed");

    let kept = app
        .get(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .await;
    assert_eq!(kept.body["status"], "draft");
    assert_eq!(kept.body["city"], "수원");
    assert_eq!(kept.body["editable"], false);
    let late = app.applicant().await;
    let res = app
        .post(&format!("/api/v1/contests/{contest}/applications"))
        .by(&late)
        .json(&json!({}))
        .await;
    assert_eq!(res.code(), "window_closed");
}

#[actix_web::test]
async fn eligibility_is_checked_at_submission() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    app.patch(&format!("/api/v1/contests/{contest}"))
        .by(&admin)
        .json(&json!({"eligibility": {"founded_within_years": 3, "allowed_countries": ["CN"]}}))
        .await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    let mut fields = complete_fields();
    fields["founded_year"] = json!(2015);
    app.patch(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .json(&fields)
        .await;
    app.upload(&founder, id, "deck.pdf", deck()).await;
    let res = app
        .post(&format!("/api/v1/applications/{id}/submit"))
        .by(&founder)
        .send()
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(res.body["fields"]["founded_year"], "not_eligible");
    assert_eq!(res.body["fields"]["country"], "not_eligible");
}

#[actix_web::test]
async fn other_peoples_applications_and_documents_are_404() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (owner, _contest, id) = app.submitted_application(&admin).await;
    let doc_url = app
        .get(&format!("/api/v1/applications/{id}"))
        .by(&owner)
        .await
        .body["deck"]["url"]
        .as_str()
        .unwrap()
        .to_string();
    let stranger = app.applicant().await;
    let judge = app.judge().await;
    for user in [&stranger, &judge] {
        assert_eq!(
            app.get(&format!("/api/v1/applications/{id}"))
                .by(user)
                .await
                .status,
            404
        );
        assert_eq!(app.get(&doc_url).by(user).await.status, 404);
    }
    let res = app
        .patch(&format!("/api/v1/applications/{id}"))
        .by(&stranger)
        .json(&json!({"city": "x"}))
        .await;
    assert_eq!(res.status, 404);
    let res = app
        .post(&format!("/api/v1/applications/{id}/withdraw"))
        .by(&stranger)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(app.upload(&stranger, id, "x.pdf", deck()).await.status, 404);
    assert_eq!(app.get(&doc_url).await.status, 401);
    assert_eq!(
        app.get(&format!("/api/v1/applications/{}", id + 1000))
            .by(&owner)
            .await
            .status,
        404
    );
    // Administrators see everything.
    assert_eq!(app.get(&doc_url).by(&admin).await.status, 200);
    assert_eq!(
        app.get(&format!("/api/v1/applications/{id}"))
            .by(&admin)
            .await
            .status,
        200
    );
}

#[actix_web::test]
async fn concurrent_edits_never_corrupt_and_stale_versions_conflict() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    let v = app
        .get(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .await
        .body["version"]
        .as_i64()
        .unwrap();

    let a = app
        .patch(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .json(&json!({"city": "Suwon", "version": v}))
        .await;
    assert_eq!(a.status, 200);
    let b = app
        .patch(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .json(&json!({"city": "Hangzhou", "version": v}))
        .await;
    assert_eq!((b.status.as_u16(), b.code()), (409, "edit_conflict"));

    // Twenty saves at once without versions: every one lands whole, the last one wins.
    let saves = (0..20).map(|i| {
        let fut = app
            .patch(&format!("/api/v1/applications/{id}"))
            .by(&founder)
            .json(&json!({"company_name": format!("Company {i}"), "city": format!("City {i}")}));
        async move { fut.await.status.as_u16() }
    });
    let statuses = futures_util::future::join_all(saves).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let row = app
        .get(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .await;
    let (name, city) = (
        row.body["company_name"].as_str().unwrap(),
        row.body["city"].as_str().unwrap(),
    );
    assert_eq!(
        name.trim_start_matches("Company "),
        city.trim_start_matches("City "),
        "fields from one save"
    );
    assert_eq!(
        row.body["version"].as_i64().unwrap(),
        v + 1 + 20,
        "the stale save did not count"
    );
}
