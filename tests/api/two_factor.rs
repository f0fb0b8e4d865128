//! Two-factor sign-in: enrolment, the second sign-in step, replayed and wrong codes, recovery
//! codes, turning it off, who may use it, and `JURY_REQUIRE_ADMIN_2FA`. Codes are computed here
//! from the secret the server hands out, as an authenticator app would.

use diesel::prelude::*;
use jury::auth::totp;
use jury::auth::two_factor::api::ChallengeClaims;
use jury::db::schema::{recovery_codes, two_factor};
use serde_json::{Value, json};

use crate::common::{PASSWORD, Resp, TestApp, User};

mod recovery;

fn now_step() -> i64 {
    totp::step_at(chrono::Utc::now().timestamp())
}

fn code(secret: &str, step: i64) -> String {
    totp::code_at(&totp::base32_decode(secret).expect("base32 secret"), step)
}

/// Set-up and first code; returns the secret and the recovery codes.
async fn enrol(app: &TestApp, user: &User) -> (String, Vec<String>) {
    let setup = app
        .post("/api/v1/me/2fa/setup")
        .by(user)
        .json(&json!({"password": PASSWORD}))
        .await;
    assert_eq!(setup.status, 200, "{}", setup.text);
    let secret = setup.body["secret"].as_str().unwrap().to_string();
    let on = app
        .post("/api/v1/me/2fa/enable")
        .by(user)
        .json(&json!({"code": code(&secret, now_step())}))
        .await;
    assert_eq!(on.status, 200, "{}", on.text);
    let codes = on.body["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    (secret, codes)
}

/// Codes are single use per 30-s step; a test that needs several sign-ins within one step moves
/// the account's "last used step" back, as if the earlier sign-ins happened a minute ago.
async fn a_minute_later(app: &TestApp, user_id: i64) {
    app.db(move |c| {
        diesel::update(two_factor::table.find(user_id))
            .set(two_factor::last_step.eq(now_step() - 2))
            .execute(c)?;
        Ok(())
    })
    .await;
}

async fn password_step(app: &TestApp, user: &User) -> String {
    let res = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": user.email, "password": PASSWORD}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["status"], "two_factor_required");
    assert!(res.body.get("access_token").is_none(), "{}", res.text);
    assert!(
        res.refresh_cookie().is_none(),
        "no session before the second step"
    );
    res.body["challenge"].as_str().unwrap().to_string()
}

async fn second_step(app: &TestApp, body: Value) -> Resp {
    app.post("/api/v1/auth/login/2fa").json(&body).await
}

async fn actions(app: &TestApp) -> Vec<String> {
    app.db(|c| jury::audit::recent(c, 50))
        .await
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[actix_web::test]
async fn a_judge_enrols_and_then_signs_in_with_a_code() {
    let app = TestApp::new().await;
    let judge = app.judge().await;

    let status = app.get("/api/v1/me/2fa").by(&judge).await;
    assert_eq!(status.status, 200);
    assert_eq!(status.body["enabled"], false);
    assert_eq!(status.body["required"], false);

    let wrong = app
        .post("/api/v1/me/2fa/setup")
        .by(&judge)
        .json(&json!({"password": "not my password"}))
        .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.body["fields"]["password"], "incorrect");

    let setup = app
        .post("/api/v1/me/2fa/setup")
        .by(&judge)
        .json(&json!({"password": PASSWORD}))
        .await;
    assert_eq!(setup.status, 200, "{}", setup.text);
    let secret = setup.body["secret"].as_str().unwrap().to_string();
    assert_eq!(totp::base32_decode(&secret).unwrap().len(), 20);
    let uri = setup.body["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/Jury:"), "{uri}");
    assert!(uri.contains(&format!("secret={secret}")), "{uri}");
    let size = setup.body["qr"]["size"].as_u64().unwrap() as usize;
    let rows = setup.body["qr"]["rows"].as_array().unwrap();
    assert!(size >= 21 && rows.len() == size);
    assert!(rows.iter().all(|r| r.as_str().unwrap().len() == size));
    assert_eq!(setup.header("cache-control"), Some("no-store"));

    // Nothing changes at sign-in until a code confirms the app works.
    let pending = app.get("/api/v1/me/2fa").by(&judge).await;
    assert_eq!(
        (
            pending.body["enabled"].clone(),
            pending.body["pending"].clone()
        ),
        (json!(false), json!(true))
    );
    app.login(&judge.email, PASSWORD).await;

    let bad = app
        .post("/api/v1/me/2fa/enable")
        .by(&judge)
        .json(&json!({"code": "000000"}))
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.body["fields"]["code"], "invalid_code");

    let step = now_step();
    let on = app
        .post("/api/v1/me/2fa/enable")
        .by(&judge)
        .json(&json!({"code": code(&secret, step)}))
        .await;
    assert_eq!(on.status, 200, "{}", on.text);
    let codes: Vec<&str> = on.body["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 10);

    // At rest: the secret is sealed and the recovery codes are hashes.
    let id = judge.id;
    let (sealed, hashes) = app
        .db(move |c| {
            let sealed: String = two_factor::table
                .find(id)
                .select(two_factor::secret_sealed)
                .first(c)?;
            let hashes: Vec<String> = recovery_codes::table
                .filter(recovery_codes::user_id.eq(id))
                .select(recovery_codes::code_hash)
                .load(c)?;
            Ok((sealed, hashes))
        })
        .await;
    let raw_hex = hex::encode(totp::base32_decode(&secret).unwrap());
    assert!(!sealed.contains(&raw_hex) && !sealed.contains(&secret));
    assert_eq!(hashes.len(), 10);
    assert!(
        hashes
            .iter()
            .all(|h| !codes.iter().any(|c| h.contains(&c.replace('-', ""))))
    );

    let again = app
        .post("/api/v1/me/2fa/setup")
        .by(&judge)
        .json(&json!({"password": PASSWORD}))
        .await;
    assert_eq!(
        (again.status.as_u16(), again.code()),
        (409, "two_factor_already_enabled")
    );

    // Sign-in now takes two steps; the challenge is no access token.
    let challenge = password_step(&app, &judge).await;
    let as_access = app.get("/api/v1/me").bearer(&challenge).await;
    assert_eq!(
        (as_access.status.as_u16(), as_access.code()),
        (401, "invalid_token")
    );

    let wrong = second_step(&app, json!({"challenge": challenge, "code": "123456"})).await;
    assert_eq!(
        (wrong.status.as_u16(), wrong.code()),
        (401, "invalid_two_factor_code")
    );
    assert!(wrong.refresh_cookie().is_none());

    let ok = second_step(
        &app,
        json!({"challenge": challenge, "code": code(&secret, step + 1)}),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert!(ok.refresh_cookie().is_some_and(|c| !c.is_empty()));
    let me = app
        .get("/api/v1/me")
        .bearer(ok.body["access_token"].as_str().unwrap())
        .await;
    assert_eq!(
        (me.status.as_u16(), me.body["id"].as_i64()),
        (200, Some(judge.id))
    );

    let log = actions(&app).await;
    for action in ["user.two_factor_setup_started", "user.two_factor_enabled"] {
        assert!(log.iter().any(|a| a == action), "{action} in {log:?}");
    }
    let mail = app.deliver_mail().await;
    let notice = mail
        .iter()
        .find(|m| m.to.contains(&judge.email))
        .expect("security notice");
    assert!(
        notice.subject.contains("Two-factor sign-in is on"),
        "{}",
        notice.subject
    );
}

#[actix_web::test]
async fn a_code_works_once_and_a_challenge_once() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let (secret, _) = enrol(&app, &admin).await;
    let next = code(&secret, now_step() + 1);

    let first = password_step(&app, &admin).await;
    let ok = second_step(&app, json!({"challenge": first, "code": next})).await;
    assert_eq!(ok.status, 200, "{}", ok.text);

    // The same code again, on a fresh challenge: refused. So is the older code used at enrolment.
    let second = password_step(&app, &admin).await;
    let replay = second_step(&app, json!({"challenge": second, "code": next})).await;
    assert_eq!(
        (replay.status.as_u16(), replay.code()),
        (401, "invalid_two_factor_code")
    );
    let older = second_step(
        &app,
        json!({"challenge": second, "code": code(&secret, now_step() - 1)}),
    )
    .await;
    assert_eq!(older.code(), "invalid_two_factor_code");

    // A challenge that completed a sign-in is spent.
    a_minute_later(&app, admin.id).await;
    let reused = second_step(
        &app,
        json!({"challenge": first, "code": code(&secret, now_step())}),
    )
    .await;
    assert_eq!(
        (reused.status.as_u16(), reused.code()),
        (401, "invalid_two_factor_challenge")
    );
}

