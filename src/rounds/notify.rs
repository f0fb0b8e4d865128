//! Judge mail about a round: "reviews assigned" when judging opens or an assignment run adds
//! reviews to an open round, and "round closing soon" once per judge and round, 48 hours before
//! judging closes, to judges with unfinished reviews who did not opt out of reminders.
//! Idempotency keys make every call safe to repeat: the same state never mails twice.

use std::collections::BTreeMap;
use std::time::Duration;

use diesel::prelude::*;

use super::model::RoundState;
use super::model::{self, RoundRow};
use crate::db::schema::{assignments, judge_profiles, reviews, rounds};
use crate::db::{DbConn, now};
use crate::error::AppError;
use crate::mail::Outgoing;
use crate::reviews::model::ReviewStatus;
use crate::state::AppState;
use crate::unit::{self, Tx};

/// How long before the close the "closing soon" mail goes out.
pub const CLOSING_WINDOW_HOURS: i64 = 48;
const SCHEDULE_EVERY: Duration = Duration::from_secs(600);

/// Per judge: (assigned, not yet submitted) in the round.
pub(super) fn loads(c: &mut DbConn, round: i64) -> Result<BTreeMap<i64, (i64, i64)>, AppError> {
    let rows: Vec<(i64, Option<String>)> = assignments::table
        .left_join(reviews::table)
        .filter(assignments::round_id.eq(round))
        .select((assignments::judge_id, reviews::status.nullable()))
        .load(c)?;
    let mut out: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for (judge, status) in rows {
        let e = out.entry(judge).or_default();
        e.0 += 1;
        e.1 += i64::from(status.as_deref() != Some(ReviewStatus::Submitted.as_str()));
    }
    Ok(out)
}

pub(super) fn round_name(round: &RoundRow, locale: &str) -> String {
    let names: BTreeMap<String, String> = serde_json::from_str(&round.name).unwrap_or_default();
    names
        .get(locale)
        .or(names.get("en"))
        .cloned()
        .unwrap_or_default()
}

pub(super) fn deadline(round: &RoundRow) -> String {
    round
        .judging_closes_at
        .map(|t| format!("{} UTC", t.format("%Y-%m-%d %H:%M")))
        .unwrap_or_else(|| "-".into())
}

/// Whether the judge accepts reminder mail (the profile's opt-out; yes without a profile).
pub(super) fn wants_reminders(c: &mut DbConn, judge: i64) -> Result<bool, AppError> {
    Ok(judge_profiles::table
        .find(judge)
        .select(judge_profiles::reminders)
        .first(c)
        .optional()?
        .unwrap_or(true))
}

/// Per judge: the ids of their assignments in the round, ascending.
fn assignment_sets(c: &mut DbConn, round: i64) -> Result<BTreeMap<i64, Vec<i64>>, AppError> {
    let rows: Vec<(i64, i64)> = assignments::table
        .filter(assignments::round_id.eq(round))
        .order(assignments::id.asc())
        .select((assignments::judge_id, assignments::id))
        .load(c)?;
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (judge, id) in rows {
        out.entry(judge).or_default().push(id);
    }
    Ok(out)
}

/// Names a judge's set of assignments: equal sets, equal names. Assignment ids, not
/// application ids, so an entry taken away and given back later counts as a change too.
fn set_digest(ids: &[i64]) -> String {
    use sha2::Digest;
    let text = ids
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    hex::encode(&sha2::Sha256::digest(text.as_bytes())[..8])
}

/// Tells every judge of an open round how many reviews they have. The key names the judge's
/// set of assignments, so a later run that changes the set (even a swap that keeps the count)
/// sends one fresh note, and an unchanged set none.
pub fn assigned(c: &mut Tx<'_>, base: &str, round: &RoundRow) -> Result<usize, AppError> {
    let mut queued = 0;
    for (judge, ids) in assignment_sets(c, round.id)? {
        let count = ids.len();
        let Some(user) = crate::auth::model::find_by_id(c, judge)? else {
            continue;
        };
        if user.disabled_at.is_some() || user.password_hash.is_none() {
            continue;
        }
        queued += usize::from(c.mail(Outgoing {
            key: format!("reviews_assigned:{}:{judge}:{}", round.id, set_digest(&ids)),
            user_id: Some(judge),
            to: &user.email,
            to_name: &user.name,
            locale: &user.locale,
            template: "reviews_assigned",
            vars: vec![
                ("name", user.name.clone()),
                ("count", count.to_string()),
                ("round", round_name(round, &user.locale)),
                ("deadline", deadline(round)),
                ("link", format!("{base}/judge")),
            ],
        })?);
    }
    Ok(queued)
}

/// Queues "closing soon" for every round being judged that closes within the window.
pub fn closing_soon(c: &mut Tx<'_>, base: &str) -> Result<usize, AppError> {
    let t = now();
    let soon = t + chrono::Duration::hours(CLOSING_WINDOW_HOURS);
    let ids: Vec<i64> = rounds::table
        .filter(rounds::state.eq(RoundState::Judging))
        .filter(rounds::judging_closes_at.gt(t))
        .filter(rounds::judging_closes_at.le(soon))
        .select(rounds::id)
        .load(c.conn())?;
    let mut queued = 0;
    for id in ids {
        let round = model::find(c, id)?;
        let before = queued;
        for (judge, (_, open)) in loads(c, id)? {
            if open == 0 {
                continue;
            }
            let Some(user) = crate::auth::model::find_by_id(c, judge)? else {
                continue;
            };
            if !wants_reminders(c, judge)? || user.disabled_at.is_some() {
                continue;
            }
            queued += usize::from(c.mail(Outgoing {
                key: format!("round_closing:{id}:{judge}"),
                user_id: Some(judge),
                to: &user.email,
                to_name: &user.name,
                locale: &user.locale,
                template: "round_closing",
                vars: vec![
                    ("name", user.name.clone()),
                    ("count", open.to_string()),
                    ("round", round_name(&round, &user.locale)),
                    ("deadline", deadline(&round)),
                    ("link", format!("{base}/judge")),
                ],
            })?);
        }
        // The schedule acts on its own: the system is the actor.
        if queued > before {
            c.audit(crate::audit::Entry {
                actor_id: None,
                action: "round.reminders_sent",
                entity: "round",
                entity_id: Some(id.to_string()),
                details: serde_json::json!({"queued": queued - before, "automatic": true}),
            })?;
        }
    }
    Ok(queued)
}

/// One pass of the scheduled mail (what `jury serve` runs every ten minutes).
pub async fn tick(state: &AppState) -> Result<usize, AppError> {
    let base = state.config.public_url.clone();
    unit::write(state, move |c| closing_soon(c, &base)).await
}

/// The schedule loop of `jury serve`.
pub async fn run_schedule(state: AppState) {
    loop {
        // An outage is reported once by the pool, not on every tick.
        if let Err(e) = tick(&state).await
            && !matches!(e, crate::error::AppError::Unavailable(_))
        {
            tracing::warn!(error = %e, "scheduled round mail failed; retrying later");
        }
        tokio::time::sleep(SCHEDULE_EVERY).await;
    }
}
