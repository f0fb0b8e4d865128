//! The harness holds every JSON body the tests receive against the published OpenAPI document
//! (tests/common/spec_check.rs). These tests show that check can fail: wrong bodies are
//! refused with the route, status and JSON pointer named, and every schema the document
//! publishes uses only keywords the validator understands.

use serde_json::{Value, json};

use crate::common::TestApp;
use crate::common::spec_check::{Validator, check, published};

fn doc() -> Value {
    json!({
        "paths": {
            "/api/v1/pairs/{id}": {"get": {"responses": {
                "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pair"}}}},
                "404": {"description": "no such pair"}
            }}},
            "/api/v1/pairs/mine": {"get": {"responses": {
                "200": {"content": {"application/json": {"schema": {"type": "array", "items": {"type": "integer"}}}}}
            }}}
        },
        "components": {"schemas": {
            "Pair": {
                "type": "object",
                "required": ["judge_id", "application_id", "state"],
                "properties": {
                    "judge_id": {"type": "integer", "format": "int64"},
                    "application_id": {"type": "integer", "minimum": 0},
                    "state": {"type": "string", "enum": ["draft", "submitted"]},
                    "note": {"type": ["string", "null"]},
                    "name": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Text"}]}
                }
            },
            "Text": {"type": "object", "additionalProperties": {"type": "string"}},
            "Stamped": {"allOf": [
                {"$ref": "#/components/schemas/Pair"},
                {"type": "object", "required": ["at"], "properties": {"at": {"type": "string"}}}
            ]}
        }}
    })
}

fn errors(value: Value) -> Vec<String> {
    let spec = doc();
    Validator { spec: &spec }.errors(&json!({"$ref": "#/components/schemas/Pair"}), &value, "")
}

#[test]
fn the_validator_accepts_a_body_the_schema_describes() {
    let ok = json!({"judge_id": 7, "application_id": 3, "state": "draft", "note": null, "name": {"en": "x"}});
    assert_eq!(errors(ok), Vec::<String>::new());
    let ok = json!({"judge_id": 7, "application_id": 3, "state": "submitted", "name": null});
    assert_eq!(errors(ok), Vec::<String>::new());
}

#[test]
fn the_validator_names_each_way_a_body_can_be_wrong() {
    let cases = [
        (
            json!({"judge_id": "7", "application_id": 3, "state": "draft"}),
            "at /judge_id: expected integer, got \"7\"",
        ),
        (
            json!({"judge_id": 1.5, "application_id": 3, "state": "draft"}),
            "at /judge_id: expected integer",
        ),
        (
            json!({"application_id": 3, "state": "draft"}),
            "at /: required property `judge_id` missing",
        ),
        (
            json!({"judge_id": 7, "application_id": -1, "state": "draft"}),
            "at /application_id: expected minimum 0",
        ),
        (
            json!({"judge_id": 7, "application_id": 3, "state": "done"}),
            "at /state: expected one of",
        ),
        (
            json!({"judge_id": 7, "application_id": 3, "state": "draft", "note": 5}),
            "at /note: expected string or null",
        ),
        (
            json!({"judge_id": 7, "application_id": 3, "state": "draft", "name": {"en": 1}}),
            "at /name: expected to match oneOf",
        ),
        (
            json!({"judge_id": 7, "application_id": 3, "state": "draft", "extra": true}),
            "property `extra` is not in the document",
        ),
        (json!([7, 3]), "at /: expected object"),
    ];
    for (body, expected) in cases {
        let found = errors(body.clone());
        assert!(
            found.iter().any(|e| e.contains(expected)),
            "{body}: expected an error containing {expected:?}, got {found:?}"
        );
    }
}

#[test]
fn a_flattened_object_is_closed_by_all_its_parts_together() {
    let spec = doc();
    let stamped = json!({"$ref": "#/components/schemas/Stamped"});
    let v = Validator { spec: &spec };
    let ok = json!({"judge_id": 7, "application_id": 3, "state": "draft", "at": "now"});
    assert_eq!(v.errors(&stamped, &ok, ""), Vec::<String>::new());
    let missing = json!({"judge_id": 7, "application_id": 3, "state": "draft"});
    assert!(
        v.errors(&stamped, &missing, "")
            .iter()
            .any(|e| e.contains("`at` missing"))
    );
    let extra = json!({"judge_id": 7, "application_id": 3, "state": "draft", "at": "now", "x": 1});
    let found = v.errors(&stamped, &extra, "");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("property `x` is not in the document"),
        "{found:?}"
    );
}

