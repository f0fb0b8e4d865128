//! The append-only audit log. Each entry carries the hash of the one before, so editing or
//! deleting an old entry breaks the chain at that point and `verify_chain` names it.

pub mod routes;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::audit_log;
use crate::db::{DbConn, now};
use crate::error::AppError;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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
    /// The details as a JSON text, exactly as hashed.
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

fn chain_hash(prev: &str, at: &NaiveDateTime, e: &Entry<'_>, details: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        &e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
        e.action,
        e.entity,
        e.entity_id.as_deref().unwrap_or_default(),
        details,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// Appends an entry. Call it inside the write transaction of the change it records.
pub fn record(conn: &mut DbConn, entry: Entry<'_>) -> Result<(), AppError> {
    if let DbConn::Pg(pg) = conn {
        // Serialises appenders so two transactions cannot both chain onto the same tail.
        diesel::sql_query("SELECT pg_advisory_xact_lock(7352001)").execute(pg)?;
    }
    let prev: Option<String> = audit_log::table
        .order(audit_log::id.desc())
        .select(audit_log::hash)
        .first(conn)
        .optional()?;
    let prev = prev.unwrap_or_else(|| GENESIS.to_string());
    let at = now();
    let details = entry.details.to_string();
    let hash = chain_hash(&prev, &at, &entry, &details);
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(at),
            audit_log::actor_id.eq(entry.actor_id),
            audit_log::action.eq(entry.action),
            audit_log::entity.eq(entry.entity),
            audit_log::entity_id.eq(&entry.entity_id),
            audit_log::details.eq(&details),
            audit_log::prev_hash.eq(&prev),
            audit_log::hash.eq(&hash),
        ))
        .execute(conn)?;
    Ok(())
}

/// Walks the chain; `Err(id)` names the first entry whose link or content does not match.
pub fn verify_chain(conn: &mut DbConn) -> Result<Result<usize, i64>, AppError> {
    let rows: Vec<AuditRow> = audit_log::table
        .order(audit_log::id.asc())
        .select(AuditRow::as_select())
        .load(conn)?;
    let mut prev = GENESIS.to_string();
    for row in &rows {
        let entry = Entry {
            actor_id: row.actor_id,
            action: &row.action,
            entity: &row.entity,
            entity_id: row.entity_id.clone(),
            details: serde_json::Value::Null,
        };
        if row.prev_hash != prev || chain_hash(&prev, &row.at, &entry, &row.details) != row.hash {
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
