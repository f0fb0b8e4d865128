//! Administrators erase a withdrawn or disqualified application's personal data once the
//! contest is over. "Over" means: the application deadline has passed and every round of the
//! contest is closed or published, so no decision can still depend on the application. The
//! row stays (reviews, scores and round entries point at it, so results stay reproducible);
//! the fields that describe people or the company are replaced by `ERASED`, documents are
//! deleted with their files, and `erased_at` is set. Country, track, stage, founding year and
//! team size stay: they are statistics, not personal data.
//!
//! Erasure also reaches every copy the application left: its name in published snapshots
//! (`results::erase`), its values in audit details (redacted in place, see `audit`), in mail
//! subjects and bodies, in review comments, conflict and award reasons and announcements
//! (`scrub.rs` says what is looked for).

use diesel::prelude::*;
use serde_json::json;

use super::scrub::{Scrubber, wipe_strings};
use crate::applications::api::Application;
use crate::applications::model::{self as applications, ApplicationRow};
use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::contests::model as contests;
use crate::db::schema::documents;
use crate::db::{DbConn, now};
use crate::error::{AppError, ErrorCode};
use crate::rounds::model as rounds;
use crate::state::AppState;
use crate::unit;

const FIELDS: [&str; 13] = [
    "company_name",
    "company_name_native",
    "city",
    "website",
    "summary",
    "problem",
    "solution",
    "market",
    "traction",
    "team",
    "video_url",
    "status_reason",
    "answers",
];

/// Why the contest is not over yet, if it is not.
fn contest_not_over(c: &mut DbConn, contest_id: i64) -> Result<Option<String>, AppError> {
    let contest = contests::find(c, contest_id)?;
    if now() < contest.closes_at {
        return Ok(Some("the application window is still open".into()));
    }
    if let Some(open) = rounds::list(c, contest_id)?
        .into_iter()
        .find(|r| !r.state.is_over())
    {
        return Ok(Some(format!(
            "round {} is still {}; close or publish every round first",
            open.position, open.state
        )));
    }
    Ok(None)
}

/// Replaces what identifies the application wherever it was copied; says how many of each.
fn erase_copies(
    c: &mut DbConn,
    actor: i64,
    row: &ApplicationRow,
) -> Result<serde_json::Value, AppError> {
    let id = row.id;
    let questions = contests::find(c, row.contest_id)?.questions()?;
    let names: Vec<String> = documents::table
        .filter(documents::application_id.eq(id))
        .select(documents::original_name)
        .load(c)?;
    let s = Scrubber::for_application(row, &questions, &names);
    let text = |t: &str| s.text(t);
    let json_text = |t: &str| s.json_text(t);
    let own_id = id.to_string();
    let mut edit = |entity: &str, entity_id: Option<&str>, d: &mut serde_json::Value| {
        // The application's own entries are about it throughout (old names, reasons, answers
        // before edits): every value goes. Elsewhere, only what names it.
        if entity == "application" && entity_id == Some(own_id.as_str()) {
            wipe_strings(d)
        } else {
            s.json(d)
        }
    };
    let why = json!({"action": "application.erased", "application_id": id});
    Ok(json!({
        "snapshots": crate::results::erase::erase_entry(c, actor, row.contest_id, id)?,
        "audit_entries": audit::redact(c, Some(actor), &mut edit, why)?.len(),
        "messages": crate::mail::scrub(c, &text)?,
        "reviews": crate::reviews::model::scrub_comments(c, row.contest_id, &text)?,
        "conflicts": crate::judges::model::scrub_conflict_reasons(c, row.contest_id, &text)?,
        "award_reasons": rounds::scrub_award_reasons(c, row.contest_id, &text)?,
        "announcements": crate::announcements::model::scrub(c, row.contest_id, &json_text)?,
    }))
}

pub async fn erase(state: &AppState, admin: &AuthUser, id: i64) -> Result<Application, AppError> {
    let actor = admin.id;
    let (app, keys) = unit::write(state, move |c| {
        let row = applications::find(c, id)?;
        if row.erased_at.is_some() {
            return Err(AppError::conflict(
                ErrorCode::AlreadyErased,
                "the application was already erased",
            ));
        }
        if row.status.is_live() {
            return Err(AppError::conflict(
                ErrorCode::NotErasable,
                format!(
                    "only withdrawn or disqualified applications are erased; this one is {}",
                    row.status
                ),
            ));
        }
        if let Some(why) = contest_not_over(c, row.contest_id)? {
            return Err(AppError::conflict(ErrorCode::ContestNotOver, why));
        }
        let copies = erase_copies(c, actor, &row)?;
        let docs = applications::erase(c, &row)?;
        c.audit(Entry {
            actor_id: Some(actor),
            action: "application.erased",
            entity: "application",
            entity_id: Some(id.to_string()),
            details: json!({
                "fields": FIELDS,
                "documents_removed": docs.iter().map(|(d, _)| d).collect::<Vec<_>>(),
                "copies_erased": copies,
            }),
        })?;
        let row = applications::find(c, id)?;
        let contest = contests::find(c, row.contest_id)?;
        let published = applications::results_published(c, row.contest_id)?;
        let app = row.to_api(&contest, None, published);
        Ok((app, docs.into_iter().map(|(_, k)| k).collect::<Vec<_>>()))
    })
    .await?;
    for key in keys {
        if let Err(e) = state.storage.delete(&key).await {
            tracing::warn!(%key, error = %e, "file of an erased application not removed");
        }
    }
    Ok(app)
}
