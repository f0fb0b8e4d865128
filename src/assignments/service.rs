//! Manual assignment under the hard rules of DESIGN §6, the judge's queue and scoring view.

use diesel::prelude::*;
use serde_json::json;

use super::api::Assignment;
use super::model::{self, AssignmentRow};
use crate::applications::model::{self as apps};
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::auth::model::Role;
use crate::db::schema::{judge_profiles, users};
use crate::db::{self, DbConn};
use crate::error::{AppError, ErrorCode};
use crate::judges::conflicts;
use crate::reviews::model::ReviewStatus;
use crate::rounds::model::RoundState;
use crate::rounds::model::{self as rounds, RoundRow};
use crate::state::AppState;
use crate::unit::{self, Tx};

/// Adds one assignment after checking every hard rule; each refusal has its own code.
pub fn assign(
    c: &mut DbConn,
    round: &RoundRow,
    judge: i64,
    application_id: i64,
    source: &str,
    by: Option<i64>,
) -> Result<i64, AppError> {
    if !round.state.takes_assignments() {
        return Err(AppError::conflict(
            ErrorCode::RoundClosed,
            "assignments of a closed round cannot change",
        ));
    }
    let app = apps::find(c, application_id)
        .map_err(|_| AppError::field("application_id", "not_found"))?;
    if app.contest_id != round.contest_id
        || (round.state == RoundState::Judging && !rounds::is_entry(c, round.id, application_id)?)
    {
        return Err(AppError::field("application_id", "not_in_round"));
    }
    let user = crate::auth::model::find_by_id(c, judge)?;
    let is_judge = user
        .as_ref()
        .is_some_and(|u| u.role == Role::Judge && u.disabled_at.is_none());
    if !is_judge || crate::judges::model::membership(c, round.contest_id, judge)?.is_none() {
        return Err(AppError::field("judge_id", "not_a_judge"));
    }
    if crate::judges::model::conflict_exists(c, judge, application_id)?
        || conflicts::detect_pair(c, judge, application_id)?
    {
        return Err(AppError::conflict(
            ErrorCode::ConflictOfInterest,
            "this judge has a conflict of interest with the application",
        ));
    }
    if model::exists(c, round.id, judge, application_id)? {
        return Err(AppError::conflict(
            ErrorCode::AlreadyAssigned,
            "the judge already reviews this application",
        ));
    }
    if model::panel_size(c, round.id, application_id)? >= i64::from(round.reviews_per_application) {
        return Err(AppError::conflict(
            ErrorCode::PanelFull,
            "the application already has all its judges",
        ));
    }
    let capacity: i32 = judge_profiles::table
        .find(judge)
        .select(judge_profiles::capacity)
        .first(c)
        .optional()?
        .unwrap_or(10);
    if model::load(c, round.id, judge)? >= i64::from(capacity) {
        return Err(AppError::conflict(
            ErrorCode::JudgeAtCapacity,
            "the judge has reached their capacity in this round",
        ));
    }
    model::insert(c, round.id, judge, application_id, source, by)
}

fn record(
    c: &mut Tx<'_>,
    actor: i64,
    action: &str,
    a: &AssignmentRow,
    details: serde_json::Value,
) -> Result<(), AppError> {
    c.audit(Entry {
            actor_id: Some(actor),
            action,
            entity: "assignment",
            entity_id: Some(a.id.to_string()),
            details: json!({"round_id": a.round_id, "judge_id": a.judge_id, "application_id": a.application_id, "more": details}),
        })
}

fn view(c: &mut DbConn, a: &AssignmentRow) -> Result<Assignment, AppError> {
    let (judge_name, judge_region): (String, Option<String>) = users::table
        .left_join(judge_profiles::table)
        .filter(users::id.eq(a.judge_id))
        .select((users::name, judge_profiles::region.nullable()))
        .first(c)?;
    let app = apps::find(c, a.application_id)?;
    Ok(Assignment {
        id: a.id,
        round_id: a.round_id,
        judge_id: a.judge_id,
        judge_name,
        judge_region: judge_region.unwrap_or_default(),
        application_id: a.application_id,
        company_name: app.company_name,
        track: app.track,
        review_status: model::review_status(c, a.id)?,
        source: a.source.clone(),
    })
}

