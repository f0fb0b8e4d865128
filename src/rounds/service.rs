//! Rounds: configuration, the rubric, the state machine, progress and reminders.

use std::collections::BTreeMap;

use serde_json::json;

use super::api::{self, Round, RoundInput, Rubric, Transition};
use super::model::RoundState;
use super::model::{self, RoundRow};

use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::db::{self, DbConn, now};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::state::AppState;
use crate::unit::{self, Tx};

pub(super) fn record(
    c: &mut Tx<'_>,
    actor: i64,
    action: &str,
    round: i64,
    details: serde_json::Value,
) -> Result<(), AppError> {
    c.audit(Entry {
        actor_id: Some(actor),
        action,
        entity: "round",
        entity_id: Some(round.to_string()),
        details,
    })
}

pub fn view(c: &mut DbConn, row: &RoundRow) -> Result<Round, AppError> {
    let criteria = model::count_criteria(c, row.id)?;
    let entries = model::count_entries(c, row.id)?;
    row.to_api(criteria, entries)
}

fn apply(row: &mut RoundRow, input: &RoundInput, criteria_keys: &[String]) -> Result<(), AppError> {
    let mut e = FieldErrors::default();
    api::validate_round(input, &mut e);
    if let Some(tb) = &input.tie_break
        && tb.iter().any(|k| !criteria_keys.contains(k))
    {
        e.add("tie_break", "unknown_criterion");
    }
    e.into_result()?;
    if let Some(v) = &input.name {
        row.name = serde_json::to_string(v).map_err(AppError::internal)?;
    }
    if let Some(v) = input.reviews_per_application {
        row.reviews_per_application = v;
    }
    if input.judging_opens_at.is_some() {
        row.judging_opens_at = input.judging_opens_at.map(|t| t.naive_utc());
    }
    if input.judging_closes_at.is_some() {
        row.judging_closes_at = input.judging_closes_at.map(|t| t.naive_utc());
    }
    if let Some(v) = input.blind {
        row.blind = v;
    }
    if let Some(v) = input.blind_shows_deck {
        row.blind_shows_deck = v;
    }
    if let Some(v) = &input.ranking_method {
        row.ranking_method = v.clone();
    }
    if let Some(v) = &input.tie_break {
        row.tie_break = serde_json::to_string(v).map_err(AppError::internal)?;
    }
    if let Some(v) = input.feedback_to_applicants {
        row.feedback_to_applicants = v;
    }
    if let Some(v) = &input.route {
        row.route = serde_json::to_string(v).map_err(AppError::internal)?;
    }
    if let (Some(a), Some(b)) = (row.judging_opens_at, row.judging_closes_at)
        && a >= b
    {
        return Err(AppError::field("judging_closes_at", "before_opens_at"));
    }
    row.updated_at = now();
    Ok(())
}

/// The organisation a round is given, checked to belong to the contest.
fn organisation(c: &mut DbConn, contest_id: i64, id: Option<i64>) -> Result<Option<i64>, AppError> {
    match id {
        Some(id) if !crate::organisations::model::of_contest(c, id, contest_id)? => {
            Err(AppError::field("organisation_id", "unknown_organisation"))
        }
        other => Ok(other),
    }
}

