//! The `two_factor` row of a user. Kept apart from the enrolment flows, which take an
//! `AuthUser`, so the extractors can read it without an import cycle.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::two_factor;
use crate::error::AppError;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = two_factor)]
pub(crate) struct TwoFactorRow {
    pub(crate) user_id: i64,
    pub(crate) secret_sealed: String,
    pub(crate) enabled_at: Option<NaiveDateTime>,
    pub(crate) last_step: Option<i64>,
}

pub(crate) fn find(c: &mut DbConn, user_id: i64) -> Result<Option<TwoFactorRow>, AppError> {
    Ok(two_factor::table
        .find(user_id)
        .select(TwoFactorRow::as_select())
        .first(c)
        .optional()?)
}
