//! Organiser rows (issue 22): an organisation of a joint contest runs its own preliminaries
//! with its own staff and judges. Its name is JSON `{"en", "ko", "zh"}`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::api::Organisation;
use crate::db::schema::{organisations, users};
use crate::db::{DbConn, now};
use crate::error::AppError;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct OrganisationRow {
    pub id: i64,
    pub contest_id: i64,
    pub name: String,
    pub region: String,
    pub created_at: NaiveDateTime,
}

impl OrganisationRow {
    pub fn to_api(&self, staff: i64) -> Result<Organisation, AppError> {
        Ok(Organisation {
            id: self.id,
            contest_id: self.contest_id,
            name: serde_json::from_str(&self.name).map_err(AppError::internal)?,
            region: self.region.clone(),
            staff,
        })
    }
}

pub fn find(c: &mut DbConn, id: i64) -> Result<OrganisationRow, AppError> {
    Ok(organisations::table
        .find(id)
        .select(OrganisationRow::as_select())
        .first(c)?)
}

/// The organisation exists and belongs to the contest.
pub fn of_contest(c: &mut DbConn, id: i64, contest_id: i64) -> Result<bool, AppError> {
    Ok(organisations::table
        .filter(organisations::id.eq(id))
        .filter(organisations::contest_id.eq(contest_id))
        .count()
        .get_result::<i64>(c)?
        > 0)
}

pub fn list(c: &mut DbConn, contest_id: i64) -> Result<Vec<OrganisationRow>, AppError> {
    Ok(organisations::table
        .filter(organisations::contest_id.eq(contest_id))
        .order(organisations::id.asc())
        .select(OrganisationRow::as_select())
        .load(c)?)
}

pub fn insert(c: &mut DbConn, contest_id: i64, name: &str, region: &str) -> Result<i64, AppError> {
    Ok(diesel::insert_into(organisations::table)
        .values((
            organisations::contest_id.eq(contest_id),
            organisations::name.eq(name),
            organisations::region.eq(region),
            organisations::created_at.eq(now()),
        ))
        .returning(organisations::id)
        .get_result(c)?)
}

pub fn update(c: &mut DbConn, id: i64, name: &str, region: &str) -> Result<(), AppError> {
    diesel::update(organisations::table.find(id))
        .set((
            organisations::name.eq(name),
            organisations::region.eq(region),
        ))
        .execute(c)?;
    Ok(())
}

/// The staff accounts of an organisation: (id, email, name, accepted).
pub fn staff(c: &mut DbConn, id: i64) -> Result<Vec<(i64, String, String, bool)>, AppError> {
    Ok(users::table
        .filter(users::organisation_id.eq(id))
        .order(users::id.asc())
        .select((
            users::id,
            users::email,
            users::name,
            users::password_hash.is_not_null(),
        ))
        .load(c)?)
}
