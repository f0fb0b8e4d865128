//! The OpenAPI document is the route table: every route the server registers is in it (and
//! nothing else), every operation documents its errors, and every stable error code the code
//! can produce is listed with its status. The permission matrix builds on this list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use actix_web::ResponseError;
use jury::error::{AppError, ErrorCode, FieldErrors};
use jury::web::openapi::ERROR_CODES;
use serde_json::Value;

use crate::common::TestApp;

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// `(METHOD, path)` of every operation in the spec, paths as written there (`{id}`).
pub fn spec_routes(spec: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for m in METHODS {
            if item.get(m).is_some() {
                out.insert((m.to_uppercase(), path.clone()));
            }
        }
    }
    out
}

/// Every Rust source file under `dir`, whitespace removed (route paths have none), by path.
fn sources(dir: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("read source");
            let name = path.display().to_string();
            out.insert(name, text.split_whitespace().collect());
        }
    }
}

fn src_files() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    files
}

/// The string literal starting right after `at` in `s` (which begins with `"`).
fn literal(s: &str) -> Option<&str> {
    s.strip_prefix('"')?.split('"').next()
}

/// The method of a route builder starting at `s` (`web::get()`, `aw::post()`…).
fn method_of(s: &str) -> Option<String> {
    let rest = s.strip_prefix("web::").or_else(|| s.strip_prefix("aw::"))?;
    METHODS
        .iter()
        .find(|m| rest.starts_with(&format!("{m}()")))
        .map(|m| m.to_uppercase())
}

/// Every `(METHOD, path)` registered with `.route("…", web::get()…)` or
/// `web::resource("…")…route(web::post()…)` in `src/`. Domain route functions are mounted
/// under `/api/v1` (src/app.rs); the routes in src/app.rs itself sit at the root.
pub fn registered_routes() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (file, text) in src_files() {
        let prefix = if file.ends_with("src/app.rs") {
            ""
        } else {
            "/api/v1"
        };
        for (i, _) in text.match_indices(".route(\"") {
            let rest = &text[i + ".route(".len()..];
            let path = literal(rest).expect("route path");
            let after = &rest[path.len() + 3..];
            let method = method_of(after)
                .unwrap_or_else(|| panic!("{file}: cannot read the method of route {path}"));
            out.insert((method, format!("{prefix}{path}")));
        }
        for (i, _) in text.match_indices("resource(\"") {
            let rest = &text[i + "resource(".len()..];
            let path = literal(rest).expect("resource path");
            let end = rest[1..].find(';').map_or(rest.len(), |e| e + 1);
            let end = rest[1..end].find("resource(").map_or(end, |e| e + 1);
            let body = &rest[..end];
            let mut found = false;
            for (j, _) in body.match_indices(".route(") {
                if let Some(method) = method_of(&body[j + ".route(".len()..]) {
                    out.insert((method, format!("{prefix}{path}")));
                    found = true;
                }
            }
            assert!(found, "{file}: no method found for resource {path}");
        }
    }
    out
}

#[actix_web::test]
async fn every_registered_route_is_in_the_spec_and_nothing_else() {
    let app = TestApp::new().await;
    let spec = app.get("/api/openapi.json").await.body;
    let documented = spec_routes(&spec);
    let registered = registered_routes();
    assert!(
        registered.len() > 80,
        "the source scan found only {} routes: is it still reading src/ right?",
        registered.len()
    );
    let undocumented: Vec<_> = registered.difference(&documented).collect();
    let phantom: Vec<_> = documented.difference(&registered).collect();
    assert!(
        undocumented.is_empty() && phantom.is_empty(),
        "routes registered in src/ but missing from the OpenAPI spec (add #[utoipa::path] and \
         list the handler in src/web/openapi.rs): {undocumented:?}\n\
         routes in the spec that no code registers: {phantom:?}"
    );
}

#[actix_web::test]
async fn every_operation_documents_its_errors_with_the_error_body() {
    let app = TestApp::new().await;
    let spec = app.get("/api/openapi.json").await.body;
    let mut problems = Vec::new();
    for (method, path) in spec_routes(&spec) {
        let op = &spec["paths"][&path][method.to_lowercase()];
        let responses = op["responses"].as_object().expect("responses");
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        let mut want = vec!["503"];
        if secured {
            want.extend(["401", "403", "404"]);
        }
        if op.get("requestBody").is_some() {
            want.extend(["400", "413", "415", "422"]);
        }
        if path.contains('{') {
            want.extend(["400", "404"]);
        }
        for status in want {
            if !responses.contains_key(status) {
                problems.push(format!("{method} {path}: no {status} response"));
            }
        }
        for (status, r) in responses {
            let schema = &r["content"]["application/json"]["schema"]["$ref"];
            if status.starts_with('4') && schema != "#/components/schemas/ErrorBody" {
                problems.push(format!("{method} {path}: {status} is not an ErrorBody"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let codes: Vec<&str> = spec["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .expect("ErrorCode enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let listed: Vec<&str> = ERROR_CODES.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes, listed);
    assert_eq!(
        spec["components"]["schemas"]["ErrorBody"]["properties"]["error"]["$ref"],
        "#/components/schemas/ErrorCode"
    );
}

/// The codes `AppError` gives by itself, one value of every variant with a fixed code.
fn fixed_codes() -> Vec<AppError> {
    vec![
        AppError::InvalidCredentials,
        AppError::Unauthorized,
        AppError::TokenExpired,
        AppError::InvalidToken,
        AppError::AccountDisabled,
        AppError::Forbidden,
        AppError::NotFound,
        AppError::Validation(FieldErrors::default()),
        AppError::MalformedJson(String::new()),
        AppError::PayloadTooLarge,
        AppError::UnsupportedMediaType(String::new()),
        AppError::RateLimited { retry_after: 1 },
        AppError::Unavailable(String::new()),
        AppError::StorageFull(String::new()),
        AppError::StorageUnavailable(String::new()),
        AppError::RequestTimeout,
        AppError::Internal(String::new()),
    ]
}

#[test]
fn every_error_code_the_code_can_produce_is_in_the_spec_with_its_status() {
    // The list is `ErrorCode`: call sites name a variant, so a code outside it cannot compile.
    let listed: Vec<(&str, u16)> = ErrorCode::ALL
        .iter()
        .map(|c| (c.as_str(), c.status()))
        .collect();
    assert_eq!(listed, ERROR_CODES.to_vec());
    let distinct: BTreeSet<&str> = listed.iter().map(|(c, _)| *c).collect();
    assert_eq!(distinct.len(), listed.len(), "a code is listed twice");
    // The codes `AppError` gives by itself answer the status their code is listed with.
    for e in fixed_codes() {
        assert_eq!(e.status_code().as_u16(), e.code().status(), "{e:?}");
    }
    // Every variant is produced somewhere: named at a call site, or by `AppError::code()`.
    let sources = src_files();
    let mut problems = Vec::new();
    for code in ErrorCode::ALL {
        let name = format!("ErrorCode::{code:?}");
        // The table in src/error.rs names variants bare; `ErrorCode::X` there is in `code()`.
        let used = sources.values().any(|text| text.contains(name.as_str()));
        if !used {
            problems.push(format!(
                "`{}` is an ErrorCode but nothing in src/ produces it any more",
                code.as_str()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
