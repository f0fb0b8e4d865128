//! Review rows.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{QueryFragment, QueryId};

use super::api::Review;
pub use super::status::ReviewStatus;
use super::update::{Staged, Update};
use crate::assignments::model::AssignmentRow;
use crate::audit::{Entry, Staging};
use crate::auth::model::{UserRow, session_open};
use crate::db::schema::{assignments, reviews, rounds, users};
use crate::db::{DbConn, native, now};
use crate::error::AppError;
use crate::rounds::model::{RoundRow, Scale};
use crate::rounds::model::{ScalesOfAssignmentRound, parse_scales};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = reviews)]
pub struct ReviewRow {
    pub id: i64,
    pub assignment_id: i64,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: ReviewStatus,
    pub scores: String,
    pub comment_applicant: String,
    pub comment_private: String,
    pub version: i32,
    pub submitted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ReviewRow {
    pub fn scores(&self) -> BTreeMap<String, i32> {
        serde_json::from_str(&self.scores).unwrap_or_default()
    }
    pub fn to_api(&self) -> Review {
        Review {
            status: self.status.as_str().to_string(),
            scores: self.scores(),
            comment_applicant: self.comment_applicant.clone(),
            comment_private: self.comment_private.clone(),
            version: self.version,
            submitted_at: self.submitted_at.map(|t| t.and_utc()),
            updated_at: Some(self.updated_at.and_utc()),
        }
    }
}

pub fn empty() -> Review {
    Review {
        status: "none".into(),
        version: 0,
        ..Review::default()
    }
}

/// An assignment with its round and its review (if any), in one statement: a save needs all
/// three, and on PostgreSQL every statement is a round trip inside the write transaction.
pub fn with_assignment(
    c: &mut DbConn,
    assignment_id: i64,
) -> Result<(AssignmentRow, RoundRow, Option<ReviewRow>), AppError> {
    Ok(assignments::table
        .inner_join(rounds::table)
        .left_join(reviews::table)
        .filter(assignments::id.eq(assignment_id))
        .select((
            AssignmentRow::as_select(),
            RoundRow::as_select(),
            Option::<ReviewRow>::as_select(),
        ))
        .first(c)?)
}

/// What a save checks and builds on: the assignment, its round, the stored review and the
/// round's rubric scales.
pub struct Loaded {
    pub assignment: AssignmentRow,
    pub round: RoundRow,
    pub current: Option<ReviewRow>,
    pub scales: Vec<Scale>,
}

/// `Loaded` for a caller that has checked who is signing in.
pub fn loaded(c: &mut DbConn, assignment_id: i64) -> Result<Loaded, AppError> {
    let (assignment, round, current) = with_assignment(c, assignment_id)?;
    let scales = crate::rounds::model::scales(c, round.id)?;
    Ok(Loaded {
        assignment,
        round,
        current,
        scales,
    })
}

type SaveRow = (
    UserRow,
    bool,
    Option<AssignmentRow>,
    Option<RoundRow>,
    Option<ReviewRow>,
    Option<String>,
);

/// The judge's user row and session (the sign-in check) with `Loaded`, in one statement and
/// one row. On PostgreSQL every statement is a round trip; the
/// sign-in check and the rubric were two of an autosave's seven (issue 20).
/// The user row is `None` when the user is gone; the rest is `Err(NotFound)` when the
/// assignment is.
#[allow(clippy::type_complexity)]
pub fn signed_in_loaded(
    c: &mut DbConn,
    user_id: i64,
    session: &str,
    assignment_id: i64,
) -> Result<(Option<(UserRow, bool)>, Result<Loaded, AppError>), AppError> {
    let row: Option<SaveRow> = native!(c, |c| users::table
        .filter(users::id.eq(user_id))
        .left_join(assignments::table.on(assignments::id.eq(assignment_id)))
        .left_join(rounds::table.on(rounds::id.eq(assignments::round_id)))
        .left_join(reviews::table.on(reviews::assignment_id.eq(assignments::id)))
        .select((
            UserRow::as_select(),
            session_open!(user_id, session),
            Option::<AssignmentRow>::as_select(),
            Option::<RoundRow>::as_select(),
            Option::<ReviewRow>::as_select(),
            ScalesOfAssignmentRound,
        ))
        .first(c)
        .optional())?;
    let Some((user, open, assignment, round, current, scales)) = row else {
        return Ok((None, Err(AppError::NotFound)));
    };
    let loaded = match (assignment, round) {
        (Some(assignment), Some(round)) => Ok(Loaded {
            assignment,
            round,
            current,
            scales: parse_scales(scales.as_deref())
                .ok_or_else(|| AppError::internal("unreadable rubric scales"))?,
        }),
        _ => Err(AppError::NotFound),
    };
    Ok((Some((user, open)), loaded))
}

pub fn find(c: &mut DbConn, assignment_id: i64) -> Result<Option<ReviewRow>, AppError> {
    Ok(reviews::table
        .filter(reviews::assignment_id.eq(assignment_id))
        .select(ReviewRow::as_select())
        .first(c)
        .optional()?)
}

pub struct Write<'a> {
    pub scores: &'a BTreeMap<String, i32>,
    pub comment_applicant: &'a str,
    pub comment_private: &'a str,
    pub status: ReviewStatus,
}

