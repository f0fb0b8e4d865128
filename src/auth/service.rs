//! Account flows: sign-in, refresh, sign-out, profile changes and the first-admin setup.
//! Handlers call exactly one of these; each keeps its writes in one transaction.

use chrono::Duration;
use serde_json::json;

use super::api::{LoginRequest, Me, SetupRequest, UpdateMe, check_email, check_locale, check_name};
use super::extract::AuthUser;
use super::issue::{Session, session_for};
use super::model::{self, NewUser, Role, UserRow, normalize_email};
use super::password::{self, MAX_LEN};
use super::tokens::{self, Purpose, Rotation};
use crate::audit::Entry;
use crate::db::{self, now};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::mail::Outgoing;
use crate::state::AppState;
use crate::unit::{self, Tx};

/// What the password step of a sign-in leads to.
pub enum LoginOutcome {
    Session(Session),
    /// The account uses two-factor sign-in: no session until `POST /auth/login/2fa`.
    TwoFactor(super::two_factor::api::TwoFactorChallenge),
}

pub async fn login(state: &AppState, req: LoginRequest) -> Result<LoginOutcome, AppError> {
    let email = normalize_email(&req.email);
    // Absurd inputs are refused before any lookup; the answer is the same as for a wrong password.
    if req.password.len() > 4 * MAX_LEN || email.len() > super::api::EMAIL_MAX {
        return Err(AppError::InvalidCredentials);
    }
    let user = db::run(&state.db, move |c| model::find_by_email(c, &email)).await?;
    let stored = user.as_ref().and_then(|u| u.password_hash.clone());
    let verdict = state.hasher.verify(req.password.clone(), stored).await?;
    let user = match user {
        Some(u) if verdict.ok => u,
        _ => return Err(AppError::InvalidCredentials),
    };
    if user.disabled_at.is_some() {
        return Err(AppError::AccountDisabled);
    }
    // Only said after the right password, so it reveals nothing to someone guessing addresses.
    if user.verified_at.is_none() {
        return Err(AppError::Refused {
            code: ErrorCode::EmailNotVerified,
            message: "confirm your email address first; we can send the link again".into(),
        });
    }
    if let Some(challenge) = super::two_factor::login::challenge_for(state, &user).await? {
        return Ok(LoginOutcome::TwoFactor(challenge));
    }
    let new_hash = match verdict.needs_rehash {
        true => Some(state.hasher.hash(req.password).await?),
        false => None,
    };
    let ttl = state.config.refresh_ttl_secs;
    let id = user.id;
    let refresh = unit::write(state, move |tx| {
        let c = tx.conn();
        if let Some(h) = new_hash {
            model::set_password(c, id, &h, None)?;
        }
        tokens::start_session(c, id, ttl)
    })
    .await?;
    session_for(state, &user, refresh).map(LoginOutcome::Session)
}

pub async fn refresh(state: &AppState, raw: Option<String>) -> Result<Session, AppError> {
    let raw = raw.ok_or(AppError::InvalidToken)?;
    let ttl = state.config.refresh_ttl_secs;
    let (rotation, user) = unit::write(state, move |c| {
        let rotation = tokens::rotate(c, &raw, ttl)?;
        let user = match &rotation {
            Rotation::Rotated { user_id, .. } => model::find_by_id(c, *user_id)?,
            Rotation::ReuseDetected { user_id } => {
                c.audit(Entry {
                    actor_id: Some(*user_id),
                    action: "session.refresh_reuse",
                    entity: "user",
                    entity_id: Some(user_id.to_string()),
                    details: json!({"effect": "session family revoked"}),
                })?;
                None
            }
            Rotation::Refused => None,
        };
        Ok((rotation, user))
    })
    .await?;
    match (rotation, user) {
        (Rotation::Rotated { new, .. }, Some(user)) if user.disabled_at.is_none() => {
            session_for(state, &user, new)
        }
        _ => Err(AppError::InvalidToken),
    }
}

