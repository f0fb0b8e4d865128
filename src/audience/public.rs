//! The audience's side, without an account: the vote page's data, a ballot, and the one-time
//! link that verifies an address in email mode. Ballots are not in the audit log (they are
//! anonymous and many); the organiser's opening, closing and publishing are.

use chrono::Duration;

use super::api::{BallotRequest, PublicVote};
use super::model::{self, MODE_TICKETS, OPEN, VoteRow};
use super::service::normalize_ticket;
use super::views;
use crate::auth::api::check_email;
use crate::auth::model::normalize_email;
use crate::auth::tokens::{self, Purpose};
use crate::contests::model as contests;
use crate::db::{self, DbConn};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::mail::Outgoing;
use crate::rounds::model as rounds;
use crate::state::AppState;
use crate::unit;

/// How long a mailed voting link works.
pub const EMAIL_LINK_MINUTES: i64 = 30;

fn by_key(c: &mut DbConn, key: &str) -> Result<VoteRow, AppError> {
    if key.len() > 64 {
        return Err(AppError::NotFound);
    }
    model::find_by_key(c, key)?.ok_or(AppError::NotFound)
}

fn must_be_open(vote: &VoteRow) -> Result<(), AppError> {
    if vote.state == OPEN {
        Ok(())
    } else {
        Err(AppError::conflict(
            ErrorCode::VoteNotOpen,
            "voting is not open",
        ))
    }
}

pub async fn page(state: &AppState, key: String) -> Result<PublicVote, AppError> {
    db::run(&state.db, move |c| {
        let vote = by_key(c, &key)?;
        let round = rounds::find(c, vote.round_id)?;
        let contest = contests::find(c, round.contest_id)?;
        Ok(PublicVote {
            contest_name: contest.names()?,
            round_name: serde_json::from_str(&round.name).unwrap_or_default(),
            mode: vote.mode.clone(),
            state: vote.state.clone(),
            finalists: views::finalists(c, &round)?,
            published: vote.published_at.is_some(),
        })
    })
    .await
}

/// Counts one vote: for a finalist of the round, while open, once per ticket or address.
pub async fn cast(state: &AppState, key: String, req: BallotRequest) -> Result<(), AppError> {
    unit::write(state, move |c| {
        let vote = by_key(c, &key)?;
        must_be_open(&vote)?;
        let round = rounds::find(c, vote.round_id)?;
        if !rounds::entries_or_pending(c, &round)?.contains(&req.application_id) {
            return Err(AppError::field("application_id", "not_a_finalist"));
        }
        let voter = if vote.mode == MODE_TICKETS {
            let code = normalize_ticket(req.ticket.as_deref().unwrap_or_default());
            if code.is_empty() {
                return Err(AppError::field("ticket", "required"));
            }
            let hash = model::ticket_hash(vote.id, &code);
            if code.len() > 32 || !model::ticket_exists(c, vote.id, &hash)? {
                return Err(AppError::Refused {
                    code: ErrorCode::UnknownTicket,
                    message: "this ticket code is not on the list".into(),
                });
            }
            hash
        } else {
            let token = req.token.unwrap_or_default();
            let bad = || {
                AppError::bad_request(
                    ErrorCode::InvalidVoteLink,
                    "the voting link is invalid, used or expired; ask for a new one",
                )
            };
            if token.is_empty() || token.len() > 128 {
                return Err(bad());
            }
            // Spent only if the ballot is counted: an error rolls the transaction back.
            let spent = tokens::consume(c, Purpose::AudienceEmail, &token)?.ok_or_else(bad)?;
            if spent.payload != vote.id.to_string() {
                return Err(bad());
            }
            model::email_voter(vote.id, spent.email.as_deref().unwrap_or_default())
        };
        model::cast(c, vote.id, &voter, req.application_id)
    })
    .await
}

/// Mails a one-time voting link to `email` (email mode, while open). The answer is the same
/// whether or not the address voted before; a second vote is refused when the link is used.
pub async fn request_email(
    state: &AppState,
    key: String,
    email: String,
    locale: Option<String>,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    check_email("email", &email, &mut errors);
    errors.into_result()?;
    let email = normalize_email(&email);
    let locale = match locale.as_deref() {
        Some(l @ ("ko" | "zh")) => l.to_string(),
        _ => "en".to_string(),
    };
    let base = state.config.public_url.clone();
    unit::write(state, move |c| {
        let vote = by_key(c, &key)?;
        must_be_open(&vote)?;
        if vote.mode == MODE_TICKETS {
            return Err(AppError::field("email", "tickets_mode"));
        }
        let round = rounds::find(c, vote.round_id)?;
        let contest = contests::find(c, round.contest_id)?.name_in(&locale)?;
        let raw = tokens::create_one_time(
            c,
            Purpose::AudienceEmail,
            None,
            Some(&email),
            &vote.id.to_string(),
            Duration::minutes(EMAIL_LINK_MINUTES),
        )?;
        c.mail(Outgoing {
            key: format!("audience_vote:{}:{}", vote.id, tokens::random_token()),
            user_id: None,
            to: &email,
            to_name: "",
            locale: &locale,
            template: "audience_vote_link",
            vars: vec![
                ("contest", contest),
                (
                    "link",
                    format!("{base}/vote/{}#token={raw}", vote.public_key),
                ),
            ],
        })?;
        Ok(())
    })
    .await
}

/// The People's Choice once published; `not_found` before.
pub async fn published_result(
    state: &AppState,
    key: String,
) -> Result<super::api::PeoplesChoice, AppError> {
    db::run(&state.db, move |c| {
        let vote = by_key(c, &key)?;
        if vote.published_at.is_none() {
            return Err(AppError::NotFound);
        }
        let round = rounds::find(c, vote.round_id)?;
        views::count(c, &vote, &round)
    })
    .await
}