/// Creates or updates the review in one statement; with `expected` only if the version matches.
/// `current` is the stored row the caller read; the saved row comes back from the same
/// statement (`RETURNING`), None when the version did not match. `entry` is recorded in the
/// audit log when the save wrote: on PostgreSQL staged by the save's own statement
/// (`update::Staged`), so the save is one statement; on SQLite appended after it, inside the
/// writer's transaction.
pub fn save(
    c: &mut DbConn,
    assignment_id: i64,
    current: Option<&ReviewRow>,
    w: &Write<'_>,
    expected: Option<i32>,
    entry: Option<Entry<'_>>,
) -> Result<Option<ReviewRow>, AppError> {
    let scores = serde_json::to_string(w.scores).map_err(AppError::internal)?;
    let t = now();
    let submitted_at = (w.status == ReviewStatus::Submitted).then_some(t);
    let staging = entry.map(Staging::of);
    let pg = matches!(c, DbConn::Pg(_));
    let saved = match current {
        None => {
            if expected.is_some_and(|v| v != 0) {
                return Ok(None);
            }
            let insert = diesel::insert_into(reviews::table)
                .values((
                    reviews::assignment_id.eq(assignment_id),
                    reviews::status.eq(w.status),
                    reviews::scores.eq(&scores),
                    reviews::comment_applicant.eq(w.comment_applicant),
                    reviews::comment_private.eq(w.comment_private),
                    reviews::submitted_at.eq(submitted_at),
                    reviews::created_at.eq(t),
                    reviews::updated_at.eq(t),
                ))
                .returning(reviews::all_columns);
            match (&mut *c, staging.as_ref()) {
                (DbConn::Pg(pg), Some(entry)) => staged(pg, insert, entry)?,
                (c, _) => Some(native!(c, |c| insert.get_result(c))?),
            }
        }
        Some(row) => {
            let update = Update {
                id: row.id,
                expected,
                status: w.status.as_str(),
                scores: &scores,
                comment_applicant: w.comment_applicant,
                comment_private: w.comment_private,
                submitted_at: row.submitted_at.or(submitted_at),
                updated_at: t,
            };
            match (&mut *c, staging.as_ref()) {
                (DbConn::Pg(pg), Some(entry)) => staged(pg, update, entry)?,
                (c, _) => native!(c, |c| update.get_result(c).optional())?,
            }
        }
    };
    if let Some(s) = staging.filter(|_| !pg && saved.is_some()) {
        crate::audit::append(c, s)?;
    }
    Ok(saved)
}

/// `save` with its audit entry staged by the same statement (PostgreSQL).
fn staged<Q>(pg: &mut PgConnection, save: Q, entry: &Staging<'_>) -> QueryResult<Option<ReviewRow>>
where
    Q: QueryFragment<Pg> + QueryId,
{
    let suffix = entry.suffix(None);
    let row = Staged {
        save,
        entry,
        suffix,
    }
    .get_result::<(ReviewRow, Option<i64>)>(pg)
    .optional()?;
    Ok(row.map(|(row, _)| row))
}

/// Rewrites the contest's review comments that `scrub` changes (erasure: judges name the
/// start-up in its own reviews and compare others to it); returns how many.
pub fn scrub_comments(
    c: &mut DbConn,
    contest_id: i64,
    scrub: crate::db::Scrub,
) -> Result<usize, AppError> {
    let rounds = rounds::table
        .filter(rounds::contest_id.eq(contest_id))
        .select(rounds::id);
    let rows: Vec<(i64, String, String)> = reviews::table
        .inner_join(assignments::table)
        .filter(assignments::round_id.eq_any(rounds))
        .select((
            reviews::id,
            reviews::comment_applicant,
            reviews::comment_private,
        ))
        .load(c)?;
    let mut changed = 0;
    for (id, public, private) in rows {
        let (p, q) = (scrub(&public), scrub(&private));
        if p.is_some() || q.is_some() {
            diesel::update(reviews::table.find(id))
                .set((
                    reviews::comment_applicant.eq(p.unwrap_or(public)),
                    reviews::comment_private.eq(q.unwrap_or(private)),
                ))
                .execute(c)?;
            changed += 1;
        }
    }
    Ok(changed)
}
