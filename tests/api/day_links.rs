//! Sign-in on the day (issue 21): an administrator issues one-time sign-in links for a
//! contest's judges; a link signs its judge in once, like a password (cookies, second factor),
//! and is refused when used, expired, revoked or shown for another contest. Every issue, use
//! and revocation is in the audit log.

use diesel::prelude::*;
use jury::auth::totp;
use jury::db::schema::day_links;
use serde_json::{Value, json};

use crate::common::{PASSWORD, Resp, TestApp, User};

/// The contest id and secret from a link's address (`/day#contest=…&token=…`).
fn parts(url: &str) -> (i64, String) {
    let fragment = url.split_once('#').expect("fragment").1;
    let mut contest = 0;
    let mut token = String::new();
    for pair in fragment.split('&') {
        match pair.split_once('=') {
            Some(("contest", v)) => contest = v.parse().expect("contest id"),
            Some(("token", v)) => token = v.to_string(),
            _ => {}
        }
    }
    (contest, token)
}

async fn issue(app: &TestApp, admin: &User, contest: i64, body: Value) -> Resp {
    app.post(&format!("/api/v1/contests/{contest}/day-links"))
        .by(admin)
        .json(&body)
        .await
}

async fn use_link(app: &TestApp, contest: i64, token: &str) -> Resp {
    app.post("/api/v1/auth/day-link")
        .json(&json!({"contest_id": contest, "token": token}))
        .await
}

async fn audit_actions(app: &TestApp, admin: &User, action: &str) -> Vec<Value> {
    let res = app
        .get(&format!("/api/v1/admin/audit?action={action}"))
        .by(admin)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body.as_array().cloned().unwrap_or_default()
}

#[actix_web::test]
async fn a_link_signs_its_judge_in_once_and_everything_is_audited() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR", "CN"], false).await;
    let judge = &j.judges[0];

    let res = issue(
        &app,
        &admin,
        j.contest,
        json!({"judge_ids": [judge.id], "send_email": true}),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let link = &res.body["links"][0];
    assert_eq!(link["judge_id"], judge.id);
    assert_eq!(
        link["qr"]["rows"].as_array().map(Vec::len),
        link["qr"]["size"].as_u64().map(|n| n as usize)
    );
    let url = link["url"].as_str().unwrap();
    assert!(
        url.contains("/day#contest="),
        "the secret rides in the fragment: {url}"
    );
    let (contest, token) = parts(url);
    assert_eq!(contest, j.contest);
    // Only the hash is stored, and the mail carries the same link.
    let stored: String = app
        .db(|c| Ok(day_links::table.select(day_links::token_hash).first(c)?))
        .await;
    assert_ne!(stored, token);
    let mails = app.deliver_mail().await;
    assert!(
        mails
            .iter()
            .any(|m| m.to == judge.email && m.text.contains(&token)),
        "mailed"
    );

    // Listed as issued.
    let list = app
        .get(&format!("/api/v1/contests/{}/day-links", j.contest))
        .by(&admin)
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    let row = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["judge_id"] == judge.id)
        .cloned()
        .unwrap();
    assert_eq!(row["latest"]["state"], "issued");

    // The link signs in like a password: refresh cookie, known-device cookie, a working token.
    let res = use_link(&app, j.contest, &token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.refresh_cookie().is_some_and(|c| !c.is_empty()));
    assert!(
        res.headers
            .get_all("set-cookie")
            .any(|c| c.to_str().unwrap_or("").starts_with("jury_device="))
    );
    let me = app
        .get("/api/v1/me")
        .bearer(res.body["access_token"].as_str().unwrap())
        .await;
    assert_eq!(
        (me.status.as_u16(), me.body["id"].as_i64()),
        (200, Some(judge.id))
    );

    // Single use.
    let again = use_link(&app, j.contest, &token).await;
    assert_eq!(
        (again.status.as_u16(), again.code()),
        (400, "invalid_day_link")
    );
    let list = app
        .get(&format!("/api/v1/contests/{}/day-links", j.contest))
        .by(&admin)
        .await;
    let row = list
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["judge_id"] == judge.id)
        .cloned()
        .unwrap();
    assert_eq!(row["latest"]["state"], "used");

    let issued = audit_actions(&app, &admin, "day_link.issued").await;
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0]["actor_id"], admin.id);
    let used = audit_actions(&app, &admin, "day_link.used").await;
    assert_eq!(used.len(), 1);
    assert_eq!(used[0]["actor_id"], judge.id);
}

