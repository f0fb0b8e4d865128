//! Who an audience reaches: the contest's applicants and judges that match its filters, each
//! person once, without deactivated or deleted accounts and erased applications.

use std::collections::BTreeSet;

use diesel::prelude::*;
use serde::Deserialize;

use super::api::{Audience, Group, ResultFilter};
use crate::auth::model::UserRow;
use crate::contests::model::ContestRow;
use crate::db::DbConn;
use crate::db::schema::{
    applications, assignments, contest_judges, published_results, round_entries, rounds, users,
};
use crate::error::{AppError, FieldErrors};

/// The part of a published snapshot the result filter reads.
#[derive(Deserialize)]
struct Snapshot {
    rows: Vec<SnapshotRow>,
}

#[derive(Deserialize)]
struct SnapshotRow {
    application_id: i64,
    advanced: bool,
    #[serde(default)]
    award: Option<String>,
}

/// The people the audience reaches, by user id. A round of another contest is answered like a
/// missing one, so ids of other contests cannot be probed.
pub fn resolve(
    c: &mut DbConn,
    contest: &ContestRow,
    a: &Audience,
) -> Result<Vec<UserRow>, AppError> {
    let mut e = FieldErrors::default();
    if let Some(track) = &a.track
        && !contest.tracks()?.iter().any(|t| &t.key == track)
    {
        e.add("track", "unknown_track");
    }
    if a.result.is_some() && a.round_id.is_none() {
        e.add("round_id", "required");
    }
    e.into_result()?;
    if let Some(round) = a.round_id {
        let owner: Option<i64> = rounds::table
            .find(round)
            .select(rounds::contest_id)
            .first(c)
            .optional()?;
        if owner != Some(contest.id) {
            return Err(AppError::NotFound);
        }
    }
    let mut ids = BTreeSet::new();
    if a.group != Group::Judges {
        ids.extend(applicants(c, contest.id, a)?);
    }
    if a.group != Group::Applicants {
        ids.extend(judges(c, contest.id, a.round_id)?);
    }
    let ids: Vec<i64> = ids.into_iter().collect();
    let mut people = Vec::with_capacity(ids.len());
    // Bounded IN lists: SQLite limits the number of bound parameters.
    for chunk in ids.chunks(500) {
        people.extend(
            users::table
                .filter(users::id.eq_any(chunk))
                .filter(users::disabled_at.is_null())
                .order(users::id.asc())
                .select(UserRow::as_select())
                .load(c)?,
        );
    }
    Ok(people)
}

/// Owners of the contest's applications that match the filters.
fn applicants(c: &mut DbConn, contest_id: i64, a: &Audience) -> Result<Vec<i64>, AppError> {
    let mut q = applications::table
        .filter(applications::contest_id.eq(contest_id))
        .filter(applications::erased_at.is_null())
        .into_boxed();
    if !a.statuses.is_empty() {
        let statuses: Vec<&str> = a.statuses.iter().map(|s| s.as_str()).collect();
        q = q.filter(applications::status.eq_any(statuses));
    }
    if let Some(track) = &a.track {
        q = q.filter(applications::track.eq(track.clone()));
    }
    if let Some(round) = a.round_id {
        q = q.filter(
            applications::id.eq_any(
                round_entries::table
                    .filter(round_entries::round_id.eq(round))
                    .select(round_entries::application_id),
            ),
        );
    }
    let rows: Vec<(i64, i64)> = q
        .select((applications::id, applications::applicant_id))
        .load(c)?;
    let keep = match (a.result, a.round_id) {
        (Some(result), Some(round)) => Some(with_result(c, round, result)?),
        _ => None,
    };
    Ok(rows
        .into_iter()
        .filter(|(app, _)| keep.as_ref().is_none_or(|k| k.contains(app)))
        .map(|(_, owner)| owner)
        .collect())
}

/// Applications with that result in the round's published snapshot; "awarded" are those the
/// snapshot names an award tier for (a published final).
fn with_result(
    c: &mut DbConn,
    round: i64,
    result: ResultFilter,
) -> Result<BTreeSet<i64>, AppError> {
    let Some(text) = published_results::table
        .filter(published_results::round_id.eq(round))
        .select(published_results::snapshot)
        .first::<String>(c)
        .optional()?
    else {
        return Err(AppError::field("result", "not_published"));
    };
    let snapshot: Snapshot = serde_json::from_str(&text).map_err(AppError::internal)?;
    Ok(snapshot
        .rows
        .iter()
        .filter(|r| match result {
            ResultFilter::Advanced => r.advanced,
            ResultFilter::NotAdvanced => !r.advanced,
            ResultFilter::Awarded => r.award.is_some(),
        })
        .map(|r| r.application_id)
        .collect())
}

/// Judges who accepted the contest's invitation; with a round, those holding an assignment in it.
fn judges(c: &mut DbConn, contest_id: i64, round: Option<i64>) -> Result<Vec<i64>, AppError> {
    let members: Vec<i64> = contest_judges::table
        .filter(contest_judges::contest_id.eq(contest_id))
        .filter(contest_judges::accepted_at.is_not_null())
        .select(contest_judges::user_id)
        .load(c)?;
    let Some(round) = round else {
        return Ok(members);
    };
    let holding: BTreeSet<i64> = assignments::table
        .filter(assignments::round_id.eq(round))
        .select(assignments::judge_id)
        .load::<i64>(c)?
        .into_iter()
        .collect();
    Ok(members
        .into_iter()
        .filter(|j| holding.contains(j))
        .collect())
}
