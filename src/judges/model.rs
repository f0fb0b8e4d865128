//! Judge profile, contest membership and conflict rows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::api::{Affiliation, JudgeProfile};
use crate::db::schema::{applications, conflicts, contest_judges, judge_profiles};
use crate::db::{DbConn, now};
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = judge_profiles)]
pub struct ProfileRow {
    pub user_id: i64,
    pub organization: String,
    pub region: String,
    pub expertise: String,
    pub languages: String,
    pub capacity: i32,
    pub reminders: bool,
    pub updated_at: NaiveDateTime,
    /// JSON array of `api::Affiliation`.
    pub affiliations: String,
}

impl ProfileRow {
    pub fn to_api(&self) -> JudgeProfile {
        JudgeProfile {
            organization: self.organization.clone(),
            affiliations: self.affiliations(),
            region: self.region.clone(),
            expertise: serde_json::from_str(&self.expertise).unwrap_or_default(),
            languages: serde_json::from_str(&self.languages).unwrap_or_default(),
            capacity: self.capacity,
            reminders: self.reminders,
        }
    }

    pub fn from_api(user_id: i64, p: &JudgeProfile) -> Result<ProfileRow, AppError> {
        Ok(ProfileRow {
            user_id,
            organization: p.organization.trim().to_string(),
            region: p.region.clone(),
            expertise: serde_json::to_string(&p.expertise).map_err(AppError::internal)?,
            languages: serde_json::to_string(&p.languages).map_err(AppError::internal)?,
            capacity: p.capacity,
            reminders: p.reminders,
            updated_at: now(),
            affiliations: serde_json::to_string(&p.affiliations).map_err(AppError::internal)?,
        })
    }

    pub fn affiliations(&self) -> Vec<Affiliation> {
        parse_affiliations(&self.affiliations)
    }
}

/// The stored list; a row written before the column existed reads as none.
pub fn parse_affiliations(json: &str) -> Vec<Affiliation> {
    serde_json::from_str(json).unwrap_or_default()
}

pub fn profile(c: &mut DbConn, user_id: i64) -> Result<Option<ProfileRow>, AppError> {
    Ok(judge_profiles::table
        .find(user_id)
        .select(ProfileRow::as_select())
        .first(c)
        .optional()?)
}

/// Insert or replace (select-then-write: `MultiConnection` has no ON CONFLICT).
pub fn save_profile(c: &mut DbConn, row: &ProfileRow) -> Result<(), AppError> {
    if profile(c, row.user_id)?.is_some() {
        diesel::update(judge_profiles::table.find(row.user_id))
            .set(row)
            .execute(c)?;
    } else {
        diesel::insert_into(judge_profiles::table)
            .values(row)
            .execute(c)?;
    }
    Ok(())
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = contest_judges)]
pub struct Membership {
    pub id: i64,
    pub contest_id: i64,
    pub user_id: i64,
    pub invited_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    /// The organisation whose staff invited the judge; none when an owner did.
    pub organisation_id: Option<i64>,
}

pub fn membership(
    c: &mut DbConn,
    contest_id: i64,
    user_id: i64,
) -> Result<Option<Membership>, AppError> {
    Ok(contest_judges::table
        .filter(contest_judges::contest_id.eq(contest_id))
        .filter(contest_judges::user_id.eq(user_id))
        .select(Membership::as_select())
        .first(c)
        .optional()?)
}

pub fn add_member(
    c: &mut DbConn,
    contest_id: i64,
    user_id: i64,
    organisation: Option<i64>,
) -> Result<(), AppError> {
    if membership(c, contest_id, user_id)?.is_none() {
        diesel::insert_into(contest_judges::table)
            .values((
                contest_judges::contest_id.eq(contest_id),
                contest_judges::user_id.eq(user_id),
                contest_judges::invited_at.eq(now()),
                contest_judges::organisation_id.eq(organisation),
            ))
            .execute(c)?;
    }
    Ok(())
}

