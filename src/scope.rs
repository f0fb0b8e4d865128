//! Whose objects an administrator may manage (issue 22), decided once. A contest owner (an
//! administrator with no organisation) manages everything. An organiser's staff manage their
//! organisation's scope only: its rounds, the applications routed to or entered in them,
//! those rounds' assignments, the judges it invited, its mail and its audit entries. Anything
//! else answers `NotFound`, as other people's objects do, so staff learn nothing by probing.
//! Owner-only routes take the `Admin` extractor instead, which answers staff 403.
//!
//! Every handler that takes `Staff` calls `allow` on each object of its path before its use
//! case runs, and lists filter by `Scope` in their service.

use diesel::prelude::*;

use crate::auth::extract::AuthUser;
use crate::db::schema::{contest_judges, organisations, outbox, round_entries, rounds};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::rounds::routing;
use crate::state::AppState;

/// The reach of an administrator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Owner,
    Organisation(i64),
}

impl Scope {
    pub fn of(user: &AuthUser) -> Scope {
        match user.organisation_id {
            Some(id) => Scope::Organisation(id),
            None => Scope::Owner,
        }
    }

    pub fn organisation(self) -> Option<i64> {
        match self {
            Scope::Owner => None,
            Scope::Organisation(id) => Some(id),
        }
    }

    /// Whether an object belonging to `owner` (an organisation, or none: the owner's) is
    /// within reach.
    pub fn reaches(self, owner: Option<i64>) -> bool {
        match self {
            Scope::Owner => true,
            Scope::Organisation(id) => owner == Some(id),
        }
    }
}

/// An object named in a request path.
#[derive(Clone, Copy, Debug)]
pub enum Object {
    Contest(i64),
    Organisation(i64),
    Round(i64),
    Application(i64),
    Assignment(i64),
    Judge(i64),
    Outbox(i64),
}

/// `Ok` when the object is within the user's scope, `NotFound` otherwise.
pub async fn allow(state: &AppState, user: &AuthUser, object: Object) -> Result<(), AppError> {
    let scope = Scope::of(user);
    if scope == Scope::Owner {
        return Ok(());
    }
    let ok = db::run(&state.db, move |c| reaches(c, scope, object)).await?;
    if ok { Ok(()) } else { Err(AppError::NotFound) }
}

pub fn reaches(c: &mut DbConn, scope: Scope, object: Object) -> Result<bool, AppError> {
    let Scope::Organisation(org) = scope else {
        return Ok(true);
    };
    Ok(match object {
        Object::Organisation(id) => id == org,
        Object::Contest(id) => {
            organisations::table
                .filter(organisations::id.eq(org))
                .filter(organisations::contest_id.eq(id))
                .count()
                .get_result::<i64>(c)?
                > 0
        }
        Object::Round(id) => round_of(c, id)? == Some(Some(org)),
        Object::Assignment(id) => match crate::assignments::model::find(c, id) {
            Ok(a) => round_of(c, a.round_id)? == Some(Some(org)),
            Err(AppError::NotFound) => false,
            Err(e) => return Err(e),
        },
        Object::Application(id) => applications(c, org)?.contains(&id),
        Object::Judge(id) => {
            contest_judges::table
                .filter(contest_judges::user_id.eq(id))
                .filter(contest_judges::organisation_id.eq(org))
                .count()
                .get_result::<i64>(c)?
                > 0
        }
        Object::Outbox(id) => {
            outbox::table
                .filter(outbox::id.eq(id))
                .filter(outbox::organisation_id.eq(org))
                .count()
                .get_result::<i64>(c)?
                > 0
        }
    })
}

/// The organisation of a round: `None` when there is no such round.
fn round_of(c: &mut DbConn, id: i64) -> Result<Option<Option<i64>>, AppError> {
    Ok(rounds::table
        .find(id)
        .select(rounds::organisation_id)
        .first(c)
        .optional()?)
}

/// The applications in an organisation's reach: entered in one of its rounds, or routed to
/// one of its first-stage rounds (before their entries are filled).
pub fn applications(c: &mut DbConn, org: i64) -> Result<Vec<i64>, AppError> {
    let own: Vec<crate::rounds::model::RoundRow> = rounds::table
        .filter(rounds::organisation_id.eq(org))
        .select(crate::rounds::model::RoundRow::as_select())
        .load(c)?;
    let mut ids: Vec<i64> = round_entries::table
        .filter(round_entries::round_id.eq_any(own.iter().map(|r| r.id)))
        .select(round_entries::application_id)
        .load(c)?;
    for contest in own
        .iter()
        .map(|r| r.contest_id)
        .collect::<std::collections::BTreeSet<_>>()
    {
        let first = routing::first_stage(c, contest)?;
        for round in first.iter().filter(|r| r.organisation_id == Some(org)) {
            let round = crate::rounds::model::find(c, round.id)?;
            ids.extend(crate::rounds::model::entries_or_pending(c, &round)?);
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The judges an organisation invited.
pub fn judges(c: &mut DbConn, org: i64) -> Result<Vec<i64>, AppError> {
    Ok(contest_judges::table
        .filter(contest_judges::organisation_id.eq(org))
        .select(contest_judges::user_id)
        .load(c)?)
}
