//! What every endpoint shares: error bodies, limits, headers, health, metrics, docs, the
//! frontend shell, and behaviour while the database is away.

use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn oversized_malformed_and_mistyped_bodies_get_clear_codes() {
    let app = TestApp::new().await;
    let huge = format!(
        r#"{{"email":"a@b.co","password":"{}"}}"#,
        "x".repeat(300 * 1024)
    );
    let res = app
        .post("/api/v1/auth/login")
        .body("application/json", huge)
        .await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (413, "payload_too_large")
    );

    let res = app
        .post("/api/v1/auth/login")
        .body("application/json", "{\"email\": ")
        .await;
    assert_eq!((res.status.as_u16(), res.code()), (400, "malformed_json"));

    let res = app
        .post("/api/v1/auth/login")
        .body("text/plain", "hello")
        .await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (415, "unsupported_media_type")
    );

    let res = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": 5}))
        .await;
    assert_eq!((res.status.as_u16(), res.code()), (400, "invalid_body"));
    assert!(res.body["message"].is_string());
}

#[actix_web::test]
async fn unknown_api_paths_answer_json_404_and_pages_get_the_shell() {
    let app = TestApp::new().await;
    for path in ["/api/v1/nope", "/api/v2/contests", "/api/whatever"] {
        let res = app.get(path).await;
        assert_eq!(
            (res.status.as_u16(), res.code()),
            (404, "not_found"),
            "{path}"
        );
    }
    let page = app.get("/judge/queue").await;
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.text.contains("js/app.js"));
    let missing_asset = app.get("/js/does-not-exist.js").await;
    assert_eq!(missing_asset.status, 404);
}

#[actix_web::test]
async fn static_assets_revalidate_with_etags() {
    let app = TestApp::new().await;
    let first = app.get("/js/app.js").await;
    assert_eq!(first.status, 200);
    assert!(first.header("content-type").unwrap().contains("javascript"));
    let etag = first.header("etag").unwrap().to_string();
    let again = app.get("/js/app.js").header("if-none-match", &etag).await;
    assert_eq!(again.status, 304);
}

#[actix_web::test]
async fn static_assets_come_gzipped_once_with_their_own_etag() {
    let app = TestApp::new().await;
    let plain = app.get("/js/app.js").await;
    let gz = app
        .get("/js/app.js")
        .header("accept-encoding", "gzip, deflate, br")
        .await;
    assert_eq!(gz.status, 200);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(gz.header("vary"), Some("Accept-Encoding"));
    assert!(gz.header("content-type").unwrap().contains("javascript"));
    let (plain_tag, gz_tag) = (plain.header("etag").unwrap(), gz.header("etag").unwrap());
    assert_ne!(
        plain_tag, gz_tag,
        "each representation has its own strong tag"
    );
    assert!(plain.header("content-encoding").is_none());
    // Either tag proves the browser holds the current file.
    for tag in [plain_tag, gz_tag] {
        let again = app
            .get("/js/app.js")
            .header("accept-encoding", "gzip")
            .header("if-none-match", tag)
            .await;
        assert_eq!(again.status, 304, "{tag}");
    }
    // A client that refuses gzip gets the file as it is.
    let refused = app
        .get("/js/app.js")
        .header("accept-encoding", "gzip;q=0")
        .await;
    assert!(refused.header("content-encoding").is_none());
    assert_eq!(refused.text, plain.text);
}

#[actix_web::test]
async fn every_response_carries_security_headers() {
    let app = TestApp::new().await;
    for path in [
        "/",
        "/contests",
        "/js/app.js",
        "/api/v1/me",
        "/healthz",
        "/api/v1/nope",
    ] {
        let res = app.get(path).await;
        let csp = res.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(res.header("x-frame-options"), Some("DENY"), "{path}");
        let json = res
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json"));
        assert_eq!(
            json,
            path.starts_with("/api/") || path == "/healthz",
            "{path}"
        );
        if json {
            // An API answer loads nothing, and carries no page policies.
            assert_eq!(csp, "default-src 'none'; frame-ancestors 'none'", "{path}");
            assert!(res.header("referrer-policy").is_none(), "{path}");
            assert!(res.header("permissions-policy").is_none(), "{path}");
        } else {
            assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
            assert!(res.header("referrer-policy").is_some(), "{path}");
            assert!(res.header("permissions-policy").is_some(), "{path}");
            assert_eq!(
                res.header("cross-origin-opener-policy"),
                Some("same-origin"),
                "{path}"
            );
        }
    }
}