pub async fn logout(
    state: &AppState,
    user: &AuthUser,
    raw: Option<String>,
    all: bool,
) -> Result<(), AppError> {
    let (id, session) = (user.id, user.session.clone());
    unit::write(state, move |c| {
        if all {
            model::bump_token_version(c, id)?;
            tokens::end_all_sessions(c, id)?;
            c.audit(Entry {
                actor_id: Some(id),
                action: "session.logout_all",
                entity: "user",
                entity_id: Some(id.to_string()),
                details: json!({}),
            })?;
        } else {
            // The session this access token belongs to ends even without the cookie (an API
            // client), and so do its access tokens; the cookie's, if it is another, too.
            tokens::revoke_family(c, &session)?;
            if let Some(raw) = raw {
                tokens::end_session(c, &raw)?;
            }
        }
        Ok(())
    })
    .await
}

/// The signed-in user as the extractor read it (with the session check, in one query).
pub fn me(user: &AuthUser) -> Me {
    Me {
        id: user.id,
        email: user.email.clone(),
        name: user.name.clone(),
        role: user.role,
        locale: user.locale.clone(),
        verified: user.verified,
        created_at: user.created_at.and_utc(),
        organisation_id: user.organisation_id,
    }
}

/// Updates name and locale, and on a password change mails a notice and, unless the caller
/// keeps them (`end_other_sessions: false`), ends every other session (token version bump,
/// refresh families revoked) and returns a fresh session for this device.
pub async fn update_me(
    state: &AppState,
    user: &AuthUser,
    req: UpdateMe,
) -> Result<(Me, Option<Session>), AppError> {
    let mut errors = FieldErrors::default();
    if let Some(name) = &req.name {
        check_name("name", name, &mut errors);
    }
    if let Some(locale) = &req.locale {
        check_locale("locale", locale, &mut errors);
    }
    if let Some(new) = &req.new_password {
        password::check_strength("new_password", new, &mut errors);
        if req
            .current_password
            .as_deref()
            .unwrap_or_default()
            .is_empty()
        {
            errors.add("current_password", "required");
        }
    }
    errors.into_result()?;

    let new_hash = match (&req.new_password, &req.current_password) {
        (Some(new), Some(current)) => {
            let id = user.id;
            let stored = db::run(&state.db, move |c| model::find_by_id(c, id))
                .await?
                .and_then(|u| u.password_hash);
            if !state.hasher.verify(current.clone(), stored).await?.ok {
                return Err(AppError::field("current_password", "incorrect"));
            }
            Some(state.hasher.hash(new.clone()).await?)
        }
        _ => None,
    };

    let id = user.id;
    let ttl = state.config.refresh_ttl_secs;
    let link = format!("{}/login", state.config.public_url);
    let end_others = req.end_other_sessions.unwrap_or(true);
    let (row, refresh) = unit::write(state, move |c| {
        let t = now();
        if let Some(name) = &req.name {
            model::set_name(c, id, name.trim())?;
        }
        if let Some(locale) = &req.locale {
            model::set_locale(c, id, locale)?;
        }
        let mut refresh = None;
        if let Some(h) = &new_hash {
            model::set_password(c, id, h, None)?;
            tokens::expire_links(c, id)?;
            if end_others {
                model::bump_token_version(c, id)?;
                tokens::end_all_sessions(c, id)?;
                refresh = Some(tokens::start_session(c, id, ttl)?);
            }
            let row = model::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
            c.mail(Outgoing {
                key: format!("password_changed:{id}:{}", tokens::random_token()),
                user_id: Some(id),
                to: &row.email,
                to_name: &row.name,
                locale: &row.locale,
                template: "password_changed",
                vars: vec![
                    ("name", row.name.clone()),
                    ("email", row.email.clone()),
                    ("when", t.format("%Y-%m-%d %H:%M").to_string()),
                    ("link", link),
                ],
            })?;
            c.audit(Entry {
                actor_id: Some(id),
                action: "user.password_changed",
                entity: "user",
                entity_id: Some(id.to_string()),
                details: json!({"other_sessions_ended": end_others}),
            })?;
        }
        let row = model::find_by_id(c, id)?.ok_or(AppError::NotFound)?;
        Ok((row, refresh))
    })
    .await?;
    let me = Me::from_row(&row)?;
    let session = refresh.map(|r| session_for(state, &row, r)).transpose()?;
    Ok((me, session))
}

