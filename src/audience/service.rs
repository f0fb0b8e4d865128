//! The organiser's use cases of the audience vote: turn it on for a round and pick the mode,
//! add ticket codes, open and close it, read and publish the People's Choice. Every change is
//! audited. [`peoples_choice`] is the read the display page calls for the reveal.

use rand::Rng;
use serde_json::json;

use super::api::{
    AudienceVote, MAX_TICKETS_PER_REQUEST, PeoplesChoice, TicketsAdded, TicketsRequest,
};
use super::model::{self, CLOSED, MODE_EMAIL, MODE_TICKETS, OPEN, SETUP, VoteRow};
use super::views;
pub use super::views::peoples_choice;
use crate::audit::Entry;
use crate::auth::tokens::random_token;
use crate::auth::totp;
use crate::auth::two_factor::api::QrMatrix;
use crate::db::{self, DbConn};
use crate::error::{AppError, ErrorCode};
use crate::rounds::model as rounds;
use crate::state::AppState;
use crate::unit::{self, Tx};

/// Letters and digits that cannot be mistaken for one another when read off paper.
const TICKET_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const TICKET_LEN: usize = 8;

/// A ticket code as typed: letters and digits only, upper case.
pub fn normalize_ticket(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn new_ticket() -> String {
    let mut rng = rand::rng();
    let code: String = (0..TICKET_LEN)
        .map(|_| TICKET_ALPHABET[rng.random_range(0..TICKET_ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &code[..4], &code[4..])
}

fn view(c: &mut DbConn, url: String, vote: &VoteRow) -> Result<AudienceVote, AppError> {
    let rows = totp::qr_rows(&url).map_err(AppError::internal)?;
    Ok(AudienceVote {
        round_id: vote.round_id,
        mode: vote.mode.clone(),
        state: vote.state.clone(),
        vote_url: url,
        qr: QrMatrix {
            size: rows.len(),
            rows,
        },
        tickets: model::count_tickets(c, vote.id)?,
        ballots: model::ballot_choices(c, vote.id)?.len() as i64,
        opened_at: vote.opened_at.map(|t| t.and_utc()),
        closed_at: vote.closed_at.map(|t| t.and_utc()),
        published_at: vote.published_at.map(|t| t.and_utc()),
    })
}

fn the_vote(c: &mut DbConn, round_id: i64) -> Result<VoteRow, AppError> {
    rounds::find(c, round_id)?;
    model::find_for_round(c, round_id)?.ok_or(AppError::NotFound)
}

fn record(
    c: &mut Tx<'_>,
    actor: i64,
    action: &'static str,
    vote: &VoteRow,
    details: serde_json::Value,
) -> Result<(), AppError> {
    c.audit(Entry {
        actor_id: Some(actor),
        action,
        entity: "round",
        entity_id: Some(vote.round_id.to_string()),
        details,
    })
}

/// The round's vote, or `None` when it has none yet (the round itself must exist).
pub async fn get(state: &AppState, round_id: i64) -> Result<Option<AudienceVote>, AppError> {
    let base = state.config.public_url.clone();
    db::run(&state.db, move |c| {
        rounds::find(c, round_id)?;
        let Some(vote) = model::find_for_round(c, round_id)? else {
            return Ok(None);
        };
        view(c, format!("{base}/vote/{}", vote.public_key), &vote).map(Some)
    })
    .await
}

/// The vote after a change: it exists now.
async fn current(state: &AppState, round_id: i64) -> Result<AudienceVote, AppError> {
    get(state, round_id).await?.ok_or(AppError::NotFound)
}

/// Turns the vote on for the round (its entries are the finalists), or changes the mode while
/// it has not opened yet.
pub async fn setup(
    state: &AppState,
    admin: i64,
    round_id: i64,
    mode: String,
) -> Result<AudienceVote, AppError> {
    if mode != MODE_TICKETS && mode != MODE_EMAIL {
        return Err(AppError::field("mode", "unknown_mode"));
    }
    unit::write(state, move |c| {
        rounds::find(c, round_id)?;
        match model::find_for_round(c, round_id)? {
            None => model::insert(c, round_id, &random_token()[..32], &mode, admin)?,
            Some(v) if v.state != SETUP => {
                return Err(AppError::conflict(
                    ErrorCode::VoteStarted,
                    "the vote has opened; its mode is fixed",
                ));
            }
            Some(v) => model::set_mode(c, v.id, &mode)?,
        }
        let vote = the_vote(c, round_id)?;
        record(
            c,
            admin,
            "audience_vote.configured",
            &vote,
            json!({"mode": mode}),
        )
    })
    .await?;
    current(state, round_id).await
}

/// Adds generated and uploaded ticket codes (ticket mode, before the vote closes).
pub async fn add_tickets(
    state: &AppState,
    admin: i64,
    round_id: i64,
    req: TicketsRequest,
) -> Result<TicketsAdded, AppError> {
    let generate = req.generate.unwrap_or(0);
    if generate + req.codes.len() > MAX_TICKETS_PER_REQUEST {
        return Err(AppError::field("codes", "too_many"));
    }
    let uploaded: Vec<String> = req.codes.iter().map(|c| normalize_ticket(c)).collect();
    if uploaded.iter().any(|c| !(4..=32).contains(&c.len())) {
        return Err(AppError::field("codes", "invalid_ticket_code"));
    }
    if generate == 0 && uploaded.is_empty() {
        return Err(AppError::field("codes", "required"));
    }
    let generated: Vec<String> = (0..generate).map(|_| new_ticket()).collect();
    let shown = generated.clone();
    unit::write(state, move |c| {
        let vote = the_vote(c, round_id)?;
        if vote.mode != MODE_TICKETS {
            return Err(AppError::field("mode", "not_tickets"));
        }
        if vote.state == CLOSED {
            return Err(AppError::conflict(ErrorCode::VoteNotOpen, "the vote is closed"));
        }
        let all: Vec<String> = generated
            .iter()
            .map(|g| normalize_ticket(g))
            .chain(uploaded)
            .map(|code| model::ticket_hash(vote.id, &code))
            .collect();
        let listed = all.len();
        let added = model::add_tickets(c, vote.id, &all)?;
        let total = model::count_tickets(c, vote.id)?;
        record(c, admin, "audience_vote.tickets_added", &vote,
            json!({"generated": generate, "uploaded": listed - generate, "added": added, "total": total}))?;
        Ok(TicketsAdded { added, duplicates: listed - added, total, codes: shown })
    })
    .await
}

/// Opens (from setup, or again from closed while unpublished) or closes the vote.
pub async fn transition(
    state: &AppState,
    admin: i64,
    round_id: i64,
    to: String,
) -> Result<AudienceVote, AppError> {
    unit::write(state, move |c| {
        let vote = the_vote(c, round_id)?;
        let allowed = match to.as_str() {
            OPEN => vote.state != OPEN && vote.published_at.is_none(),
            CLOSED => vote.state == OPEN,
            _ => return Err(AppError::field("to", "unknown_state")),
        };
        if !allowed {
            return Err(AppError::conflict(
                ErrorCode::InvalidTransition,
                format!("the vote cannot move from {} to {to}", vote.state),
            ));
        }
        if to == OPEN {
            let round = rounds::find(c, round_id)?;
            if rounds::entries_or_pending(c, &round)?.is_empty() {
                return Err(AppError::conflict(
                    ErrorCode::NoEntries,
                    "the round has no finalists",
                ));
            }
            if vote.mode == MODE_TICKETS && model::count_tickets(c, vote.id)? == 0 {
                return Err(AppError::conflict(
                    ErrorCode::NoTickets,
                    "add ticket codes before opening the vote",
                ));
            }
        }
        model::set_state(c, vote.id, &to)?;
        let action = if to == OPEN {
            "audience_vote.opened"
        } else {
            "audience_vote.closed"
        };
        let ballots = model::ballot_choices(c, vote.id)?.len();
        record(c, admin, action, &vote, json!({"ballots": ballots}))
    })
    .await?;
    current(state, round_id).await
}

/// The People's Choice as it stands (organiser; any state).
pub async fn result(state: &AppState, round_id: i64) -> Result<PeoplesChoice, AppError> {
    db::run(&state.db, move |c| {
        peoples_choice(c, round_id)?.ok_or(AppError::NotFound)
    })
    .await
}

/// Publishes the People's Choice of a closed vote: the public page and the display show it.
pub async fn publish(
    state: &AppState,
    admin: i64,
    round_id: i64,
) -> Result<PeoplesChoice, AppError> {
    unit::write(state, move |c| {
        let vote = the_vote(c, round_id)?;
        if vote.state != CLOSED || vote.published_at.is_some() {
            return Err(AppError::conflict(
                ErrorCode::InvalidTransition,
                "close the vote first; it is published once",
            ));
        }
        model::set_published(c, vote.id)?;
        let round = rounds::find(c, round_id)?;
        let vote = the_vote(c, round_id)?;
        let result = views::count(c, &vote, &round)?;
        record(
            c,
            admin,
            "audience_vote.published",
            &vote,
            json!({"ballots": result.ballots, "winners": result.winners, "tie": result.tie}),
        )?;
        Ok(result)
    })
    .await
}
