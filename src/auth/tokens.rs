//! Secrets handed to people (refresh cookies, setup, verification, reset and invitation links).
//! Only their SHA-256 is stored, so a database leak does not leak usable links or sessions.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::schema::{one_time_tokens, refresh_tokens};
use crate::db::{DbConn, now};
use crate::error::AppError;

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn digest(raw: &str) -> String {
    hex::encode(Sha256::digest(raw.as_bytes()))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Setup,
    VerifyEmail,
    PasswordReset,
    Invitation,
    /// The second step of a sign-in with two-factor; `payload` counts wrong codes.
    TwoFactorLogin,
    /// A mailed link that proves an audience member's address for one vote; `payload` is the
    /// vote's id.
    AudienceEmail,
}

impl Purpose {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Purpose::Setup => "setup",
            Purpose::VerifyEmail => "verify_email",
            Purpose::PasswordReset => "password_reset",
            Purpose::Invitation => "invitation",
            Purpose::TwoFactorLogin => "two_factor_login",
            Purpose::AudienceEmail => "audience_email",
        }
    }
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = one_time_tokens)]
pub struct OneTimeToken {
    pub id: i64,
    pub user_id: Option<i64>,
    pub email: Option<String>,
    pub payload: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

/// Creates a link token and returns the raw secret (shown or mailed once, never stored).
pub fn create_one_time(
    conn: &mut DbConn,
    purpose: Purpose,
    user_id: Option<i64>,
    email: Option<&str>,
    payload: &str,
    ttl: Duration,
) -> Result<String, AppError> {
    let raw = random_token();
    let t = now();
    diesel::insert_into(one_time_tokens::table)
        .values((
            one_time_tokens::purpose.eq(purpose.as_str()),
            one_time_tokens::token_hash.eq(digest(&raw)),
            one_time_tokens::user_id.eq(user_id),
            one_time_tokens::email.eq(email),
            one_time_tokens::payload.eq(payload),
            one_time_tokens::expires_at.eq(t + ttl),
            one_time_tokens::created_at.eq(t),
        ))
        .execute(conn)?;
    Ok(raw)
}

/// The token if it exists for this purpose, is unused and unexpired.
pub fn find_valid(
    conn: &mut DbConn,
    purpose: Purpose,
    raw: &str,
) -> Result<Option<OneTimeToken>, AppError> {
    let token = one_time_tokens::table
        .filter(one_time_tokens::token_hash.eq(digest(raw)))
        .filter(one_time_tokens::purpose.eq(purpose.as_str()))
        .select(OneTimeToken::as_select())
        .first(conn)
        .optional()?;
    Ok(token.filter(|t| t.used_at.is_none() && t.expires_at > now()))
}

/// Marks the token used; the conditional update makes a concurrent second use fail.
pub fn consume(
    conn: &mut DbConn,
    purpose: Purpose,
    raw: &str,
) -> Result<Option<OneTimeToken>, AppError> {
    let Some(token) = find_valid(conn, purpose, raw)? else {
        return Ok(None);
    };
    let n = diesel::update(one_time_tokens::table.find(token.id))
        .filter(one_time_tokens::used_at.is_null())
        .set(one_time_tokens::used_at.eq(now()))
        .execute(conn)?;
    Ok((n == 1).then_some(token))
}

/// Marks the token used whatever its state (a challenge out of attempts).
pub fn use_up(conn: &mut DbConn, id: i64) -> Result<(), AppError> {
    diesel::update(one_time_tokens::table.find(id))
        .set(one_time_tokens::used_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

/// Replaces the token's payload (a challenge counts its failed attempts there).
pub fn set_payload(conn: &mut DbConn, id: i64, payload: &str) -> Result<(), AppError> {
    diesel::update(one_time_tokens::table.find(id))
        .set(one_time_tokens::payload.eq(payload))
        .execute(conn)?;
    Ok(())
}

/// Ends a user's unused tokens of a purpose (a re-sent invitation replaces the old link).
pub fn expire_for_user(conn: &mut DbConn, purpose: Purpose, user_id: i64) -> Result<(), AppError> {
    diesel::update(one_time_tokens::table)
        .filter(one_time_tokens::purpose.eq(purpose.as_str()))
        .filter(one_time_tokens::user_id.eq(user_id))
        .filter(one_time_tokens::used_at.is_null())
        .set(one_time_tokens::used_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

/// After a password is set, no link mailed before may reset it again or sign in: the unused
/// reset and verification links of the user end.
pub fn expire_links(conn: &mut DbConn, user_id: i64) -> Result<(), AppError> {
    expire_for_user(conn, Purpose::PasswordReset, user_id)?;
    expire_for_user(conn, Purpose::VerifyEmail, user_id)
}

/// Ends every unused token of a purpose (a new setup link replaces the old one).
pub fn expire_all(conn: &mut DbConn, purpose: Purpose) -> Result<(), AppError> {
    diesel::update(one_time_tokens::table)
        .filter(one_time_tokens::purpose.eq(purpose.as_str()))
        .filter(one_time_tokens::used_at.is_null())
        .set(one_time_tokens::used_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
struct RefreshRow {
    id: i64,
    user_id: i64,
    family: String,
    expires_at: NaiveDateTime,
    rotated_at: Option<NaiveDateTime>,
    revoked_at: Option<NaiveDateTime>,
}

/// Refresh tokens rotate on every use. Presenting an already-rotated token means it was copied:
/// the whole family (every descendant) is revoked. Within a short grace window a second use is
/// answered with a plain refusal instead, because two tabs refreshing at once is not an attack.
const REUSE_GRACE_SECS: i64 = 10;

pub enum Rotation {
    Rotated { user_id: i64, new: Refresh },
    Refused,
    ReuseDetected { user_id: i64 },
}

/// A refresh token as handed out: the raw secret for the cookie, and the session (family) it
/// belongs to, which the access tokens of the session name so that ending it ends them.
pub struct Refresh {
    pub raw: String,
    pub family: String,
}

pub fn start_session(conn: &mut DbConn, user_id: i64, ttl_secs: i64) -> Result<Refresh, AppError> {
    insert_refresh(conn, user_id, &random_token(), ttl_secs)
}

fn insert_refresh(
    conn: &mut DbConn,
    user_id: i64,
    family: &str,
    ttl_secs: i64,
) -> Result<Refresh, AppError> {
    let raw = random_token();
    let t = now();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family.eq(family),
            refresh_tokens::token_hash.eq(digest(&raw)),
            refresh_tokens::expires_at.eq(t + Duration::seconds(ttl_secs)),
            refresh_tokens::created_at.eq(t),
        ))
        .execute(conn)?;
    Ok(Refresh {
        raw,
        family: family.to_string(),
    })
}

pub fn rotate(conn: &mut DbConn, raw: &str, ttl_secs: i64) -> Result<Rotation, AppError> {
    let row = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(digest(raw)))
        .select(RefreshRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(Rotation::Refused);
    };
    let t = now();
    if row.revoked_at.is_some() || row.expires_at <= t {
        return Ok(Rotation::Refused);
    }
    if let Some(rotated) = row.rotated_at {
        if (t - rotated).num_seconds() < REUSE_GRACE_SECS {
            return Ok(Rotation::Refused);
        }
        revoke_family(conn, &row.family)?;
        return Ok(Rotation::ReuseDetected {
            user_id: row.user_id,
        });
    }
    let n = diesel::update(refresh_tokens::table.find(row.id))
        .filter(refresh_tokens::rotated_at.is_null())
        .set(refresh_tokens::rotated_at.eq(t))
        .execute(conn)?;
    if n != 1 {
        return Ok(Rotation::Refused);
    }
    let new = insert_refresh(conn, row.user_id, &row.family, ttl_secs)?;
    Ok(Rotation::Rotated {
        user_id: row.user_id,
        new,
    })
}

/// Ends one session: its refresh tokens and, through the extractor's check, its access tokens.
pub fn revoke_family(conn: &mut DbConn, family: &str) -> Result<(), AppError> {
    diesel::update(refresh_tokens::table)
        .filter(refresh_tokens::family.eq(family))
        .filter(refresh_tokens::revoked_at.is_null())
        .set(refresh_tokens::revoked_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

/// Logs out the session that owns `raw` (its whole family).
pub fn end_session(conn: &mut DbConn, raw: &str) -> Result<(), AppError> {
    let family: Option<String> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(digest(raw)))
        .select(refresh_tokens::family)
        .first(conn)
        .optional()?;
    if let Some(family) = family {
        revoke_family(conn, &family)?;
    }
    Ok(())
}

pub fn end_all_sessions(conn: &mut DbConn, user_id: i64) -> Result<(), AppError> {
    diesel::update(refresh_tokens::table)
        .filter(refresh_tokens::user_id.eq(user_id))
        .filter(refresh_tokens::revoked_at.is_null())
        .set(refresh_tokens::revoked_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

/// Deletes every session and link of a user, and every link sent to `email` (a deleted
/// account keeps nothing that could sign in or identify it).
pub fn forget_user(conn: &mut DbConn, user_id: i64, email: &str) -> Result<(), AppError> {
    diesel::delete(refresh_tokens::table.filter(refresh_tokens::user_id.eq(user_id)))
        .execute(conn)?;
    diesel::delete(
        one_time_tokens::table.filter(
            one_time_tokens::user_id
                .eq(user_id)
                .or(one_time_tokens::email.eq(email)),
        ),
    )
    .execute(conn)?;
    Ok(())
}
