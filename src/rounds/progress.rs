//! How judging goes in a round: per-judge and per-application progress, and reminders to the
//! judges with unfinished reviews.

use super::api::{ApplicationProgress, JudgeProgress, Progress, Reminders};
use super::model::RoundState;
use super::model::{self};
use super::service::record;
use crate::auth::AuthUser;
use crate::db::schema::{applications, assignments, judge_profiles, reviews, users};
use crate::db::{self, now};
use crate::error::{AppError, ErrorCode};
use crate::mail::Outgoing;
use crate::reviews::model::ReviewStatus;
use crate::state::AppState;
use crate::unit;
use diesel::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

type Counts = (i64, i64, i64);

pub async fn progress(state: &AppState, id: i64) -> Result<Progress, AppError> {
    db::run(&state.db, move |c| {
        let round = model::find(c, id)?;
        let rows: Vec<(i64, i64, Option<String>)> = assignments::table
            .left_join(reviews::table)
            .filter(assignments::round_id.eq(id))
            .select((
                assignments::judge_id,
                assignments::application_id,
                reviews::status.nullable(),
            ))
            .load(c)?;
        let mut by_judge: BTreeMap<i64, Counts> = BTreeMap::new();
        let mut by_app: BTreeMap<i64, Counts> = BTreeMap::new();
        for (judge, app, status) in &rows {
            for entry in [
                by_judge.entry(*judge).or_default(),
                by_app.entry(*app).or_default(),
            ] {
                entry.0 += 1;
                match status.as_deref() {
                    Some(s) if s == ReviewStatus::Submitted.as_str() => entry.1 += 1,
                    Some(s) if s == ReviewStatus::Draft.as_str() => entry.2 += 1,
                    _ => {}
                }
            }
        }
        let judge_ids: Vec<i64> = by_judge.keys().copied().collect();
        let judges: BTreeMap<i64, (String, String)> = users::table
            .left_join(judge_profiles::table)
            .filter(users::id.eq_any(&judge_ids))
            .select((users::id, users::name, judge_profiles::region.nullable()))
            .load::<(i64, String, Option<String>)>(c)?
            .into_iter()
            .map(|(id, name, region)| (id, (name, region.unwrap_or_default())))
            .collect();
        let entry_ids = model::entry_ids(c, id)?;
        let names: BTreeMap<i64, String> = applications::table
            .filter(applications::id.eq_any(&entry_ids))
            .select((applications::id, applications::company_name))
            .load::<(i64, String)>(c)?
            .into_iter()
            .collect();
        let k = i64::from(round.reviews_per_application);
        let total = rows.len() as i64;
        let submitted = by_judge.values().map(|v| v.1).sum();
        let drafts = by_judge.values().map(|v| v.2).sum();
        Ok(Progress {
            round_id: id,
            state: round.state.as_str().to_string(),
            assignments: total,
            submitted,
            drafts,
            percent: if total == 0 {
                0.0
            } else {
                (submitted as f64 * 1000.0 / total as f64).round() / 10.0
            },
            judges: by_judge
                .iter()
                .map(|(id, (a, s, d))| {
                    let (name, region) = judges.get(id).cloned().unwrap_or_default();
                    JudgeProgress {
                        judge_id: *id,
                        name,
                        region,
                        assigned: *a,
                        submitted: *s,
                        drafts: *d,
                    }
                })
                .collect(),
            applications: entry_ids
                .iter()
                .map(|app| {
                    let (a, s, _) = by_app.get(app).copied().unwrap_or_default();
                    ApplicationProgress {
                        application_id: *app,
                        company_name: names.get(app).cloned().unwrap_or_default(),
                        assigned: a,
                        submitted: s,
                        open_seats: (k - a).max(0),
                    }
                })
                .collect(),
        })
    })
    .await
}

/// Emails every judge with unfinished reviews in the round, once per judge per day at most
/// (the outbox's idempotency key carries the date), skipping judges who opted out.
pub async fn remind(state: &AppState, admin: &AuthUser, id: i64) -> Result<Reminders, AppError> {
    let (actor, base) = (admin.id, state.config.public_url.clone());
    unit::write(state, move |c| {
        let round = model::find(c, id)?;
        if round.state != RoundState::Judging {
            return Err(AppError::conflict(
                ErrorCode::RoundNotJudging,
                "reminders are for rounds being judged",
            ));
        }
        let day = now().format("%Y-%m-%d").to_string();
        let (mut queued, mut skipped) = (0, 0);
        for (judge, (_, count)) in super::notify::loads(c, id)? {
            if count == 0 {
                continue;
            }
            let Some(user) = crate::auth::model::find_by_id(c, judge)? else {
                continue;
            };
            if !super::notify::wants_reminders(c, judge)? || user.disabled_at.is_some() {
                skipped += 1;
                continue;
            }
            let round_name = super::notify::round_name(&round, &user.locale);
            let deadline = super::notify::deadline(&round);
            let sent = c.mail(Outgoing {
                key: format!("review_reminder:{id}:{judge}:{day}"),
                user_id: Some(judge),
                to: &user.email,
                to_name: &user.name,
                locale: &user.locale,
                template: "review_reminder",
                vars: vec![
                    ("name", user.name.clone()),
                    ("count", count.to_string()),
                    ("round", round_name),
                    ("deadline", deadline),
                    ("link", format!("{base}/judge")),
                ],
            })?;
            if sent {
                queued += 1;
            } else {
                skipped += 1;
            }
        }
        record(
            c,
            actor,
            "round.reminders_sent",
            id,
            json!({"queued": queued, "skipped": skipped}),
        )?;
        Ok(Reminders { queued, skipped })
    })
    .await
}
