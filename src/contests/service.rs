//! Creating, editing and reading contest editions. Archiving and copying an edition live in
//! `edition.rs`.

use chrono::NaiveDateTime;
use serde_json::json;

use super::api::{Checked, Contest, ContestInput, ContestPatch, validate};
use super::model::{self, ContestRow};
use super::questions::frozen_change;
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::auth::model::Role;
use crate::db::{self, now};
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;
use crate::unit::{self, Tx};

pub(super) fn to_json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(AppError::internal)
}

pub async fn create(
    state: &AppState,
    admin: &AuthUser,
    input: ContestInput,
) -> Result<Contest, AppError> {
    validate(&Checked {
        slug: &input.slug,
        name: &input.name,
        description: &input.description,
        timezone: &input.timezone,
        tracks: &input.tracks,
        opens_at: input.opens_at,
        closes_at: input.closes_at,
        eligibility: &input.eligibility,
        awards: &input.awards,
        questions: &input.questions,
    })
    .into_result()?;
    let t = now();
    let row = ContestRow {
        id: 0,
        slug: input.slug.clone(),
        name: to_json(&input.name)?,
        description: to_json(&input.description)?,
        timezone: input.timezone.clone(),
        tracks: to_json(&input.tracks)?,
        opens_at: input.opens_at.naive_utc(),
        closes_at: input.closes_at.naive_utc(),
        eligibility: to_json(&input.eligibility)?,
        published: input.published,
        created_at: t,
        updated_at: t,
        awards: to_json(&input.awards)?,
        archived_at: None,
        previous_id: None,
        questions: to_json(&input.questions)?,
    };
    let actor = admin.id;
    unit::write(state, move |tx| {
        let id = insert(tx, actor, &row)?;
        model::find(tx, id)?.to_api(0)
    })
    .await
}

/// Inserts a new edition (the slug checked first) and records it.
pub(super) fn insert(tx: &mut Tx<'_>, actor: i64, row: &ContestRow) -> Result<i64, AppError> {
    if model::slug_taken(tx, &row.slug, None)? {
        return Err(AppError::field("slug", "taken"));
    }
    let id = model::insert(tx, row)?;
    tx.audit(Entry {
        actor_id: Some(actor),
        action: "contest.created",
        entity: "contest",
        entity_id: Some(id.to_string()),
        details: json!({"slug": row.slug, "previous_id": row.previous_id}),
    })?;
    Ok(id)
}

pub async fn update(
    state: &AppState,
    admin: &AuthUser,
    id: i64,
    patch: ContestPatch,
) -> Result<Contest, AppError> {
    let (actor, base) = (admin.id, state.config.public_url.clone());
    unit::write(state, move |tx| {
        let mut row = model::find(tx, id)?;
        row.writable()?;
        let drafts = crate::applications::views::draft_owners(tx, id)?.len() as i64;
        let before = row.to_api(drafts)?;
        let old_closes_at = row.closes_at;
        let mut tracks = row.tracks()?;
        let mut name = row.names()?;
        let mut description = serde_json::from_str(&row.description).map_err(AppError::internal)?;
        let mut eligibility = row.eligibility()?;
        let mut awards = row.awards()?;
        let mut questions = row.questions()?;
        if let Some(v) = &patch.slug {
            row.slug = v.clone();
        }
        if let Some(v) = patch.name.clone() {
            name = v;
        }
        if let Some(v) = patch.description.clone() {
            description = v;
        }
        if let Some(v) = &patch.timezone {
            row.timezone = v.clone();
        }
        if let Some(v) = patch.tracks.clone() {
            let removed: Vec<String> = tracks
                .iter()
                .filter(|old| !v.iter().any(|t| t.key == old.key))
                .map(|t| t.key.clone())
                .collect();
            if let Some(used) = crate::applications::model::track_in_use(tx, id, &removed)? {
                return Err(AppError::conflict(
                    ErrorCode::TrackInUse,
                    format!("applications use the track {used:?}; move them first"),
                ));
            }
            tracks = v;
        }
        if let Some(v) = patch.opens_at {
            row.opens_at = v.naive_utc();
        }
        if let Some(v) = patch.closes_at {
            row.closes_at = v.naive_utc();
        }
        if let Some(v) = patch.eligibility.clone() {
            eligibility = v;
        }
        if let Some(v) = patch.published {
            row.published = v;
        }
        if let Some(v) = patch.awards.clone() {
            awards = v;
        }
        if let Some(v) = patch.questions.clone() {
            let answered = crate::applications::views::answered_keys(tx, id)?;
            if let Some(key) = frozen_change(&questions, &v, &answered) {
                return Err(AppError::conflict(
                    ErrorCode::QuestionAnswered,
                    format!(
                        "applications answered the question {key:?}; only its wording may change"
                    ),
                ));
            }
            questions = v;
        }
        validate(&Checked {
            slug: &row.slug,
            name: &name,
            description: &description,
            timezone: &row.timezone,
            tracks: &tracks,
            opens_at: row.opens_at.and_utc(),
            closes_at: row.closes_at.and_utc(),
            eligibility: &eligibility,
            awards: &awards,
            questions: &questions,
        })
        .into_result()?;
        if model::slug_taken(tx, &row.slug, Some(id))? {
            return Err(AppError::field("slug", "taken"));
        }
        row.name = to_json(&name)?;
        row.description = to_json(&description)?;
        row.tracks = to_json(&tracks)?;
        row.eligibility = to_json(&eligibility)?;
        row.awards = to_json(&awards)?;
        row.questions = to_json(&questions)?;
        row.updated_at = now();
        model::update(tx, &row)?;
        let notified = if row.closes_at > old_closes_at && row.closes_at > row.updated_at {
            notify_extension(tx, &base, &row)?
        } else {
            0
        };
        let after = row.to_api(drafts)?;
        tx.audit(Entry {
            actor_id: Some(actor),
            action: "contest.updated",
            entity: "contest",
            entity_id: Some(id.to_string()),
            details: crate::audit::changes_and(
                &before,
                &after,
                json!({"drafts_notified": notified}),
            ),
        })?;
        Ok(after)
    })
    .await
}

