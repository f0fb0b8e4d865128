//! The second sign-in step: after the right password an enrolled account gets a challenge (a
//! signed token of its own `typ`, backed by a one-time row that counts wrong codes), and a code
//! or recovery code turns it into a session.

use chrono::Duration;
use serde_json::json;

use super::api::{ChallengeClaims, SecondFactorRequest, TwoFactorChallenge};
use super::model::find;
use super::service::{accept_code, codes_left, record, secret_box, use_recovery_code};
use crate::auth::issue::{Session, session_for};
use crate::auth::jwt::{AUDIENCE, ISSUER};
use crate::auth::model::{self, UserRow};
use crate::auth::tokens::{self, Purpose};
use crate::db;
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;
use crate::unit;

pub const CHALLENGE_TYP: &str = "two_factor";
pub const CHALLENGE_TTL_SECS: i64 = 300;
/// Wrong codes one challenge takes before it is void and the password is needed again.
pub const CHALLENGE_ATTEMPTS: u32 = 5;

/// After the right password: a challenge when the account uses two-factor, else `None`.
pub async fn challenge_for(
    state: &AppState,
    user: &UserRow,
) -> Result<Option<TwoFactorChallenge>, AppError> {
    let id = user.id;
    // A plain read first: sign-ins without two-factor take no write lock here.
    let enrolled = db::run(&state.db, move |c| {
        Ok(find(c, id)?.is_some_and(|r| r.enabled_at.is_some()))
    })
    .await?;
    if !enrolled {
        return Ok(None);
    }
    let jti = unit::write(state, move |tx| {
        tokens::create_one_time(
            tx,
            Purpose::TwoFactorLogin,
            Some(id),
            None,
            "0",
            Duration::seconds(CHALLENGE_TTL_SECS),
        )
    })
    .await?;
    let iat = chrono::Utc::now().timestamp();
    let challenge = state.keys.encode_typed(&ChallengeClaims {
        sub: id.to_string(),
        typ: CHALLENGE_TYP.into(),
        jti,
        ver: user.token_version,
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        iat,
        exp: iat + CHALLENGE_TTL_SECS,
    })?;
    Ok(Some(TwoFactorChallenge {
        status: "two_factor_required",
        challenge,
        expires_in: CHALLENGE_TTL_SECS,
    }))
}

fn bad_challenge() -> AppError {
    AppError::Denied {
        code: ErrorCode::InvalidTwoFactorChallenge,
        message: "the sign-in step is not valid any more; sign in with your password again".into(),
    }
}

/// Completes a sign-in with the challenge and a code or recovery code. Wrong codes are counted
/// on the stored challenge (committed, not rolled back); the fifth voids it.
pub async fn complete_login(
    state: &AppState,
    req: SecondFactorRequest,
) -> Result<Session, AppError> {
    let claims: ChallengeClaims = state
        .keys
        .decode_typed(&req.challenge)
        .map_err(|e| match e {
            AppError::TokenExpired => AppError::Denied {
                code: ErrorCode::TwoFactorChallengeExpired,
                message: "the sign-in step took too long; sign in with your password again".into(),
            },
            _ => bad_challenge(),
        })?;
    if claims.typ != CHALLENGE_TYP {
        return Err(bad_challenge());
    }
    let id: i64 = claims.sub.parse().map_err(|_| bad_challenge())?;
    let code = req.code.filter(|s| !s.trim().is_empty());
    let recovery = req.recovery_code.filter(|s| !s.trim().is_empty());
    if code.is_none() && recovery.is_none() {
        return Err(AppError::field("code", "required"));
    }
    let sealer = secret_box(state)?;
    let ttl = state.config.refresh_ttl_secs;
    let outcome = unit::write(state, move |c| {
        let Some(token) = tokens::find_valid(c, Purpose::TwoFactorLogin, &claims.jti)? else {
            return Ok(Err(bad_challenge()));
        };
        let user = model::find_by_id(c, id)?;
        let row = find(c, id)?.filter(|r| r.enabled_at.is_some());
        let (Some(user), Some(row)) = (user, row) else {
            return Ok(Err(bad_challenge()));
        };
        if token.user_id != Some(id)
            || user.disabled_at.is_some()
            || user.token_version != claims.ver
        {
            tokens::consume(c, Purpose::TwoFactorLogin, &claims.jti)?;
            return Ok(Err(bad_challenge()));
        }
        let ok = match (&code, &recovery) {
            (Some(code), _) => accept_code(c, &sealer, &row, code)?,
            (None, Some(r)) => use_recovery_code(c, id, r)?,
            (None, None) => false,
        };
        if !ok {
            let attempts = token.payload.parse::<u32>().unwrap_or(0) + 1;
            if attempts >= CHALLENGE_ATTEMPTS {
                tokens::use_up(c, token.id)?;
            } else {
                tokens::set_payload(c, token.id, &attempts.to_string())?;
            }
            return Ok(Err(AppError::Denied {
                code: ErrorCode::InvalidTwoFactorCode,
                message: "the code is wrong or was already used".into(),
            }));
        }
        if tokens::consume(c, Purpose::TwoFactorLogin, &claims.jti)?.is_none() {
            return Ok(Err(bad_challenge()));
        }
        if code.is_none() {
            let left = codes_left(c, id)?;
            record(
                c,
                id,
                "user.recovery_code_used",
                json!({"recovery_codes_left": left}),
            )?;
        }
        let refresh = tokens::start_session(c, id, ttl)?;
        Ok(Ok((user, refresh)))
    })
    .await?;
    let (user, refresh) = outcome?;
    session_for(state, &user, refresh)
}
