//! The append-only audit log. Each entry carries the hash of the one before, so editing or
//! deleting an old entry breaks the chain at that point and `verify_chain` names it.
//!
//! What is hashed: the previous hash, the time, the actor, the action, the entity and its id,
//! and the SHA-256 of the details text (kept in `details_sha256`). Chaining over the digest
//! rather than the text is what lets erasure redact personal data inside old details
//! (`redact`): the text changes, the digest and every hash after it stay, the entry is marked
//! `redacted_at`, and an `audit.redacted` entry appended in the same transaction names it.
//! An entry marked redacted that no later `audit.redacted` entry names breaks the chain.
//! Entries written before the digest column existed (empty `details_sha256`) chain over the
//! text itself; once redacted, only their link to the next entry can still be checked.

pub mod diff;
pub mod routes;

pub use diff::{changes, changes_and};

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::db::schema::audit_log;
use crate::db::{DbConn, now};
use crate::error::AppError;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
pub const REDACTED: &str = "audit.redacted";

pub struct Entry<'a> {
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub details: serde_json::Value,
}

#[derive(Debug, Queryable, Selectable, serde::Serialize, utoipa::ToSchema)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    /// UTC, written without an offset: `2026-05-01T09:30:00.123456`.
    #[schema(value_type = String)]
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    /// The details as a JSON text; its SHA-256 is `details_sha256` unless the entry was redacted.
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
    /// SHA-256 of the details as first written (what the chain covers); empty on entries
    /// older than this column, whose chain covers the details text itself.
    pub details_sha256: String,
    /// When erasure replaced personal data in the details; null while they are as written.
    #[schema(value_type = Option<String>)]
    pub redacted_at: Option<NaiveDateTime>,
    /// The organisation of the actor, when the actor is an organiser's staff.
    pub organisation_id: Option<i64>,
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// An entry's hash: SHA-256 over the previous hash followed by `chain_suffix`.
fn chain_hash(prev: &str, suffix: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(suffix);
    hex::encode(h.finalize())
}

/// What an entry's hash covers after the previous hash: its fields, each followed by a zero
/// byte. `details` is the digest of the details on current entries, the text on legacy ones.
/// PostgreSQL's `audit_stage` (migration 20) adds the organisation's part to the suffix sent
/// without it, and `audit_append` (migration 19) hashes the tail it reads followed by that.
fn chain_suffix(
    at: &NaiveDateTime,
    actor_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<&str>,
    details: &str,
    organisation_id: Option<i64>,
) -> Vec<u8> {
    let mut out = vec![0u8];
    for part in [
        &at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        &actor_id.map(|a| a.to_string()).unwrap_or_default(),
        action,
        entity,
        entity_id.unwrap_or_default(),
        details,
    ] {
        out.extend_from_slice(part.as_bytes());
        out.push(0);
    }
    // Only entries with an organisation hash it, so entries written before it keep their hash.
    if let Some(org) = organisation_id {
        out.extend_from_slice(format!("organisation:{org}").as_bytes());
        out.push(0);
    }
    out
}

diesel::define_sql_function! {
    /// Stages the entry, naming the actor's organisation, which it answers; the transaction's
    /// commit chains the entry (migrations 19 and 20).
    #[allow(clippy::too_many_arguments)]
    fn audit_stage(
        at: diesel::sql_types::Timestamp,
        actor_id: diesel::sql_types::Nullable<diesel::sql_types::BigInt>,
        action: diesel::sql_types::Text,
        entity: diesel::sql_types::Text,
        entity_id: diesel::sql_types::Nullable<diesel::sql_types::Text>,
        details: diesel::sql_types::Text,
        details_sha256: diesel::sql_types::Text,
        suffix: diesel::sql_types::Binary,
    ) -> diesel::sql_types::Nullable<diesel::sql_types::BigInt>
}

/// An entry as it is sent: its time taken, its details as text with their digest.
pub struct Staging<'a> {
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub details: String,
    pub digest: String,
}

impl<'a> Staging<'a> {
    pub fn of(entry: Entry<'a>) -> Self {
        let details = entry.details.to_string();
        Staging {
            at: now(),
            actor_id: entry.actor_id,
            action: entry.action,
            entity: entry.entity,
            entity_id: entry.entity_id,
            digest: sha256_hex(&details),
            details,
        }
    }

    /// `chain_suffix` of the entry; PostgreSQL's `audit_stage` is sent it without the
    /// organisation and adds that itself.
    pub fn suffix(&self, organisation_id: Option<i64>) -> Vec<u8> {
        chain_suffix(
            &self.at,
            self.actor_id,
            self.action,
            self.entity,
            self.entity_id.as_deref(),
            &self.digest,
            organisation_id,
        )
    }
}

/// Appends an entry. Call it inside the write transaction of the change it records. Every
/// entry names the actor's organisation (issue 22), read from their account; returns it. On
/// PostgreSQL the entry joins the chain as the transaction commits, so the transaction itself
/// does not see it in `audit_log`; a statement can also stage it beside its own change
/// (`reviews::update::Staged`).
pub fn record(conn: &mut DbConn, entry: Entry<'_>) -> Result<Option<i64>, AppError> {
    append(conn, Staging::of(entry))
}

