//! The live snapshots, read whole from the database each time: the show (display and judges),
//! one judge's screen, the organiser's board. Nothing here is kept in memory, so any instance
//! renders the same answer.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::api::{
    Board, BoardCell, BoardJudge, BoardPitch, JudgeLive, JudgePitch, RevealedAward, Show, ShowPitch,
};
use super::model::{self, FinalRow, LivePhase, PitchRow};
use crate::assignments::model as assignments;
use crate::db::schema::{applications, reviews, users};
use crate::db::{DbConn, now};
use crate::error::AppError;
use crate::reviews::model::ReviewStatus;
use crate::rounds::model as rounds;

/// A judge whose phone has not been connected for this long shows as offline.
pub const OFFLINE_AFTER_SECS: i64 = 20;

pub fn final_of(c: &mut DbConn, round_id: i64) -> Result<FinalRow, AppError> {
    model::find(c, round_id)?.ok_or(AppError::NotFound)
}

fn names(c: &mut DbConn, ids: &[i64]) -> Result<BTreeMap<i64, (String, String)>, AppError> {
    let rows: Vec<(i64, String, String)> = applications::table
        .filter(applications::id.eq_any(ids))
        .select((
            applications::id,
            applications::company_name,
            applications::track,
        ))
        .load(c)?;
    Ok(rows.into_iter().map(|(id, n, t)| (id, (n, t))).collect())
}

fn show_pitches(c: &mut DbConn, pitches: &[PitchRow]) -> Result<Vec<ShowPitch>, AppError> {
    let ids: Vec<i64> = pitches.iter().map(|p| p.application_id).collect();
    let names = names(c, &ids)?;
    Ok(pitches
        .iter()
        .map(|p| {
            let (company_name, track) = names.get(&p.application_id).cloned().unwrap_or_default();
            ShowPitch {
                position: p.position,
                application_id: p.application_id,
                company_name,
                track,
            }
        })
        .collect())
}

/// The awards in reveal order, each tier a step: the audience's People's Choice first (once
/// its vote has closed), then the judges' tiers from the lowest to the grand prize. The
/// People's Choice is read from the audience tables only and comes as its own step, so it is
/// never mixed into the judges' tiers.
fn reveal_list(c: &mut DbConn, round_id: i64) -> Result<Vec<RevealedAward>, AppError> {
    let mut list: Vec<RevealedAward> = peoples_choice(c, round_id)?.into_iter().collect();
    let preview = crate::results::awards::preview_in(c, round_id)?;
    list.extend(
        preview
            .awards
            .into_iter()
            .rev()
            .filter(|a| !a.winners.is_empty())
            .map(|a| RevealedAward {
                key: a.key,
                name: a.name,
                winners: a.winners.into_iter().map(|w| w.company_name).collect(),
            }),
    );
    Ok(list)
}

/// The People's Choice as a reveal step: only for a closed vote with at least one ballot; tied
/// winners are all named.
fn peoples_choice(c: &mut DbConn, round_id: i64) -> Result<Option<RevealedAward>, AppError> {
    let Some(pc) = crate::audience::service::peoples_choice(c, round_id)? else {
        return Ok(None);
    };
    if pc.state != crate::audience::model::CLOSED || pc.winners.is_empty() {
        return Ok(None);
    }
    let winners = pc
        .finalists
        .into_iter()
        .filter(|f| pc.winners.contains(&f.application_id))
        .map(|f| f.company_name)
        .collect();
    let name = [
        ("en", "People's Choice"),
        ("ko", "관객상"),
        ("zh", "最佳人气奖"),
    ]
    .into_iter()
    .map(|(l, n)| (l.to_string(), n.to_string()))
    .collect();
    Ok(Some(RevealedAward {
        key: PEOPLES_CHOICE.to_string(),
        name,
        winners,
    }))
}

/// The reveal step's key for the audience's award.
pub const PEOPLES_CHOICE: &str = "peoples_choice";

pub fn show_with(
    c: &mut DbConn,
    f: &FinalRow,
    pitches: &[PitchRow],
    at: NaiveDateTime,
) -> Result<Show, AppError> {
    let listed = show_pitches(c, pitches)?;
    let current = f
        .current_position
        .and_then(|pos| listed.iter().find(|p| p.position == pos).cloned());
    let (revealed, steps) = if f.phase == LivePhase::Finished {
        let all = reveal_list(c, f.round_id)?;
        let steps = all.len() as i32;
        (
            all.into_iter()
                .take(f.reveal_step.max(0) as usize)
                .collect(),
            steps,
        )
    } else {
        (Vec::new(), 0)
    };
    Ok(Show {
        round_id: f.round_id,
        revision: f.revision,
        phase: f.phase.as_str().to_string(),
        languages: f.languages(),
        pitch_secs: f.pitch_secs,
        qa_secs: f.qa_secs,
        pitches: pitches.len() as i32,
        current,
        elapsed_ms: f.elapsed_ms(at),
        running: f.phase == LivePhase::Running,
        revealed,
        reveal_steps: steps,
    })
}

pub fn show(c: &mut DbConn, round_id: i64) -> Result<Show, AppError> {
    let f = final_of(c, round_id)?;
    let pitches = model::pitches(c, round_id)?;
    show_with(c, &f, &pitches, now())
}

