//! Rate limits on the endpoints people hammer: sign-in, registration, password and verification
//! mails, invitation and setup links, and uploads. Each is keyed by the client address and, where
//! there is one, by the account (normalised email, or user id for uploads), and answers
//! 429 `rate_limited` with `Retry-After`. Failed sign-ins also earn an exponentially growing
//! wait (per address and client, and per address across clients; see `login`), the same for
//! known and unknown addresses.
//!
//! The state is in memory, per instance: a second instance behind a load balancer keeps its own
//! counts, which only makes the limits more lenient, never wrong. Idle keys are dropped every
//! [`SWEEP_EVERY`], so memory follows the number of clients seen in the last window.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use actix_web::HttpRequest;
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};

pub use crate::config::rate_limits::{Cidr, RateLimits};
use crate::error::AppError;

const SWEEP_EVERY: Duration = Duration::from_secs(30);

/// The endpoints with their own per-client bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Login,
    Register,
    PasswordForgot,
    PasswordReset,
    VerifyResend,
    InvitationAccept,
    Setup,
    /// Signing in with a link of the day.
    DayLink,
    /// Asking for an audience vote's email link (also keyed by the address).
    VoteEmail,
}

/// The limiters of one server, kept in `AppState`.
pub struct Limiters {
    trusted: Vec<Cidr>,
    auth_ip: Option<DefaultKeyedRateLimiter<(Action, IpAddr)>>,
    account: Option<DefaultKeyedRateLimiter<(Action, String)>>,
    upload_ip: Option<DefaultKeyedRateLimiter<IpAddr>>,
    upload_user: Option<DefaultKeyedRateLimiter<i64>>,
    vote_ip: Option<DefaultKeyedRateLimiter<IpAddr>>,
    login: login::LoginWaits,
    started: Instant,
    last_sweep: AtomicU64,
}

fn per(n: u32, window: Duration) -> Option<Quota> {
    let n = NonZeroU32::new(n)?;
    Quota::with_period(window / n.get()).map(|q| q.allow_burst(n))
}

impl Limiters {
    pub fn new(c: &RateLimits) -> Limiters {
        let minute = Duration::from_secs(60);
        let hour = Duration::from_secs(3600);
        Limiters {
            trusted: c.trusted_proxies.clone(),
            auth_ip: per(c.auth_per_ip_per_minute, minute).map(DefaultKeyedRateLimiter::keyed),
            account: per(c.account_per_minute, minute).map(DefaultKeyedRateLimiter::keyed),
            upload_ip: per(c.uploads_per_hour, hour).map(DefaultKeyedRateLimiter::keyed),
            upload_user: per(c.uploads_per_hour, hour).map(DefaultKeyedRateLimiter::keyed),
            vote_ip: per(c.votes_per_ip_per_minute, minute).map(DefaultKeyedRateLimiter::keyed),
            login: login::LoginWaits::new(c),
            started: Instant::now(),
            last_sweep: AtomicU64::new(0),
        }
    }

