//! Uploads on an S3-compatible object store (`JURY_STORAGE_URL`), against a real one that
//! checks every signature (`s3s-fs`, see `common::s3`): a deck is stored as one object and
//! nothing on the local disk, read back whole and by range, replaced and exported; a wrong
//! secret is refused by the store (503, nothing recorded); while the store is down an upload and a
//! download answer 503 `storage_unavailable` at once, the earlier deck stays, and everything
//! works again when the store is back.

use std::time::{Duration, Instant};

use jury::applications::pdf::sample;

use crate::common::s3::{S3Server, SECRET_KEY, s3_or_skip};
use crate::common::{TestApp, User};

async fn app_on(store: &S3Server, prefix: &str, secret: &str) -> TestApp {
    let storage = store.config(prefix, secret);
    TestApp::with_config(move |c| c.storage = storage).await
}

/// An applicant with a draft in an open contest.
async fn founder_with_draft(app: &TestApp) -> (User, i64) {
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    (founder, id)
}

fn local_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    ["uploads", "tmp"]
        .iter()
        .flat_map(|d| {
            std::fs::read_dir(app.dir.path().join(d))
                .into_iter()
                .flatten()
        })
        .flatten()
        .map(|e| e.path())
        .collect()
}

async fn deck_of(app: &TestApp, user: &User, id: i64) -> serde_json::Value {
    let res = app
        .get(&format!("/api/v1/applications/{id}"))
        .by(user)
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body["deck"].clone()
}

#[actix_web::test]
async fn a_deck_is_one_object_in_the_store_read_whole_by_range_and_in_the_export() {
    let Some(store) = s3_or_skip("a_deck_is_one_object_in_the_store") else {
        return;
    };
    let app = app_on(&store, "decks", SECRET_KEY).await;
    let (founder, id) = founder_with_draft(&app).await;
    let first = sample("Object store");
    let res = app.upload(&founder, id, "덱 최종.pdf", first.clone()).await;
    assert_eq!(res.status, 201, "upload: {}", res.text);
    let doc = res.body["id"].as_i64().expect("document id");

    let objects = store.objects("decks");
    assert_eq!(objects.len(), 1, "{objects:?}");
    assert!(objects[0].starts_with(&format!("decks/applications/{id}/")));
    let key = objects[0].trim_start_matches("decks/");
    assert_eq!(
        app.state.storage.head(key).await.expect("HEAD"),
        Some(first.len() as u64)
    );
    assert!(local_files(&app).is_empty(), "{:?}", local_files(&app));

    let path = format!("/api/v1/applications/{id}/documents/{doc}");
    let whole = app.get(&path).by(&founder).send().await;
    assert_eq!(whole.status, 200);
    assert_eq!(whole.text.as_bytes(), &first[..]);
    assert_eq!(whole.header("content-type"), Some("application/pdf"));
    assert_eq!(whole.header("cache-control"), Some("private, no-store"));
    assert!(
        whole
            .header("content-disposition")
            .is_some_and(|d| d.contains("filename*=UTF-8''%EB%8D%B1"))
    );
    let part = app
        .get(&path)
        .by(&founder)
        .header("Range", "bytes=0-7")
        .send()
        .await;
    assert_eq!(part.status, 206);
    assert_eq!(part.text.as_bytes(), &first[..8]);
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 0-7/{}", first.len()).as_str())
    );

    // A replaced deck's old object goes once the new one is recorded.
    let second = sample("Second version");
    let res = app.upload(&founder, id, "v2.pdf", second.clone()).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let now = store.objects("decks");
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now, objects);
    assert_eq!(app.state.storage.head(key).await.expect("HEAD"), None);

    // The personal-data archive carries the deck, fetched from the store.
    let (status, _, zip) = crate::privacy::export(&app, &founder).await;
    assert_eq!(status, 200);
    let files = crate::privacy::unzip(&zip);
    assert!(
        files
            .iter()
            .any(|(n, b)| n.ends_with(".pdf") && b == &second),
        "{:?}",
        files.keys()
    );
    assert!(local_files(&app).is_empty(), "{:?}", local_files(&app));
}

#[actix_web::test]
async fn a_wrong_secret_is_refused_by_the_store_and_nothing_is_recorded() {
    let Some(store) = s3_or_skip("a_wrong_secret_is_refused_by_the_store") else {
        return;
    };
    let app = app_on(&store, "wrong", "not-the-secret-key-at-all").await;
    let (founder, id) = founder_with_draft(&app).await;
    let res = app.upload(&founder, id, "deck.pdf", sample("Deck")).await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (503, "storage_unavailable")
    );
    assert!(store.objects("wrong").is_empty());
    assert!(deck_of(&app, &founder, id).await.is_null());
    assert!(local_files(&app).is_empty(), "{:?}", local_files(&app));
}

#[actix_web::test]
async fn while_the_store_is_down_uploads_and_downloads_answer_503_and_nothing_is_half_written() {
    let Some(mut store) = s3_or_skip("while_the_store_is_down") else {
        return;
    };
    let app = app_on(&store, "outage", SECRET_KEY).await;
    let (founder, id) = founder_with_draft(&app).await;
    let first = sample("Before the outage");
    let res = app.upload(&founder, id, "deck.pdf", first.clone()).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let doc = res.body["id"].as_i64().expect("document id");
    let path = format!("/api/v1/applications/{id}/documents/{doc}");

    store.stop();
    let started = Instant::now();
    let res = app.upload(&founder, id, "deck.pdf", sample("During")).await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (503, "storage_unavailable")
    );
    assert_eq!(res.header("retry-after"), Some("5"));
    let res = app.get(&path).by(&founder).send().await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (503, "storage_unavailable")
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // The row still names the deck that is stored; no temp file is left behind.
    assert_eq!(deck_of(&app, &founder, id).await["id"], doc);
    assert!(local_files(&app).is_empty(), "{:?}", local_files(&app));

    store.resume();
    let res = app.get(&path).by(&founder).send().await;
    assert_eq!(res.status, 200);
    assert_eq!(res.text.as_bytes(), &first[..]);
    let res = app.upload(&founder, id, "deck.pdf", sample("After")).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(store.objects("outage").len(), 1);
}