/// `upcoming`, `open` or `locked` for this pitch, and how long until it locks.
fn scoring(p: &PitchRow, unlocked: bool, at: NaiveDateTime) -> (String, Option<i64>) {
    let state = if p.opened_at.is_none() {
        "upcoming"
    } else if p.open_at(at) || unlocked {
        "open"
    } else {
        "locked"
    };
    let locks_in = (state == "open" && !unlocked)
        .then_some(p.closes_at)
        .flatten()
        .map(|t| (t - at).num_milliseconds());
    (state.to_string(), locks_in)
}

/// Submitted reviews of the round: (judge, application).
fn submitted(c: &mut DbConn, round_id: i64) -> Result<BTreeSet<(i64, i64)>, AppError> {
    let rows: Vec<(i64, i64)> = reviews::table
        .inner_join(crate::db::schema::assignments::table)
        .filter(crate::db::schema::assignments::round_id.eq(round_id))
        .filter(reviews::status.eq(ReviewStatus::Submitted))
        .select((
            crate::db::schema::assignments::judge_id,
            crate::db::schema::assignments::application_id,
        ))
        .load(c)?;
    Ok(rows.into_iter().collect())
}

pub fn judge(c: &mut DbConn, round_id: i64, judge_id: i64) -> Result<JudgeLive, AppError> {
    let f = final_of(c, round_id)?;
    let mine: BTreeMap<i64, i64> = assignments::for_round(c, round_id)?
        .into_iter()
        .filter(|a| a.judge_id == judge_id)
        .map(|a| (a.application_id, a.id))
        .collect();
    if mine.is_empty() {
        return Err(AppError::NotFound);
    }
    let at = now();
    let pitches = model::pitches(c, round_id)?;
    let show = show_with(c, &f, &pitches, at)?;
    let unlocks = model::unlocks(c, round_id)?;
    let done = submitted(c, round_id)?;
    let criteria = rounds::criteria(c, round_id)?
        .iter()
        .map(|r| r.to_api())
        .collect();
    let listed = show_pitches(c, &pitches)?;
    let pitches = pitches
        .iter()
        .zip(listed)
        .map(|(p, s)| {
            let (scoring, locks_in_ms) =
                scoring(p, unlocks.contains(&(p.application_id, judge_id)), at);
            JudgePitch {
                position: p.position,
                application_id: p.application_id,
                company_name: s.company_name,
                assignment_id: mine.get(&p.application_id).copied(),
                scoring,
                locks_in_ms,
                submitted: done.contains(&(judge_id, p.application_id)),
            }
        })
        .collect();
    Ok(JudgeLive {
        show,
        criteria,
        pitches,
    })
}

pub fn board(c: &mut DbConn, round_id: i64) -> Result<Board, AppError> {
    let f = final_of(c, round_id)?;
    let at = now();
    let pitches = model::pitches(c, round_id)?;
    let show = show_with(c, &f, &pitches, at)?;
    let panel: BTreeSet<(i64, i64)> = assignments::for_round(c, round_id)?
        .into_iter()
        .map(|a| (a.judge_id, a.application_id))
        .collect();
    let judge_ids: BTreeSet<i64> = panel.iter().map(|(j, _)| *j).collect();
    let ids: Vec<i64> = judge_ids.iter().copied().collect();
    let people: Vec<(i64, String)> = users::table
        .filter(users::id.eq_any(&ids))
        .order(users::name)
        .select((users::id, users::name))
        .load(c)?;
    let fresh = at - Duration::seconds(OFFLINE_AFTER_SECS);
    let online: BTreeSet<i64> = model::presence(c, round_id)?
        .into_iter()
        .filter(|(_, seen)| *seen > fresh)
        .map(|(j, _)| j)
        .collect();
    let unlocks = model::unlocks(c, round_id)?;
    let done = submitted(c, round_id)?;
    let listed = show_pitches(c, &pitches)?;
    let mut ready = !pitches.is_empty();
    let board_pitches = pitches
        .iter()
        .zip(listed)
        .map(|(p, s)| {
            let (scoring, locks_in_ms) = scoring(p, false, at);
            let cells = people
                .iter()
                .map(|(j, _)| {
                    let status = if !panel.contains(&(*j, p.application_id)) {
                        "none"
                    } else if done.contains(&(*j, p.application_id)) {
                        "submitted"
                    } else if online.contains(j) {
                        "pending"
                    } else {
                        "offline"
                    };
                    ready &= matches!(status, "submitted" | "none");
                    BoardCell {
                        judge_id: *j,
                        status: status.into(),
                        unlocked: unlocks.contains(&(p.application_id, *j)),
                    }
                })
                .collect();
            BoardPitch {
                position: p.position,
                application_id: p.application_id,
                company_name: s.company_name,
                scoring,
                locks_in_ms,
                cells,
            }
        })
        .collect();
    Ok(Board {
        show,
        grace_secs: f.grace_secs,
        judges: people
            .into_iter()
            .map(|(id, name)| BoardJudge {
                id,
                online: online.contains(&id),
                name,
            })
            .collect(),
        pitches: board_pitches,
        results_ready: ready,
        display_link: f.display_token_hash.is_some(),
    })
}
