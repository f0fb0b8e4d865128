//! Personal data: an applicant downloads everything about them, deletes their account while
//! nothing was submitted, and administrators erase a withdrawn application after the contest
//! while its scores stay.

use std::io::Read;

use actix_web::http::Method;
use diesel::prelude::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::{TestApp, User};

mod erase;

fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                walk(&e.path(), out);
            } else {
                out.push(e.path());
            }
        }
    }
    let mut out = Vec::new();
    walk(&app.dir.path().join("uploads"), &mut out);
    out
}

/// GET /me/export as raw bytes (the common client reads bodies as text).
pub async fn export(app: &TestApp, user: &User) -> (u16, String, Vec<u8>) {
    let mut res = app
        .client()
        .get(app.url("/api/v1/me/export"))
        .bearer_auth(&user.token)
        .send()
        .await
        .expect("export request");
    let bytes = res.body().limit(64 << 20).await.expect("export body");
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (res.status().as_u16(), ct, bytes.to_vec())
}

pub fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.insert(f.name().to_string(), data);
    }
    out
}

async fn audit_actions(app: &TestApp) -> Vec<(String, Option<i64>, Value)> {
    app.db(|c| jury::audit::recent(c, 200))
        .await
        .into_iter()
        .map(|e| {
            (
                e.action,
                e.actor_id,
                serde_json::from_str(&e.details).unwrap(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn an_applicant_downloads_everything_stored_about_them() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (founder, _contest, id) = app.submitted_application(&admin).await;
    let stranger = app.applicant().await;
    app.deliver_mail().await;

    let (status, ct, bytes) = export(&app, &founder).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    assert_eq!(ct, "application/zip");
    let files = unzip(&bytes);
    let text = String::from_utf8(files["data.json"].clone()).unwrap();
    let data: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["account"]["email"], founder.email.as_str());
    assert_eq!(data["account"]["role"], "applicant");
    for secret in ["password_hash", "argon2", "token_version", "token_hash"] {
        assert!(!text.contains(secret), "{secret} leaked into the export");
    }
    assert!(!text.contains(&stranger.email));

    let entry = &data["applications"][0];
    assert_eq!(entry["application"]["id"], id);
    assert_eq!(entry["application"]["company_name_native"], "한빛로보틱스");
    assert_eq!(entry["application"]["team"][0]["name"], "김민준");
    let history: Vec<&str> = entry["status_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(history.contains(&"application.created"), "{history:?}");
    assert!(history.contains(&"application.submitted"), "{history:?}");

    let deck = jury::applications::pdf::sample("Deck");
    let doc = &entry["documents"][0];
    assert_eq!(doc["sha256"], hex::encode(Sha256::digest(&deck)));
    assert_eq!(doc["page_count"], 1);
    let path = doc["archive_path"].as_str().unwrap();
    assert_eq!(files[path], deck, "the deck itself is in the archive");

    let templates: Vec<&str> = data["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["template"].as_str().unwrap())
        .collect();
    assert!(
        templates.contains(&"application_submitted"),
        "{templates:?}"
    );
    assert!(
        data["audit"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "account.exported")
    );

    let audit = audit_actions(&app).await;
    assert!(
        audit
            .iter()
            .any(|(a, who, _)| a == "account.exported" && *who == Some(founder.id))
    );
    // Anyone signed in may export; nobody else's data is in it.
    let (status, _, bytes) = export(&app, &admin).await;
    assert_eq!(status, 200);
    let admin_data = String::from_utf8(unzip(&bytes)["data.json"].clone()).unwrap();
    assert!(!admin_data.contains(&founder.email));
    let anonymous = app.get("/api/v1/me/export").await;
    assert_eq!(anonymous.status, 401);
}

#[actix_web::test]
async fn an_applicant_with_only_a_draft_deletes_their_account() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    let up = app
        .upload(
            &founder,
            id,
            "deck.pdf",
            jury::applications::pdf::sample("x"),
        )
        .await;
    assert_eq!(up.status, 201);
    assert_eq!(stored_files(&app).len(), 1);

    let wrong = app
        .req(Method::DELETE, "/api/v1/me")
        .by(&founder)
        .json(&json!({"password": "not my password"}))
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.text);
    assert_eq!(wrong.body["fields"]["password"], "incorrect");
    for staff in [&admin, &app.judge().await] {
        let refused = app
            .req(Method::DELETE, "/api/v1/me")
            .by(staff)
            .json(&json!({"password": staff.password}))
            .await;
        assert_eq!(refused.status, 403, "{}", refused.text);
        assert_eq!(refused.code(), "account_deletion_not_allowed");
    }

    let gone = app
        .req(Method::DELETE, "/api/v1/me")
        .by(&founder)
        .json(&json!({"password": founder.password}))
        .await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    assert_eq!(gone.refresh_cookie().as_deref(), Some(""));
    assert!(stored_files(&app).is_empty(), "the draft's deck is removed");

    assert_eq!(app.get("/api/v1/me").by(&founder).await.status, 401);
    let login = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": founder.email, "password": founder.password}))
        .await;
    assert_eq!(login.status, 401);
    let uid = founder.id;
    let (email, name, hash, apps, tokens) = app
        .db(move |c| {
            use jury::db::schema::{applications, refresh_tokens, users};
            let (email, name, hash) = users::table
                .find(uid)
                .select((users::email, users::name, users::password_hash))
                .first::<(String, String, Option<String>)>(c)?;
            let apps: i64 = applications::table
                .filter(applications::applicant_id.eq(uid))
                .count()
                .get_result(c)?;
            let tokens: i64 = refresh_tokens::table
                .filter(refresh_tokens::user_id.eq(uid))
                .count()
                .get_result(c)?;
            Ok((email, name, hash, apps, tokens))
        })
        .await;
    assert_eq!(email, format!("deleted-{uid}@deleted.invalid"));
    assert_eq!((name.as_str(), hash, apps, tokens), ("", None, 0, 0));
    let audit = audit_actions(&app).await;
    let (_, who, details) = audit
        .iter()
        .find(|(a, _, _)| a == "account.deleted")
        .expect("audited");
    assert_eq!(*who, Some(uid));
    assert_eq!(details["drafts_removed"], json!([id]));
    assert!(!details.to_string().contains(&founder.email));
    let chain = app.db(jury::audit::verify_chain).await;
    assert!(chain.is_ok(), "the audit chain stays valid: {chain:?}");

    // The address is free again for a new account.
    let again = app
        .post("/api/v1/auth/register")
        .json(&json!({"email": founder.email, "password": "a new long passphrase 42", "name": "Min", "locale": "ko"}))
        .await;
    assert_eq!(again.status, 202, "{}", again.text);
}

#[actix_web::test]
async fn a_submitted_application_keeps_the_account() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (founder, _, id) = app.submitted_application(&admin).await;
    let delete = |u: &User| {
        app.req(Method::DELETE, "/api/v1/me")
            .by(u)
            .json(&json!({"password": u.password}))
    };
    let res = delete(&founder).await;
    assert_eq!(res.status, 409, "{}", res.text);
    assert_eq!(res.code(), "application_submitted");
    let res = app
        .post(&format!("/api/v1/applications/{id}/withdraw"))
        .by(&founder)
        .json(&json!({}))
        .await;
    assert_eq!(res.status, 200);
    let res = delete(&founder).await;
    assert_eq!(
        res.code(),
        "application_submitted",
        "withdrawn stays on record"
    );
    assert_eq!(app.get("/api/v1/me").by(&founder).await.status, 200);
}
