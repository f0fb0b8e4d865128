//! Routing submitted applications to the preliminaries: what the rules and overrides say, and
//! the owner's manual override (audited). The rules themselves are in `rounds::routing`.

use serde_json::json;

use super::api::{RouteOverride, Routed};
use crate::applications::model::{self as applications, ApplicationStatus};
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::db;
use crate::error::{AppError, ErrorCode};
use crate::rounds::model::{self as rounds, RoundState};
use crate::rounds::routing;
use crate::scope::{self, Scope};
use crate::state::AppState;
use crate::unit;

/// Where each submitted application of the contest goes (staff: those their rounds take).
pub async fn list(
    state: &AppState,
    user: &AuthUser,
    contest_id: i64,
) -> Result<Vec<Routed>, AppError> {
    let scope = Scope::of(user);
    db::run(&state.db, move |c| {
        crate::contests::model::find(c, contest_id)?;
        let stage = routing::first_stage(c, contest_id)?;
        let overrides: std::collections::BTreeMap<i64, i64> = routing::overrides(c, contest_id)?
            .into_iter()
            .map(|o| (o.application_id, o.round_id))
            .collect();
        let visible = match scope {
            Scope::Owner => None,
            Scope::Organisation(org) => Some(scope::applications(c, org)?),
        };
        let mut out = Vec::new();
        for app in applications::submitted_in(c, contest_id)? {
            if visible.as_ref().is_some_and(|v| !v.contains(&app.id)) {
                continue;
            }
            let (round_id, by) = match overrides.get(&app.id) {
                Some(r) => (Some(*r), "override"),
                None => (routing::by_rule(&stage, &app.country, &app.track), "rule"),
            };
            out.push(Routed {
                application_id: app.id,
                round_id,
                by: by.into(),
            });
        }
        Ok(out)
    })
    .await
}

/// The owner sends one application to another preliminary (or back to the rules), while the
/// preliminaries it leaves and joins are still being set up.
pub async fn set(
    state: &AppState,
    owner: &AuthUser,
    application_id: i64,
    input: RouteOverride,
) -> Result<Routed, AppError> {
    if input.round_id.is_some() && input.reason.trim().is_empty() {
        return Err(AppError::field("reason", "required"));
    }
    if input.reason.chars().count() > 500 {
        return Err(AppError::field("reason", "too_long"));
    }
    let actor = owner.id;
    unit::write(state, move |c| {
        let app = applications::find(c, application_id)?;
        if app.status != ApplicationStatus::Submitted {
            return Err(AppError::conflict(ErrorCode::RoutingFrozen, "only submitted applications are routed"));
        }
        let stage = routing::first_stage(c, app.contest_id)?;
        if let Some(r) = input.round_id
            && !stage.iter().any(|s| s.id == r)
        {
            return Err(AppError::field("round_id", "not_a_preliminary"));
        }
        let before = routing::route_of(c, app.contest_id, app.id, &app.country, &app.track)?;
        for s in stage.iter().filter(|s| Some(s.id) == before || Some(s.id) == input.round_id) {
            let round = rounds::find(c, s.id)?;
            if round.state == RoundState::Setup && rounds::count_entries(c, s.id)? == 0 {
                continue;
            }
            return Err(AppError::conflict(
                ErrorCode::RoutingFrozen,
                "the preliminary has started; route applications while it is being set up",
            ));
        }
        routing::set_override(c, app.id, input.round_id.map(|r| (r, input.reason.trim(), actor)))?;
        let after = routing::route_of(c, app.contest_id, app.id, &app.country, &app.track)?;
        c.audit(Entry {
            actor_id: Some(actor),
            action: "application.routed",
            entity: "application",
            entity_id: Some(app.id.to_string()),
            details: json!({"round_id": {"old": before, "new": after}, "reason": input.reason.trim(),
                "override": input.round_id.is_some()}),
        })?;
        Ok(Routed {
            application_id: app.id,
            round_id: after,
            by: if input.round_id.is_some() { "override" } else { "rule" }.into(),
        })
    })
    .await
}
