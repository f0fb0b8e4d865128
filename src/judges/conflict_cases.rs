//! Conflicts of interest as people handle them: a judge declares one, an administrator adds or
//! lifts one, and the list of a contest. Detection lives in `conflicts.rs`.

use super::api::Conflict;
use super::conflicts::add;
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::db;
use crate::db::schema::{applications, assignments, conflicts, users};
use crate::error::AppError;
use crate::state::AppState;
use crate::unit::{self, Tx};
use diesel::prelude::*;
use serde_json::json;

type ConflictListRow = (
    i64,
    i64,
    String,
    i64,
    String,
    String,
    String,
    chrono::NaiveDateTime,
);

fn record(
    c: &mut Tx<'_>,
    actor: i64,
    action: &str,
    judge: i64,
    app: i64,
    details: serde_json::Value,
) -> Result<(), AppError> {
    c.audit(Entry {
        actor_id: Some(actor),
        action,
        entity: "conflict",
        entity_id: Some(format!("{judge}:{app}")),
        details,
    })
}

/// A judge declares a conflict on an application assigned to them, or on one of the entry list
/// of a round that is not blind (`entries::listed`), before any assignment.
pub async fn declare(
    state: &AppState,
    judge: &AuthUser,
    application_id: i64,
    reason: String,
) -> Result<(), AppError> {
    if reason.chars().count() > 1000 {
        return Err(AppError::field("reason", "too_long"));
    }
    let uid = judge.id;
    unit::write(state, move |c| {
        let assigned: i64 = assignments::table
            .filter(assignments::judge_id.eq(uid))
            .filter(assignments::application_id.eq(application_id))
            .count()
            .get_result(c.conn())?;
        if assigned == 0 && !super::entries::listed(c, uid, application_id)? {
            return Err(AppError::NotFound);
        }
        let removed = add(c, uid, application_id, "declared", reason.trim(), Some(uid))?;
        record(
            c,
            uid,
            "conflict.declared",
            uid,
            application_id,
            json!({"reason": reason, "assignments_removed": removed}),
        )
    })
    .await
}

/// A judge withdraws a conflict they declared themselves; conflicts set by organisers or
/// detected are not theirs to lift. A pair detection matches stays a (detected) conflict.
pub async fn withdraw(
    state: &AppState,
    judge: &AuthUser,
    application_id: i64,
) -> Result<(), AppError> {
    let uid = judge.id;
    unit::write(state, move |c| {
        let row: Option<(i64, String, Option<i64>)> = conflicts::table
            .filter(conflicts::judge_id.eq(uid))
            .filter(conflicts::application_id.eq(application_id))
            .filter(conflicts::lifted_at.is_null())
            .select((conflicts::id, conflicts::source, conflicts::created_by))
            .first(c.conn())
            .optional()?;
        let Some((id, source, by)) = row else {
            return Err(AppError::NotFound);
        };
        if source != "declared" || by != Some(uid) {
            return Err(AppError::NotFound);
        }
        let detected = super::conflicts::pair_matches(c, uid, application_id)?;
        if detected {
            super::model::revive_conflict(
                c,
                id,
                "detected",
                "same organization or email domain",
                None,
            )?;
        } else {
            super::model::lift_conflict(c, id)?;
        }
        record(
            c,
            uid,
            "conflict.withdrawn",
            uid,
            application_id,
            json!({"still_detected": detected}),
        )
    })
    .await
}

pub async fn add_by_admin(
    state: &AppState,
    admin: &AuthUser,
    contest_id: i64,
    judge_id: i64,
    application_id: i64,
    reason: String,
) -> Result<(), AppError> {
    let actor = admin.id;
    unit::write(state, move |c| {
        let app = crate::applications::model::find(c, application_id)?;
        if app.contest_id != contest_id
            || super::model::membership(c, contest_id, judge_id)?.is_none()
        {
            return Err(AppError::NotFound);
        }
        let removed = add(
            c,
            judge_id,
            application_id,
            "admin",
            reason.trim(),
            Some(actor),
        )?;
        record(
            c,
            actor,
            "conflict.added",
            judge_id,
            application_id,
            json!({"reason": reason, "assignments_removed": removed}),
        )
    })
    .await
}

pub async fn lift(state: &AppState, admin: &AuthUser, id: i64) -> Result<(), AppError> {
    let actor = admin.id;
    unit::write(state, move |c| {
        let (judge, app, lifted): (i64, i64, Option<chrono::NaiveDateTime>) = conflicts::table
            .find(id)
            .select((
                conflicts::judge_id,
                conflicts::application_id,
                conflicts::lifted_at,
            ))
            .first(c.conn())?;
        if lifted.is_some() {
            return Err(AppError::NotFound);
        }
        super::model::lift_conflict(c, id)?;
        record(c, actor, "conflict.lifted", judge, app, json!({}))
    })
    .await
}

pub async fn list(state: &AppState, contest_id: i64) -> Result<Vec<Conflict>, AppError> {
    db::run(&state.db, move |c| {
        crate::contests::model::find(c, contest_id)?;
        let rows: Vec<ConflictListRow> = conflicts::table
            .inner_join(users::table.on(users::id.eq(conflicts::judge_id)))
            .inner_join(applications::table.on(applications::id.eq(conflicts::application_id)))
            .filter(applications::contest_id.eq(contest_id))
            .filter(conflicts::lifted_at.is_null())
            .order(conflicts::id.asc())
            .select((
                conflicts::id,
                conflicts::judge_id,
                users::name,
                conflicts::application_id,
                applications::company_name,
                conflicts::source,
                conflicts::reason,
                conflicts::created_at,
            ))
            .load(c)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, judge_id, judge_name, application_id, company_name, source, reason, at)| {
                    Conflict {
                        id,
                        judge_id,
                        judge_name,
                        application_id,
                        company_name,
                        source,
                        reason,
                        created_at: at.and_utc(),
                    }
                },
            )
            .collect())
    })
    .await
}
