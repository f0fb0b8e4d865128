//! Sign-in waits cannot be turned against an account's owner (issue 17, item 4): a stranger's
//! wrong guesses slow the stranger's client, not the owner's; a guesser spread over many
//! clients still waits, except on a browser that signed in to the address before (its
//! known-device cookie); and a password reset ends every wait on the address.

use std::time::Duration;

use jury::web::ratelimit::{Cidr, RateLimits};
use serde_json::json;

use crate::common::{PASSWORD, Resp, TestApp, link_token};

/// The shipped quotas, behind a proxy on loopback so each test picks its clients' addresses.
fn shipped(c: &mut jury::config::Config, tweak: impl FnOnce(&mut RateLimits)) {
    let mut limits = RateLimits {
        trusted_proxies: vec![Cidr::parse("127.0.0.1").unwrap()],
        ..RateLimits::default()
    };
    tweak(&mut limits);
    c.rate_limits = limits;
}

async fn login_from(app: &TestApp, ip: &str, email: &str, password: &str) -> Resp {
    app.post("/api/v1/auth/login")
        .header("x-forwarded-for", ip)
        .json(&json!({"email": email, "password": password}))
        .await
}

async fn login_with_device(
    app: &TestApp,
    ip: &str,
    device: &str,
    email: &str,
    password: &str,
) -> Resp {
    app.post("/api/v1/auth/login")
        .header("x-forwarded-for", ip)
        .header("cookie", &format!("jury_device={device}"))
        .json(&json!({"email": email, "password": password}))
        .await
}

fn device_cookie(res: &Resp) -> String {
    res.headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("jury_device="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no known-device cookie: {:?}", res.headers))
        .to_string()
}

#[actix_web::test]
async fn a_strangers_wrong_guesses_do_not_lock_out_an_administrator_or_a_judge() {
    let app = TestApp::with_config(|c| shipped(c, |_| {})).await;
    let admin = app.admin().await;
    let judge = app.judge().await;
    let stranger = "203.0.113.7";
    for victim in [&admin, &judge] {
        for _ in 0..12 {
            let res = login_from(&app, stranger, &victim.email, "a wrong guess").await;
            assert!(matches!(res.status.as_u16(), 401 | 429), "{}", res.text);
        }
        let res = login_from(&app, stranger, &victim.email, PASSWORD).await;
        assert_eq!(
            (res.status.as_u16(), res.code()),
            (429, "rate_limited"),
            "the guessing client itself waits"
        );
        let res = login_from(&app, "198.51.100.20", &victim.email, PASSWORD).await;
        assert_eq!(res.status, 200, "the owner's own client: {}", res.text);
    }
}

#[actix_web::test]
async fn guesses_from_many_clients_hold_every_client_but_the_owners_known_browser() {
    let app = TestApp::with_config(|c| {
        shipped(c, |l| {
            l.login_address_free_failures = 3;
        })
    })
    .await;
    let admin = app.admin().await;
    let judge = app.judge().await;
    let home = login_from(&app, "198.51.100.20", &admin.email, PASSWORD).await;
    assert_eq!(home.status, 200, "{}", home.text);
    let device = device_cookie(&home);
    let judges_device =
        device_cookie(&login_from(&app, "198.51.100.21", &judge.email, PASSWORD).await);

    // One guess from each of many clients: no client reaches its own limit, the address does
    // (three free failures, then 1 s, 2 s and 4 s waits).
    for (i, wait_ms) in [0, 0, 0, 1_100, 2_100, 0].into_iter().enumerate() {
        let ip = format!("203.0.113.{}", i + 1);
        let res = login_from(&app, &ip, &admin.email, "a wrong guess").await;
        assert_eq!(res.status, 401, "{}", res.text);
        actix_web::rt::time::sleep(Duration::from_millis(wait_ms)).await;
    }
    for ip in ["203.0.113.99", "198.51.100.20"] {
        let res = login_from(&app, ip, &admin.email, PASSWORD).await;
        assert_eq!(
            (res.status.as_u16(), res.code()),
            (429, "rate_limited"),
            "{ip}: without the cookie, even the right password waits"
        );
    }
    let res = login_with_device(&app, "203.0.113.99", &judges_device, &admin.email, PASSWORD).await;
    assert_eq!(res.status, 429, "another address's cookie does not count");
    let res = login_with_device(&app, "203.0.113.99", "00.forged", &admin.email, PASSWORD).await;
    assert_eq!(res.status, 429, "a made-up cookie does not count");
    let res = login_with_device(&app, "198.51.100.20", &device, &admin.email, PASSWORD).await;
    assert_eq!(res.status, 200, "the owner's browser: {}", res.text);
    let res = login_with_device(
        &app,
        "198.51.100.20",
        &device,
        &admin.email,
        "a wrong guess",
    )
    .await;
    assert_eq!(
        res.status, 401,
        "the cookie skips the wait, not the password check"
    );
}

#[actix_web::test]
async fn a_password_reset_ends_the_waits_on_the_address() {
    let app = TestApp::with_config(|c| {
        shipped(c, |l| {
            l.login_free_failures = 0;
            l.account_per_minute = 0;
        })
    })
    .await;
    let owner = app.applicant().await;
    let ip = "198.51.100.30";
    // Each failure doubles the wait: 1 s, 2 s, then 4 s.
    for wait_ms in [1_100, 2_100, 0] {
        let res = login_from(&app, ip, &owner.email, "a wrong guess").await;
        assert_eq!(res.status, 401, "{}", res.text);
        actix_web::rt::time::sleep(Duration::from_millis(wait_ms)).await;
    }
    let res = login_from(&app, ip, &owner.email, PASSWORD).await;
    assert_eq!((res.status.as_u16(), res.code()), (429, "rate_limited"));

    app.post("/api/v1/auth/password/forgot")
        .header("x-forwarded-for", ip)
        .json(&json!({"email": owner.email}))
        .await;
    let mails = app.deliver_mail().await;
    let token = link_token(
        &mails.last().expect("reset mail").text,
        "/reset-password?token=",
    );
    let res = app
        .post("/api/v1/auth/password/reset")
        .header("x-forwarded-for", ip)
        .json(&json!({"token": token, "password": "a brand new passphrase"}))
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    let res = login_from(&app, ip, &owner.email, "a brand new passphrase").await;
    assert_eq!(res.status, 200, "the reset cleared the wait: {}", res.text);
}