#[test]
fn the_check_finds_the_operation_and_status_of_a_response() {
    let spec = doc();
    let good = json!({"judge_id": 7, "application_id": 3, "state": "draft"});
    assert_eq!(
        check(&spec, "GET", "/api/v1/pairs/12?x=1", 200, &good),
        Ok(())
    );
    // The literal route wins over the template.
    assert_eq!(
        check(&spec, "GET", "/api/v1/pairs/mine", 200, &json!([1, 2])),
        Ok(())
    );
    let e = check(&spec, "GET", "/api/v1/pairs/mine", 200, &good).unwrap_err();
    assert!(
        e.starts_with("GET /api/v1/pairs/mine → 200: at /: expected array"),
        "{e}"
    );
    let e = check(&spec, "GET", "/api/v1/pairs/12", 409, &json!({})).unwrap_err();
    assert!(e.contains("→ 409: status not documented"), "{e}");
    let e = check(&spec, "GET", "/api/v1/pairs/12", 404, &json!({})).unwrap_err();
    assert!(e.contains("declares no JSON body"), "{e}");
    // Outside the document: not this check's business.
    assert_eq!(check(&spec, "GET", "/elsewhere", 200, &good), Ok(()));
    assert_eq!(check(&spec, "POST", "/api/v1/pairs/12", 405, &good), Ok(()));
}

#[test]
fn the_validator_refuses_keywords_it_does_not_check() {
    let spec = json!({});
    let found = Validator { spec: &spec }.errors(
        &json!({"type": "string", "pattern": "^a"}),
        &json!("b"),
        "",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("`pattern`"), "{found:?}");
}

/// Every keyword in every schema of the published document, with where it was found.
fn keywords(node: &Value, at: &str, in_schema: bool, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{at}/{k}");
                if in_schema {
                    out.push((k.clone(), here.clone()));
                }
                let child_is_schema = match k.as_str() {
                    "schema" | "items" | "additionalProperties" | "propertyNames" => true,
                    "properties" | "allOf" | "anyOf" | "oneOf" | "prefixItems" | "schemas" => {
                        // Their children (by name or index) are schemas.
                        match v {
                            Value::Object(m) => {
                                for (name, s) in m {
                                    keywords(s, &format!("{here}/{name}"), true, out);
                                }
                            }
                            Value::Array(a) => {
                                for (i, s) in a.iter().enumerate() {
                                    keywords(s, &format!("{here}/{i}"), true, out);
                                }
                            }
                            _ => {}
                        }
                        continue;
                    }
                    _ => false,
                };
                if in_schema && !child_is_schema {
                    continue;
                }
                keywords(v, &here, child_is_schema, out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                keywords(v, &format!("{at}/{i}"), false, out);
            }
        }
        _ => {}
    }
}

#[actix_web::test]
async fn the_published_document_uses_only_what_the_validator_checks() {
    let app = TestApp::new().await;
    let spec = published(&app.base_url).await;
    let mut found = Vec::new();
    keywords(spec, "", false, &mut found);
    assert!(
        found.len() > 500,
        "the walk found too little: {}",
        found.len()
    );
    let validator = Validator { spec };
    let mut unknown = Vec::new();
    for (keyword, at) in found {
        // An empty-valued schema holding just this keyword is checked like the real one.
        let probe = json!({ keyword.clone(): Value::Null });
        let refused = validator
            .errors(&probe, &Value::Null, "")
            .iter()
            .any(|e| e.contains("does not check"));
        if refused {
            unknown.push(format!("{keyword} at {at}"));
        }
    }
    assert!(
        unknown.is_empty(),
        "keywords the validator would refuse: {unknown:?}"
    );
}

#[actix_web::test]
async fn a_wrong_body_for_a_real_route_is_refused() {
    let app = TestApp::new().await;
    let spec = published(&app.base_url).await;
    let e = check(spec, "GET", "/api/v1/contests/5", 200, &json!({"id": "5"})).unwrap_err();
    assert!(e.starts_with("GET /api/v1/contests/{id} → 200: "), "{e}");
    let e = check(spec, "POST", "/api/v1/rounds/3/assignments/auto", 200, &json!({
        "dry_run": true, "objective": {"reviews": 1, "regions_covered": 1, "affinity": 0, "load_squares": 1},
        "added": [["7", "3"]], "removed": [], "locked": 0, "unfilled": [], "uncovered": [],
        "capacity_shortfall": 0, "explanations": []
    }))
    .unwrap_err();
    assert!(e.contains("at /added/0: expected object"), "{e}");
}
