//! Administrators erase a withdrawn or disqualified application's personal data once the
//! contest is over. "Over" means: the application deadline has passed and every round of the
//! contest is closed or published, so no decision can still depend on the application. The
//! row stays (reviews, scores and round entries point at it, so results stay reproducible);
//! the fields that describe people or the company are replaced by [`ERASED`], documents are
//! deleted with their files, and `erased_at` is set. Country, track, stage, founding year and
//! team size stay: they are statistics, not personal data.

use diesel::prelude::*;
use serde_json::json;

use crate::applications::api::Application;
use crate::applications::model::{self as applications, ERASED};
use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::contests::model as contests;
use crate::db::schema::{applications as app_t, documents};
use crate::db::{self, DbConn, now};
use crate::error::{AppError, ErrorCode};
use crate::rounds::model as rounds;
use crate::state::AppState;

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
    let (app, keys) = db::write(&state.db, move |c| {
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
        let docs = documents::table
            .filter(documents::application_id.eq(id))
            .select((documents::id, documents::storage_key))
            .load::<(i64, String)>(c)?;
        diesel::delete(documents::table.filter(documents::application_id.eq(id))).execute(c)?;
        let t = now();
        diesel::update(app_t::table.find(id))
            .set((
                app_t::company_name.eq(ERASED),
                app_t::company_name_native.eq(ERASED),
                app_t::city.eq(ERASED),
                app_t::website.eq(""),
                app_t::summary.eq(ERASED),
                app_t::problem.eq(ERASED),
                app_t::solution.eq(ERASED),
                app_t::market.eq(ERASED),
                app_t::traction.eq(ERASED),
                app_t::team.eq("[]"),
                app_t::video_url.eq(""),
                app_t::status_reason.eq(row.status_reason.as_ref().map(|_| ERASED)),
                app_t::erased_at.eq(Some(t)),
                app_t::version.eq(app_t::version + 1),
                app_t::updated_at.eq(t),
            ))
            .execute(c)?;
        audit::record(
            c,
            Entry {
                actor_id: Some(actor),
                action: "application.erased",
                entity: "application",
                entity_id: Some(id.to_string()),
                details: json!({
                    "fields": FIELDS,
                    "documents_removed": docs.iter().map(|(d, _)| d).collect::<Vec<_>>(),
                }),
            },
        )?;
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
