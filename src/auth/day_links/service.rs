//! Issuing, listing, revoking and using the sign-in links of the day. Using a link is a first
//! factor like a password: an account with two-factor sign-in still answers a challenge.

use std::collections::BTreeSet;

use chrono::Duration;
use serde_json::json;

use super::api::{
    DEFAULT_VALID_MINUTES, DayLinkSignIn, DayLinkStatus, IssueDayLinks, IssuedDayLink,
    JudgeDayLink, MAX_VALID_MINUTES, MIN_VALID_MINUTES,
};
use super::model::{self, DayLinkRow, LinkState};
use crate::assignments::model as assignments;
use crate::audit::Entry;
use crate::auth::issue::session_for;
use crate::auth::model::{self as users, Role, UserRow};
use crate::auth::service::LoginOutcome;
use crate::auth::two_factor::api::QrMatrix;
use crate::auth::{tokens, totp, two_factor};
use crate::contests::model as contests;
use crate::db::{self, now};
use crate::error::{AppError, ErrorCode};
use crate::judges::model as judges;
use crate::rounds::model as rounds;
use crate::state::AppState;
use crate::unit;

fn invalid() -> AppError {
    AppError::bad_request(
        ErrorCode::InvalidDayLink,
        "the sign-in link is invalid, used, revoked or expired; ask the organisers for a new one",
    )
}

pub fn status(row: &DayLinkRow) -> DayLinkStatus {
    DayLinkStatus {
        id: row.id,
        state: row.state(now()).as_str(),
        created_at: row.created_at.and_utc(),
        expires_at: row.expires_at.and_utc(),
        used_at: row.used_at.map(|t| t.and_utc()),
        revoked_at: row.revoked_at.map(|t| t.and_utc()),
    }
}

/// A judge of the contest who may sign in: a member, a judge, not disabled.
fn contest_judge(c: &mut db::DbConn, contest: i64, id: i64) -> Result<Option<UserRow>, AppError> {
    if judges::membership(c, contest, id)?.is_none() {
        return Ok(None);
    }
    Ok(users::find_by_id(c, id)?.filter(|u| u.role == Role::Judge && u.disabled_at.is_none()))
}

/// Issues a link for each chosen judge (replacing their unused ones), optionally mails it.
pub async fn issue(
    state: &AppState,
    admin: i64,
    contest_id: i64,
    req: IssueDayLinks,
) -> Result<Vec<IssuedDayLink>, AppError> {
    let minutes = req.valid_minutes.unwrap_or(DEFAULT_VALID_MINUTES);
    if !(MIN_VALID_MINUTES..=MAX_VALID_MINUTES).contains(&minutes) {
        return Err(AppError::field("valid_minutes", "out_of_range"));
    }
    let base = state.config.public_url.clone();
    let issued = unit::write(state, move |c| {
        let contest = contests::find(c, contest_id)?;
        let mut ids: BTreeSet<i64> = req.judge_ids.iter().copied().collect();
        if let Some(round) = req.round_id {
            let round = rounds::find(c, round)?;
            if round.contest_id != contest_id {
                return Err(AppError::NotFound);
            }
            ids.extend(
                assignments::for_round(c, round.id)?
                    .iter()
                    .map(|a| a.judge_id),
            );
        }
        if ids.is_empty() {
            return Err(AppError::field("judge_ids", "required"));
        }
        let mut judges = Vec::new();
        for id in ids {
            match contest_judge(c, contest_id, id)? {
                Some(u) => judges.push(u),
                None => return Err(AppError::field("judge_ids", "not_a_judge")),
            }
        }
        let expires = now() + Duration::minutes(minutes);
        let mut out = Vec::new();
        for judge in judges {
            let replaced = model::revoke_open(c, contest_id, judge.id)?;
            let (id, raw) = model::insert(c, contest_id, judge.id, admin, expires)?;
            let url = format!("{base}/day#contest={contest_id}&token={raw}");
            if req.send_email {
                let contest_name = contest.name_in(&judge.locale)?;
                c.mail_for(
                    &judge,
                    "day_link",
                    format!("day_link:{id}"),
                    vec![
                        ("name", judge.name.clone()),
                        ("contest", contest_name),
                        ("link", url.clone()),
                        ("expires", expires.format("%Y-%m-%d %H:%M").to_string()),
                    ],
                )?;
            }
            c.audit(Entry {
                actor_id: Some(admin),
                action: "day_link.issued",
                entity: "day_link",
                entity_id: Some(id.to_string()),
                details: json!({"contest_id": contest_id, "judge_id": judge.id,
                    "expires_at": expires.and_utc().to_rfc3339(), "mailed": req.send_email,
                    "replaced": replaced}),
            })?;
            out.push((id, judge, url, expires, req.send_email));
        }
        Ok(out)
    })
    .await?;
    issued
        .into_iter()
        .map(|(id, judge, url, expires, mailed)| {
            let rows = totp::qr_rows(&url).map_err(AppError::internal)?;
            Ok(IssuedDayLink {
                id,
                judge_id: judge.id,
                judge_name: judge.name,
                judge_email: judge.email,
                qr: QrMatrix {
                    size: rows.len(),
                    rows,
                },
                url,
                expires_at: expires.and_utc(),
                mailed,
            })
        })
        .collect()
}

