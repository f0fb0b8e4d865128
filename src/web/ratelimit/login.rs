//! Waits after failed sign-ins. Each (address, client) pair keeps its own count, so wrong
//! guesses from a stranger never make the owner wait on their own client. The address also
//! keeps a count across every client with a much higher free allowance: a brute-forcer spread
//! over many clients still slows down, while a browser that signed in to the address before
//! (its known-device cookie) is not held by that shared count. A password reset clears both.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::rate_limits::RateLimits;

/// Addresses with failed sign-ins tracked at once; beyond it new addresses are not tracked (the
/// per-client quotas still apply), so a flood of made-up addresses cannot grow memory.
const MAX_ADDRESSES: usize = 100_000;
/// Clients tracked per address; past it only the address-wide count grows.
const MAX_CLIENTS_PER_ADDRESS: usize = 1_000;

#[derive(Debug)]
struct Failures {
    count: u32,
    last: Instant,
    locked_until: Instant,
}

impl Failures {
    fn new(now: Instant) -> Failures {
        Failures {
            count: 0,
            last: now,
            locked_until: now,
        }
    }

    fn waiting(&self, now: Instant) -> Option<Duration> {
        (self.locked_until > now).then(|| self.locked_until - now)
    }

    fn stale(&self, now: Instant, forget: Duration) -> bool {
        now.duration_since(self.last) >= forget && self.locked_until <= now
    }
}

#[derive(Debug)]
struct Address {
    all: Failures,
    clients: HashMap<IpAddr, Failures>,
}

pub(super) struct LoginWaits {
    pair_free: u32,
    address_free: u32,
    max_delay: Duration,
    map: Mutex<HashMap<String, Address>>,
}

impl LoginWaits {
    pub(super) fn new(c: &RateLimits) -> LoginWaits {
        LoginWaits {
            pair_free: c.login_free_failures,
            address_free: c.login_address_free_failures,
            max_delay: Duration::from_secs(c.login_max_delay_secs),
            map: Mutex::new(HashMap::new()),
        }
    }

    fn off(&self) -> bool {
        self.max_delay.is_zero()
    }

    /// The wait after failure number `count` with `free` free ones: none for those, then
    /// 1 s, 2 s, 4 s, … up to the maximum.
    pub(super) fn delay_after(&self, count: u32, free: u32) -> Duration {
        if count <= free {
            return Duration::ZERO;
        }
        let doublings = (count - free - 1).min(30);
        Duration::from_secs(1u64 << doublings).min(self.max_delay)
    }

    fn forget_after(&self) -> Duration {
        (self.max_delay * 4).max(Duration::from_secs(3600))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Address>> {
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long this sign-in must still wait, if at all.
    pub(super) fn gate(&self, email: &str, ip: IpAddr, known_device: bool) -> Option<Duration> {
        if self.off() {
            return None;
        }
        let now = Instant::now();
        let map = self.lock();
        let a = map.get(email)?;
        let pair = a.clients.get(&ip).and_then(|f| f.waiting(now));
        let all = (!known_device).then(|| a.all.waiting(now)).flatten();
        pair.max(all)
    }

    pub(super) fn failed(&self, email: &str, ip: IpAddr) {
        if self.off() {
            return;
        }
        let now = Instant::now();
        let forget = self.forget_after();
        let mut map = self.lock();
        if map.len() >= MAX_ADDRESSES && !map.contains_key(email) {
            Self::retain_fresh(&mut map, now, forget);
            if map.len() >= MAX_ADDRESSES {
                tracing::warn!("too many addresses with failed sign-ins; not tracking more");
                return;
            }
        }
        let a = map.entry(email.to_string()).or_insert_with(|| Address {
            all: Failures::new(now),
            clients: HashMap::new(),
        });
        let count = |f: &mut Failures, free: u32| {
            if now.duration_since(f.last) >= forget {
                f.count = 0;
            }
            f.count = f.count.saturating_add(1);
            f.last = now;
            f.locked_until = now + self.delay_after(f.count, free);
        };
        count(&mut a.all, self.address_free);
        if a.clients.len() < MAX_CLIENTS_PER_ADDRESS || a.clients.contains_key(&ip) {
            count(
                a.clients.entry(ip).or_insert_with(|| Failures::new(now)),
                self.pair_free,
            );
        }
    }

    /// The right password from this client: its own count starts again. The address-wide
    /// count stays, or a guesser could clear it by signing in to the address between guesses.
    pub(super) fn succeeded(&self, email: &str, ip: IpAddr) {
        if self.off() {
            return;
        }
        if let Some(a) = self.lock().get_mut(email) {
            a.clients.remove(&ip);
        }
    }

    /// Forgets every count of the address (its password was just reset by the mailbox owner).
    pub(super) fn clear(&self, email: &str) {
        self.lock().remove(email);
    }

    fn retain_fresh(map: &mut HashMap<String, Address>, now: Instant, forget: Duration) {
        map.retain(|_, a| {
            a.clients.retain(|_, f| !f.stale(now, forget));
            !(a.clients.is_empty() && a.all.stale(now, forget))
        });
    }

    pub(super) fn sweep(&self) {
        let now = Instant::now();
        let forget = self.forget_after();
        Self::retain_fresh(&mut self.lock(), now, forget);
    }

    /// Counts held: one per address and one per (address, client) pair.
    pub(super) fn len(&self) -> usize {
        self.map
            .lock()
            .map_or(0, |m| m.values().map(|a| 1 + a.clients.len()).sum())
    }
}
