//! Administrators erase a withdrawn or disqualified application's personal data once the
//! contest is over. "Over" means: the application deadline has passed and every round of the
//! contest is closed or published, so no decision can still depend on the application. The
//! row stays (reviews, scores and round entries point at it, so results stay reproducible);
//! the fields that describe people or the company are replaced by `ERASED`, documents are
//! deleted with their files, and `erased_at` is set. Country, track, stage, founding year and
//! team size stay: they are statistics, not personal data.

use serde_json::json;

use crate::applications::api::Application;
use crate::applications::model as applications;
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::contests::model as contests;
use crate::db::{DbConn, now};
use crate::error::{AppError, ErrorCode};
use crate::rounds::model as rounds;
use crate::state::AppState;
use crate::unit;

const FIELDS: [&str; 12] = [
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
        let docs = applications::erase(c, &row)?;
        c.audit(Entry {
            actor_id: Some(actor),
            action: "application.erased",
            entity: "application",
            entity_id: Some(id.to_string()),
            details: json!({
                "fields": FIELDS,
                "documents_removed": docs.iter().map(|(d, _)| d).collect::<Vec<_>>(),
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
        if let Err(e) = state.storage.delete(&key) {
            tracing::warn!(%key, error = %e, "file of an erased application not removed");
        }
    }
    Ok(app)
}