pub async fn setup_status(state: &AppState, token: String) -> Result<bool, AppError> {
    db::run(&state.db, move |c| {
        Ok(!model::any_admin(c)? && tokens::find_valid(c, Purpose::Setup, &token)?.is_some())
    })
    .await
}

fn validate_account(name: &str, email: &str, password: &str) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    check_name("name", name, &mut errors);
    check_email("email", email, &mut errors);
    password::check_strength("password", password, &mut errors);
    errors.into_result()
}

/// Creates the first administrator from a one-time setup link.
pub async fn setup(state: &AppState, req: SetupRequest) -> Result<Session, AppError> {
    validate_account(&req.name, &req.email, &req.password)?;
    let hash = state.hasher.hash(req.password).await?;
    let ttl = state.config.refresh_ttl_secs;
    let (user, refresh) = unit::write(state, move |c| {
        if model::any_admin(c)? {
            return Err(AppError::conflict(
                ErrorCode::SetupComplete,
                "an administrator already exists",
            ));
        }
        if tokens::consume(c, Purpose::Setup, &req.token)?.is_none() {
            return Err(AppError::bad_request(
                ErrorCode::InvalidSetupToken,
                "the setup link is invalid, used or expired; restart the server for a new one",
            ));
        }
        let user = insert_admin(c, &req.email, &req.name, &hash, "setup_link")?;
        let refresh = tokens::start_session(c, user.id, ttl)?;
        Ok((user, refresh))
    })
    .await?;
    session_for(state, &user, refresh)
}

fn insert_admin(
    c: &mut Tx<'_>,
    email: &str,
    name: &str,
    hash: &str,
    via: &str,
) -> Result<UserRow, AppError> {
    let email = normalize_email(email);
    if model::find_by_email(c, &email)?.is_some() {
        return Err(AppError::field("email", "taken"));
    }
    let t = now();
    let id = model::insert(
        c,
        &NewUser {
            email: &email,
            password_hash: Some(hash),
            name: name.trim(),
            locale: "en",
            role: Role::Admin.as_str(),
            verified_at: Some(t),
            token_version: 0,
            created_at: t,
            updated_at: t,
        },
    )?;
    c.audit(Entry {
        actor_id: None,
        action: "user.admin_created",
        entity: "user",
        entity_id: Some(id.to_string()),
        details: json!({"via": via}),
    })?;
    model::find_by_id(c, id)?.ok_or(AppError::NotFound)
}

/// On a database with no administrator, replaces any earlier setup link with a new one (24 h,
/// single use) and returns its URL; `None` once an administrator exists.
pub async fn ensure_setup_link(state: &AppState) -> Result<Option<String>, AppError> {
    let base = state.config.public_url.clone();
    unit::write(state, move |tx| {
        let c = tx.conn();
        if model::any_admin(c)? {
            return Ok(None);
        }
        tokens::expire_all(c, Purpose::Setup)?;
        let raw =
            tokens::create_one_time(c, Purpose::Setup, None, None, "{}", Duration::hours(24))?;
        Ok(Some(format!("{base}/setup?token={raw}")))
    })
    .await
}

/// `jury create-admin`: an administrator without the browser flow.
pub async fn create_admin(
    state: &AppState,
    email: String,
    name: String,
    password: String,
) -> Result<i64, AppError> {
    validate_account(&name, &email, &password)?;
    let hash = state.hasher.hash(password).await?;
    unit::write(state, move |c| {
        Ok(insert_admin(c, &email, &name, &hash, "cli")?.id)
    })
    .await
}