pub fn accept_all(c: &mut DbConn, user_id: i64) -> Result<(), AppError> {
    diesel::update(contest_judges::table)
        .filter(contest_judges::user_id.eq(user_id))
        .filter(contest_judges::accepted_at.is_null())
        .set(contest_judges::accepted_at.eq(now()))
        .execute(c)?;
    Ok(())
}

pub fn members(c: &mut DbConn, contest_id: i64) -> Result<Vec<Membership>, AppError> {
    Ok(contest_judges::table
        .filter(contest_judges::contest_id.eq(contest_id))
        .order(contest_judges::id.asc())
        .select(Membership::as_select())
        .load(c)?)
}

/// Active conflict between the judge and the application?
pub fn conflict_exists(
    c: &mut DbConn,
    judge_id: i64,
    application_id: i64,
) -> Result<bool, AppError> {
    Ok(conflicts::table
        .filter(conflicts::judge_id.eq(judge_id))
        .filter(conflicts::application_id.eq(application_id))
        .filter(conflicts::lifted_at.is_null())
        .count()
        .get_result::<i64>(c)?
        > 0)
}

/// The conflict row of a pair, lifted or not: (id, lifted at, source).
pub fn conflict(
    c: &mut DbConn,
    judge_id: i64,
    application_id: i64,
) -> Result<Option<(i64, Option<NaiveDateTime>, String)>, AppError> {
    Ok(conflicts::table
        .filter(conflicts::judge_id.eq(judge_id))
        .filter(conflicts::application_id.eq(application_id))
        .select((conflicts::id, conflicts::lifted_at, conflicts::source))
        .first(c)
        .optional()?)
}

pub fn insert_conflict(
    c: &mut DbConn,
    judge_id: i64,
    application_id: i64,
    source: &str,
    reason: &str,
    by: Option<i64>,
) -> Result<(), AppError> {
    diesel::insert_into(conflicts::table)
        .values((
            conflicts::judge_id.eq(judge_id),
            conflicts::application_id.eq(application_id),
            conflicts::source.eq(source),
            conflicts::reason.eq(reason),
            conflicts::created_by.eq(by),
            conflicts::created_at.eq(now()),
        ))
        .execute(c)?;
    Ok(())
}

/// Makes a lifted conflict stand again, as recorded now by `by` from `source`.
pub fn revive_conflict(
    c: &mut DbConn,
    id: i64,
    source: &str,
    reason: &str,
    by: Option<i64>,
) -> Result<(), AppError> {
    diesel::update(conflicts::table.find(id))
        .set((
            conflicts::lifted_at.eq(None::<NaiveDateTime>),
            conflicts::source.eq(source),
            conflicts::reason.eq(reason),
            conflicts::created_by.eq(by),
            conflicts::created_at.eq(now()),
        ))
        .execute(c)?;
    Ok(())
}

pub fn lift_conflict(c: &mut DbConn, id: i64) -> Result<(), AppError> {
    diesel::update(conflicts::table.find(id))
        .set(conflicts::lifted_at.eq(now()))
        .execute(c)?;
    Ok(())
}

/// Rewrites the reasons of the contest's conflicts that `scrub` changes (erasure).
pub fn scrub_conflict_reasons(
    c: &mut DbConn,
    contest_id: i64,
    scrub: crate::db::Scrub,
) -> Result<usize, AppError> {
    let apps = applications::table
        .filter(applications::contest_id.eq(contest_id))
        .select(applications::id);
    let rows: Vec<(i64, String)> = conflicts::table
        .filter(conflicts::application_id.eq_any(apps))
        .select((conflicts::id, conflicts::reason))
        .load(c)?;
    let mut changed = 0;
    for (id, reason) in rows {
        if let Some(r) = scrub(&reason) {
            diesel::update(conflicts::table.find(id))
                .set(conflicts::reason.eq(r))
                .execute(c)?;
            changed += 1;
        }
    }
    Ok(changed)
}
