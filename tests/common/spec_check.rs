//! Every JSON body the harness receives is held against the published OpenAPI document: the
//! operation for its method and path, the response for its status, the schema of that
//! response's `application/json` content. A mismatch fails the test that received the body.
//!
//! The validator knows the JSON Schema subset utoipa emits (`type`, `properties`, `required`,
//! `additionalProperties`, `items`, `enum`, `oneOf`/`anyOf`/`allOf`, `$ref`, `minimum`,
//! `maximum`) and refuses any other validation keyword rather than let it pass unchecked. One
//! stricter rule than JSON Schema: an object schema with `properties` and no
//! `additionalProperties` is closed, so a field the server sends but the document does not
//! declare is an error (a generated client would not have it).

use std::sync::OnceLock;

use serde_json::Value;

/// Words that describe a schema without constraining the value.
const ANNOTATIONS: &str = "description title example examples default deprecated readOnly \
    writeOnly format contentMediaType contentEncoding discriminator propertyNames";

static SPEC: OnceLock<Value> = OnceLock::new();

/// The document the server under test publishes, fetched once per test binary (every
/// `TestApp` serves the same one).
pub async fn published(base_url: &str) -> &'static Value {
    if let Some(spec) = SPEC.get() {
        return spec;
    }
    let url = format!("{base_url}/api/openapi.json");
    let mut res = awc::Client::default()
        .get(&url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("fetch {url}: {e}"));
    let bytes = res.body().limit(16 << 20).await.expect("openapi body");
    let spec: Value = serde_json::from_slice(&bytes).expect("openapi.json is JSON");
    SPEC.get_or_init(|| spec)
}

/// Checks a JSON response to `method path` (query allowed) with `status` against `spec`.
/// Requests outside the document (static files, unknown routes, other methods) are not
/// checked; a documented operation answering with an undocumented status is an error.
pub fn check(
    spec: &Value,
    method: &str,
    path: &str,
    status: u16,
    body: &Value,
) -> Result<(), String> {
    let path = path.split('?').next().unwrap_or(path);
    let Some((template, item)) = operation_path(spec, path) else {
        return Ok(());
    };
    let Some(op) = item.get(method.to_ascii_lowercase()) else {
        return Ok(());
    };
    let here = format!("{method} {template} → {status}");
    let responses = &op["responses"];
    let response = responses
        .get(status.to_string())
        .or_else(|| responses.get("default"))
        .ok_or_else(|| format!("{here}: status not documented (body {})", short(body)))?;
    let response = resolve(spec, response)?;
    let schema = response
        .get("content")
        .and_then(|c| c.get("application/json"))
        .and_then(|m| m.get("schema"))
        .ok_or_else(|| {
            format!(
                "{here}: the document declares no JSON body (got {})",
                short(body)
            )
        })?;
    Validator { spec }
        .errors(schema, body, "")
        .into_iter()
        .next()
        .map_or(Ok(()), |e| Err(format!("{here}: {e}")))
}

/// The document's path template matching `path`, preferring literal segments over
/// parameters (`/applications/mine` before `/applications/{id}`).
fn operation_path<'a>(spec: &'a Value, path: &str) -> Option<(&'a str, &'a Value)> {
    let segments: Vec<&str> = path.split('/').collect();
    spec["paths"]
        .as_object()?
        .iter()
        .filter_map(|(template, item)| {
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (p, s) in parts.iter().zip(&segments) {
                if p.starts_with('{') && p.ends_with('}') {
                    if s.is_empty() {
                        return None;
                    }
                } else if p == s {
                    literal += 1;
                } else {
                    return None;
                }
            }
            Some((literal, template.as_str(), item))
        })
        .max_by_key(|(literal, _, _)| *literal)
        .map(|(_, t, item)| (t, item))
}

fn resolve<'a>(spec: &'a Value, node: &'a Value) -> Result<&'a Value, String> {
    match node.get("$ref").and_then(Value::as_str) {
        None => Ok(node),
        Some(r) => resolve(spec, target(spec, r)?),
    }
}

fn target<'a>(spec: &'a Value, r: &str) -> Result<&'a Value, String> {
    let pointer = r
        .strip_prefix('#')
        .ok_or_else(|| format!("external $ref {r} not supported"))?;
    spec.pointer(pointer)
        .ok_or_else(|| format!("dangling $ref {r}"))
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    let actual = type_name(v);
    actual == t || (t == "number" && actual == "integer")
}

/// Validates values against schemas of one document (for `$ref`).
pub struct Validator<'a> {
    pub spec: &'a Value,
}

