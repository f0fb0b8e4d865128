//! The `two_factor` row of a user and their recovery codes. Kept apart from the enrolment
//! flows, which take an `AuthUser`, so the extractors can read it without an import cycle.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{recovery_codes, two_factor};
use crate::db::{DbConn, now};
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

/// A new secret, not yet confirmed (`enabled_at` stays empty until `enable`).
pub(crate) fn insert(c: &mut DbConn, user_id: i64, sealed: &str) -> Result<(), AppError> {
    let t = now();
    diesel::insert_into(two_factor::table)
        .values((
            two_factor::user_id.eq(user_id),
            two_factor::secret_sealed.eq(sealed),
            two_factor::created_at.eq(t),
            two_factor::updated_at.eq(t),
        ))
        .execute(c)?;
    Ok(())
}

/// Replaces a secret not yet confirmed, forgetting the last step used with the old one.
pub(crate) fn replace_secret(c: &mut DbConn, user_id: i64, sealed: &str) -> Result<(), AppError> {
    diesel::update(two_factor::table.find(user_id))
        .set((
            two_factor::secret_sealed.eq(sealed),
            two_factor::last_step.eq(None::<i64>),
            two_factor::updated_at.eq(now()),
        ))
        .execute(c)?;
    Ok(())
}

pub(crate) fn enable(c: &mut DbConn, user_id: i64) -> Result<(), AppError> {
    let t = now();
    diesel::update(two_factor::table.find(user_id))
        .set((two_factor::enabled_at.eq(t), two_factor::updated_at.eq(t)))
        .execute(c)?;
    Ok(())
}

/// Records `step` as used; false when it or a later one already was (a replayed code).
pub(crate) fn use_step(c: &mut DbConn, user_id: i64, step: i64) -> Result<bool, AppError> {
    let n = diesel::update(two_factor::table.find(user_id))
        .filter(
            two_factor::last_step
                .is_null()
                .or(two_factor::last_step.lt(step)),
        )
        .set((
            two_factor::last_step.eq(step),
            two_factor::updated_at.eq(now()),
        ))
        .execute(c)?;
    Ok(n == 1)
}

/// Marks the unused recovery code with this hash used; false when there is none.
pub(crate) fn use_recovery_code(
    c: &mut DbConn,
    user_id: i64,
    hash: &str,
) -> Result<bool, AppError> {
    let n = diesel::update(recovery_codes::table)
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::code_hash.eq(hash))
        .filter(recovery_codes::used_at.is_null())
        .set(recovery_codes::used_at.eq(now()))
        .execute(c)?;
    Ok(n == 1)
}

/// Replaces the user's recovery codes by these (hashed) ones.
pub(crate) fn replace_recovery_codes(
    c: &mut DbConn,
    user_id: i64,
    hashes: &[String],
) -> Result<(), AppError> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(c)?;
    let t = now();
    for hash in hashes {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::user_id.eq(user_id),
                recovery_codes::code_hash.eq(hash),
                recovery_codes::created_at.eq(t),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// Turns two-factor sign-in off: the secret and the recovery codes go.
pub(crate) fn remove(c: &mut DbConn, user_id: i64) -> Result<(), AppError> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(c)?;
    diesel::delete(two_factor::table.find(user_id)).execute(c)?;
    Ok(())
}
