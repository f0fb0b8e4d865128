//! Running the show: the organiser's settings, the moves (start, next, back, pause, resume,
//! reveal, hide), unlocks of closed pitches and the display link. Every change is audited,
//! bumps the revision, tells the other instances in its transaction and pulses this one's
//! streams once committed.

use serde_json::json;

use super::api::{Board, DisplayLink, LiveControl, LiveSettings, LiveUnlock};
use super::model::{self, FinalRow, LivePhase};
use super::{fanout, views};
use crate::assignments::model as assignments;
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::auth::model::Role;
use crate::auth::tokens::{digest, random_token};
use crate::db::{self, now};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::judges::model as judges;
use crate::rounds::model::{self as rounds, RoundState};
use crate::state::AppState;
use crate::unit::{self, Tx};

pub async fn board(state: &AppState, round_id: i64) -> Result<Board, AppError> {
    db::run(&state.db, move |c| views::board(c, round_id)).await
}

/// Runs `f` as an audited live write, then pulses the streams.
async fn change<T, F>(state: &AppState, round_id: i64, f: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut Tx<'_>) -> Result<T, AppError> + Send + 'static,
{
    let instance = state.push.instance.clone();
    let out = unit::write(state, move |tx| {
        let out = f(tx)?;
        fanout::notify_in(tx, &instance, round_id)?;
        Ok(out)
    })
    .await?;
    fanout::changed(state, round_id).await;
    Ok(out)
}

fn check(s: &LiveSettings, entries: &[i64]) -> Result<(), AppError> {
    let mut e = FieldErrors::default();
    for (field, v, min) in [
        ("pitch_secs", s.pitch_secs, 30),
        ("qa_secs", s.qa_secs, 0),
        ("grace_secs", s.grace_secs, 0),
    ] {
        if !(min..=3600).contains(&v) {
            e.add(field, "out_of_range");
        }
    }
    let known = |l: &String| ["en", "ko", "zh"].contains(&l.as_str());
    if s.languages.len() != 2 || !s.languages.iter().all(known) || s.languages[0] == s.languages[1]
    {
        e.add("languages", "invalid");
    }
    let mut sorted = s.order.clone();
    sorted.sort_unstable();
    sorted.dedup();
    let mut want = entries.to_vec();
    want.sort_unstable();
    if sorted.len() != s.order.len() || sorted != want || want.is_empty() {
        e.add("order", "must_list_every_entry");
    }
    e.into_result()
}

/// Marks the round live (or changes its settings and order), seating the listed judges on
/// every finalist they have no conflict with.
pub async fn configure(
    state: &AppState,
    admin: &AuthUser,
    round_id: i64,
    s: LiveSettings,
) -> Result<Board, AppError> {
    let actor = admin.id;
    change(state, round_id, move |tx| {
        let round = rounds::find(tx, round_id)?;
        if round.state.is_over() {
            return Err(AppError::conflict(ErrorCode::RoundClosed, "the round is over"));
        }
        let entries = rounds::entries_or_pending(tx, &round)?;
        let mut s = s;
        if s.order.is_empty() {
            let kept: Vec<i64> = model::pitches(tx, round_id)?.iter().map(|p| p.application_id).collect();
            s.order = kept.iter().copied().filter(|a| entries.contains(a)).collect();
            s.order.extend(entries.iter().filter(|a| !kept.contains(a)));
        }
        check(&s, &entries)?;
        let mut seated = 0;
        for judge in &s.judge_ids {
            let user = crate::auth::model::find_by_id(tx, *judge)?.ok_or(AppError::NotFound)?;
            if user.role != Role::Judge || judges::membership(tx, round.contest_id, *judge)?.is_none() {
                return Err(AppError::NotFound);
            }
            for app in &entries {
                if !assignments::exists(tx, round_id, *judge, *app)? && !judges::conflict_exists(tx, *judge, *app)? {
                    assignments::insert(tx, round_id, *judge, *app, "manual", Some(actor))?;
                    seated += 1;
                }
            }
        }
        let old = model::find(tx, round_id)?;
        let row = FinalRow {
            round_id,
            pitch_secs: s.pitch_secs,
            qa_secs: s.qa_secs,
            grace_secs: s.grace_secs,
            languages: s.languages.join(","),
            phase: old.as_ref().map_or(LivePhase::Ready, |o| o.phase),
            current_position: old.as_ref().and_then(|o| o.current_position),
            clock_started_at: old.as_ref().and_then(|o| o.clock_started_at),
            clock_elapsed_ms: old.as_ref().map_or(0, |o| o.clock_elapsed_ms),
            reveal_step: old.as_ref().map_or(0, |o| o.reveal_step),
            display_token_hash: old.as_ref().and_then(|o| o.display_token_hash.clone()),
            revision: 0,
            updated_at: now(),
        };
        model::save(tx, &row)?;
        model::set_order(tx, round_id, &s.order)?;
        tx.audit(Entry {
            actor_id: Some(actor),
            action: "live.configured",
            entity: "round",
            entity_id: Some(round_id.to_string()),
            details: json!({"pitch_secs": s.pitch_secs, "qa_secs": s.qa_secs, "grace_secs": s.grace_secs,
                "languages": s.languages, "order": s.order, "assignments_added": seated}),
        })?;
        views::board(tx, round_id)
    })
    .await
}

fn refused(what: &str) -> AppError {
    AppError::conflict(
        ErrorCode::InvalidTransition,
        format!("the show cannot {what} now"),
    )
}

/// One move of the show.
pub async fn control(
    state: &AppState,
    admin: &AuthUser,
    round_id: i64,
    input: LiveControl,
) -> Result<Board, AppError> {
    let actor = admin.id;
    change(state, round_id, move |tx| {
        let mut f = views::final_of(tx, round_id)?;
        let pitches = model::pitches(tx, round_id)?;
        let at = now();
        let count = pitches.len() as i32;
        let by_pos = |pos: i32| pitches.iter().find(|p| p.position == pos).map(|p| p.id);
        let action = input.action.as_str();
        // Moves the stage to `to` (or past the end): the pitch leaving starts its grace time.
        let go = |tx: &mut Tx<'_>, f: &mut FinalRow, to: Option<i32>| -> Result<(), AppError> {
            if let Some(id) = f.current_position.and_then(by_pos) {
                model::close_pitch(tx, id, at, f.grace_secs)?;
            }
            f.current_position = to;
            f.clock_elapsed_ms = 0;
            match to.and_then(by_pos) {
                Some(id) => {
                    model::open_pitch(tx, id, at)?;
                    f.phase = LivePhase::Running;
                    f.clock_started_at = Some(at);
                }
                None => {
                    f.phase = LivePhase::Finished;
                    f.clock_started_at = None;
                }
            }
            Ok(())
        };
        match (action, f.phase) {
            ("start", LivePhase::Ready) => {
                let round = rounds::find(tx, round_id)?;
                if round.state != RoundState::Judging {
                    return Err(AppError::conflict(
                        ErrorCode::RoundNotJudging,
                        "start judging the round first",
                    ));
                }
                if count == 0 {
                    return Err(AppError::conflict(
                        ErrorCode::NoEntries,
                        "the run sheet is empty",
                    ));
                }
                go(tx, &mut f, Some(1))?;
            }
            ("next", LivePhase::Running | LivePhase::Paused) => {
                let next = f.current_position.unwrap_or(0) + 1;
                go(tx, &mut f, (next <= count).then_some(next))?;
            }
            ("back", LivePhase::Running | LivePhase::Paused)
                if f.current_position.unwrap_or(0) > 1 =>
            {
                let prev = f.current_position.unwrap_or(1) - 1;
                go(tx, &mut f, Some(prev))?;
            }
            ("back", LivePhase::Finished) if f.reveal_step == 0 && count > 0 => {
                go(tx, &mut f, Some(count))?
            }
            ("pause", LivePhase::Running) => {
                f.clock_elapsed_ms = f.elapsed_ms(at);
                f.clock_started_at = None;
                f.phase = LivePhase::Paused;
            }
            ("resume", LivePhase::Paused) => {
                f.clock_started_at = Some(at);
                f.phase = LivePhase::Running;
            }
            ("reveal", LivePhase::Finished) => {
                let steps = views::show_with(tx, &f, &pitches, at)?.reveal_steps;
                if f.reveal_step >= steps {
                    return Err(refused("reveal"));
                }
                f.reveal_step += 1;
            }
            ("hide", LivePhase::Finished) if f.reveal_step > 0 => f.reveal_step -= 1,
            ("start" | "next" | "back" | "pause" | "resume" | "reveal" | "hide", _) => {
                return Err(refused(action));
            }
            _ => {
                let mut e = FieldErrors::default();
                e.add("action", "unknown");
                return Err(AppError::Validation(e));
            }
        }
        model::save(tx, &f)?;
        tx.audit(Entry {
            actor_id: Some(actor),
            action: &format!("live.{action}"),
            entity: "round",
            entity_id: Some(round_id.to_string()),
            details: json!({"position": f.current_position, "reveal_step": f.reveal_step}),
        })?;
        views::board(tx, round_id)
    })
    .await
}