    /// The client's address: the peer, unless the peer is a trusted proxy; then the right-most
    /// address in `X-Forwarded-For` that is not a trusted proxy (the left part is the client's
    /// own claim and can be forged). IPv6 clients are grouped by /64, what one host usually has.
    pub fn client_ip(&self, req: &HttpRequest) -> IpAddr {
        let peer = req
            .peer_addr()
            .map(|a| a.ip().to_canonical())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let mut client = peer;
        if self.is_trusted(peer) {
            let hops: Vec<&str> = req
                .headers()
                .get_all("x-forwarded-for")
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .collect();
            for hop in hops.iter().rev() {
                match hop.trim().parse::<IpAddr>() {
                    Ok(ip) => {
                        client = ip.to_canonical();
                        if !self.is_trusted(client) {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
        }
        match client {
            IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
            v4 => v4,
        }
    }

    fn is_trusted(&self, ip: IpAddr) -> bool {
        self.trusted.iter().any(|c| c.contains(ip))
    }

    /// One request to a sign-in endpoint: the client's bucket, then the account's.
    pub fn check(
        &self,
        req: &HttpRequest,
        action: Action,
        account: Option<&str>,
    ) -> Result<(), AppError> {
        self.maybe_sweep();
        if let Some(l) = &self.auth_ip {
            verdict(l, &(action, self.client_ip(req)))?;
        }
        if let (Some(l), Some(email)) = (&self.account, account) {
            // Sign-in counts per address and client: a stranger spending the address's quota
            // must not shut its owner out (the address-wide brake is in `login`).
            let key = match action {
                Action::Login => format!("{email}\u{0}{}", self.client_ip(req)),
                _ => email.to_string(),
            };
            verdict(l, &(action, key))?;
        }
        Ok(())
    }

    /// One upload: the client's bucket, then the user's.
    pub fn check_upload(&self, req: &HttpRequest, user_id: i64) -> Result<(), AppError> {
        self.maybe_sweep();
        if let Some(l) = &self.upload_ip {
            verdict(l, &self.client_ip(req))?;
        }
        if let Some(l) = &self.upload_user {
            verdict(l, &user_id)?;
        }
        Ok(())
    }

    /// One request to a public audience-vote endpoint: the client's vote bucket, then, when
    /// an email address is given, the address's bucket.
    pub fn check_vote(&self, req: &HttpRequest, email: Option<&str>) -> Result<(), AppError> {
        self.maybe_sweep();
        if let Some(l) = &self.vote_ip {
            verdict(l, &self.client_ip(req))?;
        }
        if let (Some(l), Some(email)) = (&self.account, email) {
            verdict(l, &(Action::VoteEmail, email.to_string()))?;
        }
        Ok(())
    }

    /// Refuses a sign-in for an address that is still waiting after failures from this client,
    /// or from all clients together unless this browser holds the address's known-device
    /// cookie; before any password is checked, so refusals are cheap.
    pub fn login_gate(
        &self,
        req: &HttpRequest,
        email: &str,
        known_device: bool,
    ) -> Result<(), AppError> {
        match self.login.gate(email, self.client_ip(req), known_device) {
            Some(wait) => Err(AppError::RateLimited {
                retry_after: ceil_secs(wait),
            }),
            None => Ok(()),
        }
    }

    /// Records how a sign-in ended: a wrong password (or unknown address) counts, a right
    /// password clears this client's count, anything else leaves it alone.
    pub fn login_outcome<T>(&self, req: &HttpRequest, email: &str, result: &Result<T, AppError>) {
        let ip = self.client_ip(req);
        match result {
            Err(AppError::InvalidCredentials) => self.login.failed(email, ip),
            Ok(_) | Err(AppError::AccountDisabled) | Err(AppError::Refused { .. }) => {
                self.login.succeeded(email, ip)
            }
            Err(_) => {}
        }
    }

    /// A reset password proves the mailbox: every wait on the address ends.
    pub fn clear_login_waits(&self, email: &str) {
        self.login.clear(email);
    }

    /// Drops idle keys at most every [`SWEEP_EVERY`]; runs on the request that notices it is due.
    fn maybe_sweep(&self) {
        let now = self.started.elapsed().as_secs();
        let last = self.last_sweep.load(Ordering::Relaxed);
        if now < last + SWEEP_EVERY.as_secs()
            || self
                .last_sweep
                .compare_exchange(last, now, Ordering::AcqRel, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        self.sweep();
    }

    /// Forgets every key whose bucket is full again and every expired failure record.
    pub fn sweep(&self) {
        fn shrink<K: std::hash::Hash + Eq + Clone>(l: &Option<DefaultKeyedRateLimiter<K>>) {
            if let Some(l) = l {
                l.retain_recent();
                l.shrink_to_fit();
            }
        }
        shrink(&self.auth_ip);
        shrink(&self.account);
        shrink(&self.upload_ip);
        shrink(&self.upload_user);
        shrink(&self.vote_ip);
        self.login.sweep();
    }

    /// Keys held right now (for tests and metrics).
    pub fn tracked_keys(&self) -> usize {
        fn len<K: std::hash::Hash + Eq + Clone>(l: &Option<DefaultKeyedRateLimiter<K>>) -> usize {
            l.as_ref().map_or(0, |l| l.len())
        }
        len(&self.auth_ip)
            + len(&self.account)
            + len(&self.upload_ip)
            + len(&self.upload_user)
            + len(&self.vote_ip)
            + self.login.len()
    }
}

fn verdict<K: std::hash::Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Result<(), AppError> {
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(limiter.clock().now());
        AppError::RateLimited {
            retry_after: ceil_secs(wait),
        }
    })
}

/// Whole seconds for `Retry-After`, rounded up and at least 1.
fn ceil_secs(d: Duration) -> u64 {
    (d.as_millis().div_ceil(1000) as u64).max(1)
}

mod login;
#[cfg(test)]
mod tests;
