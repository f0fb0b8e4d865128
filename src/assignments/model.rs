//! Assignment rows and the checks that keep them legal.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{assignments, reviews, rounds};
use crate::db::{DbConn, now};
use crate::error::AppError;
use crate::rounds::model::RoundState;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = assignments)]
pub struct AssignmentRow {
    pub id: i64,
    pub round_id: i64,
    pub judge_id: i64,
    pub application_id: i64,
    pub source: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn find(c: &mut DbConn, id: i64) -> Result<AssignmentRow, AppError> {
    Ok(assignments::table
        .find(id)
        .select(AssignmentRow::as_select())
        .first(c)?)
}

pub fn delete(c: &mut DbConn, id: i64) -> Result<(), AppError> {
    diesel::delete(assignments::table.find(id)).execute(c)?;
    Ok(())
}

/// Removes the judge's assignment to the application in one round.
pub fn delete_pair(
    c: &mut DbConn,
    round_id: i64,
    judge_id: i64,
    application_id: i64,
) -> Result<(), AppError> {
    diesel::delete(
        assignments::table
            .filter(assignments::round_id.eq(round_id))
            .filter(assignments::judge_id.eq(judge_id))
            .filter(assignments::application_id.eq(application_id)),
    )
    .execute(c)?;
    Ok(())
}

/// Removes the judge's assignments to the application in every round still open (set-up or
/// judging); closed rounds keep theirs as the record. Returns the ids that went, for the audit.
pub fn delete_open_pair(
    c: &mut DbConn,
    judge_id: i64,
    application_id: i64,
) -> Result<Vec<i64>, AppError> {
    let open_rounds = rounds::table
        .filter(rounds::state.eq_any([RoundState::Setup.as_str(), RoundState::Judging.as_str()]))
        .select(rounds::id);
    let pair = assignments::table
        .filter(assignments::judge_id.eq(judge_id))
        .filter(assignments::application_id.eq(application_id))
        .filter(assignments::round_id.eq_any(open_rounds));
    let ids: Vec<i64> = pair.select(assignments::id).load(c)?;
    diesel::delete(assignments::table.filter(assignments::id.eq_any(&ids))).execute(c)?;
    Ok(ids)
}

pub fn for_round(c: &mut DbConn, round_id: i64) -> Result<Vec<AssignmentRow>, AppError> {
    Ok(assignments::table
        .filter(assignments::round_id.eq(round_id))
        .order(assignments::id.asc())
        .select(AssignmentRow::as_select())
        .load(c)?)
}

pub fn for_judge(c: &mut DbConn, judge: i64) -> Result<Vec<AssignmentRow>, AppError> {
    Ok(assignments::table
        .inner_join(rounds::table)
        .filter(assignments::judge_id.eq(judge))
        .filter(rounds::state.ne(RoundState::Setup))
        .select(AssignmentRow::as_select())
        .load(c)?)
}

pub fn exists(
    c: &mut DbConn,
    round_id: i64,
    judge: i64,
    application_id: i64,
) -> Result<bool, AppError> {
    Ok(assignments::table
        .filter(assignments::round_id.eq(round_id))
        .filter(assignments::judge_id.eq(judge))
        .filter(assignments::application_id.eq(application_id))
        .count()
        .get_result::<i64>(c)?
        > 0)
}

pub fn panel_size(c: &mut DbConn, round_id: i64, application_id: i64) -> Result<i64, AppError> {
    Ok(assignments::table
        .filter(assignments::round_id.eq(round_id))
        .filter(assignments::application_id.eq(application_id))
        .count()
        .get_result(c)?)
}

pub fn load(c: &mut DbConn, round_id: i64, judge: i64) -> Result<i64, AppError> {
    Ok(assignments::table
        .filter(assignments::round_id.eq(round_id))
        .filter(assignments::judge_id.eq(judge))
        .count()
        .get_result(c)?)
}

pub fn insert(
    c: &mut DbConn,
    round_id: i64,
    judge: i64,
    application_id: i64,
    source: &str,
    by: Option<i64>,
) -> Result<i64, AppError> {
    Ok(diesel::insert_into(assignments::table)
        .values((
            assignments::round_id.eq(round_id),
            assignments::judge_id.eq(judge),
            assignments::application_id.eq(application_id),
            assignments::source.eq(source),
            assignments::created_by.eq(by),
            assignments::created_at.eq(now()),
        ))
        .returning(assignments::id)
        .get_result(c)?)
}

pub fn review_status(c: &mut DbConn, assignment_id: i64) -> Result<String, AppError> {
    Ok(reviews::table
        .filter(reviews::assignment_id.eq(assignment_id))
        .select(reviews::status)
        .first(c)
        .optional()?
        .unwrap_or_else(|| "none".into()))
}

/// Has `judge` an assignment in the round?
pub fn judge_in_round(c: &mut DbConn, round_id: i64, judge: i64) -> Result<bool, AppError> {
    let n: i64 = assignments::table
        .filter(assignments::round_id.eq(round_id))
        .filter(assignments::judge_id.eq(judge))
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// Is `judge` assigned to the application in a round that has started?
pub fn judge_sees(
    c: &mut DbConn,
    judge: i64,
    application_id: i64,
) -> Result<Option<(bool, bool)>, AppError> {
    let row: Option<(bool, bool)> = assignments::table
        .inner_join(rounds::table)
        .filter(assignments::judge_id.eq(judge))
        .filter(assignments::application_id.eq(application_id))
        .filter(rounds::state.ne(RoundState::Setup))
        .order(rounds::position.desc())
        .select((rounds::blind, rounds::blind_shows_deck))
        .first(c)
        .optional()?;
    Ok(row)
}
