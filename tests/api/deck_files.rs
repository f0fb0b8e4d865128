//! The pitch deck's files on disk: a fake, oversized or interrupted upload leaves nothing behind,
//! and a replaced deck's old file goes.

use crate::applications::deck;
use crate::common::{TestApp, multipart};

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
