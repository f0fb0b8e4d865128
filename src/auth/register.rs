//! Self-service accounts for applicants: registration with email verification, resend, and
//! password reset. Every answer that could reveal whether an address is registered is the
//! same either way; the difference only reaches the mailbox's owner.

use chrono::Duration;
use diesel::prelude::*;
use serde_json::json;

use super::api::{check_email, check_locale, check_name};
use super::issue::Session;
use super::model::{self, NewUser, Role, UserRow, normalize_email};
use super::password;
use super::tokens::{self, Purpose};
use crate::audit::Entry;
use crate::db::schema::outbox;
use crate::db::{DbConn, now};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::state::AppState;
use crate::unit::{self, Tx};

const VERIFY_TTL_HOURS: i64 = 24;
const RESET_TTL_MINUTES: i64 = 60;
/// One mail of a kind per account per minute, however often the button is pressed.
const RESEND_GAP_SECS: i64 = 60;

pub struct Registration {
    pub email: String,
    pub password: String,
    pub name: String,
    pub locale: String,
}

fn recently_sent(c: &mut DbConn, template: &str, user_id: i64) -> Result<bool, AppError> {
    let since = now() - Duration::seconds(RESEND_GAP_SECS);
    let n: i64 = outbox::table
        .filter(outbox::template.eq(template))
        .filter(outbox::user_id.eq(user_id))
        .filter(outbox::created_at.gt(since))
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

fn send_verification(c: &mut Tx<'_>, base: &str, user: &UserRow) -> Result<(), AppError> {
    let raw = tokens::create_one_time(
        c,
        Purpose::VerifyEmail,
        Some(user.id),
        Some(&user.email),
        "{}",
        Duration::hours(VERIFY_TTL_HOURS),
    )?;
    c.mail_for(
        user,
        "verify_email",
        format!("verify_email:{}:{}", user.id, &raw[..16]),
        vec![
            ("name", user.name.clone()),
            ("link", format!("{base}/verify-email?token={raw}")),
        ],
    )?;
    Ok(())
}

pub async fn register(state: &AppState, r: Registration) -> Result<(), AppError> {
    let mut e = FieldErrors::default();
    check_name("name", &r.name, &mut e);
    check_email("email", &r.email, &mut e);
    check_locale("locale", &r.locale, &mut e);
    password::check_strength("password", &r.password, &mut e);
    e.into_result()?;
    let hash = state.hasher.hash(r.password).await?;
    let base = state.config.public_url.clone();
    unit::write(state, move |c| {
        let email = normalize_email(&r.email);
        if let Some(existing) = model::find_by_email(c, &email)? {
            // The address is taken: tell its owner, not the requester.
            if !recently_sent(c, "account_exists", existing.id)? {
                c.mail_for(
                    &existing,
                    "account_exists",
                    format!(
                        "account_exists:{}:{}",
                        existing.id,
                        now().and_utc().timestamp() / RESEND_GAP_SECS
                    ),
                    vec![
                        ("name", existing.name.clone()),
                        ("login_link", format!("{base}/login")),
                        ("reset_link", format!("{base}/forgot-password")),
                    ],
                )?;
            }
            return Ok(());
        }
        let t = now();
        let id = model::insert(
            c,
            &NewUser {
                email: &email,
                password_hash: Some(&hash),
                name: r.name.trim(),
                locale: &r.locale,
                role: Role::Applicant.as_str(),
                verified_at: None,
                token_version: 0,
                created_at: t,
                updated_at: t,
            },
        )?;
        let user = model::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
        send_verification(c, &base, &user)?;
        c.audit(Entry {
            actor_id: Some(id),
            action: "user.registered",
            entity: "user",
            entity_id: Some(id.to_string()),
            details: json!({"role": Role::Applicant}),
        })
    })
    .await
}

/// Confirms the address and signs the user in (the link proves they hold the mailbox).
pub async fn verify_email(state: &AppState, token: String) -> Result<Session, AppError> {
    let ttl = state.config.refresh_ttl_secs;
    let (user, refresh) = unit::write(state, move |tx| {
        let c = tx.conn();
        let t = tokens::consume(c, Purpose::VerifyEmail, &token)?.ok_or_else(|| {
            AppError::bad_request(
                ErrorCode::InvalidVerificationToken,
                "the link is invalid, used or expired; ask for a new one",
            )
        })?;
        let id = t.user_id.ok_or(AppError::NotFound)?;
        let user = model::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
        if user.disabled_at.is_some() {
            return Err(AppError::AccountDisabled);
        }
        if user.verified_at.is_none() {
            model::mark_verified(c, id)?;
        }
        // One link verifies; the others sent before it must not sign anyone in later.
        tokens::expire_for_user(c, Purpose::VerifyEmail, id)?;
        let refresh = tokens::start_session(c, id, ttl)?;
        Ok((
            model::find_by_id(c, id)?.ok_or(AppError::NotFound)?,
            refresh,
        ))
    })
    .await?;
    super::issue::session_for(state, &user, refresh)
}

/// Answers at once, whatever the address: the lookup and the mail run after the answer (in
/// `state.background`), so neither the work nor its timing tells a registered address from an
/// unknown one.
pub fn resend_verification(state: &AppState, email: String) {
    let st = state.clone();
    state.background.spawn("verify_email_resend", async move {
        queue_verification(&st, email).await
    });
}

async fn queue_verification(state: &AppState, email: String) -> Result<(), AppError> {
    let base = state.config.public_url.clone();
    unit::write(state, move |c| {
        let Some(user) = model::find_by_email(c, &email)? else {
            return Ok(());
        };
        if user.verified_at.is_some()
            || user.disabled_at.is_some()
            || recently_sent(c, "verify_email", user.id)?
        {
            return Ok(());
        }
        send_verification(c, &base, &user)
    })
    .await
}

/// Answers at once, whatever the address, like `resend_verification`: a registered address
/// costs a lookup, a link and a queued mail, an unknown one only the lookup, and none of that
/// happens before the answer.
pub fn forgot_password(state: &AppState, email: String) {
    let st = state.clone();
    state.background.spawn(
        "password_forgot",
        async move { queue_reset(&st, email).await },
    );
}

async fn queue_reset(state: &AppState, email: String) -> Result<(), AppError> {
    let base = state.config.public_url.clone();
    unit::write(state, move |c| {
        let Some(user) = model::find_by_email(c, &email)? else {
            return Ok(());
        };
        if user.disabled_at.is_some() || recently_sent(c, "password_reset", user.id)? {
            return Ok(());
        }
        let raw = tokens::create_one_time(
            c,
            Purpose::PasswordReset,
            Some(user.id),
            None,
            "{}",
            Duration::minutes(RESET_TTL_MINUTES),
        )?;
        c.mail_for(
            &user,
            "password_reset",
            format!("password_reset:{}:{}", user.id, &raw[..16]),
            vec![
                ("name", user.name.clone()),
                ("link", format!("{base}/reset-password?token={raw}")),
            ],
        )?;
        Ok(())
    })
    .await
}

/// Sets a new password from a reset link: every session ends, and the address counts as
/// verified since the link reached it.
pub async fn reset_password(
    state: &AppState,
    token: String,
    new_password: String,
) -> Result<(), AppError> {
    let mut e = FieldErrors::default();
    password::check_strength("password", &new_password, &mut e);
    e.into_result()?;
    let hash = state.hasher.hash(new_password).await?;
    let email = unit::write(state, move |c| {
        let t = tokens::consume(c, Purpose::PasswordReset, &token)?.ok_or_else(|| {
            AppError::bad_request(
                ErrorCode::InvalidResetToken,
                "the link is invalid, used or expired; ask for a new one",
            )
        })?;
        let id = t.user_id.ok_or(AppError::NotFound)?;
        let user = model::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
        let verified = user.verified_at.unwrap_or_else(now);
        model::set_password(c, id, &hash, Some(verified))?;
        model::bump_token_version(c, id)?;
        tokens::end_all_sessions(c, id)?;
        tokens::expire_links(c, id)?;
        c.audit(Entry {
            actor_id: Some(id),
            action: "user.password_reset",
            entity: "user",
            entity_id: Some(id.to_string()),
            details: json!({}),
        })?;
        Ok(user.email)
    })
    .await?;
    // The mailbox's owner chose a new password: waits that strangers' guesses put on the
    // address must not keep them out.
    state.limits.clear_login_waits(&email);
    Ok(())
}
