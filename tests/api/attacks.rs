//! Attacks from outside: forged and tampered tokens, injection strings in every text field,
//! oversized and slow bodies. Each test plays the attacker and then checks that the platform
//! answered as designed and kept its data intact. (Rate limits have their own file.)

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use actix_web::http::Method;
use jury::auth::jwt::Claims;
use serde_json::{Value, json};

use crate::common::{PASSWORD, TestApp, User, link_token, multipart};

mod slow_bodies;

/// Strings that break naive SQL string building or HTML rendering.
const HOSTILE: [&str; 4] = [
    "'; DROP TABLE users;--",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\" OR 1=1 --",
];

fn b64url(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &x)| acc | (u32::from(x) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Claims like the user's genuine token's (same session), with the role given.
fn claims_for(app: &TestApp, user: &User, role: &str) -> Claims {
    let now = chrono::Utc::now().timestamp();
    let sid = app
        .state
        .keys
        .verify(&user.token)
        .expect("genuine token")
        .sid;
    Claims {
        sid,
        sub: user.id.to_string(),
        role: role.into(),
        ver: 0,
        typ: "access".into(),
        iss: "jury".into(),
        aud: "jury-api".into(),
        iat: now,
        exp: now + 600,
    }
}

/// A compact JWT over `body` with header `alg` (HS384 or HS512) and its HMAC.
fn hmac_sign(secret: &[u8], alg: &str, body: &str) -> String {
    use hmac::{Hmac, Mac};
    let header = b64url(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#).as_bytes());
    let signing = format!("{header}.{body}");
    let tag = if alg == "HS384" {
        let mut mac = Hmac::<sha2::Sha384>::new_from_slice(secret).unwrap();
        mac.update(signing.as_bytes());
        mac.finalize().into_bytes().to_vec()
    } else {
        let mut mac = Hmac::<sha2::Sha512>::new_from_slice(secret).unwrap();
        mac.update(signing.as_bytes());
        mac.finalize().into_bytes().to_vec()
    };
    format!("{signing}.{}", b64url(&tag))
}

async fn me_status(app: &TestApp, token: &str) -> (u16, String) {
    let res = app.get("/api/v1/me").bearer(token).await;
    (res.status.as_u16(), res.code().to_string())
}

#[actix_web::test]
async fn tokens_with_another_algorithm_or_tampered_claims_are_refused() {
    let app = TestApp::new().await;
    let judge = app.judge().await;
    let secret = app.state.config.jwt_secret.clone();
    let refused = (401, "invalid_token".to_string());
    // The genuine token works, so every refusal below is about the forgery.
    assert_eq!(me_status(&app, &judge.token).await.0, 200);

    // The same secret, other HMAC algorithms: the server pins HS256. The server's token
    // provider signs nothing but HS256, so these are signed here by hand.
    let body = b64url(&serde_json::to_vec(&claims_for(&app, &judge, "judge")).unwrap());
    for (alg, mac) in [
        ("HS384", hmac_sign(&secret, "HS384", &body)),
        ("HS512", hmac_sign(&secret, "HS512", &body)),
    ] {
        assert_eq!(me_status(&app, &mac).await, refused, "{alg}");
    }

    // An RS256 header over a valid body and signature, and alg spellings of "none".
    let parts: Vec<&str> = judge.token.split('.').collect();
    for header in [
        r#"{"alg":"RS256","typ":"JWT"}"#,
        r#"{"alg":"NONE","typ":"JWT"}"#,
        r#"{"alg":"nOnE"}"#,
    ] {
        let forged = format!("{}.{}.{}", b64url(header.as_bytes()), parts[1], parts[2]);
        assert_eq!(me_status(&app, &forged).await, refused, "{header}");
    }

    // The signature stripped off, with and without its separator.
    for stripped in [
        format!("{}.{}.", parts[0], parts[1]),
        format!("{}.{}", parts[0], parts[1]),
    ] {
        assert_eq!(me_status(&app, &stripped).await, refused, "{stripped}");
    }

    // Correctly signed, but for another audience, issuer or purpose, or a promoted role.
    let keys = &app.state.keys;
    let mut c = claims_for(&app, &judge, "judge");
    c.aud = "another-api".into();
    assert_eq!(me_status(&app, &keys.sign_claims(&c)).await, refused);
    let mut c = claims_for(&app, &judge, "judge");
    c.iss = "someone-else".into();
    assert_eq!(me_status(&app, &keys.sign_claims(&c)).await, refused);
    let mut c = claims_for(&app, &judge, "judge");
    c.typ = "refresh".into();
    assert_eq!(me_status(&app, &keys.sign_claims(&c)).await, refused);
    let admin_claims = claims_for(&app, &judge, "admin");
    let promoted = keys.sign_claims(&admin_claims);
    assert_eq!(me_status(&app, &promoted).await, refused);
    let res = app.get("/api/v1/admin/outbox").bearer(&promoted).await;
    assert_eq!(res.status, 401, "a self-promoted judge is not an admin");

    // The refresh cookie's value is not an access token.
    let refresh = judge.refresh.clone().unwrap();
    assert_eq!(me_status(&app, &refresh).await, refused);
}

/// Every text field an attacker can type into, with every hostile string: stored and given back
/// byte for byte, and every table still there afterwards.
#[actix_web::test]
async fn injection_strings_are_stored_and_returned_verbatim() {
    let app = TestApp::new().await;
    let admin = app.admin().await;

    for (i, evil) in HOSTILE.iter().enumerate() {
        // Registration name, through the real sign-up and verification.
        let email = format!("evil{i}@startup.example");
        let res = app
            .post("/api/v1/auth/register")
            .json(&json!({"email": email, "password": PASSWORD, "name": evil}))
            .await;
        assert_eq!(res.status, 202, "{}", res.text);
        let mails = app.deliver_mail().await;
        let mail = mails.iter().rev().find(|m| m.to == email).unwrap();
        let token = link_token(&mail.text, "/verify-email?token=");
        let res = app
            .post("/api/v1/auth/verify-email")
            .json(&json!({"token": token}))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.body["user"]["name"], *evil);

        // Profile name.
        let res = app
            .patch("/api/v1/me")
            .by(&admin)
            .json(&json!({"name": evil}))
            .await;
        assert_eq!(res.body["name"], *evil, "{}", res.text);
    }

    // Contest name, description and track names.
    let now = chrono::Utc::now();
    let res = app
        .post("/api/v1/contests")
        .by(&admin)
        .json(&json!({
            "slug": "evil-contest",
            "name": {"en": HOSTILE[0], "ko": HOSTILE[1], "zh": HOSTILE[2]},
            "description": {"en": HOSTILE[3], "ko": HOSTILE[1]},
            "timezone": "Asia/Seoul",
            "tracks": [{"key": "ai", "name": {"en": HOSTILE[1], "ko": HOSTILE[0]}},
                       {"key": "bio", "name": {"en": HOSTILE[2], "zh": HOSTILE[3]}}],
            "opens_at": (now - chrono::Duration::days(1)).to_rfc3339(),
            "closes_at": (now + chrono::Duration::days(30)).to_rfc3339(),
            "eligibility": {"founded_within_years": 7, "allowed_countries": []},
            "published": true
        }))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let contest = res.body["id"].as_i64().unwrap();
    let shown = app.get(&format!("/api/v1/contests/{contest}")).await;
    assert_eq!(shown.body["name"]["en"], HOSTILE[0]);
    assert_eq!(shown.body["name"]["ko"], HOSTILE[1]);
    assert_eq!(shown.body["name"]["zh"], HOSTILE[2]);
    assert_eq!(shown.body["description"]["en"], HOSTILE[3]);
    assert_eq!(shown.body["tracks"][0]["name"]["en"], HOSTILE[1]);
    assert_eq!(shown.body["tracks"][1]["name"]["zh"], HOSTILE[3]);

    // Every free-text field of an application, and the team list.
    let founder = app.applicant().await;
    let id = app.draft_application(&founder, contest).await;
    let text_fields = [
        "company_name",
        "company_name_native",
        "city",
        "summary",
        "problem",
        "solution",
        "market",
        "traction",
    ];
    for evil in HOSTILE {
        let mut body =
            json!({"team": [{"name": evil, "role": evil, "email": "ceo@startup.example"}]});
        for f in text_fields {
            body[f] = json!(evil);
        }
        let res = app
            .patch(&format!("/api/v1/applications/{id}"))
            .by(&founder)
            .json(&body)
            .await;
        assert_eq!(res.status, 200, "{evil}: {}", res.text);
        let back = app
            .get(&format!("/api/v1/applications/{id}"))
            .by(&founder)
            .await;
        for f in text_fields {
            assert_eq!(back.body[f], evil, "{f}");
        }
        assert_eq!(back.body["team"][0]["name"], evil);
        assert_eq!(back.body["team"][0]["role"], evil);
    }

    // Rubric criterion names and guidance.
    let res = app
        .post(&format!("/api/v1/contests/{contest}/rounds"))
        .by(&admin)
        .json(
            &json!({"name": {"en": HOSTILE[2]}, "reviews_per_application": 2,
            "blind": false, "blind_shows_deck": false, "ranking_method": "raw"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let round = res.body["id"].as_i64().unwrap();
    let criteria: Vec<Value> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, evil)| {
            json!({"key": format!("c{i}"), "name": {"en": evil, "ko": evil, "zh": evil},
            "guidance": {"en": evil}, "weight": 1.0, "min": 0, "max": 5})
        })
        .collect();
    let res = app
        .req(Method::PUT, &format!("/api/v1/rounds/{round}/rubric"))
        .by(&admin)
        .json(&json!({ "criteria": criteria }))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let rubric = app
        .get(&format!("/api/v1/rounds/{round}/rubric"))
        .by(&admin)
        .await;
    for (i, evil) in HOSTILE.iter().enumerate() {
        assert_eq!(rubric.body["criteria"][i]["name"]["en"], *evil);
        assert_eq!(rubric.body["criteria"][i]["name"]["zh"], *evil);
        assert_eq!(rubric.body["criteria"][i]["guidance"]["en"], *evil);
    }

    // A judge's organisation and a review's comments, in a round that is judging.
    let j = app.judging(&admin, 1, &["KR"], false).await;
    let judge = &j.judges[0];
    let assignment = app
        .assign(&admin, j.round, judge, j.applications[0].1)
        .await;
    assert_eq!(assignment.status, 201, "{}", assignment.text);
    let assignment = assignment.body["id"].as_i64().unwrap();
    for evil in HOSTILE {
        let res = app
            .patch("/api/v1/me/judge-profile")
            .by(judge)
            .json(&json!({"organization": evil}))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.body["organization"], evil);
        let res = app
            .req(
                Method::PUT,
                &format!("/api/v1/assignments/{assignment}/review"),
            )
            .by(judge)
            .json(&json!({"comment_applicant": evil, "comment_private": evil}))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        let back = app
            .get(&format!("/api/v1/assignments/{assignment}/review"))
            .by(judge)
            .await;
        assert_eq!(back.body["comment_applicant"], evil, "{}", back.text);
        assert_eq!(back.body["comment_private"], evil);
    }
    let judges = app
        .get(&format!("/api/v1/contests/{}/judges", j.contest))
        .by(&admin)
        .await;
    assert_eq!(judges.body[0]["profile"]["organization"], HOSTILE[3]);

    // The tables are all still there and still hold their rows.
    let counts = app
        .db(|c| {
            use diesel::prelude::*;
            use jury::db::schema::{applications, contests, reviews, users};
            Ok((
                users::table.count().get_result::<i64>(c)?,
                contests::table.count().get_result::<i64>(c)?,
                applications::table.count().get_result::<i64>(c)?,
                reviews::table.count().get_result::<i64>(c)?,
            ))
        })
        .await;
    assert!(counts.0 >= 8, "users: {counts:?}");
    assert_eq!((counts.1, counts.2, counts.3), (2, 2, 1), "{counts:?}");
    app.login(&admin.email, PASSWORD).await;
}
