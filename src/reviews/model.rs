//! Review rows.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::api::Review;
pub use super::status::ReviewStatus;
use crate::assignments::model::AssignmentRow;
use crate::db::schema::{assignments, reviews, rounds};
use crate::db::{DbConn, now};
use crate::error::AppError;
use crate::rounds::model::RoundRow;

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
/// `current` is the stored row the caller read in this transaction; the saved row comes back
/// from the same statement (`RETURNING`), None when the version did not match.
pub fn save(
    c: &mut DbConn,
    assignment_id: i64,
    current: Option<&ReviewRow>,
    w: &Write<'_>,
    expected: Option<i32>,
) -> Result<Option<ReviewRow>, AppError> {
    let scores = serde_json::to_string(w.scores).map_err(AppError::internal)?;
    let t = now();
    let submitted_at = (w.status == ReviewStatus::Submitted).then_some(t);
    match current {
        None => {
            if expected.is_some_and(|v| v != 0) {
                return Ok(None);
            }
            Ok(Some(
                diesel::insert_into(reviews::table)
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
                    .returning(reviews::all_columns)
                    .get_result(c)?,
            ))
        }
        Some(row) => Ok(super::update::Update {
            id: row.id,
            expected,
            status: w.status.as_str(),
            scores: &scores,
            comment_applicant: w.comment_applicant,
            comment_private: w.comment_private,
            submitted_at: row.submitted_at.or(submitted_at),
            updated_at: t,
        }
        .get_result(c)
        .optional()?),
    }
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
