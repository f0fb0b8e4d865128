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

mod world;

use world::{World, build, enter};

const TABLE: &str = include_str!("permission_matrix.txt");
const CALLERS: [&str; N] = [
    "anon", "own", "oth", "asg", "una", "cfl", "dea", "xorg", "org", "adm",
];
const N: usize = 10;
const STATES: [&str; 5] = ["setup", "judging", "closed", "published", "late"];

struct Row {
    line: usize,
    method: String,
    path: String,
    state: String,
    expected: [u16; N],
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
        let mut expected = [0u16; N];
        for cell in &mut expected {
            *cell = next()
                .parse()
                .unwrap_or_else(|_| panic!("line {}: a status is not a number", i + 1));
        }
        let body = text
            .split_whitespace()
            .skip(3 + N)
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

/// Another session of the caller's, when they can still sign in.
async fn second_session(app: &TestApp, u: &User) -> Option<User> {
    let res = app
        .post("/api/v1/auth/login")
        .json(&serde_json::json!({"email": u.email, "password": u.password}))
        .await;
    let token = res.body["access_token"].as_str()?.to_string();
    Some(User { token, ..u.clone() })
}

async fn call(app: &TestApp, method: &str, path: &str, body: &str, who: Option<&User>) -> u16 {
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    // Signing out ends the session the token belongs to, and the rows after this one still need
    // the caller's: a second session of theirs signs out instead.
    let second = match who {
        Some(u) if path == "/api/v1/auth/logout" => second_session(app, u).await,
        _ => None,
    };
    let who = second.as_ref().or(who);
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
            let mut got = [0u16; N];
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
