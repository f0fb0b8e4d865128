//! Issue 17, finding 9: erasing an application reaches every copy of it. A start-up with a
//! name, answers and a withdrawal reason nobody else could have goes through judging and a
//! published round; after erasure no table of the database and no file in the data directory
//! holds any of them, the applicant's export neither, and the audit chain still verifies.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use jury::db::DbConn;
use serde_json::json;

use crate::common::{TestApp, User};
use crate::privacy::{export, unzip};

const NAME: &str = "Zyxwvut Erasure Robotics";
const NATIVE: &str = "지크브트 이레이저 로보틱스";
const REASON: &str = "Qorvash pivoted to marine kelp farming";
const ANSWER: &str = "Our story began in the Vexmoor Polytechnic basement";
const MEMBER: &str = "Plumwood Xavierine";
const SECRETS: [&str; 5] = [NAME, NATIVE, REASON, ANSWER, MEMBER];

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Every (table, column) of the database, read from the catalogue, not from our schema.
fn columns(c: &mut DbConn) -> QueryResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    match c {
        DbConn::Sqlite(s) => {
            let tables: Vec<Name> = diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .load(s)?;
            for t in tables {
                let cols: Vec<Name> =
                    diesel::sql_query(format!("SELECT name FROM pragma_table_info('{}')", t.name))
                        .load(s)?;
                out.extend(cols.into_iter().map(|col| (t.name.clone(), col.name)));
            }
        }
        DbConn::Pg(p) => {
            #[derive(QueryableByName)]
            struct Col {
                #[diesel(sql_type = Text)]
                table_name: String,
                #[diesel(sql_type = Text)]
                column_name: String,
            }
            let cols: Vec<Col> = diesel::sql_query(
                "SELECT table_name::text AS table_name, column_name::text AS column_name \
                 FROM information_schema.columns WHERE table_schema = current_schema()",
            )
            .load(p)?;
            out.extend(cols.into_iter().map(|c| (c.table_name, c.column_name)));
        }
    }
    Ok(out)
}

/// "table.column" for every column of every table holding one of the secrets, any case.
async fn where_in_database(app: &TestApp) -> Vec<String> {
    app.db(|c| {
        let mut hits = Vec::new();
        for (table, column) in columns(c)? {
            for secret in SECRETS {
                let q = format!(
                    "SELECT COUNT(*) AS n FROM \"{table}\" WHERE lower(CAST(\"{column}\" AS TEXT)) \
                     LIKE '%{}%'",
                    secret.to_lowercase()
                );
                let found = match c {
                    DbConn::Sqlite(s) => diesel::sql_query(q).get_result::<Count>(s)?,
                    DbConn::Pg(p) => diesel::sql_query(q).get_result::<Count>(p)?,
                };
                if found.n > 0 {
                    hits.push(format!("{table}.{column}: {secret}"));
                }
            }
        }
        Ok(hits)
    })
    .await
}

/// Files of the data directory holding a secret; the SQLite file itself is searched above.
fn where_in_files(app: &TestApp) -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                walk(&e.path(), out);
            } else if !e.file_name().to_string_lossy().starts_with("jury.db") {
                out.push(e.path());
            }
        }
    }
    let mut files = Vec::new();
    walk(app.dir.path(), &mut files);
    let mut hits = Vec::new();
    for f in files {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap_or_default()).to_lowercase();
        for secret in SECRETS.iter().filter(|s| text.contains(&s.to_lowercase())) {
            hits.push(format!("{}: {secret}", f.display()));
        }
    }
    hits
}

async fn ok(res: crate::common::Resp) -> serde_json::Value {
    assert!(res.status.is_success(), "{}: {}", res.status, res.text);
    res.body
}

/// The start-up that will be erased and the round it was judged in, published.
async fn judged_and_published(app: &TestApp, admin: &User) -> (User, i64, i64, i64) {
    let j = app.judging(admin, 2, &["KR", "CN"], false).await;
    let (founder, gone) = j.applications[0].clone();
    let contest = format!("/api/v1/contests/{}", j.contest);
    ok(app
        .patch(&contest)
        .by(admin)
        .json(&json!({"questions": [
        {"key": "story", "kind": "long_text", "label": {"en": "Your story"}}]}))
        .await)
    .await;
    ok(app
        .patch(&format!("/api/v1/applications/{gone}"))
        .by(&founder)
        .json(&json!({"company_name": NAME, "company_name_native": NATIVE,
            "team": [{"name": MEMBER, "role": "CEO", "email": "plumwood@zyxwvut-robotics.kr"}],
            "answers": {"story": ANSWER}}))
        .await)
    .await;
    let round = format!("/api/v1/rounds/{}", j.round);
    ok(app
        .patch(&round)
        .by(admin)
        .json(&json!({"feedback_to_applicants": true}))
        .await)
    .await;
    // A judge who once advised the start-up says so; the other judges it.
    let body = json!({"judge_id": j.judges[1].id, "application_id": gone,
        "reason": format!("Advised {NAME} last year")});
    ok(app
        .post(&format!("{contest}/conflicts"))
        .by(admin)
        .json(&body)
        .await)
    .await;
    ok(app
        .post(&format!("{round}/assignments/auto"))
        .by(admin)
        .json(&json!({}))
        .await)
    .await;
    for judge in &j.judges {
        let queue = ok(app.get("/api/v1/me/assignments").by(judge).await).await;
        for item in queue["items"].as_array().unwrap() {
            let url = format!(
                "/api/v1/assignments/{}/review/submit",
                item["assignment_id"]
            );
            let body = json!({"scores": {"team": 4, "market": 7},
                "comment_applicant": format!("{NAME} has a strong team"),
                "comment_private": format!("{MEMBER} pitched well")});
            ok(app.post(&url).by(judge).json(&body).await).await;
        }
    }
    let withdraw = format!("/api/v1/applications/{gone}/withdraw");
    ok(app
        .post(&withdraw)
        .by(&founder)
        .json(&json!({"reason": REASON}))
        .await)
    .await;
    app.close_window(admin, j.contest).await;
    let close = json!({"to": "closed", "confirm": true});
    ok(app
        .post(&format!("{round}/transition"))
        .by(admin)
        .json(&close)
        .await)
    .await;
    let published = app
        .post(&format!("{round}/publish?confirm_no_winners=true"))
        .by(admin)
        .send()
        .await;
    let digest = ok(published).await["sha256"].as_str().unwrap().to_string();
    app.deliver_mail().await;
    assert_eq!(digest.len(), 64);
    (founder, j.contest, j.round, gone)
}

