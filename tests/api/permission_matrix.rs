//! The permission matrix (DESIGN §4, issue 8): every route of the OpenAPI spec × every kind of
//! caller × the state where it matters, against the expected statuses written once in
//! `permission_matrix.txt`. A route of the spec without a line there fails
//! `every_route_has_a_matrix_row`; `tests/api/openapi.rs` proves the spec lists every route
//! the server registers. All mismatches are reported together.
//!
//! `JURY_MATRIX_PRINT=1` prints the observed table in the file's format, to review a change.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::http::Method;
use serde_json::{Value, json};

use crate::common::{TestApp, User, complete_fields, multipart, rubric};
use crate::openapi::spec_routes;

const TABLE: &str = include_str!("permission_matrix.txt");
const CALLERS: [&str; 8] = ["anon", "own", "oth", "asg", "una", "cfl", "dea", "adm"];
const STATES: [&str; 5] = ["setup", "judging", "closed", "published", "late"];

struct Row {
    line: usize,
    method: String,
    path: String,
    state: String,
    expected: [u16; 8],
    body: String,
}

fn rows() -> Vec<Row> {
    let mut out = Vec::new();
    for (i, text) in TABLE.lines().enumerate() {
        let text = text.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let mut parts = text.split_whitespace();
        let mut next = || {
            parts
                .next()
                .unwrap_or_else(|| panic!("line {}: too short", i + 1))
        };
        let (method, path, state) = (next().to_string(), next().to_string(), next().to_string());
        let mut expected = [0u16; 8];
        for cell in &mut expected {
            *cell = next()
                .parse()
                .unwrap_or_else(|_| panic!("line {}: a status is not a number", i + 1));
        }
        let body = text
            .split_whitespace()
            .skip(11)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(!body.is_empty(), "line {}: no body column", i + 1);
        assert!(
            STATES.contains(&state.as_str()),
            "line {}: state {state}",
            i + 1
        );
        out.push(Row {
            line: i + 1,
            method,
            path,
            state,
            expected,
            body,
        });
    }
    out
}

/// `/a/{id}/b` and `/a/{app}/b?x=1` are the same route.
fn route_shape(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.split('?').next().unwrap_or_default().chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

#[actix_web::test]
async fn every_route_has_a_matrix_row() {
    let app = TestApp::new().await;
    let spec = app.get("/api/openapi.json").await.body;
    let routes: BTreeSet<(String, String)> = spec_routes(&spec)
        .into_iter()
        .map(|(m, p)| (m, route_shape(&p)))
        .collect();
    let covered: BTreeSet<(String, String)> = rows()
        .iter()
        .map(|r| (r.method.clone(), route_shape(&r.path)))
        .collect();
    let missing: Vec<String> = routes
        .difference(&covered)
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    let unknown: Vec<String> = covered
        .difference(&routes)
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "routes without a row in tests/api/permission_matrix.txt (add one line each):\n  {}\n\
         rows for routes the spec does not have:\n  {}",
        missing.join("\n  "),
        unknown.join("\n  ")
    );
}

/// The fixture world: one contest, the owner's submitted application and the callers.
struct World {
    admin: User,
    contest: i64,
    round: i64,
    callers: [Option<User>; 8],
    ids: BTreeMap<&'static str, String>,
    vars: BTreeMap<&'static str, String>,
    reviewers: Vec<(User, i64)>,
}

async fn submitted(app: &TestApp, founder: &User, contest: i64, n: usize) -> (i64, i64) {
    let id = app.draft_application(founder, contest).await;
    let mut fields = complete_fields();
    fields["company_name"] = json!(format!("Matrix Startup {n}"));
    let res = app
        .patch(&format!("/api/v1/applications/{id}"))
        .by(founder)
        .json(&fields)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let deck = jury::applications::pdf::sample("Deck");
    let res = app.upload(founder, id, "deck.pdf", deck).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let doc = res.body["id"].as_i64().expect("document id");
    let res = app
        .post(&format!("/api/v1/applications/{id}/submit"))
        .by(founder)
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    (id, doc)
}

async fn assign(app: &TestApp, admin: &User, round: i64, judge: &User, application: i64) -> i64 {
    let res = app.assign(admin, round, judge, application).await;
    assert_eq!(res.status, 201, "assign: {}", res.text);
    res.body["id"].as_i64().expect("assignment id")
}

