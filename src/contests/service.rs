//! Creating, editing and reading contest editions.

use serde_json::json;

use super::api::{Checked, Contest, ContestInput, ContestPatch, validate};
use super::model::{self, ContestRow};
use crate::audit::{self, Entry};
use crate::auth::AuthUser;
use crate::db::{self, now};
use crate::error::{AppError, ErrorCode};
use crate::state::AppState;

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
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
    };
    let actor = admin.id;
    db::write(&state.db, move |c| {
        if model::slug_taken(c, &row.slug, None)? {
            return Err(AppError::field("slug", "taken"));
        }
        let id = model::insert(c, &row)?;
        audit::record(
            c,
            Entry {
                actor_id: Some(actor),
                action: "contest.created",
                entity: "contest",
                entity_id: Some(id.to_string()),
                details: json!({"slug": row.slug}),
            },
        )?;
        model::find(c, id)?.to_api()
    })
    .await
}

pub async fn update(
    state: &AppState,
    admin: &AuthUser,
    id: i64,
    patch: ContestPatch,
) -> Result<Contest, AppError> {
    let actor = admin.id;
    db::write(&state.db, move |c| {
        let mut row = model::find(c, id)?;
        let mut tracks = row.tracks()?;
        let mut name = row.names()?;
        let mut description = serde_json::from_str(&row.description).map_err(AppError::internal)?;
        let mut eligibility = row.eligibility()?;
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
            if let Some(used) = crate::applications::model::track_in_use(c, id, &removed)? {
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
        validate(&Checked {
            slug: &row.slug,
            name: &name,
            description: &description,
            timezone: &row.timezone,
            tracks: &tracks,
            opens_at: row.opens_at.and_utc(),
            closes_at: row.closes_at.and_utc(),
            eligibility: &eligibility,
        })
        .into_result()?;
        if model::slug_taken(c, &row.slug, Some(id))? {
            return Err(AppError::field("slug", "taken"));
        }
        row.name = to_json(&name)?;
        row.description = to_json(&description)?;
        row.tracks = to_json(&tracks)?;
        row.eligibility = to_json(&eligibility)?;
        row.updated_at = now();
        model::update(c, &row)?;
        audit::record(
            c,
            Entry {
                actor_id: Some(actor),
                action: "contest.updated",
                entity: "contest",
                entity_id: Some(id.to_string()),
                details: json!({"closes_at": row.closes_at.and_utc(), "published": row.published}),
            },
        )?;
        row.to_api()
    })
    .await
}

/// Published contests for everyone; administrators also see drafts.
pub async fn list(state: &AppState, viewer: Option<&AuthUser>) -> Result<Vec<Contest>, AppError> {
    let only_published = !viewer.is_some_and(|u| u.role == crate::auth::model::Role::Admin);
    db::run(&state.db, move |c| {
        model::list(c, only_published)?
            .iter()
            .map(ContestRow::to_api)
            .collect()
    })
    .await
}

pub async fn get(
    state: &AppState,
    viewer: Option<&AuthUser>,
    id: i64,
) -> Result<Contest, AppError> {
    let admin = viewer.is_some_and(|u| u.role == crate::auth::model::Role::Admin);
    db::run(&state.db, move |c| {
        let row = model::find(c, id)?;
        if !row.published && !admin {
            return Err(AppError::NotFound);
        }
        row.to_api()
    })
    .await
}