impl Validator<'_> {
    /// Every mismatch of `value` at JSON pointer `at`, as "at POINTER: expected …, got …".
    pub fn errors(&self, schema: &Value, value: &Value, at: &str) -> Vec<String> {
        self.check(schema, value, at, false)
    }

    /// `open`: the schema is one branch of an `allOf`, whose properties together close the
    /// object (a flattened struct is `allOf` of its parts), so it does not refuse the others'.
    fn check(&self, schema: &Value, value: &Value, at: &str, open: bool) -> Vec<String> {
        let fail = |what: String| vec![format!("at {}: {what}, got {}", pointer(at), short(value))];
        let Some(schema) = schema.as_object() else {
            return match schema {
                Value::Bool(true) => vec![],
                _ => fail("nothing allowed (schema false)".into()),
            };
        };
        if let Some(r) = schema.get("$ref") {
            let Some(r) = r.as_str() else {
                return fail(format!("a schema with a malformed $ref {r}"));
            };
            return match target(self.spec, r) {
                Ok(t) => self.check(t, value, at, open),
                Err(e) => vec![format!("at {}: {e}", pointer(at))],
            };
        }
        let mut out = Vec::new();
        for (key, rule) in schema {
            match key.as_str() {
                "type" => {
                    let types: Vec<&str> = match rule {
                        Value::String(t) => vec![t.as_str()],
                        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                        _ => return fail(format!("a schema with a malformed type {rule}")),
                    };
                    let null_ok =
                        value.is_null() && schema.get("nullable") == Some(&Value::Bool(true));
                    if !null_ok && !types.iter().any(|t| has_type(value, t)) {
                        return fail(format!("expected {}", types.join(" or ")));
                    }
                }
                "nullable" => {}
                "enum" => {
                    let allowed = rule.as_array().map(Vec::as_slice).unwrap_or_default();
                    if !allowed.contains(value) {
                        out.extend(fail(format!("expected one of {}", short(rule))));
                    }
                }
                "const" => {
                    if rule != value {
                        out.extend(fail(format!("expected {rule}")));
                    }
                }
                "properties" | "required" | "additionalProperties" => {}
                "items" => {}
                "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                    if let (Some(bound), Some(n)) = (rule.as_f64(), value.as_f64()) {
                        let ok = match key.as_str() {
                            "minimum" => n >= bound,
                            "maximum" => n <= bound,
                            "exclusiveMinimum" => n > bound,
                            _ => n < bound,
                        };
                        if !ok {
                            out.extend(fail(format!("expected {key} {bound}")));
                        }
                    }
                }
                "allOf" => {
                    let branches = rule.as_array().map(Vec::as_slice).unwrap_or_default();
                    for s in branches {
                        out.extend(self.check(s, value, at, true));
                    }
                    let declared = branches.iter().try_fold(
                        std::collections::BTreeSet::new(),
                        |mut all, b| {
                            all.extend(self.declared(b)?);
                            Some(all)
                        },
                    );
                    if let (false, Value::Object(fields), Some(declared)) = (open, value, declared)
                    {
                        for (name, v) in fields.iter().filter(|(n, _)| !declared.contains(*n)) {
                            out.push(format!(
                                "at {}: property `{name}` is not in the document, got {}",
                                pointer(at),
                                short(v)
                            ));
                        }
                    }
                }
                "anyOf" | "oneOf" => {
                    let branches = rule.as_array().map(Vec::as_slice).unwrap_or_default();
                    let results: Vec<Vec<String>> =
                        branches.iter().map(|s| self.errors(s, value, at)).collect();
                    let passing = results.iter().filter(|e| e.is_empty()).count();
                    if passing == 0 {
                        let why: Vec<String> = results.into_iter().flatten().collect();
                        out.extend(fail(format!(
                            "expected to match {key} ({} branches; {})",
                            branches.len(),
                            why.join("; ")
                        )));
                    } else if key == "oneOf" && passing > 1 {
                        out.extend(fail(format!(
                            "expected exactly one oneOf branch, {passing} match"
                        )));
                    }
                }
                k if ANNOTATIONS.split_whitespace().any(|a| a == k) => {}
                k => out.push(format!(
                    "at {}: the schema uses `{k}`, which this validator does not check",
                    pointer(at)
                )),
            }
        }
        if let Value::Object(fields) = value {
            out.extend(self.object(schema, fields, at, open));
        }
        if let Value::Array(items) = value {
            out.extend(self.array(schema, items, at));
        }
        out
    }

    fn object(
        &self,
        schema: &serde_json::Map<String, Value>,
        fields: &serde_json::Map<String, Value>,
        at: &str,
        open: bool,
    ) -> Vec<String> {
        let mut out = Vec::new();
        let empty = serde_json::Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().unwrap_or_default();
            if !fields.contains_key(name) {
                out.push(format!(
                    "at {}: required property `{name}` missing",
                    pointer(at)
                ));
            }
        }
        let closed = !open && schema.contains_key("properties");
        for (name, v) in fields {
            let here = format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"));
            let undeclared = || {
                format!(
                    "at {}: property `{name}` is not in the document, got {}",
                    pointer(at),
                    short(v)
                )
            };
            match (properties.get(name), schema.get("additionalProperties")) {
                (Some(s), _) => out.extend(self.errors(s, v, &here)),
                (None, Some(Value::Bool(false))) => out.push(undeclared()),
                (None, Some(extra)) => out.extend(self.errors(extra, v, &here)),
                (None, None) if closed => out.push(undeclared()),
                (None, None) => {}
            }
        }
        out
    }

    /// The property names an object schema (through `$ref` and `allOf`) declares, or `None`
    /// when some part admits other properties.
    fn declared(&self, schema: &Value) -> Option<std::collections::BTreeSet<String>> {
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => target(self.spec, r).ok()?,
            None => schema,
        };
        if schema
            .get("additionalProperties")
            .is_some_and(|a| a != &Value::Bool(false))
        {
            return None;
        }
        let mut names: std::collections::BTreeSet<String> = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        for branch in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            names.extend(self.declared(branch)?);
        }
        Some(names)
    }

    fn array(
        &self,
        schema: &serde_json::Map<String, Value>,
        items: &[Value],
        at: &str,
    ) -> Vec<String> {
        let Some(each) = schema.get("items") else {
            return Vec::new();
        };
        (items.iter().enumerate())
            .flat_map(|(i, v)| self.errors(each, v, &format!("{at}/{i}")))
            .collect()
    }
}

fn pointer(at: &str) -> &str {
    if at.is_empty() { "/" } else { at }
}