#[actix_web::test]
async fn expired_revoked_replaced_and_other_contests_links_are_refused() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 1, &["KR", "CN"], false).await;
    let other_contest = app.contest(&admin).await;
    let (a, b) = (&j.judges[0], &j.judges[1]);

    let res = issue(
        &app,
        &admin,
        j.contest,
        json!({"judge_ids": [a.id, b.id], "valid_minutes": 60}),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let links = res.body["links"].as_array().unwrap().clone();
    let link_of = |id: i64| links.iter().find(|l| l["judge_id"] == id).cloned().unwrap();
    let (a_link, b_link) = (link_of(a.id), link_of(b.id));
    let (_, a_token) = parts(a_link["url"].as_str().unwrap());
    let (_, b_token) = parts(b_link["url"].as_str().unwrap());

    // Shown for another contest: refused, and not spent.
    let res = use_link(&app, other_contest, &a_token).await;
    assert_eq!((res.status.as_u16(), res.code()), (400, "invalid_day_link"));

    // Expired.
    let id = a_link["id"].as_i64().unwrap();
    app.db(move |c| {
        diesel::update(day_links::table.find(id))
            .set(day_links::expires_at.eq(jury::db::now() - chrono::Duration::minutes(1)))
            .execute(c)?;
        Ok(())
    })
    .await;
    let res = use_link(&app, j.contest, &a_token).await;
    assert_eq!((res.status.as_u16(), res.code()), (400, "invalid_day_link"));

    // Revoked, audited; revoking twice is a conflict.
    let b_id = b_link["id"].as_i64().unwrap();
    let res = app
        .post(&format!("/api/v1/day-links/{b_id}/revoke"))
        .by(&admin)
        .send()
        .await;
    assert_eq!(
        (res.status.as_u16(), res.body["state"].as_str()),
        (200, Some("revoked")),
        "{}",
        res.text
    );
    let res = app
        .post(&format!("/api/v1/day-links/{b_id}/revoke"))
        .by(&admin)
        .send()
        .await;
    assert_eq!(
        (res.status.as_u16(), res.code()),
        (409, "invalid_transition")
    );
    let res = use_link(&app, j.contest, &b_token).await;
    assert_eq!((res.status.as_u16(), res.code()), (400, "invalid_day_link"));
    assert_eq!(
        audit_actions(&app, &admin, "day_link.revoked").await.len(),
        1
    );

    // A new link replaces the judge's unused one.
    let first = issue(&app, &admin, j.contest, json!({"judge_ids": [b.id]})).await;
    let (_, first_token) = parts(first.body["links"][0]["url"].as_str().unwrap());
    let second = issue(&app, &admin, j.contest, json!({"judge_ids": [b.id]})).await;
    let (_, second_token) = parts(second.body["links"][0]["url"].as_str().unwrap());
    assert_eq!(
        use_link(&app, j.contest, &first_token).await.code(),
        "invalid_day_link"
    );
    assert_eq!(use_link(&app, j.contest, &second_token).await.status, 200);

    // Unknown secrets, and links for people who are not the contest's judges.
    assert_eq!(
        use_link(&app, j.contest, "0123abcd").await.code(),
        "invalid_day_link"
    );
    let res = issue(&app, &admin, other_contest, json!({"judge_ids": [a.id]})).await;
    assert_eq!(
        (
            res.status.as_u16(),
            res.body["fields"]["judge_ids"].as_str()
        ),
        (422, Some("not_a_judge"))
    );
    let res = issue(&app, &admin, j.contest, json!({"judge_ids": [admin.id]})).await;
    assert_eq!(res.status, 422, "{}", res.text);
    let res = issue(
        &app,
        &admin,
        j.contest,
        json!({"judge_ids": [a.id], "valid_minutes": 100000}),
    )
    .await;
    assert_eq!(res.body["fields"]["valid_minutes"], "out_of_range");
}

#[actix_web::test]
async fn a_rounds_judges_get_links_at_once_and_two_factor_still_asks_for_a_code() {
    let app = TestApp::new().await;
    let admin = app.admin().await;
    let j = app.judging(&admin, 2, &["KR", "CN", "KR"], false).await;
    // Two of the three judges are assigned in the round.
    for (judge, (_, application)) in j.judges.iter().take(2).zip(&j.applications) {
        assert_eq!(
            app.assign(&admin, j.round, judge, *application)
                .await
                .status,
            201
        );
    }
    let res = issue(&app, &admin, j.contest, json!({"round_id": j.round})).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let mut got: Vec<i64> = res.body["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["judge_id"].as_i64().unwrap())
        .collect();
    got.sort();
    let mut want = vec![j.judges[0].id, j.judges[1].id];
    want.sort();
    assert_eq!(got, want);

    // The first judge turns on two-factor sign-in: the link stands in for the password only.
    let judge = &j.judges[0];
    let setup = app
        .post("/api/v1/me/2fa/setup")
        .by(judge)
        .json(&json!({"password": PASSWORD}))
        .await;
    assert_eq!(setup.status, 200, "{}", setup.text);
    let secret = totp::base32_decode(setup.body["secret"].as_str().unwrap()).unwrap();
    let step = totp::step_at(chrono::Utc::now().timestamp());
    let on = app
        .post("/api/v1/me/2fa/enable")
        .by(judge)
        .json(&json!({"code": totp::code_at(&secret, step)}))
        .await;
    assert_eq!(on.status, 200, "{}", on.text);

    let link = res.body["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["judge_id"] == judge.id)
        .cloned()
        .unwrap();
    let (contest, token) = parts(link["url"].as_str().unwrap());
    let res = use_link(&app, contest, &token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["status"], "two_factor_required");
    assert!(res.body.get("access_token").is_none() && res.refresh_cookie().is_none());
    let res = app
        .post("/api/v1/auth/login/2fa")
        .json(
            &json!({"challenge": res.body["challenge"], "code": totp::code_at(&secret, step + 1)}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.body["user"]["id"], judge.id);
}

#[actix_web::test]
async fn day_link_sign_ins_are_rate_limited_per_client() {
    let app = TestApp::with_config(|c| {
        c.rate_limits = jury::web::ratelimit::RateLimits {
            auth_per_ip_per_minute: 3,
            ..jury::web::ratelimit::RateLimits::off()
        }
    })
    .await;
    for _ in 0..3 {
        assert_eq!(use_link(&app, 1, "ffff").await.code(), "invalid_day_link");
    }
    let res = use_link(&app, 1, "ffff").await;
    assert_eq!((res.status.as_u16(), res.code()), (429, "rate_limited"));
}
