//! An erased application in results already published. The snapshot is a public record with
//! a public digest, yet it holds the company's name; erasure has to reach it. The entry keeps
//! its rank, scores, track, award and advanced flag, so every other entry reads exactly as
//! published; only its name becomes `ERASED`. The snapshot then gets a new digest, lists the
//! old one in `supersedes`, and a `results.entry_erased` audit entry links old to new.

use serde_json::json;
use sha2::{Digest, Sha256};

use super::model;
use crate::applications::model::ERASED;
use crate::audit::{self, Entry};
use crate::db::DbConn;
use crate::error::AppError;
use crate::rounds::model as rounds;

/// Replaces the application's name in every published snapshot of its contest; returns how
/// many snapshots changed.
pub fn erase_entry(
    c: &mut DbConn,
    actor: i64,
    contest_id: i64,
    application_id: i64,
) -> Result<usize, AppError> {
    let mut changed = 0;
    for round in rounds::list(c, contest_id)? {
        let (Some((old_sha, _)), Some(mut snapshot)) =
            (model::published(c, round.id)?, model::stored(c, round.id)?)
        else {
            continue;
        };
        let mut hit = false;
        for row in snapshot
            .rows
            .iter_mut()
            .filter(|r| r.application_id == application_id && r.company_name != ERASED)
        {
            row.company_name = ERASED.to_string();
            hit = true;
        }
        if !hit {
            continue;
        }
        snapshot.supersedes.push(old_sha.clone());
        let text = serde_json::to_string(&snapshot).map_err(AppError::internal)?;
        let sha = hex::encode(Sha256::digest(text.as_bytes()));
        model::replace_snapshot(c, round.id, &text, &sha)?;
        audit::record(
            c,
            Entry {
                actor_id: Some(actor),
                action: "results.entry_erased",
                entity: "round",
                entity_id: Some(round.id.to_string()),
                details: json!({
                    "application_id": application_id,
                    "sha256": {"old": old_sha, "new": sha},
                }),
            },
        )?;
        changed += 1;
    }
    Ok(changed)
}