#[actix_web::test]
async fn five_wrong_codes_void_the_challenge() {
    let app = TestApp::new().await;
    let judge = app.judge().await;
    let (secret, _) = enrol(&app, &judge).await;
    let challenge = password_step(&app, &judge).await;
    for _ in 0..5 {
        let res = second_step(&app, json!({"challenge": challenge, "code": "000001"})).await;
        assert_eq!(res.code(), "invalid_two_factor_code");
    }
    let right = second_step(
        &app,
        json!({"challenge": challenge, "code": code(&secret, now_step() + 1)}),
    )
    .await;
    assert_eq!(
        (right.status.as_u16(), right.code()),
        (401, "invalid_two_factor_challenge")
    );
    // The password step gives a new chance.
    let fresh = password_step(&app, &judge).await;
    let ok = second_step(
        &app,
        json!({"challenge": fresh, "code": code(&secret, now_step() + 1)}),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
}

#[actix_web::test]
async fn expired_forged_and_missing_second_factors_are_refused() {
    let app = TestApp::new().await;
    let judge = app.judge().await;
    let (secret, _) = enrol(&app, &judge).await;
    let challenge = password_step(&app, &judge).await;

    let mut claims: ChallengeClaims = app.state.keys.decode_typed(&challenge).unwrap();
    assert_eq!(claims.typ, "two_factor");
    let now = chrono::Utc::now().timestamp();
    claims.exp = now - 60;
    claims.iat = now - 400;
    let expired = app.state.keys.encode_typed(&claims).unwrap();
    let res = second_step(
        &app,
        json!({"challenge": expired, "code": code(&secret, now_step() + 1)}),
    )
    .await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (401, "two_factor_challenge_expired")
    );

    // The stored challenge expires as well: a token whose row ran out is refused.
    claims.exp = now + 300;
    let id = judge.id;
    app.db(move |c| {
        use jury::db::schema::one_time_tokens as ott;
        diesel::update(ott::table.filter(ott::user_id.eq(id)))
            .set(ott::expires_at.eq(jury::db::now() - chrono::Duration::seconds(1)))
            .execute(c)?;
        Ok(())
    })
    .await;
    let res = second_step(
        &app,
        json!({"challenge": challenge, "code": code(&secret, now_step() + 1)}),
    )
    .await;
    assert_eq!(res.code(), "invalid_two_factor_challenge");

    // Another key, or an access token in its place.
    let other = jury::auth::jwt::Keys::new(b"some-other-secret-some-other-secret!", 600);
    let forged = other.encode_typed(&claims).unwrap();
    let res = second_step(
        &app,
        json!({"challenge": forged, "code": code(&secret, now_step())}),
    )
    .await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (401, "invalid_two_factor_challenge")
    );
    let res = second_step(
        &app,
        json!({"challenge": judge.token, "code": code(&secret, now_step())}),
    )
    .await;
    assert_eq!(res.code(), "invalid_two_factor_challenge");

    let fresh = password_step(&app, &judge).await;
    let res = second_step(&app, json!({"challenge": fresh})).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.body["fields"]["code"], "required");
}