pub async fn add(
    state: &AppState,
    admin: &AuthUser,
    round_id: i64,
    judge: i64,
    application_id: i64,
) -> Result<Assignment, AppError> {
    let (actor, base) = (admin.id, state.config.public_url.clone());
    unit::write(state, move |c| {
        let round = rounds::find(c, round_id)?;
        let id = assign(c, &round, judge, application_id, "manual", Some(actor))?;
        let a = model::find(c, id)?;
        record(c, actor, "assignment.added", &a, json!({}))?;
        tell_judges(c, &base, &round)?;
        view(c, &a)
    })
    .await
}

/// In a round being judged, a judge whose set of entries a change touched hears of it once
/// (`rounds::notify::assigned` names each set, so the untouched judges get nothing).
fn tell_judges(c: &mut Tx<'_>, base: &str, round: &RoundRow) -> Result<(), AppError> {
    if round.state == RoundState::Judging {
        crate::rounds::notify::assigned(c, base, round)?;
    }
    Ok(())
}

fn removable(c: &mut DbConn, a: &AssignmentRow) -> Result<RoundRow, AppError> {
    let round = rounds::find(c, a.round_id)?;
    if !round.state.takes_assignments() {
        return Err(AppError::conflict(
            ErrorCode::RoundClosed,
            "assignments of a closed round cannot change",
        ));
    }
    if model::review_status(c, a.id)? == ReviewStatus::Submitted.as_str() {
        return Err(AppError::conflict(
            ErrorCode::ReviewSubmitted,
            "the judge has submitted this review; it cannot be taken away",
        ));
    }
    Ok(round)
}

pub async fn remove(state: &AppState, admin: &AuthUser, id: i64) -> Result<(), AppError> {
    let (actor, base) = (admin.id, state.config.public_url.clone());
    unit::write(state, move |c| {
        let a = model::find(c, id)?;
        let round = removable(c, &a)?;
        model::delete(c, id)?;
        record(c, actor, "assignment.removed", &a, json!({}))?;
        tell_judges(c, &base, &round)
    })
    .await
}

/// Moves an unsubmitted assignment to another judge in one transaction.
pub async fn move_to(
    state: &AppState,
    admin: &AuthUser,
    id: i64,
    judge: i64,
) -> Result<Assignment, AppError> {
    let (actor, base) = (admin.id, state.config.public_url.clone());
    unit::write(state, move |c| {
        let a = model::find(c, id)?;
        let round = removable(c, &a)?;
        model::delete(c, id)?;
        let new_id = assign(c, &round, judge, a.application_id, "manual", Some(actor))?;
        let moved = model::find(c, new_id)?;
        record(
            c,
            actor,
            "assignment.moved",
            &moved,
            json!({"from_judge": a.judge_id}),
        )?;
        tell_judges(c, &base, &round)?;
        view(c, &moved)
    })
    .await
}

/// An assignment with its judge's name and region, the company, its track and review status.
type ListRow = (
    AssignmentRow,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
);

pub async fn list(state: &AppState, round_id: i64) -> Result<Vec<Assignment>, AppError> {
    db::run(&state.db, move |c| {
        use crate::db::schema::{applications, assignments, reviews};
        rounds::find(c, round_id)?;
        // One query for the whole round: the assignments tab lists thousands of rows.
        let rows: Vec<ListRow> = assignments::table
            .inner_join(users::table.left_join(judge_profiles::table))
            .inner_join(applications::table)
            .left_join(reviews::table)
            .filter(assignments::round_id.eq(round_id))
            .order(assignments::id.asc())
            .select((
                AssignmentRow::as_select(),
                users::name,
                judge_profiles::region.nullable(),
                applications::company_name,
                applications::track,
                reviews::status.nullable(),
            ))
            .load(c)?;
        Ok(rows
            .into_iter()
            .map(
                |(a, judge_name, region, company_name, track, status)| Assignment {
                    id: a.id,
                    round_id: a.round_id,
                    judge_id: a.judge_id,
                    judge_name,
                    judge_region: region.unwrap_or_default(),
                    application_id: a.application_id,
                    company_name,
                    track,
                    review_status: status.unwrap_or_else(|| "none".into()),
                    source: a.source,
                },
            )
            .collect())
    })
    .await
}
