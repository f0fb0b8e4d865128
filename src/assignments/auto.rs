//! One-button assignment: the round's entries, judges, capacities and conflicts become a
//! solver instance; existing pairs with a review stay locked, other existing pairs are kept
//! when an optimal answer allows it; `dry_run` previews the figures and the diff, otherwise
//! the diff is applied in one transaction.

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::assign::{self, Explanation, Objective, Unfilled};
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::error::{AppError, ErrorCode};
use crate::rounds::model as rounds;
use crate::rounds::model::RoundState;
use crate::state::AppState;
use crate::unit;

#[derive(Debug, Deserialize, utoipa::ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AutoInput {
    /// Preview only: nothing is written.
    #[serde(default)]
    pub dry_run: bool,
}

/// The answer of a run: ids are the API's numeric ids, every item a named object.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AutoResult {
    pub dry_run: bool,
    /// The figures of the whole resulting assignment, locked pairs included.
    pub objective: AutoObjective,
    /// Pairs the run adds / removes.
    pub added: Vec<AssignmentPair>,
    pub removed: Vec<AssignmentPair>,
    /// Existing pairs kept because a review was started.
    pub locked: usize,
    /// Applications left with fewer than k judges, and why.
    pub unfilled: Vec<UnfilledSeats>,
    /// Applications without a judge of a required region (KR, CN).
    pub uncovered: Vec<UncoveredRegion>,
    /// Seats no arrangement could fill: k × entries minus what the judges' capacities allow.
    pub capacity_shortfall: i64,
    /// Why each added judge sits on that panel.
    pub explanations: Vec<AutoExplanation>,
}

/// The solver's objective, in its order of priority (DESIGN §6, docs/assignment-format.md).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AutoObjective {
    /// Seats filled.
    pub reviews: i64,
    /// (application, required region) pairs covered.
    pub regions_covered: i64,
    /// Sum of the judges' expertise (0–3) in the tracks they review.
    pub affinity: i64,
    /// Sum over judges of load²: lower is more even.
    pub load_squares: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssignmentPair {
    pub judge_id: i64,
    pub application_id: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnfilledSeats {
    pub application_id: i64,
    /// Seats still empty (k minus judges).
    pub missing: i64,
    /// For people: why no further judge could take it.
    pub reason: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UncoveredRegion {
    pub application_id: i64,
    pub region: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AutoExplanation {
    pub judge_id: i64,
    pub application_id: i64,
    pub region: String,
    /// The judge's expertise (0–3) in the application's track.
    pub affinity: i64,
    /// For people: "expert in ai (3), KR seat".
    pub text: String,
}

impl From<&Objective> for AutoObjective {
    fn from(o: &Objective) -> AutoObjective {
        AutoObjective {
            reviews: o.reviews,
            regions_covered: o.regions_covered,
            affinity: o.affinity,
            load_squares: o.load_squares,
        }
    }
}

/// The solver speaks in string ids built from the numeric ones (`instance::build`), so parsing
/// back cannot fail for what it returns.
fn num(id: &str) -> Option<i64> {
    id.parse().ok()
}

fn ids(pairs: &[(String, String)]) -> Vec<AssignmentPair> {
    pairs
        .iter()
        .filter_map(|(j, a)| {
            Some(AssignmentPair {
                judge_id: num(j)?,
                application_id: num(a)?,
            })
        })
        .collect()
}

fn unfilled(u: &[Unfilled]) -> Vec<UnfilledSeats> {
    u.iter()
        .filter_map(|u| {
            Some(UnfilledSeats {
                application_id: num(&u.application)?,
                missing: u.missing,
                reason: u.reason.clone(),
            })
        })
        .collect()
}

fn uncovered(pairs: &[(String, String)]) -> Vec<UncoveredRegion> {
    pairs
        .iter()
        .filter_map(|(a, region)| {
            Some(UncoveredRegion {
                application_id: num(a)?,
                region: region.clone(),
            })
        })
        .collect()
}

fn explanation(e: Explanation) -> Option<AutoExplanation> {
    Some(AutoExplanation {
        judge_id: num(&e.judge)?,
        application_id: num(&e.application)?,
        region: e.region,
        affinity: e.affinity,
        text: e.text,
    })
}

pub async fn run(
    state: &AppState,
    admin: &AuthUser,
    round_id: i64,
    input: AutoInput,
) -> Result<AutoResult, AppError> {
    let (actor, base) = (admin.id, state.config.public_url.clone());
    unit::write(state, move |c| {
        let round = rounds::find(c, round_id)?;
        if !round.state.takes_assignments() {
            return Err(AppError::conflict(ErrorCode::RoundClosed, "assignments of a closed round cannot change"));
        }
        if round.state == RoundState::Setup {
            rounds::fill_entries(c, &round)?;
        }
        crate::judges::conflicts::detect(c, round.contest_id)?;
        let built = super::instance::build(c, &round)?;
        built.instance.validate().map_err(AppError::internal)?;
        let r = assign::repair(&built.instance, &built.previous, &built.locked);
        let (added, removed) = (ids(&r.added), ids(&r.removed));
        if !input.dry_run {
            for p in &removed {
                super::model::delete_pair(c, round_id, p.judge_id, p.application_id)?;
            }
            for p in &added {
                super::model::insert(c, round_id, p.judge_id, p.application_id, "auto", Some(actor))?;
            }
            c.audit(Entry {
                actor_id: Some(actor),
                action: "assignment.auto_applied",
                entity: "round",
                entity_id: Some(round_id.to_string()),
                details: json!({"added": &added, "removed": &removed, "objective": r.solution.objective}),
            })?;
            // Judges of a round already open hear at once when their set of entries changed.
            if round.state == RoundState::Judging && !(added.is_empty() && removed.is_empty()) {
                crate::rounds::notify::assigned(c, &base, &round)?;
            }
        }
        let added_set: std::collections::BTreeSet<&(String, String)> = r.added.iter().collect();
        Ok(AutoResult {
            dry_run: input.dry_run,
            objective: AutoObjective::from(&r.solution.objective),
            added,
            removed,
            locked: built.locked.len(),
            unfilled: unfilled(&r.solution.unfilled),
            uncovered: uncovered(&r.solution.uncovered),
            capacity_shortfall: r.solution.capacity_shortfall,
            explanations: r
                .solution
                .explanations
                .into_iter()
                .filter(|e| added_set.contains(&(e.judge.clone(), e.application.clone())))
                .filter_map(explanation)
                .collect(),
        })
    })
    .await
}
