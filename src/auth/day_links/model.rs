//! The `day_links` table: one-time sign-in links for a judge of a contest on the day of the
//! final. Like every link Jury hands out (`auth::tokens`), only the SHA-256 of the secret is
//! stored; a conditional update makes a second, concurrent use fail.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::tokens::{digest, random_token};
use crate::db::schema::day_links;
use crate::db::{DbConn, now};
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = day_links)]
pub struct DayLinkRow {
    pub id: i64,
    pub contest_id: i64,
    pub user_id: i64,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// What a link is now; `Issued` is the only state in which it signs anyone in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    Issued,
    Used,
    Expired,
    Revoked,
}

impl LinkState {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Issued => "issued",
            LinkState::Used => "used",
            LinkState::Expired => "expired",
            LinkState::Revoked => "revoked",
        }
    }
}

impl DayLinkRow {
    pub fn state(&self, at: NaiveDateTime) -> LinkState {
        if self.revoked_at.is_some() {
            LinkState::Revoked
        } else if self.used_at.is_some() {
            LinkState::Used
        } else if self.expires_at <= at {
            LinkState::Expired
        } else {
            LinkState::Issued
        }
    }
}

/// Creates a link and returns its id and raw secret (shown or mailed once, never stored).
pub fn insert(
    c: &mut DbConn,
    contest_id: i64,
    user_id: i64,
    created_by: i64,
    expires_at: NaiveDateTime,
) -> Result<(i64, String), AppError> {
    let raw = random_token();
    let id = diesel::insert_into(day_links::table)
        .values((
            day_links::contest_id.eq(contest_id),
            day_links::user_id.eq(user_id),
            day_links::token_hash.eq(digest(&raw)),
            day_links::created_by.eq(created_by),
            day_links::created_at.eq(now()),
            day_links::expires_at.eq(expires_at),
        ))
        .returning(day_links::id)
        .get_result(c)?;
    Ok((id, raw))
}

pub fn find(c: &mut DbConn, id: i64) -> Result<Option<DayLinkRow>, AppError> {
    Ok(day_links::table
        .find(id)
        .select(DayLinkRow::as_select())
        .first(c)
        .optional()?)
}

pub fn find_by_secret(c: &mut DbConn, raw: &str) -> Result<Option<DayLinkRow>, AppError> {
    Ok(day_links::table
        .filter(day_links::token_hash.eq(digest(raw)))
        .select(DayLinkRow::as_select())
        .first(c)
        .optional()?)
}

/// Every link of a contest, newest first.
pub fn for_contest(c: &mut DbConn, contest_id: i64) -> Result<Vec<DayLinkRow>, AppError> {
    Ok(day_links::table
        .filter(day_links::contest_id.eq(contest_id))
        .order(day_links::id.desc())
        .select(DayLinkRow::as_select())
        .load(c)?)
}

/// Marks a link used if it still signs in; false when another request used it first.
pub fn consume(c: &mut DbConn, id: i64) -> Result<bool, AppError> {
    let t = now();
    let n = diesel::update(day_links::table.find(id))
        .filter(day_links::used_at.is_null())
        .filter(day_links::revoked_at.is_null())
        .filter(day_links::expires_at.gt(t))
        .set(day_links::used_at.eq(t))
        .execute(c)?;
    Ok(n == 1)
}

/// Revokes a link that was neither used nor revoked; false when there was nothing to revoke.
pub fn revoke(c: &mut DbConn, id: i64) -> Result<bool, AppError> {
    let n = diesel::update(day_links::table.find(id))
        .filter(day_links::used_at.is_null())
        .filter(day_links::revoked_at.is_null())
        .set(day_links::revoked_at.eq(now()))
        .execute(c)?;
    Ok(n == 1)
}

/// Revokes every unused link of a judge for a contest (a new link replaces the old one).
/// Returns the revoked links' ids.
pub fn revoke_open(c: &mut DbConn, contest_id: i64, user_id: i64) -> Result<Vec<i64>, AppError> {
    let t = now();
    let ids: Vec<i64> = day_links::table
        .filter(day_links::contest_id.eq(contest_id))
        .filter(day_links::user_id.eq(user_id))
        .filter(day_links::used_at.is_null())
        .filter(day_links::revoked_at.is_null())
        .filter(day_links::expires_at.gt(t))
        .select(day_links::id)
        .load(c)?;
    diesel::update(day_links::table.filter(day_links::id.eq_any(&ids)))
        .set(day_links::revoked_at.eq(t))
        .execute(c)?;
    Ok(ids)
}
