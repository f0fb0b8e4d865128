//! Two-factor enrolment and its rows: set-up, codes, recovery codes, turning it off. Every
//! change is audited in its own transaction; enabling and disabling mail a notice.

use diesel::prelude::*;
use serde_json::json;

use super::api::{
    DisableRequest, QrMatrix, RecoveryCodes, RegenerateRequest, SetupResponse, TwoFactorStatus,
};
use super::model::{self as secrets, TwoFactorRow, find};
use crate::audit::Entry;
use crate::auth::extract::AuthUser;
use crate::auth::model::{self, Role, UserRow};
use crate::auth::tokens;
use crate::auth::totp::{self, SecretBox};
use crate::db::schema::recovery_codes;
use crate::db::{self, DbConn, now};
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;
use crate::unit::{self, Tx};

pub(super) fn secret_box(state: &AppState) -> Result<SecretBox, AppError> {
    SecretBox::from_server_secret(&state.config.jwt_secret).map_err(AppError::internal)
}

fn invalid_code() -> AppError {
    AppError::field("code", "invalid_code")
}

/// Judges and administrators only; applicants sign in with their password alone.
pub fn check_role(user: &AuthUser) -> Result<(), AppError> {
    match user.role {
        Role::Applicant => Err(AppError::Refused {
            code: ErrorCode::TwoFactorNotAvailable,
            message: "two-factor sign-in is for judges and administrators".into(),
        }),
        _ => Ok(()),
    }
}

async fn check_password(state: &AppState, user_id: i64, password: String) -> Result<(), AppError> {
    let stored = db::run(&state.db, move |c| model::find_by_id(c, user_id))
        .await?
        .and_then(|u| u.password_hash);
    if state.hasher.verify(password, stored).await?.ok {
        Ok(())
    } else {
        Err(AppError::field("password", "incorrect"))
    }
}

/// Accepts a TOTP code once: the matching step must be newer than the last one used, and the
/// conditional update makes two concurrent uses of one code fail for the second.
pub(super) fn accept_code(
    c: &mut DbConn,
    sealer: &SecretBox,
    row: &TwoFactorRow,
    code: &str,
) -> Result<bool, AppError> {
    let secret = sealer
        .open(row.user_id, &row.secret_sealed)
        .map_err(AppError::internal)?;
    let now_step = totp::step_at(chrono::Utc::now().timestamp());
    let Some(step) = totp::matching_step(&secret, code, now_step, row.last_step) else {
        return Ok(false);
    };
    secrets::use_step(c, row.user_id, step)
}

pub(super) fn use_recovery_code(
    c: &mut DbConn,
    user_id: i64,
    code: &str,
) -> Result<bool, AppError> {
    let hash = tokens::digest(&totp::normalize_recovery_code(code));
    secrets::use_recovery_code(c, user_id, &hash)
}

pub(super) fn codes_left(c: &mut DbConn, user_id: i64) -> Result<i64, AppError> {
    Ok(recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(c)?)
}

/// Replaces the user's recovery codes with ten new ones and returns them (the only time they
/// exist in clear).
fn replace_recovery_codes(c: &mut DbConn, user_id: i64) -> Result<Vec<String>, AppError> {
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|code| tokens::digest(&totp::normalize_recovery_code(code)))
        .collect();
    secrets::replace_recovery_codes(c, user_id, &hashes)?;
    Ok(codes)
}

pub(super) fn record(
    c: &mut Tx<'_>,
    user_id: i64,
    action: &str,
    details: serde_json::Value,
) -> Result<(), AppError> {
    c.audit(Entry {
        actor_id: Some(user_id),
        action,
        entity: "user",
        entity_id: Some(user_id.to_string()),
        details,
    })
}

/// Where security notices point: the account screen's two-factor section.
fn account_link(state: &AppState) -> String {
    format!("{}/account#two-factor", state.config.public_url)
}

fn notify(
    tx: &mut Tx<'_>,
    link: String,
    user: &UserRow,
    template: &'static str,
) -> Result<(), AppError> {
    let t = now();
    tx.mail_for(
        user,
        template,
        format!("{template}:{}:{}", user.id, t.and_utc().timestamp_micros()),
        vec![
            ("name", user.name.clone()),
            ("email", user.email.clone()),
            ("when", t.format("%Y-%m-%d %H:%M").to_string()),
            ("link", link),
        ],
    )?;
    Ok(())
}

pub async fn status(state: &AppState, user: &AuthUser) -> Result<TwoFactorStatus, AppError> {
    check_role(user)?;
    let id = user.id;
    let (row, left) = db::run(&state.db, move |c| Ok((find(c, id)?, codes_left(c, id)?))).await?;
    let enabled = row.as_ref().is_some_and(|r| r.enabled_at.is_some());
    Ok(TwoFactorStatus {
        enabled,
        pending: row.is_some() && !enabled,
        recovery_codes_left: if enabled { left } else { 0 },
        required: user.role == Role::Admin && state.config.require_admin_2fa,
    })
}