async fn build(app: &TestApp) -> World {
    let admin = app.admin().await;
    let contest = app.contest(&admin).await;
    let owner = app.applicant().await;
    let (target, doc) = submitted(app, &owner, contest, 0).await;
    let founder = app.applicant().await;
    let (second, _) = submitted(app, &founder, contest, 1).await;
    let other = app.applicant().await;
    app.draft_application(&other, contest).await;
    let mut judges = Vec::new();
    for (i, region) in ["KR", "CN", "KR", "CN", "KR", "CN"].iter().enumerate() {
        let org = format!("Matrix Fund {i}");
        judges.push(app.invited_judge(&admin, contest, region, &org).await);
    }
    let [asg, una, cfl, dea, spare, helper] = judges.try_into().expect("six judges");
    let res = app
        .post(&format!("/api/v1/contests/{contest}/rounds"))
        .by(&admin)
        .json(
            &json!({"name": {"en": "Screening"}, "reviews_per_application": 2,
            "blind": false, "blind_shows_deck": false, "ranking_method": "raw"}),
        )
        .await;
    assert_eq!(res.status, 201, "round: {}", res.text);
    let round = res.body["id"].as_i64().expect("round id");
    let res = app
        .req(Method::PUT, &format!("/api/v1/rounds/{round}/rubric"))
        .by(&admin)
        .json(&rubric())
        .await;
    assert_eq!(res.status, 200, "rubric: {}", res.text);
    let a = assign(app, &admin, round, &asg, target).await;
    let una_a = assign(app, &admin, round, &una, second).await;
    let spare_a = assign(app, &admin, round, &helper, second).await;
    assign(app, &admin, round, &cfl, target).await;
    let res = app
        .post(&format!("/api/v1/applications/{target}/conflict"))
        .by(&cfl)
        .json(&json!({"reason": "I advised them last year"}))
        .await;
    assert_eq!(res.status.as_u16() / 100, 2, "declare: {}", res.text);
    let conflicts = app
        .get(&format!("/api/v1/contests/{contest}/conflicts"))
        .by(&admin)
        .await;
    let conflict = conflicts
        .body
        .as_array()
        .expect("conflicts")
        .iter()
        .find(|c| {
            c["judge_id"].as_i64() == Some(cfl.id) && c["application_id"].as_i64() == Some(target)
        });
    let conflict = conflict.expect("declared conflict")["id"]
        .as_i64()
        .expect("id");
    let res = app
        .post(&format!("/api/v1/judges/{}/deactivate", dea.id))
        .by(&admin)
        .send()
        .await;
    assert_eq!(res.status, 204, "deactivate: {}", res.text);
    let outbox = app.get("/api/v1/admin/outbox").by(&admin).await;
    let outbox = outbox.body[0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("an outbox item: {}", outbox.text));
    let ids = BTreeMap::from([
        ("contest", contest.to_string()),
        ("round", round.to_string()),
        ("app", target.to_string()),
        ("doc", doc.to_string()),
        ("assignment", a.to_string()),
        ("spare_assignment", spare_a.to_string()),
        ("judge", spare.id.to_string()),
        ("conflict", conflict.to_string()),
        ("outbox", outbox.to_string()),
        ("template", "judge_invitation".to_string()),
    ]);
    let vars = BTreeMap::from([
        ("owner_id", owner.id.to_string()),
        ("app_id", target.to_string()),
        ("cfl_id", cfl.id.to_string()),
    ]);
    World {
        contest,
        round,
        reviewers: vec![(asg.clone(), a), (una.clone(), una_a)],
        callers: [
            None,
            Some(owner),
            Some(other),
            Some(asg),
            Some(una),
            Some(cfl),
            Some(dea),
            Some(admin.clone()),
        ],
        admin,
        ids,
        vars,
    }
}

/// Moves the world into `state` (the states come in order).
async fn enter(app: &TestApp, w: &World, state: &str) {
    let transition = |to: &'static str| {
        app.post(&format!("/api/v1/rounds/{}/transition", w.round))
            .by(&w.admin)
            .json(&json!({"to": to, "confirm": true}))
    };
    match state {
        "setup" => {}
        "judging" => {
            let res = transition("judging").await;
            assert_eq!(res.status, 200, "start judging: {}", res.text);
        }
        "closed" => {
            for (judge, a) in &w.reviewers {
                let res = app
                    .post(&format!("/api/v1/assignments/{a}/review/submit"))
                    .by(judge)
                    .json(&json!({"scores": {"team": 4, "market": 7}}))
                    .await;
                assert_eq!(res.status, 200, "review: {}", res.text);
            }
            let res = transition("closed").await;
            assert_eq!(res.status, 200, "close: {}", res.text);
        }
        "published" => {
            let round = app
                .get(&format!("/api/v1/rounds/{}", w.round))
                .by(&w.admin)
                .await;
            if round.body["state"] != "published" {
                let res = app
                    .post(&format!(
                        "/api/v1/rounds/{}/publish?confirm_no_winners=true",
                        w.round
                    ))
                    .by(&w.admin)
                    .send()
                    .await;
                assert_eq!(res.status, 200, "publish: {}", res.text);
            }
        }
        "late" => app.close_window(&w.admin, w.contest).await,
        other => panic!("unknown state {other}"),
    }
}

