//! The audience vote's tables: the vote of a round (`audience_votes`), its ticket codes
//! (`audience_tickets`, only their hashes) and its ballots (`audience_ballots`, one per ticket
//! or verified address, which a unique index enforces). Nothing here touches the judges'
//! reviews or results.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use sha2::{Digest, Sha256};

use crate::db::schema::{audience_ballots, audience_tickets, audience_votes};
use crate::db::{DbConn, now};
use crate::error::{AppError, ErrorCode};

pub const MODE_TICKETS: &str = "tickets";
pub const MODE_EMAIL: &str = "email";
pub const SETUP: &str = "setup";
pub const OPEN: &str = "open";
pub const CLOSED: &str = "closed";

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = audience_votes)]
pub struct VoteRow {
    pub id: i64,
    pub round_id: i64,
    pub public_key: String,
    pub mode: String,
    pub state: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub opened_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
}

fn hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// What a ticket is stored as: the vote's id and the normalised code, hashed.
pub fn ticket_hash(vote_id: i64, code: &str) -> String {
    hash(&["ticket", &vote_id.to_string(), code])
}

/// The voter of a ballot: a ticket's hash, or the verified address hashed with the vote.
pub fn email_voter(vote_id: i64, email: &str) -> String {
    hash(&["email", &vote_id.to_string(), email])
}

pub fn find_for_round(c: &mut DbConn, round_id: i64) -> Result<Option<VoteRow>, AppError> {
    Ok(audience_votes::table
        .filter(audience_votes::round_id.eq(round_id))
        .select(VoteRow::as_select())
        .first(c)
        .optional()?)
}

pub fn find_by_key(c: &mut DbConn, key: &str) -> Result<Option<VoteRow>, AppError> {
    Ok(audience_votes::table
        .filter(audience_votes::public_key.eq(key))
        .select(VoteRow::as_select())
        .first(c)
        .optional()?)
}

pub fn insert(
    c: &mut DbConn,
    round_id: i64,
    key: &str,
    mode: &str,
    created_by: i64,
) -> Result<(), AppError> {
    diesel::insert_into(audience_votes::table)
        .values((
            audience_votes::round_id.eq(round_id),
            audience_votes::public_key.eq(key),
            audience_votes::mode.eq(mode),
            audience_votes::state.eq(SETUP),
            audience_votes::created_by.eq(created_by),
            audience_votes::created_at.eq(now()),
        ))
        .execute(c)?;
    Ok(())
}

pub fn set_mode(c: &mut DbConn, id: i64, mode: &str) -> Result<(), AppError> {
    diesel::update(audience_votes::table.find(id))
        .set(audience_votes::mode.eq(mode))
        .execute(c)?;
    Ok(())
}

/// Moves the vote to `open` or `closed`, stamping the time.
pub fn set_state(c: &mut DbConn, id: i64, state: &str) -> Result<(), AppError> {
    let t = Some(now());
    let q = diesel::update(audience_votes::table.find(id));
    match state {
        OPEN => q
            .set((
                audience_votes::state.eq(state),
                audience_votes::opened_at.eq(t),
            ))
            .execute(c)?,
        _ => q
            .set((
                audience_votes::state.eq(state),
                audience_votes::closed_at.eq(t),
            ))
            .execute(c)?,
    };
    Ok(())
}

pub fn set_published(c: &mut DbConn, id: i64) -> Result<(), AppError> {
    diesel::update(audience_votes::table.find(id))
        .set(audience_votes::published_at.eq(Some(now())))
        .execute(c)?;
    Ok(())
}

/// Adds ticket hashes; returns how many were new (a code listed twice counts once).
pub fn add_tickets(c: &mut DbConn, vote_id: i64, hashes: &[String]) -> Result<usize, AppError> {
    let mut added = 0;
    let t = now();
    for h in hashes {
        if ticket_exists(c, vote_id, h)? {
            continue;
        }
        diesel::insert_into(audience_tickets::table)
            .values((
                audience_tickets::vote_id.eq(vote_id),
                audience_tickets::code_hash.eq(h),
                audience_tickets::created_at.eq(t),
            ))
            .execute(c)?;
        added += 1;
    }
    Ok(added)
}

pub fn ticket_exists(c: &mut DbConn, vote_id: i64, hash: &str) -> Result<bool, AppError> {
    Ok(audience_tickets::table
        .filter(audience_tickets::vote_id.eq(vote_id))
        .filter(audience_tickets::code_hash.eq(hash))
        .count()
        .get_result::<i64>(c)?
        > 0)
}

pub fn count_tickets(c: &mut DbConn, vote_id: i64) -> Result<i64, AppError> {
    Ok(audience_tickets::table
        .filter(audience_tickets::vote_id.eq(vote_id))
        .count()
        .get_result(c)?)
}

fn already_voted() -> AppError {
    AppError::conflict(
        ErrorCode::AlreadyVoted,
        "this ticket or address has already voted",
    )
}

/// Records a ballot; `already_voted` when this voter voted before (also when a concurrent
/// request won the race to the unique index).
pub fn cast(
    c: &mut DbConn,
    vote_id: i64,
    voter: &str,
    application_id: i64,
) -> Result<(), AppError> {
    let seen: i64 = audience_ballots::table
        .filter(audience_ballots::vote_id.eq(vote_id))
        .filter(audience_ballots::voter_hash.eq(voter))
        .count()
        .get_result(c)?;
    if seen > 0 {
        return Err(already_voted());
    }
    let inserted = diesel::insert_into(audience_ballots::table)
        .values((
            audience_ballots::vote_id.eq(vote_id),
            audience_ballots::voter_hash.eq(voter),
            audience_ballots::application_id.eq(application_id),
            audience_ballots::cast_at.eq(now()),
        ))
        .execute(c);
    match inserted {
        Ok(_) => Ok(()),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            Err(already_voted())
        }
        Err(e) => Err(e.into()),
    }
}

/// The finalist each ballot chose (a vote has at most as many ballots as its audience).
pub fn ballot_choices(c: &mut DbConn, vote_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(audience_ballots::table
        .filter(audience_ballots::vote_id.eq(vote_id))
        .select(audience_ballots::application_id)
        .load(c)?)
}
