//! The solver instance of a round, built in one place for the assignment run and for the
//! administrator who wants to re-run it offline (`jury assign --instance`), so the two cannot
//! drift. It reads only: entries not yet filled and conflicts not yet detected are taken as the
//! run would take them.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::assign;
use crate::db::schema::{
    applications, assignments, contest_judges, judge_profiles, reviews, users,
};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::rounds::model::{self as rounds, RoundRow};
use crate::state::AppState;

/// What a run starts from: the instance and the round's current pairs (in the solver's ids).
pub(super) struct Built {
    pub instance: assign::Instance,
    pub previous: Vec<(String, String)>,
    /// Existing pairs with a review started: they stay.
    pub locked: Vec<(String, String)>,
}

/// A judge with their profile's region, capacity and expertise (all optional).
type JudgeRow = (i64, Option<String>, Option<i32>, Option<String>);

/// The solver speaks in string ids: the API's numeric ids written out.
fn id(x: i64) -> String {
    x.to_string()
}

pub(super) fn build(c: &mut DbConn, round: &RoundRow) -> Result<Built, AppError> {
    let entries = rounds::entries_or_pending(c, round)?;
    let tracks: BTreeMap<i64, String> = applications::table
        .filter(applications::id.eq_any(&entries))
        .select((applications::id, applications::track))
        .load::<(i64, String)>(c)?
        .into_iter()
        .collect();
    // A preliminary draws on its organisation's judges; a joint round (the final) on all.
    let mut pool = contest_judges::table
        .inner_join(users::table.left_join(judge_profiles::table))
        .filter(contest_judges::contest_id.eq(round.contest_id))
        .into_boxed();
    if let Some(org) = round.organisation_id {
        pool = pool.filter(contest_judges::organisation_id.eq(org));
    }
    let judges: Vec<JudgeRow> = pool
        .filter(users::disabled_at.is_null())
        .filter(users::password_hash.is_not_null())
        .order(users::id.asc())
        .select((
            users::id,
            judge_profiles::region.nullable(),
            judge_profiles::capacity.nullable(),
            judge_profiles::expertise.nullable(),
        ))
        .load(c)?;
    let judge_ids: std::collections::BTreeSet<i64> = judges.iter().map(|j| j.0).collect();
    let conflicts: Vec<(String, String)> = crate::judges::conflicts::standing(c, round.contest_id)?
        .into_iter()
        .filter(|(j, a)| judge_ids.contains(j) && tracks.contains_key(a))
        .map(|(j, a)| (id(j), id(a)))
        .collect();
    let existing: Vec<(i64, i64, Option<String>)> = assignments::table
        .left_join(reviews::table)
        .filter(assignments::round_id.eq(round.id))
        .order(assignments::id.asc())
        .select((
            assignments::judge_id,
            assignments::application_id,
            reviews::status.nullable(),
        ))
        .load(c)?;
    Ok(Built {
        instance: assign::Instance {
            reviews_per_application: i64::from(round.reviews_per_application),
            // One side's preliminary has no cross-border rule; the joint rounds keep KR + CN.
            required_regions: match round.organisation_id {
                Some(_) => Vec::new(),
                None => vec!["KR".into(), "CN".into()],
            },
            judges: judges
                .iter()
                .map(|(j, region, cap, expertise)| assign::Judge {
                    id: id(*j),
                    region: region.clone().unwrap_or_else(|| "OTHER".into()),
                    capacity: i64::from(cap.unwrap_or(10)),
                    expertise: expertise
                        .as_deref()
                        .and_then(|e| serde_json::from_str::<BTreeMap<String, i64>>(e).ok())
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| (k, v.clamp(0, 3)))
                        .collect(),
                })
                .collect(),
            applications: tracks
                .iter()
                .map(|(a, track)| assign::Application {
                    id: id(*a),
                    track: track.clone(),
                })
                .collect(),
            conflicts,
        },
        previous: existing.iter().map(|(j, a, _)| (id(*j), id(*a))).collect(),
        locked: existing
            .iter()
            .filter(|(_, _, s)| s.is_some())
            .map(|(j, a, _)| (id(*j), id(*a)))
            .collect(),
    })
}

/// The instance the next assignment run of the round will solve (admin). Pairs with a review
/// started are not in it (the format has no place for them): with none, `jury assign
/// --instance` reaches the run's objective exactly.
pub async fn instance(state: &AppState, round_id: i64) -> Result<assign::Instance, AppError> {
    db::run(&state.db, move |c| {
        let round = rounds::find(c, round_id)?;
        Ok(build(c, &round)?.instance)
    })
    .await
}