#[actix_web::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::new().await;
    assert_eq!(app.get("/healthz").await.body["status"], "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.body["database"], app.state.backend);
    app.get("/api/v1/me").await;
    let metrics = app.get("/metrics").await;
    assert_eq!(metrics.status, 200);
    assert!(
        metrics.text.contains(
            "jury_http_requests_total{method=\"GET\",route=\"/api/v1/me\",status=\"401\"} 1"
        ),
        "{}",
        metrics.text
    );
    assert!(
        metrics
            .text
            .contains("jury_http_request_duration_seconds_bucket")
    );
    assert!(metrics.text.contains("jury_db_pool_max 4"));
}

#[actix_web::test]
async fn openapi_spec_and_vendored_docs_are_served() {
    let app = TestApp::new().await;
    let spec = app.get("/api/openapi.json").await;
    assert_eq!(spec.status, 200);
    for path in [
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/me",
        "/api/v1/setup",
    ] {
        assert!(
            spec.body["paths"][path].is_object(),
            "{path} missing from the spec"
        );
    }
    let docs = app.get("/api/docs/").await;
    assert_eq!(docs.status, 200);
    assert!(
        !docs.text.contains("https://"),
        "docs must not load anything from another origin"
    );
}

#[actix_web::test]
async fn without_a_database_requests_get_503_not_a_panic() {
    let app = TestApp::without_database().await;
    assert_eq!(app.get("/healthz").await.status, 200);
    let ready = app.get("/readyz").await;
    assert_eq!(
        (ready.status.as_u16(), ready.code()),
        (503, "service_unavailable")
    );
    assert!(ready.header("retry-after").is_some());

    let token = app.state.keys.issue(1, "admin", 0, "s").unwrap();
    let me = app.get("/api/v1/me").bearer(&token).await;
    assert_eq!(
        (me.status.as_u16(), me.code()),
        (503, "service_unavailable")
    );
    assert!(
        !me.text.to_lowercase().contains("sqlite") && !me.text.contains("127.0.0.1"),
        "no internals: {}",
        me.text
    );

    let login = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": "a@b.co", "password": "whatever123"}))
        .await;
    assert_eq!(login.status, 503);
    assert_eq!(
        app.get("/healthz").await.status,
        200,
        "still serving after the failures"
    );
}

#[actix_web::test]
async fn audit_entries_form_a_verifiable_chain() {
    let app = TestApp::new().await;
    app.admin().await;
    app.admin().await;
    let judge = app.judge().await;
    app.post("/api/v1/auth/logout")
        .by(&judge)
        .json(&json!({"all": true}))
        .await;
    let verified = app.db(jury::audit::verify_chain).await;
    assert_eq!(verified, Ok(3));

    // Rewrite history: the chain names the tampered entry.
    let first_id = app
        .db(|c| {
            use diesel::prelude::*;
            use jury::db::schema::audit_log;
            let id: i64 = audit_log::table
                .order(audit_log::id.asc())
                .select(audit_log::id)
                .first(c)?;
            diesel::update(audit_log::table.find(id))
                .set(audit_log::details.eq("{\"via\":\"forged\"}"))
                .execute(c)?;
            Ok(id)
        })
        .await;
    assert_eq!(app.db(jury::audit::verify_chain).await, Err(first_id));
}

#[test]
fn every_language_file_has_the_same_keys() {
    let keys = |lang: &str| {
        let text = std::fs::read_to_string(format!("frontend/i18n/{lang}.json")).unwrap();
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
        assert!(
            map.values()
                .all(|v| v.as_str().is_some_and(|s| !s.trim().is_empty())),
            "{lang}: empty string"
        );
        map.keys()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>()
    };
    let en = keys("en");
    assert_eq!(keys("ko"), en, "ko differs from en");
    assert_eq!(keys("zh"), en, "zh differs from en");
    // Every API error code the server can send has a message.
    for code in [
        "invalid_credentials",
        "token_expired",
        "validation_failed",
        "payload_too_large",
        "service_unavailable",
    ] {
        assert!(en.contains(&format!("error.{code}")), "{code}");
    }
}

#[test]
fn the_frontend_loads_nothing_from_another_origin() {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().is_dir() {
                walk(&e.path(), out);
            } else {
                out.push(e.path());
            }
        }
    }
    let mut files = Vec::new();
    walk(std::path::Path::new("frontend"), &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        // Anything that would load or link another origin, or need an inline-script/style CSP.
        for bad in [
            "src=\"http",
            "href=\"http",
            "url(http",
            "url(//",
            "from 'http",
            "from \"http",
            "fetch('http",
            "fetch(\"http",
            "import('http",
            "@import",
            "//cdn",
            "style=\"",
            "<script>",
            "innerHTML",
            "insertAdjacentHTML",
            "eval(",
        ] {
            assert!(!text.contains(bad), "{} contains {bad}", f.display());
        }
    }
}
