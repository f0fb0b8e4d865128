//! Inviting judges (one by one or from a CSV), accepting invitations, profiles, deactivation.

use diesel::prelude::*;
use serde_json::json;

use super::api::{self, Judge, JudgeProfile, ProfilePatch};
use super::model::{self, ProfileRow};
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::auth::model::{self as users_model, Role};
use crate::auth::tokens::{self};
use crate::db;
use crate::db::schema::{assignments, rounds};
use crate::error::{AppError, FieldErrors};
use crate::state::AppState;
use crate::unit;

/// The contest's judges: all for owners, those their organisation invited for staff.
pub async fn list(
    state: &AppState,
    scope: crate::scope::Scope,
    contest_id: i64,
) -> Result<Vec<Judge>, AppError> {
    db::run(&state.db, move |c| {
        crate::contests::model::find(c, contest_id)?;
        let members = model::members(c, contest_id)?
            .into_iter()
            .filter(|m| scope.reaches(m.organisation_id));
        let mut out = Vec::new();
        for m in members {
            let Some(u) = users_model::find_by_id(c, m.user_id)? else {
                continue;
            };
            let profile = model::profile(c, u.id)?
                .map(|p| p.to_api())
                .unwrap_or_default();
            let assigned: i64 = assignments::table
                .inner_join(rounds::table)
                .filter(rounds::contest_id.eq(contest_id))
                .filter(assignments::judge_id.eq(u.id))
                .count()
                .get_result(c)?;
            let status = if u.disabled_at.is_some() {
                "disabled"
            } else if u.password_hash.is_none() {
                "invited"
            } else {
                "active"
            };
            out.push(Judge {
                id: u.id,
                name: u.name,
                email: u.email,
                status,
                profile,
                invited_at: m.invited_at.and_utc(),
                accepted_at: m.accepted_at.map(|t| t.and_utc()),
                assigned,
            });
        }
        Ok(out)
    })
    .await
}

pub async fn my_profile(state: &AppState, user: &AuthUser) -> Result<JudgeProfile, AppError> {
    let id = user.id;
    db::run(&state.db, move |c| {
        Ok(model::profile(c, id)?
            .map(|p| p.to_api())
            .unwrap_or(JudgeProfile {
                region: "OTHER".into(),
                capacity: 10,
                reminders: true,
                ..JudgeProfile::default()
            }))
    })
    .await
}

/// Judges edit their own profile except capacity; administrators may set everything.
pub async fn update_profile(
    state: &AppState,
    actor: &AuthUser,
    judge_id: i64,
    patch: ProfilePatch,
) -> Result<JudgeProfile, AppError> {
    if actor.role != Role::Admin && patch.capacity.is_some() {
        return Err(AppError::field("capacity", "admin_only"));
    }
    let mut e = FieldErrors::default();
    api::validate_profile(&patch, &mut e);
    e.into_result()?;
    let actor_id = actor.id;
    unit::write(state, move |c| {
        let user = users_model::find_by_id(c, judge_id)?.ok_or(AppError::NotFound)?;
        if user.role != Role::Judge {
            return Err(AppError::NotFound);
        }
        let mut p = model::profile(c, judge_id)?
            .map(|p| p.to_api())
            .unwrap_or(JudgeProfile {
                region: "OTHER".into(),
                capacity: 10,
                reminders: true,
                ..JudgeProfile::default()
            });
        let before = p.clone();
        if let Some(v) = patch.organization {
            p.organization = v;
        }
        if let Some(v) = patch.affiliations {
            p.affiliations = v
                .into_iter()
                .map(|a| api::Affiliation {
                    name: a.name.trim().to_string(),
                    kind: a.kind,
                })
                .collect();
        }
        if let Some(v) = patch.region {
            p.region = v;
        }
        if let Some(v) = patch.expertise {
            p.expertise = v;
        }
        if let Some(v) = patch.languages {
            p.languages = v;
        }
        if let Some(v) = patch.capacity {
            p.capacity = v;
        }
        if let Some(v) = patch.reminders {
            p.reminders = v;
        }
        model::save_profile(c, &ProfileRow::from_api(judge_id, &p)?)?;
        c.audit(Entry {
            actor_id: Some(actor_id),
            action: "judge.profile_updated",
            entity: "user",
            entity_id: Some(judge_id.to_string()),
            details: crate::audit::changes(&before, &p),
        })?;
        Ok(p)
    })
    .await
}

/// Deactivating ends every session of the judge at once; reactivating lets them sign in again.
pub async fn set_active(
    state: &AppState,
    admin: &AuthUser,
    judge_id: i64,
    active: bool,
) -> Result<(), AppError> {
    let actor = admin.id;
    unit::write(state, move |c| {
        let user = users_model::find_by_id(c, judge_id)?.ok_or(AppError::NotFound)?;
        if user.role != Role::Judge {
            return Err(AppError::NotFound);
        }
        users_model::set_disabled(c, judge_id, !active)?;
        if !active {
            users_model::bump_token_version(c, judge_id)?;
            tokens::end_all_sessions(c, judge_id)?;
        }
        c.audit(Entry {
            actor_id: Some(actor),
            action: if active {
                "judge.reactivated"
            } else {
                "judge.deactivated"
            },
            entity: "user",
            entity_id: Some(judge_id.to_string()),
            details: json!({}),
        })
    })
    .await
}
