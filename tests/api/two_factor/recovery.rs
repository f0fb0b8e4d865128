//! Recovery codes used once and replaced, turning two-factor sign-in off, who may use it,
//! `JURY_REQUIRE_ADMIN_2FA`, and the routes in the published document.

use super::*;

#[actix_web::test]
async fn recovery_codes_work_once_and_can_be_replaced() {
    let app = TestApp::new().await;
    let judge = app.judge().await;
    let (secret, codes) = enrol(&app, &judge).await;

    // Typed in capitals without dashes, as people do.
    let typed = codes[0].replace('-', " ").to_uppercase();
    let challenge = password_step(&app, &judge).await;
    let ok = second_step(
        &app,
        json!({"challenge": challenge, "recovery_code": typed}),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text);

    let challenge = password_step(&app, &judge).await;
    let again = second_step(
        &app,
        json!({"challenge": challenge, "recovery_code": codes[0]}),
    )
    .await;
    assert_eq!(
        (again.status.as_u16(), again.code()),
        (401, "invalid_two_factor_code")
    );
    let status = app.get("/api/v1/me/2fa").by(&judge).await;
    assert_eq!(status.body["recovery_codes_left"], 9);
    assert!(
        actions(&app)
            .await
            .iter()
            .any(|a| a == "user.recovery_code_used")
    );

    let regen = app
        .post("/api/v1/me/2fa/recovery-codes")
        .by(&judge)
        .json(&json!({"password": PASSWORD, "code": code(&secret, now_step() + 1)}))
        .await;
    assert_eq!(regen.status, 200, "{}", regen.text);
    let fresh = regen.body["recovery_codes"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        actions(&app)
            .await
            .iter()
            .any(|a| a == "user.recovery_codes_regenerated")
    );

    let challenge = password_step(&app, &judge).await;
    let old = second_step(
        &app,
        json!({"challenge": challenge, "recovery_code": codes[1]}),
    )
    .await;
    assert_eq!(
        old.code(),
        "invalid_two_factor_code",
        "old codes stop working"
    );
    let new = second_step(
        &app,
        json!({"challenge": challenge, "recovery_code": fresh}),
    )
    .await;
    assert_eq!(new.status, 200, "{}", new.text);
}

#[actix_web::test]
async fn turning_it_off_needs_the_password_and_a_second_factor() {
    let app = TestApp::new().await;
    let judge = app.judge().await;
    let (secret, codes) = enrol(&app, &judge).await;
    let off = |body: Value| app.post("/api/v1/me/2fa/disable").by(&judge).json(&body);

    let res = off(json!({"password": "wrong password", "code": code(&secret, now_step())})).await;
    assert_eq!(res.body["fields"]["password"], "incorrect");
    let res = off(json!({"password": PASSWORD})).await;
    assert_eq!(res.body["fields"]["code"], "required");
    let res = off(json!({"password": PASSWORD, "recovery_code": "aaaa-bbbb-cccc-dddd"})).await;
    assert_eq!(
        (res.status.as_u16(), res.body["fields"]["code"].clone()),
        (422, json!("invalid_code"))
    );

    let res = off(json!({"password": PASSWORD, "recovery_code": codes[3]})).await;
    assert_eq!(res.status, 204, "{}", res.text);
    let status = app.get("/api/v1/me/2fa").by(&judge).await;
    assert_eq!(status.body["enabled"], false);
    let res = off(json!({"password": PASSWORD, "code": code(&secret, now_step() + 1)})).await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (409, "two_factor_not_enabled")
    );

    // The password alone signs in again, with the usual answer.
    let again = app.login(&judge.email, PASSWORD).await;
    assert!(!again.token.is_empty());
    let rows = app
        .db(move |c| {
            Ok(recovery_codes::table
                .filter(recovery_codes::user_id.eq(judge.id))
                .count()
                .get_result::<i64>(c)?)
        })
        .await;
    assert_eq!(rows, 0);
    assert!(
        actions(&app)
            .await
            .iter()
            .any(|a| a == "user.two_factor_disabled")
    );
    let mail = app.deliver_mail().await;
    assert!(mail.iter().any(|m| m.subject.contains("turned off")));
}

#[actix_web::test]
async fn applicants_cannot_use_two_factor() {
    let app = TestApp::new().await;
    let applicant = app.applicant().await;
    let status = app.get("/api/v1/me/2fa").by(&applicant).await;
    assert_eq!(
        (status.status.as_u16(), status.code()),
        (403, "two_factor_not_available")
    );
    let setup = app
        .post("/api/v1/me/2fa/setup")
        .by(&applicant)
        .json(&json!({"password": PASSWORD}))
        .await;
    assert_eq!(
        (setup.status.as_u16(), setup.code()),
        (403, "two_factor_not_available")
    );
    let none = app.get("/api/v1/me/2fa").await;
    assert_eq!(none.status, 401);
}

#[actix_web::test]
async fn required_admin_2fa_blocks_admin_endpoints_until_enrolment() {
    let app = TestApp::with_config(|c| c.require_admin_2fa = true).await;
    let admin = app.admin().await;
    let judge = app.judge().await;

    let blocked = app.get("/api/v1/admin/audit").by(&admin).await;
    assert_eq!(
        (blocked.status.as_u16(), blocked.code()),
        (403, "two_factor_setup_required")
    );
    let outbox = app.get("/api/v1/admin/outbox").by(&admin).await;
    assert_eq!(outbox.code(), "two_factor_setup_required");
    // The account and enrolment stay reachable; judges are not affected.
    assert_eq!(app.get("/api/v1/me").by(&admin).await.status, 200);
    let status = app.get("/api/v1/me/2fa").by(&admin).await;
    assert_eq!(status.body["required"], true);
    assert_eq!(
        app.get("/api/v1/me/assignments").by(&judge).await.status,
        200
    );

    enrol(&app, &admin).await;
    let open = app.get("/api/v1/admin/audit").by(&admin).await;
    assert_eq!(open.status, 200, "{}", open.text);
}

#[actix_web::test]
async fn the_spec_documents_the_two_factor_routes() {
    let app = TestApp::new().await;
    let spec = app.get("/api/openapi.json").await;
    for path in [
        "/api/v1/auth/login/2fa",
        "/api/v1/me/2fa",
        "/api/v1/me/2fa/setup",
        "/api/v1/me/2fa/enable",
        "/api/v1/me/2fa/disable",
        "/api/v1/me/2fa/recovery-codes",
    ] {
        assert!(
            spec.body["paths"][path].is_object(),
            "{path} missing from the spec"
        );
    }
    assert!(spec.body["components"]["schemas"]["TwoFactorChallenge"].is_object());
}
