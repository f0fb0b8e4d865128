//! An edition's life beyond editing: archiving it when it is over, restoring it, and copying
//! it as the next edition.

use serde_json::json;

use super::api::{Checked, Contest, CopiedEdition, CopyInput, validate};
use super::model::{self, ContestRow};
use super::service::{insert, to_json};
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::db::{self, now};
use crate::error::{AppError, ErrorCode};
use crate::judges::api::InviteRow;
use crate::rounds::model::{self as rounds, RoundState};
use crate::state::AppState;
use crate::unit;

/// Archives an edition whose window has closed and whose rounds are all over; it becomes
/// read-only and is listed apart. Archiving again changes nothing.
pub async fn archive(state: &AppState, admin: &AuthUser, id: i64) -> Result<Contest, AppError> {
    let actor = admin.id;
    unit::write(state, move |tx| {
        let mut row = model::find(tx, id)?;
        if row.archived_at.is_none() {
            let t = now();
            if row.is_open(t) || t < row.opens_at {
                return Err(AppError::conflict(
                    ErrorCode::ContestActive,
                    "the application window has not closed yet; close it first",
                ));
            }
            if rounds::list(tx, id)?.iter().any(|r| !r.state.is_over()) {
                return Err(AppError::conflict(
                    ErrorCode::ContestActive,
                    "a round is still in set-up or judging; close it first",
                ));
            }
            row.archived_at = Some(t);
            row.updated_at = t;
            model::update(tx, &row)?;
            tx.audit(Entry {
                actor_id: Some(actor),
                action: "contest.archived",
                entity: "contest",
                entity_id: Some(id.to_string()),
                details: json!({}),
            })?;
        }
        row.to_api(0)
    })
    .await
}

/// Makes an archived edition writable again.
pub async fn restore(state: &AppState, admin: &AuthUser, id: i64) -> Result<Contest, AppError> {
    let actor = admin.id;
    unit::write(state, move |tx| {
        let mut row = model::find(tx, id)?;
        if row.archived_at.is_some() {
            row.archived_at = None;
            row.updated_at = now();
            model::update(tx, &row)?;
            tx.audit(Entry {
                actor_id: Some(actor),
                action: "contest.restored",
                entity: "contest",
                entity_id: Some(id.to_string()),
                details: json!({}),
            })?;
        }
        row.to_api(0)
    })
    .await
}

/// A new, unpublished edition with this one's tracks, eligibility, awards, questions and rounds (their
/// settings and rubrics, in set-up, without dates or entries). Judges are invited only when
/// asked, after the copy has committed, each on their own as any invitation.
pub async fn copy(
    state: &AppState,
    admin: &AuthUser,
    id: i64,
    input: CopyInput,
) -> Result<CopiedEdition, AppError> {
    let actor = admin.id;
    let (new_id, rounds_copied, judges) = unit::write(state, move |tx| {
        let old = model::find(tx, id)?;
        let name = match &input.name {
            Some(n) => n.clone(),
            None => old.names()?,
        };
        let description = serde_json::from_str(&old.description).map_err(AppError::internal)?;
        validate(&Checked {
            slug: &input.slug,
            name: &name,
            description: &description,
            timezone: &old.timezone,
            tracks: &old.tracks()?,
            opens_at: input.opens_at,
            closes_at: input.closes_at,
            eligibility: &old.eligibility()?,
            awards: &old.awards()?,
            questions: &old.questions()?,
        })
        .into_result()?;
        let t = now();
        let row = ContestRow {
            id: 0,
            slug: input.slug.clone(),
            name: to_json(&name)?,
            opens_at: input.opens_at.naive_utc(),
            closes_at: input.closes_at.naive_utc(),
            published: false,
            created_at: t,
            updated_at: t,
            archived_at: None,
            previous_id: Some(id),
            ..old.clone()
        };
        let new_id = insert(tx, actor, &row)?;
        let mut copied = 0;
        for r in rounds::list(tx, id)? {
            let round = rounds::RoundRow {
                id: 0,
                contest_id: new_id,
                judging_opens_at: None,
                judging_closes_at: None,
                state: RoundState::Setup,
                created_at: t,
                updated_at: t,
                // Organisations belong to an edition; the copy's owner names them anew.
                organisation_id: None,
                ..r.clone()
            };
            let round_id = rounds::insert(tx, &round)?;
            let criteria: Vec<_> = rounds::criteria(tx, r.id)?
                .iter()
                .map(|c| c.to_api())
                .collect();
            rounds::replace_criteria(tx, round_id, &criteria)?;
            copied += 1;
        }
        let judges = if input.invite_judges {
            previous_judges(tx, id)?
        } else {
            Vec::new()
        };
        tx.audit(Entry {
            actor_id: Some(actor),
            action: "contest.copied",
            entity: "contest",
            entity_id: Some(new_id.to_string()),
            details: json!({"from": id, "rounds": copied, "judges": judges.len()}),
        })?;
        Ok((new_id, copied, judges))
    })
    .await?;
    let judges_invited = if judges.is_empty() {
        0
    } else {
        let report = crate::judges::invitations::invite(state, admin, new_id, judges).await?;
        report.rows.len() - report.failed
    };
    let contest = db::run(&state.db, move |c| model::find(c, new_id)?.to_api(0)).await?;
    Ok(CopiedEdition {
        contest,
        rounds: rounds_copied,
        judges_invited,
    })
}

/// The previous edition's judges who still have a usable account, as invitation rows with
/// their profile, so the new edition knows their region, expertise and capacity.
fn previous_judges(c: &mut db::DbConn, contest_id: i64) -> Result<Vec<InviteRow>, AppError> {
    let mut rows = Vec::new();
    for m in crate::judges::model::members(c, contest_id)? {
        let Some(user) = crate::auth::model::find_by_id(c, m.user_id)? else {
            continue;
        };
        if user.disabled_at.is_some() {
            continue;
        }
        let profile = crate::judges::model::profile(c, user.id)?
            .map(|p| p.to_api())
            .unwrap_or_default();
        rows.push(InviteRow {
            email: user.email,
            name: user.name,
            organization: profile.organization,
            region: profile.region,
            expertise: profile.expertise,
            capacity: profile.capacity,
            locale: Some(user.locale),
        });
    }
    Ok(rows)
}