fn fill(w: &World, row: &Row) -> (String, String) {
    let mut path = row.path.clone();
    for (name, id) in &w.ids {
        path = path.replace(&format!("{{{name}}}"), id);
    }
    assert!(
        !path.contains('{'),
        "line {}: unknown id in {}",
        row.line,
        row.path
    );
    let mut body = row.body.replace("$long", &"x".repeat(5000));
    for (name, value) in &w.vars {
        body = body.replace(&format!("\"${name}\""), value);
    }
    (path, body)
}

async fn call(app: &TestApp, method: &str, path: &str, body: &str, who: Option<&User>) -> u16 {
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = app.req(method, path);
    if let Some(u) = who {
        req = req.by(u);
    }
    let res = match body {
        "-" => req.send().await,
        "@pdf" => {
            let pdf = jury::applications::pdf::sample("Late deck");
            let (ct, bytes) = multipart("file", "deck.pdf", "application/pdf", &pdf);
            req.body(&ct, bytes).await
        }
        "@csv" => {
            req.body("text/csv", b"\xff\xfe\x00 not utf-8".to_vec())
                .await
        }
        json => {
            let v: Value = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("{path}: the body is not JSON ({e}): {json}"));
            req.json(&v).await
        }
    };
    if res.status.is_server_error() {
        panic!("{path} answered {}: {}", res.status, res.text);
    }
    res.status.as_u16()
}

#[actix_web::test]
async fn every_route_answers_every_caller_as_the_table_says() {
    let app = TestApp::new().await;
    let spec = app.get("/api/openapi.json").await.body;
    let documented: BTreeMap<(String, String), BTreeSet<u16>> = spec_routes(&spec)
        .into_iter()
        .map(|(m, p)| {
            let statuses = spec["paths"][&p][m.to_lowercase()]["responses"]
                .as_object()
                .map(|r| r.keys().filter_map(|k| k.parse().ok()).collect())
                .unwrap_or_default();
            ((m, route_shape(&p)), statuses)
        })
        .collect();
    let world = build(&app).await;
    let rows = rows();
    let print = std::env::var("JURY_MATRIX_PRINT").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    let mut undocumented = BTreeSet::new();
    for state in STATES {
        enter(&app, &world, state).await;
        for row in rows.iter().filter(|r| r.state == state) {
            let (path, body) = fill(&world, row);
            let mut got = [0u16; 8];
            for (i, who) in world.callers.iter().enumerate() {
                got[i] = call(&app, &row.method, &path, &body, who.as_ref()).await;
                if got[i] != row.expected[i] {
                    failures.push(format!(
                        "line {}: {} {} [{state}] as {}: got {}, want {}",
                        row.line, row.method, row.path, CALLERS[i], got[i], row.expected[i]
                    ));
                }
                let key = (row.method.clone(), route_shape(&row.path));
                if let Some(statuses) = documented.get(&key)
                    && !statuses.contains(&got[i])
                {
                    undocumented.insert(format!("{} {} answers {}", key.0, row.path, got[i]));
                }
            }
            if print {
                let cells: Vec<String> = got.iter().map(|s| format!("{s:<4}")).collect();
                println!(
                    "{:<6} {:<50} {:<9} {} {}",
                    row.method,
                    row.path,
                    state,
                    cells.join(" "),
                    row.body
                );
            }
        }
    }
    let undocumented: Vec<String> = undocumented.into_iter().collect();
    assert!(
        failures.is_empty() && undocumented.is_empty(),
        "{} cells differ from tests/api/permission_matrix.txt:\n{}\n\
         statuses the OpenAPI spec does not list for the operation:\n{}",
        failures.len(),
        failures.join("\n"),
        undocumented.join("\n")
    );
}