#[actix_web::test]
async fn erasure_leaves_no_copy_of_the_application_anywhere() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (founder, contest, round, gone) = judged_and_published(&app, &admin).await;

    // Before: copies in the places the attacker found them, and more.
    let before = where_in_database(&app).await.join("\n");
    for place in [
        "applications.",
        "published_results.snapshot",
        "outbox.body_text",
        "audit_log.details",
        "reviews.comment_applicant",
        "conflicts.reason",
    ] {
        assert!(
            before.contains(place),
            "expected a copy in {place}:\n{before}"
        );
    }
    let public = app
        .get(&format!("/api/v1/contests/{contest}/results"))
        .await;
    let old_digest = public.body[0]["sha256"].clone();

    let res = app
        .post(&format!("/api/v1/admin/applications/{gone}/erase"))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    assert_eq!(where_in_database(&app).await, Vec::<String>::new());
    assert_eq!(where_in_files(&app), Vec::<String>::new());
    let (status, _, bytes) = export(&app, &founder).await;
    assert_eq!(status, 200);
    for (file, data) in unzip(&bytes) {
        let text = String::from_utf8_lossy(&data).to_lowercase();
        for secret in SECRETS {
            assert!(
                !text.contains(&secret.to_lowercase()),
                "{secret} in export {file}"
            );
        }
    }

    // The entry stays in the published ranking under a placeholder, with its rank and scores;
    // the new digest names the one it replaced and the audit log links them.
    let snapshot: String = app
        .db(move |c| {
            use jury::db::schema::published_results as p;
            Ok(p::table
                .filter(p::round_id.eq(round))
                .select(p::snapshot)
                .first(c)?)
        })
        .await;
    let snapshot: serde_json::Value = serde_json::from_str(&snapshot).unwrap();
    let entry = snapshot["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["application_id"] == gone)
        .expect("the entry stays")
        .clone();
    assert_eq!(entry["company_name"], "[erased]");
    assert!(entry["rank"].is_u64() && entry["raw"].is_f64(), "{entry}");
    let public = app
        .get(&format!("/api/v1/contests/{contest}/results"))
        .await;
    let new_digest = public.body[0]["sha256"].clone();
    assert_ne!(new_digest, old_digest, "{}", public.text);
    assert_eq!(snapshot["supersedes"], json!([old_digest]));
    let erased = crate::editions::audit_actions(&app, &admin, "results.entry_erased").await;
    assert_eq!(
        erased[0]["details"]["sha256"],
        json!({"old": old_digest, "new": new_digest})
    );

    // Redacted entries are kept, marked, and named by the redaction; the chain still holds.
    let redactions = crate::editions::audit_actions(&app, &admin, "audit.redacted").await;
    assert_eq!(redactions.len(), 1, "{redactions:?}");
    assert!(
        redactions[0]["details"]["entries"]
            .as_array()
            .unwrap()
            .len()
            >= 3
    );
    let check = app.get("/api/v1/admin/audit/verify").by(&admin).await;
    assert_eq!(check.body["intact"], true, "{}", check.text);
}

#[actix_web::test]
async fn an_entry_marked_redacted_without_a_recorded_redaction_breaks_the_chain() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    app.contest(&admin).await;
    let broken = app
        .db(|c| {
            use jury::db::schema::audit_log as a;
            let first: i64 = a::table.order(a::id.asc()).select(a::id).first(c)?;
            diesel::update(a::table.find(first))
                .set((
                    a::details.eq(r#"{"note":"quietly rewritten"}"#),
                    a::redacted_at.eq(Some(jury::db::now())),
                ))
                .execute(c)?;
            Ok((first, jury::audit::verify_chain(c)?))
        })
        .await;
    assert_eq!(broken.1, Err(broken.0));
}
