//! The entry list a judge reads before any assignment exists, to mark conflicts early: the
//! start-ups of a contest's current or next round, by name and track only. A blind round hides
//! it, as it hides names on the scoring screen.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::api::{Entry, EntryList};
use crate::auth::AuthUser;
use crate::db::schema::{applications, conflicts, contest_judges};
use crate::db::{self, DbConn};
use crate::error::{AppError, ErrorCode};
use crate::rounds::model::{self as rounds, RoundRow};
use crate::state::AppState;

/// The round a contest is preparing or judging now: the first by position that still takes
/// assignments.
fn current(c: &mut DbConn, contest_id: i64) -> Result<Option<RoundRow>, AppError> {
    Ok(rounds::list(c, contest_id)?
        .into_iter()
        .find(|r| r.state.takes_assignments()))
}

fn names(json: &str) -> crate::contests::api::I18nText {
    serde_json::from_str(json).unwrap_or_default()
}

/// The round whose entries a judge of the contest may list: none when the judge is not one of
/// the contest's judges or nothing is being prepared or judged.
fn open_round(c: &mut DbConn, judge: i64, contest_id: i64) -> Result<Option<RoundRow>, AppError> {
    if super::model::membership(c, contest_id, judge)?.is_none() {
        return Ok(None);
    }
    current(c, contest_id)
}

/// Whether the judge may mark a conflict on the application from the entry list.
pub fn listed(c: &mut DbConn, judge: i64, application_id: i64) -> Result<bool, AppError> {
    let Ok(app) = crate::applications::model::find(c, application_id) else {
        return Ok(false);
    };
    Ok(match open_round(c, judge, app.contest_id)? {
        Some(round) if !round.blind => {
            rounds::entries_or_pending(c, &round)?.contains(&application_id)
        }
        _ => false,
    })
}

fn entry_list(c: &mut DbConn, judge: i64, round: &RoundRow) -> Result<EntryList, AppError> {
    let contest = crate::contests::model::find(c, round.contest_id)?;
    let mut list = EntryList {
        contest_id: contest.id,
        contest_name: names(&contest.name),
        round_id: round.id,
        round_name: names(&round.name),
        blind: round.blind,
        entries: Vec::new(),
    };
    if round.blind {
        return Ok(list);
    }
    let ids = rounds::entries_or_pending(c, round)?;
    let mine: BTreeMap<i64, String> = conflicts::table
        .filter(conflicts::judge_id.eq(judge))
        .filter(conflicts::application_id.eq_any(&ids))
        .filter(conflicts::lifted_at.is_null())
        .select((conflicts::application_id, conflicts::source))
        .load::<(i64, String)>(c)?
        .into_iter()
        .collect();
    // Ties on the judge's profile show at once, before detection has recorded them.
    let standing = super::conflicts::standing(c, round.contest_id)?;
    let rows: Vec<(i64, String, String, String)> = applications::table
        .filter(applications::id.eq_any(&ids))
        .order((applications::company_name.asc(), applications::id.asc()))
        .select((
            applications::id,
            applications::company_name,
            applications::company_name_native,
            applications::track,
        ))
        .load(c)?;
    list.entries = rows
        .into_iter()
        .map(|(id, company_name, company_name_native, track)| Entry {
            application_id: id,
            company_name,
            company_name_native,
            track,
            conflict: mine.get(&id).cloned().or_else(|| {
                standing
                    .contains(&(judge, id))
                    .then(|| "detected".to_string())
            }),
        })
        .collect();
    Ok(list)
}

/// One contest's entry list: 404 for a judge outside the contest or when no round is being
/// prepared or judged, 403 `round_blind` when that round is blind.
pub async fn for_contest(
    state: &AppState,
    judge: &AuthUser,
    contest_id: i64,
) -> Result<EntryList, AppError> {
    let uid = judge.id;
    db::run(&state.db, move |c| {
        let round = open_round(c, uid, contest_id)?.ok_or(AppError::NotFound)?;
        if round.blind {
            return Err(AppError::Refused {
                code: ErrorCode::RoundBlind,
                message: "the round is blind: its entries are not shown to judges".into(),
            });
        }
        entry_list(c, uid, &round)
    })
    .await
}

/// The entry list of every contest the judge belongs to that prepares or judges a round (blind
/// ones say so, with no entries).
pub async fn mine(state: &AppState, judge: &AuthUser) -> Result<Vec<EntryList>, AppError> {
    let uid = judge.id;
    db::run(&state.db, move |c| {
        let contests: Vec<i64> = contest_judges::table
            .filter(contest_judges::user_id.eq(uid))
            .order(contest_judges::contest_id.asc())
            .select(contest_judges::contest_id)
            .load(c)?;
        let mut out = Vec::new();
        for contest in contests {
            if let Some(round) = current(c, contest)? {
                out.push(entry_list(c, uid, &round)?);
            }
        }
        Ok(out)
    })
    .await
}