/// Lets one judge score a closed pitch again.
pub async fn unlock(
    state: &AppState,
    admin: &AuthUser,
    round_id: i64,
    u: LiveUnlock,
) -> Result<Board, AppError> {
    let actor = admin.id;
    change(state, round_id, move |tx| {
        views::final_of(tx, round_id)?;
        let on_sheet = model::pitches(tx, round_id)?
            .iter()
            .any(|p| p.application_id == u.application_id);
        if !on_sheet || !assignments::exists(tx, round_id, u.judge_id, u.application_id)? {
            return Err(AppError::NotFound);
        }
        model::unlock(tx, round_id, u.application_id, u.judge_id, actor)?;
        tx.audit(Entry {
            actor_id: Some(actor),
            action: "live.unlocked",
            entity: "round",
            entity_id: Some(round_id.to_string()),
            details: json!({"application_id": u.application_id, "judge_id": u.judge_id}),
        })?;
        views::board(tx, round_id)
    })
    .await
}

/// Makes a new display link (the old one stops working), or with `make == false` revokes it.
pub async fn display_link(
    state: &AppState,
    admin: &AuthUser,
    round_id: i64,
    make: bool,
) -> Result<Option<DisplayLink>, AppError> {
    let actor = admin.id;
    change(state, round_id, move |tx| {
        let mut f = views::final_of(tx, round_id)?;
        let token = make.then(random_token);
        f.display_token_hash = token.as_deref().map(digest);
        model::save(tx, &f)?;
        tx.audit(Entry {
            actor_id: Some(actor),
            action: if make {
                "live.display_link_created"
            } else {
                "live.display_link_revoked"
            },
            entity: "round",
            entity_id: Some(round_id.to_string()),
            details: json!({}),
        })?;
        Ok(token.map(|t| DisplayLink {
            path: format!("/live/display/{t}"),
            token: t,
        }))
    })
    .await
}

/// The round a display token opens.
pub async fn display_round(state: &AppState, token: String) -> Result<i64, AppError> {
    db::run(&state.db, move |c| {
        model::by_display_token(c, &digest(&token))?
            .map(|f| f.round_id)
            .ok_or(AppError::NotFound)
    })
    .await
}
