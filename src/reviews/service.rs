//! Writing reviews: drafts (autosave), submission, and edits until the round closes.

use serde_json::json;

use super::api::{self, Review, ReviewInput};
use super::model::{self, Write};
use crate::audit::Entry;
use crate::auth::JudgeToken;
use crate::db::{self, DbConn, now};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::reviews::model::ReviewStatus;
use crate::state::AppState;
use crate::unit;

/// The judge's review of an assignment: the sign-in check, the assignment and the review in
/// the one statement a save reads with (the rubric comes along; it is a short text).
pub async fn get(
    state: &AppState,
    judge: JudgeToken,
    assignment_id: i64,
) -> Result<Review, AppError> {
    db::run(&state.db, move |c| {
        let (uid, loaded) = signed_in(c, judge, assignment_id)?;
        crate::access::reviews_own(uid, &loaded.assignment)?;
        Ok(loaded
            .current
            .map(|r| r.to_api())
            .unwrap_or_else(model::empty))
    })
    .await
}

/// Saves what was sent over the stored review. A submitted review stays submitted (and must
/// stay complete); a draft stays a draft until `submit`. The sign-in check is read with the
/// assignment, its round, the review and the rubric, so an autosave is one database call and
/// reads in one statement, as a lean server would (issue 20).
pub async fn save(
    state: &AppState,
    judge: JudgeToken,
    assignment_id: i64,
    input: ReviewInput,
    submit: bool,
) -> Result<Review, AppError> {
    unit::one_statement(state, move |c| {
        let (uid, loaded) = signed_in(c, judge, assignment_id)?;
        apply(c, uid, loaded, input, submit)
    })
    .await
}

/// The judge's id (sign-in checked) and what a save builds on, from one statement; a token
/// that no longer holds answers 401 before a missing assignment answers 404.
fn signed_in(
    c: &mut DbConn,
    judge: JudgeToken,
    assignment_id: i64,
) -> Result<(i64, model::Loaded), AppError> {
    let (id, session) = judge.names()?;
    let (user, loaded) = model::signed_in_loaded(c, id, session, assignment_id)?;
    let uid = judge.confirm_row(user)?.id;
    Ok((uid, loaded?))
}

/// `save` inside an open unit of work: the live final's scoring calls it so the review rules,
/// the audit entry and the score math stay one.
pub fn save_in(
    c: &mut unit::Tx<'_>,
    uid: i64,
    assignment_id: i64,
    input: ReviewInput,
    submit: bool,
) -> Result<Review, AppError> {
    let loaded = model::loaded(c, assignment_id)?;
    apply(c, uid, loaded, input, submit)
}

/// Checks the save against the assignment, the round and the rubric, then writes it with its
/// audit entry in one statement (`model::save`).
fn apply(
    c: &mut DbConn,
    uid: i64,
    loaded: model::Loaded,
    input: ReviewInput,
    submit: bool,
) -> Result<Review, AppError> {
    let model::Loaded {
        assignment: a,
        round,
        current,
        scales: criteria,
    } = loaded;
    let assignment_id = a.id;
    crate::access::reviews_own(uid, &a)?;
    round.accepts_reviews(now())?;
    let mut e = FieldErrors::default();
    api::validate(&input, &criteria, &mut e);
    e.into_result()?;
    let mut scores = current.as_ref().map(|r| r.scores()).unwrap_or_default();
    if let Some(s) = &input.scores {
        scores.extend(s.iter().map(|(k, v)| (k.clone(), *v)));
    }
    let was_submitted = current
        .as_ref()
        .is_some_and(|r| r.status == ReviewStatus::Submitted);
    let status = if submit || was_submitted {
        ReviewStatus::Submitted
    } else {
        ReviewStatus::Draft
    };
    if status == ReviewStatus::Submitted {
        let mut e = FieldErrors::default();
        api::missing(&scores, &criteria, &mut e);
        e.into_result()?;
    }
    let pick = |new: &Option<String>, old: Option<&str>| {
        new.clone()
            .unwrap_or_else(|| old.unwrap_or_default().to_string())
    };
    let comment_applicant = pick(
        &input.comment_applicant,
        current.as_ref().map(|r| r.comment_applicant.as_str()),
    );
    let comment_private = pick(
        &input.comment_private,
        current.as_ref().map(|r| r.comment_private.as_str()),
    );
    let entry = (status == ReviewStatus::Submitted).then(|| Entry {
        actor_id: Some(uid),
        action: if was_submitted {
            "review.edited"
        } else {
            "review.submitted"
        },
        entity: "assignment",
        entity_id: Some(assignment_id.to_string()),
        details: json!({"application_id": a.application_id, "round_id": a.round_id, "scores": scores}),
    });
    let Some(saved) = model::save(
        c,
        assignment_id,
        current.as_ref(),
        &Write {
            scores: &scores,
            comment_applicant: &comment_applicant,
            comment_private: &comment_private,
            status,
        },
        input.version,
        entry,
    )?
    else {
        return Err(AppError::conflict(
            ErrorCode::EditConflict,
            "the review was saved elsewhere; reload to see the latest version",
        ));
    };
    // The row the write returned: no second read inside the write lock.
    Ok(saved.to_api())
}
