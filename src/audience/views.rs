//! The joined reads of the audience vote: the finalists with their names and tracks, and the
//! People's Choice count. The display page (issue 21's reveal) calls [`peoples_choice`].

use std::collections::BTreeMap;

use super::api::{Finalist, FinalistVotes, PeoplesChoice};
use super::model::{self, VoteRow};
use crate::applications::model as applications;
use crate::contests::model as contests;
use crate::db::DbConn;
use crate::error::AppError;
use crate::rounds::model::{self as rounds, RoundRow};

/// The round's entries (the finalists), in entry order, with names and track names.
pub fn finalists(c: &mut DbConn, round: &RoundRow) -> Result<Vec<Finalist>, AppError> {
    let contest = contests::find(c, round.contest_id)?;
    let tracks = contest.tracks()?;
    let mut out = Vec::new();
    for id in rounds::entries_or_pending(c, round)? {
        let app = applications::find(c, id)?;
        let track_name = tracks
            .iter()
            .find(|t| t.key == app.track)
            .map(|t| t.name.clone())
            .unwrap_or_default();
        out.push(Finalist {
            application_id: app.id,
            company_name: app.company_name,
            company_name_native: app.company_name_native,
            track: app.track,
            track_name,
        });
    }
    Ok(out)
}

/// The People's Choice of a round: votes per finalist, competition ranks, the winner or the
/// tied winners. `None` when the round has no audience vote. It reads only the audience
/// tables, so the judges' ranking never sees it (and it never sees the judges' scores).
pub fn peoples_choice(c: &mut DbConn, round_id: i64) -> Result<Option<PeoplesChoice>, AppError> {
    let Some(vote) = model::find_for_round(c, round_id)? else {
        return Ok(None);
    };
    let round = rounds::find(c, round_id)?;
    Ok(Some(count(c, &vote, &round)?))
}

pub fn count(c: &mut DbConn, vote: &VoteRow, round: &RoundRow) -> Result<PeoplesChoice, AppError> {
    let choices = model::ballot_choices(c, vote.id)?;
    let mut votes: BTreeMap<i64, i64> = BTreeMap::new();
    for id in &choices {
        *votes.entry(*id).or_default() += 1;
    }
    let mut rows: Vec<FinalistVotes> = finalists(c, round)?
        .into_iter()
        .map(|f| FinalistVotes {
            votes: votes.get(&f.application_id).copied().unwrap_or(0),
            application_id: f.application_id,
            company_name: f.company_name,
            company_name_native: f.company_name_native,
            track: f.track,
            track_name: f.track_name,
            rank: 0,
        })
        .collect();
    rows.sort_by(|a, b| {
        b.votes
            .cmp(&a.votes)
            .then(a.application_id.cmp(&b.application_id))
    });
    for i in 0..rows.len() {
        rows[i].rank = match i {
            0 => 1,
            _ if rows[i].votes == rows[i - 1].votes => rows[i - 1].rank,
            _ => i as i64 + 1,
        };
    }
    let top = rows.first().map(|r| r.votes).unwrap_or(0);
    let winners: Vec<i64> = match top {
        0 => Vec::new(),
        _ => rows
            .iter()
            .filter(|r| r.votes == top)
            .map(|r| r.application_id)
            .collect(),
    };
    Ok(PeoplesChoice {
        round_id: round.id,
        state: vote.state.clone(),
        published_at: vote.published_at.map(|t| t.and_utc()),
        ballots: choices.len() as i64,
        tie: winners.len() > 1,
        winners,
        finalists: rows,
    })
}
