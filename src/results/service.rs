//! Results: computed from submitted reviews with `scoring`, exported, advanced, published.

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use serde_json::json;

use super::api::{AdvanceInput, Advanced, Fragility, JudgeSeverity, ResultRow, RoundResults};
use crate::applications::service::csv_safe;
use crate::audit::Entry;
use crate::auth::AuthUser;
use crate::db::schema::{applications, assignments, reviews, round_entries, users};
use crate::db::{self, DbConn, now};
use crate::error::{AppError, ErrorCode, FieldErrors};
use crate::reviews::model::ReviewStatus;
use crate::rounds::model::RoundState;
use crate::rounds::model::{self as rounds, RoundRow};
use crate::scoring::{self, Method};
use crate::state::AppState;
use crate::unit;

pub(super) struct Loaded {
    pub(super) round: RoundRow,
    pub(super) criteria: Vec<scoring::Criterion>,
    pub(super) reviews: Vec<scoring::Review>,
    /// (submitted_at, judge, application, scores) for the CSV.
    pub(super) raw: Vec<(chrono::NaiveDateTime, i64, i64, BTreeMap<String, i32>)>,
    pub(super) entries: Vec<i64>,
    pub(super) apps: BTreeMap<i64, (String, String, i64)>,
    pub(super) advanced: BTreeSet<i64>,
}

pub(super) fn load(c: &mut DbConn, round_id: i64) -> Result<Loaded, AppError> {
    let round = rounds::find(c, round_id)?;
    let criteria = rounds::criteria(c, round_id)?
        .into_iter()
        .map(|k| scoring::Criterion {
            key: k.key,
            weight: k.weight,
            min: k.scale_min,
            max: k.scale_max,
        })
        .collect();
    let rows: Vec<(i64, i64, String, Option<chrono::NaiveDateTime>)> = reviews::table
        .inner_join(assignments::table)
        .filter(assignments::round_id.eq(round_id))
        .filter(reviews::status.eq(ReviewStatus::Submitted))
        .order((
            assignments::application_id.asc(),
            assignments::judge_id.asc(),
        ))
        .select((
            assignments::judge_id,
            assignments::application_id,
            reviews::scores,
            reviews::submitted_at,
        ))
        .load(c)?;
    let mut raw = Vec::new();
    let mut list = Vec::new();
    for (judge, app, scores, at) in rows {
        let scores: BTreeMap<String, i32> =
            serde_json::from_str(&scores).map_err(AppError::internal)?;
        raw.push((at.unwrap_or_else(now), judge, app, scores.clone()));
        list.push(scoring::Review {
            judge,
            application: app,
            scores,
        });
    }
    let entries = rounds::entry_ids(c, round_id)?;
    let apps = applications::table
        .filter(applications::id.eq_any(&entries))
        .select((
            applications::id,
            applications::company_name,
            applications::track,
            applications::applicant_id,
        ))
        .load::<(i64, String, String, i64)>(c)?
        .into_iter()
        .map(|(id, name, track, owner)| (id, (name, track, owner)))
        .collect();
    let advanced = round_entries::table
        .filter(round_entries::round_id.eq(round_id))
        .filter(round_entries::advanced.eq(true))
        .select(round_entries::application_id)
        .load::<i64>(c)?
        .into_iter()
        .collect();
    Ok(Loaded {
        round,
        criteria,
        reviews: list,
        raw,
        entries,
        apps,
        advanced,
    })
}

pub(super) fn method(round: &RoundRow) -> Method {
    Method::parse(&round.ranking_method).unwrap_or(Method::Raw)
}

pub(super) fn rows(l: &Loaded, res: &scoring::RoundResults) -> Vec<ResultRow> {
    res.applications
        .iter()
        .map(|a| {
            let (name, track, _) = l.apps.get(&a.application).cloned().unwrap_or_default();
            ResultRow {
                rank: a.rank,
                tied: a.tied,
                application_id: a.application,
                company_name: name,
                track,
                reviews: a.reviews,
                raw: a.raw,
                trimmed: a.trimmed,
                zscore: a.zscore,
                dispersion: a.dispersion,
                disagreement: a.disagreement,
                advanced: l.advanced.contains(&a.application),
                award: None,
            }
        })
        .collect()
}

pub(super) fn compute(l: &Loaded) -> scoring::RoundResults {
    scoring::compute(
        &l.criteria,
        &l.reviews,
        &l.entries,
        method(&l.round),
        &l.round.tie_break(),
    )
}

pub async fn results(state: &AppState, round_id: i64) -> Result<RoundResults, AppError> {
    db::run(&state.db, move |c| {
        let l = load(c, round_id)?;
        let res = compute(&l);
        let judge_ids: Vec<i64> = res.severity.iter().map(|s| s.judge).collect();
        let names: BTreeMap<i64, String> = users::table
            .filter(users::id.eq_any(&judge_ids))
            .select((users::id, users::name))
            .load::<(i64, String)>(c)?
            .into_iter()
            .collect();
        Ok(RoundResults {
            round_id,
            state: l.round.state.as_str().to_string(),
            method: method(&l.round).as_str().into(),
            rows: rows(&l, &res),
            round_mean: res.round_mean,
            round_sd: res.round_sd,
            alpha: res.alpha,
            severity: res
                .severity
                .iter()
                .map(|s| JudgeSeverity {
                    judge_id: s.judge,
                    judge_name: names.get(&s.judge).cloned().unwrap_or_default(),
                    reviews: s.reviews,
                    mean: s.mean,
                    severity: s.severity,
                })
                .collect(),
        })
    })
    .await
}