/// Every judge of the contest with their newest link.
pub async fn list(state: &AppState, contest_id: i64) -> Result<Vec<JudgeDayLink>, AppError> {
    db::run(&state.db, move |c| {
        contests::find(c, contest_id)?;
        let links = model::for_contest(c, contest_id)?;
        let mut out = Vec::new();
        for m in judges::members(c, contest_id)? {
            let Some(user) = users::find_by_id(c, m.user_id)? else {
                continue;
            };
            out.push(JudgeDayLink {
                judge_id: user.id,
                name: user.name,
                email: user.email,
                disabled: user.disabled_at.is_some(),
                latest: links.iter().find(|l| l.user_id == m.user_id).map(status),
            });
        }
        Ok(out)
    })
    .await
}

/// Revokes a link that was not used yet.
pub async fn revoke(state: &AppState, admin: i64, id: i64) -> Result<DayLinkStatus, AppError> {
    unit::write(state, move |c| {
        let row = model::find(c, id)?.ok_or(AppError::NotFound)?;
        if !model::revoke(c, id)? {
            return Err(AppError::conflict(
                ErrorCode::InvalidTransition,
                "the link was already used or revoked",
            ));
        }
        c.audit(Entry {
            actor_id: Some(admin),
            action: "day_link.revoked",
            entity: "day_link",
            entity_id: Some(id.to_string()),
            details: json!({"contest_id": row.contest_id, "judge_id": row.user_id}),
        })?;
        model::find(c, id)?
            .map(|r| status(&r))
            .ok_or(AppError::NotFound)
    })
    .await
}

/// Signs a judge in with a link: the link must be for this contest, unused, unrevoked and
/// unexpired, and the judge still a member. The link is spent even when a second factor
/// follows (the challenge then lasts five minutes, like after a password).
/// Answers the outcome and the judge's address (for the known-device cookie).
pub async fn sign_in(
    state: &AppState,
    req: DayLinkSignIn,
) -> Result<(LoginOutcome, String), AppError> {
    if req.token.len() > 128 {
        return Err(invalid());
    }
    let user = unit::write(state, move |c| {
        let row = model::find_by_secret(c, &req.token)?.ok_or_else(invalid)?;
        if row.contest_id != req.contest_id || row.state(now()) != LinkState::Issued {
            return Err(invalid());
        }
        let user = users::find_by_id(c, row.user_id)?.ok_or_else(invalid)?;
        if user.disabled_at.is_some() {
            return Err(AppError::AccountDisabled);
        }
        if contest_judge(c, row.contest_id, user.id)?.is_none() || !model::consume(c, row.id)? {
            return Err(invalid());
        }
        c.audit(Entry {
            actor_id: Some(user.id),
            action: "day_link.used",
            entity: "day_link",
            entity_id: Some(row.id.to_string()),
            details: json!({"contest_id": row.contest_id, "judge_id": user.id}),
        })?;
        Ok(user)
    })
    .await?;
    if let Some(challenge) = two_factor::login::challenge_for(state, &user).await? {
        return Ok((LoginOutcome::TwoFactor(challenge), user.email));
    }
    let (id, ttl) = (user.id, state.config.refresh_ttl_secs);
    let refresh = unit::write(state, move |tx| tokens::start_session(tx, id, ttl)).await?;
    let email = user.email.clone();
    Ok((
        LoginOutcome::Session(session_for(state, &user, refresh)?),
        email,
    ))
}
