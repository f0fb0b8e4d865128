//! A judge's live score: taken while the pitch is open (from its start until `grace` after the
//! next one starts) or unlocked for this judge, saved through the reviews' own save path (the
//! rules, the audit entry and the score math stay one), and idempotent by the phone's id.

use super::api::{JudgeLive, LiveScore, LiveScoreAnswer};
use super::{fanout, model, views};
use crate::assignments::model as assignments;
use crate::auth::AuthUser;
use crate::db::{self, DbConn, now};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::reviews::api::ReviewInput;
use crate::reviews::service as reviews;
use crate::state::AppState;
use crate::unit;

pub async fn screen(
    state: &AppState,
    judge: &AuthUser,
    round_id: i64,
) -> Result<JudgeLive, AppError> {
    let uid = judge.id;
    db::run(&state.db, move |c| views::judge(c, round_id, uid)).await
}

/// On PostgreSQL, one judge's saves wait for each other, so a replay racing its original
/// finds the first answer instead of a duplicate key.
fn serialise(c: &mut DbConn, judge: i64) -> Result<(), AppError> {
    if let DbConn::Pg(pg) = c {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT pg_advisory_xact_lock(7352014, $1)")
            .bind::<diesel::sql_types::Integer, _>((judge % i64::from(i32::MAX)) as i32)
            .execute(pg)?;
    }
    Ok(())
}

/// Saves (and submits) one judge's scores for one pitch. A client id seen before answers the
/// first answer unchanged, whatever the clock says now.
pub async fn score(
    state: &AppState,
    judge: &AuthUser,
    round_id: i64,
    application_id: i64,
    input: LiveScore,
) -> Result<LiveScoreAnswer, AppError> {
    let uid = judge.id;
    let n = input.client_id.chars().count();
    if !(8..=100).contains(&n) {
        let mut e = FieldErrors::default();
        e.add("client_id", "invalid");
        e.into_result()?;
    }
    let instance = state.push.instance.clone();
    let (answer, fresh) = unit::write(state, move |tx| {
        serialise(tx, uid)?;
        if let Some((_, stored)) = model::saved_answer(tx, uid, &input.client_id)? {
            let answer: LiveScoreAnswer =
                serde_json::from_str(&stored).map_err(AppError::internal)?;
            return Ok((answer, false));
        }
        views::final_of(tx, round_id)?;
        let pitch = model::pitches(tx, round_id)?
            .into_iter()
            .find(|p| p.application_id == application_id)
            .ok_or(AppError::NotFound)?;
        let assignment = assignments::for_round(tx, round_id)?
            .into_iter()
            .find(|a| a.judge_id == uid && a.application_id == application_id)
            .ok_or(AppError::NotFound)?;
        if pitch.opened_at.is_none() {
            return Err(AppError::conflict(
                ErrorCode::PitchNotStarted,
                "this pitch has not started yet",
            ));
        }
        let unlocked = model::unlocks(tx, round_id)?.contains(&(application_id, uid));
        if !pitch.open_at(now()) && !unlocked {
            return Err(AppError::conflict(
                ErrorCode::ScoreLocked,
                "scoring for this pitch has closed; the organiser can unlock it for you",
            ));
        }
        let review = reviews::save_in(
            tx,
            uid,
            assignment.id,
            ReviewInput {
                scores: Some(input.scores),
                comment_private: input.comment_private,
                ..ReviewInput::default()
            },
            true,
        )?;
        let answer = LiveScoreAnswer {
            assignment_id: assignment.id,
            review,
        };
        let stored = serde_json::to_string(&answer).map_err(AppError::internal)?;
        model::record_answer(tx, uid, &input.client_id, assignment.id, &stored)?;
        fanout::notify_in(tx, &instance, round_id)?;
        Ok((answer, true))
    })
    .await?;
    if fresh {
        fanout::changed(state, round_id).await;
    }
    Ok(answer)
}