pub async fn sensitivity(state: &AppState, round_id: i64) -> Result<Vec<Fragility>, AppError> {
    db::run(&state.db, move |c| {
        let l = load(c, round_id)?;
        let res = compute(&l);
        let totals = scoring::Totals::new(&l.criteria, &l.reviews);
        Ok(
            scoring::sensitivity(&totals, &res.applications, method(&l.round), 20)
                .into_iter()
                .map(|s| Fragility {
                    company_name: l
                        .apps
                        .get(&s.application)
                        .map(|a| a.0.clone())
                        .unwrap_or_default(),
                    application_id: s.application,
                    rank: s.rank,
                    rank_raw: s.rank_raw,
                    rank_trimmed: s.rank_trimmed,
                    rank_zscore: s.rank_zscore,
                    worst_rank_leave_one_out: s.worst_rank_leave_one_out,
                    worst_without_judge: s.worst_without_judge,
                })
                .collect(),
        )
    })
    .await
}

fn csv_bytes(header: &[&str], records: Vec<Vec<String>>) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(header).map_err(AppError::internal)?;
    for r in records {
        w.write_record(&r).map_err(AppError::internal)?;
    }
    w.into_inner().map_err(AppError::internal)
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.6}")).unwrap_or_default()
}

pub async fn results_csv(state: &AppState, round_id: i64) -> Result<Vec<u8>, AppError> {
    let r = results(state, round_id).await?;
    csv_bytes(
        &[
            "rank",
            "tied",
            "application_id",
            "company_name",
            "track",
            "reviews",
            "raw",
            "trimmed",
            "zscore",
            "dispersion",
            "disagreement",
            "advanced",
        ],
        r.rows
            .iter()
            .map(|x| {
                vec![
                    x.rank.map(|v| v.to_string()).unwrap_or_default(),
                    x.tied.to_string(),
                    x.application_id.to_string(),
                    // Names are the applicants' text: defused like applications.csv.
                    csv_safe(&x.company_name),
                    csv_safe(&x.track),
                    x.reviews.to_string(),
                    num(x.raw),
                    num(x.trimmed),
                    num(x.zscore),
                    num(x.dispersion),
                    x.disagreement.to_string(),
                    x.advanced.to_string(),
                ]
            })
            .collect(),
    )
}

/// One row per submitted review × criterion: enough to recompute every published number.
pub async fn reviews_csv(state: &AppState, round_id: i64) -> Result<Vec<u8>, AppError> {
    let l = db::run(&state.db, move |c| load(c, round_id)).await?;
    let mut records = Vec::new();
    for (at, judge, app, scores) in &l.raw {
        for k in &l.criteria {
            records.push(vec![
                judge.to_string(),
                app.to_string(),
                k.key.clone(),
                scores
                    .get(&k.key)
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                k.weight.to_string(),
                k.min.to_string(),
                k.max.to_string(),
                at.and_utc().to_rfc3339(),
            ]);
        }
    }
    csv_bytes(
        &[
            "judge_id",
            "application_id",
            "criterion",
            "score",
            "weight",
            "min",
            "max",
            "submitted_at",
        ],
        records,
    )
}

pub async fn advance(
    state: &AppState,
    admin: &AuthUser,
    round_id: i64,
    input: AdvanceInput,
) -> Result<Advanced, AppError> {
    let actor = admin.id;
    unit::write(state, move |c| {
        let l = load(c, round_id)?;
        if !l.round.state.can_move_to(RoundState::Published) {
            return Err(AppError::conflict(
                ErrorCode::RoundNotClosed,
                "close the round before choosing who advances",
            ));
        }
        let res = compute(&l);
        let ranked: Vec<&scoring::AppResult> = res
            .applications
            .iter()
            .filter(|a| a.rank.is_some())
            .collect();
        let chosen: Vec<i64> = match (input.mode.as_str(), input.n) {
            ("top", Some(n)) => ranked
                .iter()
                .filter(|a| a.rank.is_some_and(|r| r <= n))
                .map(|a| a.application)
                .collect(),
            ("top_per_track", Some(n)) => {
                let mut per: BTreeMap<String, usize> = BTreeMap::new();
                let mut out = Vec::new();
                for a in &ranked {
                    let track = l
                        .apps
                        .get(&a.application)
                        .map(|x| x.1.clone())
                        .unwrap_or_default();
                    let seen = per.entry(track).or_default();
                    if *seen < n {
                        *seen += 1;
                        out.push(a.application);
                    }
                }
                out
            }
            ("manual", _) => {
                if let Some(bad) = input
                    .application_ids
                    .iter()
                    .find(|id| !l.entries.contains(id))
                {
                    return Err(AppError::field(
                        "application_ids",
                        &format!("not_in_round:{bad}"),
                    ));
                }
                input.application_ids.clone()
            }
            _ => {
                let mut e = FieldErrors::default();
                e.add(
                    if input.n.is_none() && input.mode != "manual" {
                        "n"
                    } else {
                        "mode"
                    },
                    "invalid",
                );
                return Err(AppError::Validation(e));
            }
        };
        rounds::set_advanced(c, round_id, &chosen)?;
        c.audit(Entry {
            actor_id: Some(actor),
            action: "round.advanced",
            entity: "round",
            entity_id: Some(round_id.to_string()),
            details: json!({"mode": input.mode, "n": input.n, "applications": chosen}),
        })?;
        Ok(Advanced { advanced: chosen })
    })
    .await
}
