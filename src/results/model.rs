//! Published snapshots: written once per round when it is published, read by digest.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::api::Snapshot;
use crate::db::DbConn;
use crate::db::schema::published_results;
use crate::error::AppError;

/// The digest and time of the round's snapshot, if it is published.
pub fn published(
    c: &mut DbConn,
    round_id: i64,
) -> Result<Option<(String, NaiveDateTime)>, AppError> {
    Ok(published_results::table
        .filter(published_results::round_id.eq(round_id))
        .select((published_results::sha256, published_results::published_at))
        .first(c)
        .optional()?)
}

/// The stored snapshot of a published round, if it is published.
pub fn stored(c: &mut DbConn, round_id: i64) -> Result<Option<Snapshot>, AppError> {
    published_results::table
        .filter(published_results::round_id.eq(round_id))
        .select(published_results::snapshot)
        .first::<String>(c)
        .optional()?
        .map(|t| serde_json::from_str(&t).map_err(AppError::internal))
        .transpose()
}

/// Stores the snapshot's text exactly as its digest was taken.
pub fn insert(
    c: &mut DbConn,
    round_id: i64,
    text: &str,
    sha256: &str,
    by: i64,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::insert_into(published_results::table)
        .values((
            published_results::round_id.eq(round_id),
            published_results::snapshot.eq(text),
            published_results::sha256.eq(sha256),
            published_results::published_by.eq(Some(by)),
            published_results::published_at.eq(at),
        ))
        .execute(c)?;
    Ok(())
}

/// Replaces a published snapshot, for erasure only: the new text names the digest it replaces
/// (`Snapshot::supersedes`) and the caller audits the change from one digest to the other.
pub fn replace_snapshot(
    c: &mut DbConn,
    round_id: i64,
    text: &str,
    sha256: &str,
) -> Result<(), AppError> {
    diesel::update(published_results::table.filter(published_results::round_id.eq(round_id)))
        .set((
            published_results::snapshot.eq(text),
            published_results::sha256.eq(sha256),
        ))
        .execute(c)?;
    Ok(())
}