/// Starts (or restarts) enrolment with a fresh secret; nothing changes at sign-in until
/// `enable` confirms a code from it.
pub async fn setup(
    state: &AppState,
    user: &AuthUser,
    password: String,
) -> Result<SetupResponse, AppError> {
    check_role(user)?;
    check_password(state, user.id, password).await?;
    let secret = totp::new_secret();
    let sealed = secret_box(state)?
        .seal(user.id, &secret)
        .map_err(AppError::internal)?;
    let id = user.id;
    unit::write(state, move |c| {
        match find(c, id)? {
            Some(row) if row.enabled_at.is_some() => {
                return Err(AppError::conflict(
                    ErrorCode::TwoFactorAlreadyEnabled,
                    "two-factor sign-in is already on; turn it off first to change the app",
                ));
            }
            Some(_) => secrets::replace_secret(c, id, &sealed)?,
            None => secrets::insert(c, id, &sealed)?,
        }
        record(c, id, "user.two_factor_setup_started", json!({}))
    })
    .await?;
    let b32 = totp::base32_encode(&secret);
    let uri = totp::otpauth_uri(&b32, &user.email);
    let rows = totp::qr_rows(&uri).map_err(AppError::internal)?;
    Ok(SetupResponse {
        secret: b32,
        otpauth_uri: uri,
        qr: QrMatrix {
            size: rows.len(),
            rows,
        },
    })
}

/// Confirms enrolment with a first code; returns the recovery codes (shown once).
pub async fn enable(
    state: &AppState,
    user: &AuthUser,
    code: String,
) -> Result<RecoveryCodes, AppError> {
    check_role(user)?;
    let sealer = secret_box(state)?;
    let id = user.id;
    let link = account_link(state);
    let codes = unit::write(state, move |c| {
        let row = match find(c, id)? {
            Some(row) if row.enabled_at.is_some() => {
                return Err(AppError::conflict(
                    ErrorCode::TwoFactorAlreadyEnabled,
                    "two-factor sign-in is already on",
                ));
            }
            Some(row) => row,
            None => {
                return Err(AppError::conflict(
                    ErrorCode::TwoFactorNotSetUp,
                    "start with the set-up step",
                ));
            }
        };
        if !accept_code(c, &sealer, &row, &code)? {
            return Err(invalid_code());
        }
        secrets::enable(c, id)?;
        let codes = replace_recovery_codes(c, id)?;
        record(
            c,
            id,
            "user.two_factor_enabled",
            json!({"recovery_codes": codes.len()}),
        )?;
        let user = model::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
        notify(c, link, &user, "two_factor_enabled")?;
        Ok(codes)
    })
    .await?;
    Ok(RecoveryCodes {
        recovery_codes: codes,
    })
}

/// Checks the second factor of a `/me/2fa/*` request: a code, or else a recovery code.
fn second_factor(
    c: &mut DbConn,
    sealer: &SecretBox,
    row: &TwoFactorRow,
    code: Option<&str>,
    recovery: Option<&str>,
) -> Result<(), AppError> {
    let ok = match (code.filter(|s| !s.trim().is_empty()), recovery) {
        (Some(code), _) => accept_code(c, sealer, row, code)?,
        (None, Some(r)) if !r.trim().is_empty() => use_recovery_code(c, row.user_id, r)?,
        _ => return Err(AppError::field("code", "required")),
    };
    if ok { Ok(()) } else { Err(invalid_code()) }
}

fn enabled_row(c: &mut DbConn, id: i64) -> Result<TwoFactorRow, AppError> {
    find(c, id)?
        .filter(|r| r.enabled_at.is_some())
        .ok_or_else(|| {
            AppError::conflict(ErrorCode::TwoFactorNotEnabled, "two-factor sign-in is off")
        })
}

/// Turns two-factor sign-in off: password and a code (or a recovery code).
pub async fn disable(
    state: &AppState,
    user: &AuthUser,
    req: DisableRequest,
) -> Result<(), AppError> {
    check_role(user)?;
    check_password(state, user.id, req.password).await?;
    let sealer = secret_box(state)?;
    let id = user.id;
    let link = account_link(state);
    unit::write(state, move |c| {
        let row = enabled_row(c, id)?;
        second_factor(
            c,
            &sealer,
            &row,
            req.code.as_deref(),
            req.recovery_code.as_deref(),
        )?;
        secrets::remove(c, id)?;
        let by = if req.code.as_deref().is_some_and(|s| !s.trim().is_empty()) {
            "code"
        } else {
            "recovery_code"
        };
        record(
            c,
            id,
            "user.two_factor_disabled",
            json!({"confirmed_with": by}),
        )?;
        let user = model::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
        notify(c, link, &user, "two_factor_disabled")
    })
    .await
}

/// New recovery codes (the old ones stop working): password and a current code.
pub async fn regenerate(
    state: &AppState,
    user: &AuthUser,
    req: RegenerateRequest,
) -> Result<RecoveryCodes, AppError> {
    check_role(user)?;
    check_password(state, user.id, req.password).await?;
    let sealer = secret_box(state)?;
    let id = user.id;
    let codes = unit::write(state, move |c| {
        let row = enabled_row(c, id)?;
        second_factor(c, &sealer, &row, Some(req.code.as_str()), None)?;
        let codes = replace_recovery_codes(c, id)?;
        record(
            c,
            id,
            "user.recovery_codes_regenerated",
            json!({"recovery_codes": codes.len()}),
        )?;
        Ok(codes)
    })
    .await?;
    Ok(RecoveryCodes {
        recovery_codes: codes,
    })
}
