//! Dashboards: an organisation's rounds, their progress and its mail; and the joint summary
//! for owners (every organisation's dashboard, and the owner's own rounds such as the final).

use diesel::prelude::*;

use super::api::{Dashboard, RoundSummary};
use super::model;
use crate::db::schema::{outbox, round_entries};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::rounds::model::{self as rounds, RoundRow};
use crate::state::AppState;

fn round_summary(c: &mut DbConn, r: &RoundRow) -> Result<RoundSummary, AppError> {
    let advanced: i64 = round_entries::table
        .filter(round_entries::round_id.eq(r.id))
        .filter(round_entries::advanced.eq(true))
        .count()
        .get_result(c)?;
    Ok(RoundSummary {
        id: r.id,
        name: serde_json::from_str(&r.name).map_err(AppError::internal)?,
        stage: r.stage,
        state: r.state.as_str().to_string(),
        entries: rounds::count_entries(c, r.id)?,
        assignments: rounds::count_assignments(c, r.id)?,
        submitted_reviews: rounds::submitted_reviews(c, r.id)?,
        advanced,
    })
}

fn mail(c: &mut DbConn, org: i64, status: &str) -> Result<i64, AppError> {
    Ok(outbox::table
        .filter(outbox::organisation_id.eq(org))
        .filter(outbox::status.eq(status))
        .count()
        .get_result(c)?)
}

fn dashboard(c: &mut DbConn, id: i64) -> Result<Dashboard, AppError> {
    let row = model::find(c, id)?;
    let organisation = row.to_api(model::staff(c, id)?.len() as i64)?;
    let rounds = rounds::list(c, row.contest_id)?
        .iter()
        .filter(|r| r.organisation_id == Some(id))
        .map(|r| round_summary(c, r))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Dashboard {
        organisation,
        rounds,
        judges: crate::scope::judges(c, id)?.len() as i64,
        mail_pending: mail(c, id, "pending")?,
        mail_failed: mail(c, id, "failed")?,
        mail_sent: mail(c, id, "sent")?,
    })
}

pub async fn one(state: &AppState, id: i64) -> Result<Dashboard, AppError> {
    db::run(&state.db, move |c| dashboard(c, id)).await
}

/// The joint summary: each organisation's dashboard, and the rounds no organisation runs.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub organisations: Vec<Dashboard>,
    pub joint_rounds: Vec<RoundSummary>,
}

pub async fn summary(state: &AppState, contest_id: i64) -> Result<Summary, AppError> {
    db::run(&state.db, move |c| {
        crate::contests::model::find(c, contest_id)?;
        let organisations = model::list(c, contest_id)?
            .iter()
            .map(|o| dashboard(c, o.id))
            .collect::<Result<Vec<_>, _>>()?;
        let joint_rounds = rounds::list(c, contest_id)?
            .iter()
            .filter(|r| r.organisation_id.is_none())
            .map(|r| round_summary(c, r))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Summary {
            organisations,
            joint_rounds,
        })
    })
    .await
}