/// A later deadline is news to whoever still holds a draft: one email each per new deadline
/// (the outbox key holds the deadline, so saving the form again sends nothing more).
fn notify_extension(tx: &mut Tx<'_>, base: &str, row: &ContestRow) -> Result<usize, AppError> {
    let mut sent = 0;
    for user_id in crate::applications::views::draft_owners(tx, row.id)? {
        let Some(user) = crate::auth::model::find_by_id(tx, user_id)? else {
            continue;
        };
        let queued = tx.mail_for(
            &user,
            "deadline_extended",
            format!(
                "deadline_extended:{}:{}:{user_id}",
                row.id,
                row.closes_at.and_utc().timestamp()
            ),
            vec![
                ("name", user.name.clone()),
                ("contest", row.name_in(&user.locale)?),
                ("deadline", local_time(row.closes_at, &row.timezone)),
                ("link", format!("{base}/contests/{}", row.id)),
            ],
        )?;
        sent += usize::from(queued);
    }
    Ok(sent)
}

/// The deadline as the contest's people read it: local time with the zone, and the other
/// region's clock beside it when the zone is one of the two regions'.
fn local_time(at: NaiveDateTime, zone: &str) -> String {
    let show = |tz: chrono_tz::Tz| {
        at.and_utc()
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::Asia::Seoul);
    let other = match tz {
        chrono_tz::Asia::Seoul => Some(chrono_tz::Asia::Shanghai),
        chrono_tz::Asia::Shanghai => Some(chrono_tz::Asia::Seoul),
        _ => None,
    };
    match other {
        Some(o) => format!("{} ({tz}) / {} ({o})", show(tz), show(o)),
        None => format!("{} ({tz})", show(tz)),
    }
}

fn is_admin(viewer: Option<&AuthUser>) -> bool {
    viewer.is_some_and(|u| u.role == Role::Admin)
}

/// Published contests for everyone; administrators also see drafts and archived editions.
pub async fn list(state: &AppState, viewer: Option<&AuthUser>) -> Result<Vec<Contest>, AppError> {
    let admin = is_admin(viewer);
    db::run(&state.db, move |c| {
        let drafts = if admin {
            crate::applications::views::draft_counts(c)?
        } else {
            Default::default()
        };
        model::list(c, !admin)?
            .iter()
            .map(|r| r.to_api(drafts.get(&r.id).copied().unwrap_or(0)))
            .collect()
    })
    .await
}

pub async fn get(
    state: &AppState,
    viewer: Option<&AuthUser>,
    id: i64,
) -> Result<Contest, AppError> {
    let admin = is_admin(viewer);
    db::run(&state.db, move |c| {
        let row = model::find(c, id)?;
        if !row.published && !admin {
            return Err(AppError::NotFound);
        }
        let drafts = if admin {
            crate::applications::views::draft_owners(c, id)?.len() as i64
        } else {
            0
        };
        row.to_api(drafts)
    })
    .await
}