/// Staff run the rounds the owner set up: who runs a round, its stage and route are the owner's.
fn owner_fields(user: &AuthUser, input: &RoundInput) -> Result<(), AppError> {
    let touches = input.organisation_id.is_some() || input.stage.is_some() || input.route.is_some();
    if touches && !user.is_owner() {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

pub async fn create(
    state: &AppState,
    admin: &AuthUser,
    contest_id: i64,
    input: RoundInput,
) -> Result<Round, AppError> {
    owner_fields(admin, &input)?;
    let actor = admin.id;
    unit::write(state, move |c| {
        crate::contests::model::find(c, contest_id)?;
        if input.name.is_none() {
            return Err(AppError::field("name", "required"));
        }
        let t = now();
        let organisation_id = organisation(c, contest_id, input.organisation_id)?;
        let stage = match input.stage {
            Some(s) if s >= 1 => s,
            Some(_) => return Err(AppError::field("stage", "out_of_range")),
            None => model::next_stage(c, contest_id)?,
        };
        let mut row = RoundRow {
            id: 0,
            contest_id,
            position: model::next_position(c, contest_id)?,
            name: String::new(),
            reviews_per_application: 3,
            judging_opens_at: None,
            judging_closes_at: None,
            blind: false,
            blind_shows_deck: true,
            ranking_method: "raw".into(),
            tie_break: "[]".into(),
            feedback_to_applicants: false,
            state: RoundState::Setup,
            created_at: t,
            updated_at: t,
            organisation_id,
            stage,
            route: "{}".into(),
        };
        apply(&mut row, &input, &[])?;
        let id = model::insert(c, &row)?;
        let row = model::find(c, id)?;
        let round = view(c, &row)?;
        // Every setting as it starts, so later changes read against it.
        let settings = audit::changes(&json!({}), &round);
        record(c, actor, "round.created", id, settings)?;
        Ok(round)
    })
    .await
}

pub async fn update(
    state: &AppState,
    admin: &AuthUser,
    id: i64,
    input: RoundInput,
) -> Result<Round, AppError> {
    owner_fields(admin, &input)?;
    let actor = admin.id;
    unit::write(state, move |c| {
        let mut row = model::find(c, id)?;
        if input.organisation_id.is_some() {
            row.organisation_id = organisation(c, row.contest_id, input.organisation_id)?;
        }
        if row.state == RoundState::Published {
            return Err(AppError::conflict(
                ErrorCode::RoundPublished,
                "a published round cannot change",
            ));
        }
        let keys: Vec<String> = model::criteria(c, id)?.into_iter().map(|k| k.key).collect();
        let before = view(c, &row)?;
        apply(&mut row, &input, &keys)?;
        model::save(c, &row)?;
        let after = view(c, &row)?;
        record(
            c,
            actor,
            "round.updated",
            id,
            audit::changes(&before, &after),
        )?;
        Ok(after)
    })
    .await
}

pub async fn list(state: &AppState, contest_id: i64) -> Result<Vec<Round>, AppError> {
    db::run(&state.db, move |c| {
        crate::contests::model::find(c, contest_id)?;
        model::list(c, contest_id)?
            .iter()
            .map(|r| view(c, r))
            .collect()
    })
    .await
}

pub async fn get(state: &AppState, id: i64) -> Result<Round, AppError> {
    db::run(&state.db, move |c| {
        let row = model::find(c, id)?;
        view(c, &row)
    })
    .await
}

/// Administrators, and judges with an assignment in the round, may read its rubric.
pub async fn rubric(state: &AppState, user: &AuthUser, id: i64) -> Result<Rubric, AppError> {
    let user = user.clone();
    db::run(&state.db, move |c| {
        model::find(c, id)?;
        crate::access::rubric(c, &user, id)?;
        Ok(Rubric {
            criteria: model::criteria(c, id)?.iter().map(|k| k.to_api()).collect(),
            frozen: model::submitted_reviews(c, id)? > 0,
        })
    })
    .await
}

pub async fn put_rubric(
    state: &AppState,
    admin: &AuthUser,
    id: i64,
    rubric: Rubric,
) -> Result<Rubric, AppError> {
    let mut e = FieldErrors::default();
    api::validate_rubric(&rubric.criteria, &mut e);
    e.into_result()?;
    let actor = admin.id;
    unit::write(state, move |c| {
        let round = model::find(c, id)?;
        if model::submitted_reviews(c, id)? > 0 || round.state.is_over() {
            return Err(AppError::conflict(
                ErrorCode::RubricFrozen,
                "reviews have been submitted against this rubric; changing it now would make scores incomparable",
            ));
        }
        let keys: Vec<&String> = rubric.criteria.iter().map(|k| &k.key).collect();
        if round.tie_break().iter().any(|k| !keys.contains(&k)) {
            return Err(AppError::field("criteria", "tie_break_criterion_removed"));
        }
        let by_key = |list: Vec<api::Criterion>| -> BTreeMap<String, api::Criterion> {
            list.into_iter().map(|k| (k.key.clone(), k)).collect()
        };
        let before = by_key(model::criteria(c, id)?.iter().map(|k| k.to_api()).collect());
        model::replace_criteria(c, id, &rubric.criteria)?;
        // Each criterion's key names its change: `{key: {old, new}}`, null when added or removed.
        let changes = audit::changes(&before, &by_key(rubric.criteria.clone()));
        record(c, actor, "round.rubric_set", id, changes)?;
        Ok(Rubric {
            criteria: model::criteria(c, id)?.iter().map(|k| k.to_api()).collect(),
            frozen: false,
        })
    })
    .await
}

/// setup → judging (needs a rubric and entries), judging → closed (unfinished reviews need
/// `confirm`), closed → judging (reopen). Publishing has its own endpoint.
pub async fn transition(
    state: &AppState,
    admin: &AuthUser,
    id: i64,
    t: Transition,
) -> Result<Round, AppError> {
    let (actor, base) = (admin.id, state.config.public_url.clone());
    unit::write(state, move |c| {
        let mut round = model::find(c, id)?;
        let from = round.state;
        // The moves themselves are listed once, in `ROUND_MOVES`; publishing has its own endpoint.
        let to = RoundState::parse(&t.to)
            .filter(|to| *to != RoundState::Published && from.can_move_to(*to))
            .ok_or_else(|| {
                AppError::conflict(
                    ErrorCode::InvalidTransition,
                    format!("a round cannot go from {from} to {}", t.to),
                )
            })?;
        match (from, to) {
            (RoundState::Setup, RoundState::Judging) => {
                if model::count_criteria(c, id)? == 0 {
                    return Err(AppError::conflict(ErrorCode::NoRubric, "define the rubric before judging starts"));
                }
                if model::previous(c, &round)?.iter().any(|prev| !prev.state.is_over()) {
                    return Err(AppError::conflict(ErrorCode::PreviousRoundOpen, "close the previous round first"));
                }
                if model::fill_entries(c, &round)? == 0 {
                    return Err(AppError::conflict(ErrorCode::NoEntries, "the round has no applications to judge"));
                }
                crate::judges::conflicts::detect(c, round.contest_id)?;
            }
            (RoundState::Judging, RoundState::Closed) => {
                let unfinished = model::count_assignments(c, id)? - model::submitted_reviews(c, id)?;
                if unfinished > 0 && !t.confirm {
                    return Err(AppError::conflict(
                        ErrorCode::UnfinishedReviews,
                        format!("{unfinished} assigned reviews are not submitted; send confirm: true to close anyway"),
                    ));
                }
            }
            _ => {}
        }
        round.state = to;
        round.updated_at = now();
        model::save(c, &round)?;
        record(c, actor, "round.transition", id, json!({"from": from, "to": t.to}))?;
        if (from, to) == (RoundState::Setup, RoundState::Judging) {
            super::notify::assigned(c, &base, &round)?;
        }
        view(c, &round)
    })
    .await
}
