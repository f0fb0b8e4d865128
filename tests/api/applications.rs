//! The application form and pitch deck: the happy path, the deadline, ownership, bad files and
//! concurrent edits.

use serde_json::json;

use crate::common::{TestApp, complete_fields, multipart};

fn deck() -> Vec<u8> {
    jury::applications::pdf::sample("Hanbit Robotics")
}

fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                if e.path().is_dir() {
                    walk(&e.path(), out);
                } else {
                    out.push(e.path());
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&app.dir.path().join("uploads"), &mut out);
    out
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
async fn fake_oversized_and_interrupted_uploads_leave_nothing_behind() {
    let app = TestApp::with_config(|c| c.upload_max_bytes = 64 * 1024).await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;

    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode".to_vec();
    exe.resize(4096, 0);
    let res = app.upload(&founder, id, "deck.pdf", exe).await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (415, "unsupported_media_type")
    );

    let mut big = deck();
    big.resize(200 * 1024, b' ');
    let res = app.upload(&founder, id, "big.pdf", big).await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (413, "payload_too_large")
    );

    let res = app
        .post(&format!("/api/v1/applications/{id}/documents"))
        .by(&founder)
        .body("application/json", "{}")
        .await;
    assert_eq!(res.status, 415);

    // The connection drops halfway through the body.
    {
        use std::io::Write;
        let (ct, body) = multipart("file", "deck.pdf", "application/pdf", &deck());
        let addr = app.base_url.trim_start_matches("http://").to_string();
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let head = format!(
            "POST /api/v1/applications/{id}/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
            founder.token,
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(&body[..body.len() / 2]).unwrap();
        s.flush().unwrap();
        drop(s);
    }
    actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;

    let rows = app
        .db(|c| {
            use diesel::prelude::*;
            use jury::db::schema::documents;
            Ok(documents::table.count().get_result::<i64>(c)?)
        })
        .await;
    assert_eq!(rows, 0, "no document row");
    assert!(
        stored_files(&app).is_empty(),
        "no orphan file: {:?}",
        stored_files(&app)
    );
}

#[actix_web::test]
async fn replacing_the_deck_removes_the_old_file() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    let first = app.upload(&founder, id, "v1.pdf", deck()).await;
    let second = app
        .upload(
            &founder,
            id,
            "v2.pdf",
            jury::applications::pdf::sample("Version two"),
        )
        .await;
    assert_eq!(second.status, 201);
    assert_ne!(first.body["sha256"], second.body["sha256"]);
    let files = stored_files(&app);
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(
        app.get(first.body["url"].as_str().unwrap())
            .by(&founder)
            .await
            .status,
        404
    );
    let current = app
        .get(&format!("/api/v1/applications/{id}"))
        .by(&founder)
        .await;
    assert_eq!(current.body["deck"]["original_name"], "v2.pdf");
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
