//! Published results, parsed and rendered once.
//!
//! A stored snapshot never changes (its digest is published), yet on publication day thousands
//! of applicants and visitors read it, and each read used to parse the whole multi-megabyte
//! snapshot of the round. Snapshots are kept parsed per round and the public page rendered per
//! contest; both are checked against the stored digests on every use, so a newly published or
//! erased snapshot is never served stale and nothing has to remember to invalidate them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use diesel::prelude::*;

use super::api::Snapshot;
use crate::db::DbConn;
use crate::db::schema::published_results;
use crate::error::AppError;
use crate::web::prepared::Prepared;

/// A contest has a handful of rounds; this bounds memory when many are read at once.
const MAX_ENTRIES: usize = 32;

type Digests = Vec<(i64, String)>;

#[derive(Default)]
pub struct SnapshotCache {
    rounds: Mutex<HashMap<i64, (String, Arc<Snapshot>)>>,
    pages: Mutex<HashMap<i64, (Digests, Arc<Prepared>)>>,
    /// Held while a snapshot is parsed (a page rendered), so a crowd arriving together waits
    /// for one parse instead of each parsing the same megabytes at once. Rendering parses, so
    /// `rendering` is always taken before `parsing`, never after.
    parsing: Mutex<()>,
    rendering: Mutex<()>,
}

/// The maps hold no invariant a panicking holder could break.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn bounded<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, key: K, value: V) {
    if map.len() >= MAX_ENTRIES && !map.contains_key(&key) {
        map.clear();
    }
    map.insert(key, value);
}

impl SnapshotCache {
    /// The snapshot of `round_id` whose stored digest is `sha256`.
    pub(super) fn get(
        &self,
        c: &mut DbConn,
        round_id: i64,
        sha256: &str,
    ) -> Result<Arc<Snapshot>, AppError> {
        let cached = |this: &Self| {
            lock(&this.rounds)
                .get(&round_id)
                .filter(|(sha, _)| sha == sha256)
                .map(|(_, s)| s.clone())
        };
        if let Some(s) = cached(self) {
            return Ok(s);
        }
        let _parsing = lock(&self.parsing);
        if let Some(s) = cached(self) {
            return Ok(s);
        }
        let (text, sha): (String, String) = published_results::table
            .filter(published_results::round_id.eq(round_id))
            .select((published_results::snapshot, published_results::sha256))
            .first(c)?;
        let snapshot =
            Arc::new(serde_json::from_str::<Snapshot>(&text).map_err(AppError::internal)?);
        bounded(&mut lock(&self.rounds), round_id, (sha, snapshot.clone()));
        Ok(snapshot)
    }

    /// The public page of `contest_id` rendered from exactly `digests`, rendering it with
    /// `render` (once, however many ask at the same moment) when it is not at hand.
    pub(super) fn public(
        &self,
        contest_id: i64,
        digests: Digests,
        render: impl FnOnce(&Digests) -> Result<Prepared, AppError>,
    ) -> Result<Arc<Prepared>, AppError> {
        let cached = |this: &Self, digests: &Digests| {
            lock(&this.pages)
                .get(&contest_id)
                .filter(|(d, _)| d == digests)
                .map(|(_, page)| page.clone())
        };
        if let Some(page) = cached(self, &digests) {
            return Ok(page);
        }
        let _rendering = lock(&self.rendering);
        if let Some(page) = cached(self, &digests) {
            return Ok(page);
        }
        let page = Arc::new(render(&digests)?);
        bounded(&mut lock(&self.pages), contest_id, (digests, page.clone()));
        Ok(page)
    }
}
