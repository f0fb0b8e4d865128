//! Unit tests of `ratelimit`.

use super::*;
use actix_web::test::TestRequest;

fn limiters(trusted: &str) -> Limiters {
    let env = |k: &str| (k == "JURY_TRUSTED_PROXIES").then(|| trusted.to_string());
    Limiters::new(&RateLimits::from_env(env).unwrap())
}

#[test]
fn cidrs_match_their_block_only() {
    let net = Cidr::parse("10.1.0.0/16").unwrap();
    assert!(net.contains("10.1.200.3".parse().unwrap()));
    assert!(!net.contains("10.2.0.1".parse().unwrap()));
    assert!(net.contains("::ffff:10.1.0.9".parse().unwrap()));
    let one = Cidr::parse("2001:db8::1").unwrap();
    assert!(one.contains("2001:db8::1".parse().unwrap()));
    assert!(!one.contains("2001:db8::2".parse().unwrap()));
    assert!(
        Cidr::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap())
    );
    for bad in ["10.0.0.0/33", "nope", "10.0.0/8", "::/129"] {
        assert!(Cidr::parse(bad).is_none(), "{bad}");
    }
    let env = |k: &str| (k == "JURY_TRUSTED_PROXIES").then(|| "10.0.0.1, bogus".to_string());
    assert!(RateLimits::from_env(env).is_err());
}

#[test]
fn forwarded_for_is_believed_only_from_trusted_proxies() {
    let peer = |ip: &str| format!("{ip}:4000").parse().unwrap();
    let l = limiters("10.0.0.0/8");
    let direct = TestRequest::default()
        .peer_addr(peer("203.0.113.5"))
        .insert_header(("x-forwarded-for", "198.51.100.1"))
        .to_http_request();
    assert_eq!(
        l.client_ip(&direct),
        "203.0.113.5".parse::<IpAddr>().unwrap()
    );

    let proxied = TestRequest::default()
        .peer_addr(peer("10.0.0.2"))
        .insert_header(("x-forwarded-for", "1.2.3.4, 198.51.100.1, 10.0.0.7"))
        .to_http_request();
    assert_eq!(
        l.client_ip(&proxied),
        "198.51.100.1".parse::<IpAddr>().unwrap()
    );

    let no_header = TestRequest::default()
        .peer_addr(peer("10.0.0.2"))
        .to_http_request();
    assert_eq!(
        l.client_ip(&no_header),
        "10.0.0.2".parse::<IpAddr>().unwrap()
    );

    let v6 = TestRequest::default()
        .peer_addr("[2001:db8:1:2:3:4:5:6]:443".parse().unwrap())
        .to_http_request();
    assert_eq!(
        l.client_ip(&v6),
        "2001:db8:1:2::".parse::<IpAddr>().unwrap()
    );
}

#[test]
fn waits_double_after_the_free_failures_up_to_the_cap() {
    let l = Limiters::new(&RateLimits {
        login_free_failures: 3,
        login_max_delay_secs: 900,
        ..RateLimits::off()
    });
    let waits: Vec<u64> = (1..=16)
        .map(|n| l.login.delay_after(n, 3).as_secs())
        .collect();
    assert_eq!(
        waits,
        [
            0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900
        ]
    );
    let at = |ip: &str| {
        TestRequest::default()
            .peer_addr(format!("{ip}:1").parse().unwrap())
            .to_http_request()
    };
    let (stranger, owner) = (at("192.0.2.1"), at("192.0.2.2"));
    for _ in 0..4 {
        l.login_outcome::<()>(&stranger, "a@b.co", &Err(AppError::InvalidCredentials));
    }
    assert!(matches!(
        l.login_gate(&stranger, "a@b.co", false),
        Err(AppError::RateLimited { retry_after: 1 })
    ));
    assert!(
        l.login_gate(&owner, "a@b.co", false).is_ok(),
        "another client"
    );
    assert!(l.login_gate(&stranger, "other@b.co", false).is_ok());
    l.login_outcome::<()>(&stranger, "a@b.co", &Ok(()));
    assert!(l.login_gate(&stranger, "a@b.co", false).is_ok());
}

#[test]
fn the_address_wide_count_holds_every_client_but_a_known_device() {
    let l = Limiters::new(&RateLimits {
        login_free_failures: 100,
        login_address_free_failures: 2,
        login_max_delay_secs: 900,
        ..RateLimits::off()
    });
    for i in 1..=3 {
        let req = TestRequest::default()
            .peer_addr(format!("192.0.2.{i}:1").parse().unwrap())
            .to_http_request();
        l.login_outcome::<()>(&req, "a@b.co", &Err(AppError::InvalidCredentials));
    }
    let fresh = TestRequest::default()
        .peer_addr("198.51.100.1:1".parse().unwrap())
        .to_http_request();
    assert!(l.login_gate(&fresh, "a@b.co", false).is_err());
    assert!(l.login_gate(&fresh, "a@b.co", true).is_ok());
    assert_eq!(l.tracked_keys(), 4);
    l.clear_login_waits("a@b.co");
    assert!(l.login_gate(&fresh, "a@b.co", false).is_ok());
    assert_eq!(l.tracked_keys(), 0);
}

#[test]
fn a_full_bucket_answers_with_the_wait() {
    let l = Limiters::new(&RateLimits {
        auth_per_ip_per_minute: 2,
        ..RateLimits::off()
    });
    let req = TestRequest::default()
        .peer_addr("192.0.2.1:1".parse().unwrap())
        .to_http_request();
    assert!(l.check(&req, Action::Login, None).is_ok());
    assert!(l.check(&req, Action::Login, None).is_ok());
    match l.check(&req, Action::Login, None) {
        Err(AppError::RateLimited { retry_after }) => assert!((1..=30).contains(&retry_after)),
        other => panic!("{other:?}"),
    }
    assert!(l.check(&req, Action::Register, None).is_ok(), "own bucket");
    assert_eq!(l.tracked_keys(), 2);
}
