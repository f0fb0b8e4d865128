//! The rate-limit quotas and trusted proxies read from the environment; `web::ratelimit`
//! enforces them.

use std::net::IpAddr;

use super::ConfigError;

/// Quotas from the environment; 0 switches a quota off.
#[derive(Clone, Debug)]
pub struct RateLimits {
    /// Requests per minute per client address, to each sign-in endpoint separately
    /// (`JURY_RATE_LIMIT_AUTH_PER_MINUTE`).
    pub auth_per_ip_per_minute: u32,
    /// Requests per minute per email address, to each endpoint that takes one
    /// (`JURY_RATE_LIMIT_ACCOUNT_PER_MINUTE`); for sign-in, per address and client, so a
    /// stranger spending the quota does not shut the owner out.
    pub account_per_minute: u32,
    /// Uploads per hour per client address and per user (`JURY_RATE_LIMIT_UPLOADS_PER_HOUR`).
    pub uploads_per_hour: u32,
    /// Requests per minute per client address to the public audience-vote endpoints (vote,
    /// ask for an email link) (`JURY_RATE_LIMIT_VOTES_PER_MINUTE`). Higher than the sign-in
    /// quota because a hall's phones often share one address behind the venue's Wi-Fi.
    pub votes_per_ip_per_minute: u32,
    /// Failed sign-ins for one address from one client before that client waits
    /// (`JURY_LOGIN_FREE_FAILURES`).
    pub login_free_failures: u32,
    /// Failed sign-ins for one address from all clients together before every client without
    /// the address's known-device cookie waits (`JURY_LOGIN_ADDRESS_FREE_FAILURES`).
    pub login_address_free_failures: u32,
    /// The longest wait after repeated failures; 0 turns waits off (`JURY_LOGIN_MAX_DELAY_SECS`).
    pub login_max_delay_secs: u64,
    /// Proxies whose `X-Forwarded-For` is believed (`JURY_TRUSTED_PROXIES`, IPs or CIDRs).
    pub trusted_proxies: Vec<Cidr>,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            auth_per_ip_per_minute: 20,
            account_per_minute: 5,
            uploads_per_hour: 60,
            votes_per_ip_per_minute: 300,
            login_free_failures: 5,
            login_address_free_failures: 100,
            login_max_delay_secs: 900,
            trusted_proxies: Vec::new(),
        }
    }
}

impl RateLimits {
    /// Everything off: for tests and tools that sign in many times from one address.
    pub fn off() -> RateLimits {
        RateLimits {
            auth_per_ip_per_minute: 0,
            account_per_minute: 0,
            uploads_per_hour: 0,
            votes_per_ip_per_minute: 0,
            login_free_failures: 0,
            login_address_free_failures: 100,
            login_max_delay_secs: 0,
            trusted_proxies: Vec::new(),
        }
    }

    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Result<RateLimits, ConfigError> {
        let d = RateLimits::default();
        let num = |name: &str, default: u64, max: u64| -> Result<u64, ConfigError> {
            match env(name) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n <= max)
                    .ok_or_else(|| {
                        ConfigError::Invalid(format!(
                            "{name} must be a number from 0 to {max}, got {v:?}"
                        ))
                    }),
            }
        };
        let trusted_proxies = match env("JURY_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    Cidr::parse(s).ok_or_else(|| {
                        ConfigError::Invalid(format!(
                            "JURY_TRUSTED_PROXIES: {s:?} is not an IP address or CIDR"
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        const QUOTA_MAX: u64 = 1_000_000;
        Ok(RateLimits {
            auth_per_ip_per_minute: num(
                "JURY_RATE_LIMIT_AUTH_PER_MINUTE",
                d.auth_per_ip_per_minute.into(),
                QUOTA_MAX,
            )? as u32,
            account_per_minute: num(
                "JURY_RATE_LIMIT_ACCOUNT_PER_MINUTE",
                d.account_per_minute.into(),
                QUOTA_MAX,
            )? as u32,
            uploads_per_hour: num(
                "JURY_RATE_LIMIT_UPLOADS_PER_HOUR",
                d.uploads_per_hour.into(),
                QUOTA_MAX,
            )? as u32,
            votes_per_ip_per_minute: num(
                "JURY_RATE_LIMIT_VOTES_PER_MINUTE",
                d.votes_per_ip_per_minute.into(),
                QUOTA_MAX,
            )? as u32,
            login_free_failures: num(
                "JURY_LOGIN_FREE_FAILURES",
                d.login_free_failures.into(),
                1000,
            )? as u32,
            login_address_free_failures: num(
                "JURY_LOGIN_ADDRESS_FREE_FAILURES",
                d.login_address_free_failures.into(),
                QUOTA_MAX,
            )? as u32,
            login_max_delay_secs: num("JURY_LOGIN_MAX_DELAY_SECS", d.login_max_delay_secs, 86_400)?,
            trusted_proxies,
        })
    }
}

/// An address block, e.g. `10.0.0.0/8`, `fd00::/8` or a single address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let (ip, prefix) = match s.split_once('/') {
            Some((ip, p)) => (ip, Some(p.parse::<u8>().ok()?)),
            None => (s, None),
        };
        let addr = ip.parse::<IpAddr>().ok()?.to_canonical();
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Cidr { addr, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}
