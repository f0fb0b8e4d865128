//! Judge queues answered recently, kept gzipped by their ETag (issue 20). A queue's ETag names
//! the judge, the filters and the judge's queue stamp, which changes in the same transaction as
//! anything the queue shows (migration 18): so a copy found under the tag read now is the queue
//! as it is now, the same promise a 304 makes. A client without a copy (a second device, a
//! cleared cache, a reload that skips the cache) then costs the sign-in check and one
//! primary-key read instead of the join, the JSON and the gzip.
//!
//! Nothing has to invalidate it: a change gives the judge a new stamp, the old tag is never
//! read again, and its copy leaves when the budget needs its room, oldest first. A copy is the
//! body as of a moment no earlier than its tag (the tag is read first), as a 304 allows.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};

use actix_web::web::Bytes;

/// Gzipped bytes kept at most. On the load harness's contest (300 judges, some 140 lines
/// each) the deadline hour's peak RSS was 76 MB with 4 MB and 105 MB with 8 MB kept.
pub const BUDGET: usize = 4 * 1024 * 1024;

pub struct QueueCache {
    budget: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    bodies: HashMap<String, Bytes>,
    /// Tags in the order they were kept, oldest first.
    order: VecDeque<String>,
    bytes: usize,
    hits: u64,
}

impl Default for QueueCache {
    fn default() -> Self {
        QueueCache::new(BUDGET)
    }
}

impl QueueCache {
    pub fn new(budget: usize) -> QueueCache {
        QueueCache {
            budget,
            inner: Mutex::default(),
        }
    }

    /// The maps hold no invariant a panicking holder could break.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The gzipped queue kept under `tag`.
    pub fn get(&self, tag: &str) -> Option<Bytes> {
        let mut inner = self.lock();
        let found = inner.bodies.get(tag).cloned();
        inner.hits += u64::from(found.is_some());
        found
    }

    /// Gzips `json` and keeps it under `tag`, making room by dropping the oldest copies;
    /// returns the gzipped bytes, or `None` when gzip failed.
    pub fn put(&self, tag: &str, json: &[u8]) -> Option<Bytes> {
        let gz = gzip(json)?;
        let size = gz.len() + tag.len();
        if size > self.budget / 4 {
            return Some(gz);
        }
        let mut inner = self.lock();
        if inner.bodies.contains_key(tag) {
            return Some(gz);
        }
        while inner.bytes + size > self.budget {
            let Some(old) = inner.order.pop_front() else {
                break;
            };
            if let Some(body) = inner.bodies.remove(&old) {
                inner.bytes -= body.len() + old.len();
            }
        }
        inner.bytes += size;
        inner.order.push_back(tag.to_string());
        inner.bodies.insert(tag.to_string(), gz.clone());
        Some(gz)
    }

    /// Copies kept, their bytes, and the answers served from them so far.
    pub fn stats(&self) -> (usize, usize, u64) {
        let inner = self.lock();
        (inner.bodies.len(), inner.bytes, inner.hits)
    }
}

/// Gzipped as other answers are (`web::gzip::fast`). A kept copy holds its whole allocation:
/// no spare capacity, so the budget is what it costs.
fn gzip(json: &[u8]) -> Option<Bytes> {
    let mut gz = crate::web::gzip::fast(json)?;
    gz.shrink_to_fit();
    Some(Bytes::from(gz))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn gunzip(b: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(b)
            .read_to_end(&mut out)
            .expect("gzip");
        out
    }

    /// Letters that gzip cannot shrink much, so sizes are predictable.
    fn noise(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        (0..len)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                b'a' + (x >> 59) as u8
            })
            .collect()
    }

    #[test]
    fn keeps_what_it_was_given_under_its_tag() {
        let cache = QueueCache::default();
        assert_eq!(cache.get("W/\"a\""), None);
        let json = br#"{"items":[],"total":0,"submitted":0}"#;
        let gz = cache.put("W/\"a\"", json).expect("gzip");
        assert_eq!(gunzip(&gz), json);
        assert_eq!(cache.get("W/\"a\""), Some(gz));
        assert_eq!(cache.get("W/\"b\""), None);
        assert_eq!(cache.stats().2, 1, "one hit");
    }

    #[test]
    fn stays_within_its_budget_dropping_the_oldest_first() {
        let cache = QueueCache::new(40_000);
        for i in 0..20 {
            cache.put(&format!("tag{i}"), &noise(i, 5_000));
            let (_, bytes, _) = cache.stats();
            assert!(bytes <= 40_000, "{bytes} bytes after {i}");
        }
        let (kept, _, _) = cache.stats();
        assert!((4..20).contains(&kept), "{kept}");
        assert!(cache.get("tag0").is_none(), "the oldest went first");
        assert!(cache.get("tag19").is_some(), "the newest stays");
        // A body larger than a quarter of the budget is answered but not kept.
        let big = noise(99, 20_000);
        let gz = cache.put("big", &big).expect("gzip");
        assert_eq!(gunzip(&gz), big);
        assert!(cache.get("big").is_none());
        // No budget, nothing kept.
        let none = QueueCache::new(0);
        none.put("t", b"{}");
        assert_eq!(none.stats().0, 0);
    }
}