/// `record` for an entry already staged.
pub fn append(conn: &mut DbConn, s: Staging<'_>) -> Result<Option<i64>, AppError> {
    if let DbConn::Pg(pg) = conn {
        // The lock that serialises appenders is held until the transaction commits, so it is
        // taken by a trigger at commit (migration 20), with no round trip to this server under
        // it. The function reads the organisation and adds its part of the suffix.
        return Ok(diesel::select(audit_stage(
            s.at,
            s.actor_id,
            s.action,
            s.entity,
            s.entity_id.as_deref(),
            &s.details,
            &s.digest,
            s.suffix(None),
        ))
        .get_result::<Option<i64>>(pg)?);
    }
    let organisation_id: Option<i64> = match s.actor_id {
        Some(actor) => crate::db::schema::users::table
            .find(actor)
            .select(crate::db::schema::users::organisation_id)
            .first::<Option<i64>>(conn)
            .optional()?
            .flatten(),
        None => None,
    };
    // SQLite: the writer thread holds the write lock, so the tail cannot move under us.
    let prev: Option<String> = audit_log::table
        .order(audit_log::id.desc())
        .select(audit_log::hash)
        .first(conn)
        .optional()?;
    let prev = prev.unwrap_or_else(|| GENESIS.to_string());
    let hash = chain_hash(&prev, &s.suffix(organisation_id));
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(s.at),
            audit_log::actor_id.eq(s.actor_id),
            audit_log::action.eq(s.action),
            audit_log::entity.eq(s.entity),
            audit_log::entity_id.eq(&s.entity_id),
            audit_log::details.eq(&s.details),
            audit_log::prev_hash.eq(&prev),
            audit_log::hash.eq(&hash),
            audit_log::details_sha256.eq(&s.digest),
            audit_log::organisation_id.eq(organisation_id),
        ))
        .execute(conn)?;
    Ok(organisation_id)
}

/// Rewrites details in place for erasure: `edit` sees each entry's entity, entity id and
/// parsed details and says whether it changed them. Changed entries are marked redacted and
/// one `audit.redacted` entry, appended here, names them with `why`. Walks the log in pages so
/// a long log is never loaded whole. Returns the ids it changed.
pub fn redact(
    conn: &mut DbConn,
    actor_id: Option<i64>,
    edit: &mut dyn FnMut(&str, Option<&str>, &mut serde_json::Value) -> bool,
    why: serde_json::Value,
) -> Result<Vec<i64>, AppError> {
    let mut changed = Vec::new();
    let at = now();
    let mut after = 0i64;
    loop {
        let page: Vec<(i64, String, Option<String>, String)> = audit_log::table
            .filter(audit_log::id.gt(after))
            .filter(audit_log::action.ne(REDACTED))
            .order(audit_log::id.asc())
            .limit(500)
            .select((
                audit_log::id,
                audit_log::entity,
                audit_log::entity_id,
                audit_log::details,
            ))
            .load(conn)?;
        let Some(last) = page.last() else { break };
        after = last.0;
        for (id, entity, entity_id, text) in page {
            let mut details: serde_json::Value =
                serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
            if edit(&entity, entity_id.as_deref(), &mut details) {
                diesel::update(audit_log::table.find(id))
                    .set((
                        audit_log::details.eq(details.to_string()),
                        audit_log::redacted_at.eq(Some(at)),
                    ))
                    .execute(conn)?;
                changed.push(id);
            }
        }
    }
    if !changed.is_empty() {
        record(
            conn,
            Entry {
                actor_id,
                action: REDACTED,
                entity: "audit",
                entity_id: None,
                details: json!({"entries": changed, "why": why}),
            },
        )?;
    }
    Ok(changed)
}

/// Walks the chain; `Err(id)` names the first entry whose link or content does not match.
pub fn verify_chain(conn: &mut DbConn) -> Result<Result<usize, i64>, AppError> {
    let rows: Vec<AuditRow> = audit_log::table
        .order(audit_log::id.asc())
        .select(AuditRow::as_select())
        .load(conn)?;
    // Where each redacted entry is named last by an `audit.redacted` entry; it must be later.
    let mut named_at: HashMap<i64, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if row.action == REDACTED
            && let Ok(d) = serde_json::from_str::<serde_json::Value>(&row.details)
        {
            for id in d["entries"].as_array().into_iter().flatten() {
                if let Some(id) = id.as_i64() {
                    named_at.insert(id, i);
                }
            }
        }
    }
    let mut prev = GENESIS.to_string();
    for (i, row) in rows.iter().enumerate() {
        let legacy = row.details_sha256.is_empty();
        let redacted = row.redacted_at.is_some();
        let content_ok = match (legacy, redacted) {
            (_, true) => named_at.get(&row.id).is_some_and(|at| *at > i),
            (true, false) => true,
            (false, false) => sha256_hex(&row.details) == row.details_sha256,
        };
        let hashed = if legacy {
            &row.details
        } else {
            &row.details_sha256
        };
        let hash_ok = (legacy && redacted)
            || chain_hash(
                &prev,
                &chain_suffix(
                    &row.at,
                    row.actor_id,
                    &row.action,
                    &row.entity,
                    row.entity_id.as_deref(),
                    hashed,
                    row.organisation_id,
                ),
            ) == row.hash;
        if row.prev_hash != prev || !content_ok || !hash_ok {
            return Ok(Err(row.id));
        }
        prev = row.hash.clone();
    }
    Ok(Ok(rows.len()))
}

pub fn recent(conn: &mut DbConn, limit: i64) -> Result<Vec<AuditRow>, AppError> {
    Ok(audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)?)
}
