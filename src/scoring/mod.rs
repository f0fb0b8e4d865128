//! Score math of DESIGN §5, pure: plain data in, plain data out, no HTTP or SQL, so anyone can
//! recompute a published ranking from `reviews.csv` with the same functions.
//!
//! - total `T = 100 · Σ w·(s − min)/(max − min) / Σ w` per review (0–100);
//! - raw: mean T; trimmed: drop one highest and one lowest T when there are ≥ 4 reviews;
//! - zscore: per-judge standardisation (round-wide μ, σ for judges with < 3 reviews or σ = 0),
//!   mapped back with `μ_round + σ_round · mean(z)`;
//! - dispersion: population σ of T, `disagreement` above 15;
//! - ranks: competition ranking on values rounded to 6 decimals; ties broken only by the
//!   declared criteria (mean score on each, in order), otherwise shown as ties.

mod reliability;
mod sensitivity;

use std::collections::{BTreeMap, HashMap};

pub use reliability::krippendorff_alpha_interval;
pub use sensitivity::{Sensitivity, sensitivity};

pub const DISAGREEMENT_SD: f64 = 15.0;
pub(crate) const MIN_JUDGE_REVIEWS: usize = 3;

#[derive(Clone, Debug, PartialEq)]
pub struct Criterion {
    pub key: String,
    pub weight: f64,
    pub min: i32,
    pub max: i32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    pub judge: i64,
    pub application: i64,
    pub scores: BTreeMap<String, i32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    Raw,
    Trimmed,
    Zscore,
}

impl Method {
    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "raw" => Some(Method::Raw),
            "trimmed" => Some(Method::Trimmed),
            "zscore" => Some(Method::Zscore),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Raw => "raw",
            Method::Trimmed => "trimmed",
            Method::Zscore => "zscore",
        }
    }
}

/// The 0–100 total of one review. Missing criteria count as the scale minimum (submitted
/// reviews are complete, so this only matters for hand-made inputs).
pub fn total(criteria: &[Criterion], scores: &BTreeMap<String, i32>) -> f64 {
    let weights: f64 = criteria.iter().map(|c| c.weight).sum();
    if weights <= 0.0 {
        return 0.0;
    }
    let sum: f64 = criteria
        .iter()
        .map(|c| {
            let s = scores.get(&c.key).copied().unwrap_or(c.min);
            c.weight * f64::from(s - c.min) / f64::from((c.max - c.min).max(1))
        })
        .sum();
    100.0 * sum / weights
}

pub fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// Population standard deviation.
pub fn sd(v: &[f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let m = mean(v);
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
}

pub fn trimmed_mean(v: &[f64]) -> f64 {
    if v.len() < 4 {
        return mean(v);
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    mean(&s[1..s.len() - 1])
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppResult {
    pub application: i64,
    pub reviews: usize,
    pub raw: Option<f64>,
    pub trimmed: Option<f64>,
    pub zscore: Option<f64>,
    pub dispersion: Option<f64>,
    pub disagreement: bool,
    /// Mean score on each tie-break criterion, in the declared order.
    pub tie_break: Vec<f64>,
    /// Competition rank on the round's method; `None` without reviews.
    pub rank: Option<usize>,
    /// Shares its rank with another application after the tie-breaks.
    pub tied: bool,
}

impl AppResult {
    pub fn score(&self, method: Method) -> Option<f64> {
        match method {
            Method::Raw => self.raw,
            Method::Trimmed => self.trimmed,
            Method::Zscore => self.zscore,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Severity {
    pub judge: i64,
    pub reviews: usize,
    pub mean: f64,
    /// Judge mean minus round mean: negative is harsh, positive lenient.
    pub severity: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RoundResults {
    pub method: Method,
    /// Ranked applications first (by rank), then those without reviews.
    pub applications: Vec<AppResult>,
    pub round_mean: f64,
    pub round_sd: f64,
    pub alpha: Option<f64>,
    pub severity: Vec<Severity>,
}

/// Review totals, computed once and shared by every method and the sensitivity report.
#[derive(Clone, Debug)]
pub struct Totals {
    pub rows: Vec<(i64, i64, f64)>,
}

impl Totals {
    pub fn new(criteria: &[Criterion], reviews: &[Review]) -> Totals {
        Totals {
            rows: reviews
                .iter()
                .map(|r| (r.judge, r.application, total(criteria, &r.scores)))
                .collect(),
        }
    }
}

/// Per application: its review totals and the sum of their z-values.
pub(crate) type PerApp = HashMap<i64, (Vec<f64>, f64)>;

/// Per-application scores under every method, for the reviews not excluded by `skip_judge`.
pub(crate) fn scores(totals: &Totals, skip_judge: Option<i64>) -> (PerApp, f64, f64) {
    let rows: Vec<&(i64, i64, f64)> = totals
        .rows
        .iter()
        .filter(|r| Some(r.0) != skip_judge)
        .collect();
    let all: Vec<f64> = rows.iter().map(|r| r.2).collect();
    let (mu_r, sd_r) = (mean(&all), sd(&all));
    let mut per_judge: HashMap<i64, Vec<f64>> = HashMap::new();
    for r in &rows {
        per_judge.entry(r.0).or_default().push(r.2);
    }
    let stats: HashMap<i64, (f64, f64)> = per_judge
        .iter()
        .map(|(j, v)| {
            let (m, s) = (mean(v), sd(v));
            if v.len() < MIN_JUDGE_REVIEWS || s == 0.0 {
                (*j, (mu_r, sd_r))
            } else {
                (*j, (m, s))
            }
        })
        .collect();
    let mut per_app: HashMap<i64, (Vec<f64>, f64)> = HashMap::new();
    for r in &rows {
        let (m, s) = stats[&r.0];
        let z = if s == 0.0 { 0.0 } else { (r.2 - m) / s };
        let e = per_app.entry(r.1).or_default();
        e.0.push(r.2);
        e.1 += z;
    }
    (per_app, mu_r, sd_r)
}

pub(crate) fn zscore_of(totals_len: usize, z_sum: f64, mu_r: f64, sd_r: f64) -> f64 {
    mu_r + sd_r * (z_sum / totals_len as f64)
}

/// Rounded for comparison, so floating-point noise never separates equal scores.
pub fn rounded(x: f64) -> i64 {
    (x * 1e6).round() as i64
}

/// Computes every application's scores, ranks on `method` with the declared tie-breaks, the
/// round's reliability and each judge's severity.
pub fn compute(
    criteria: &[Criterion],
    reviews: &[Review],
    applications: &[i64],
    method: Method,
    tie_break: &[String],
) -> RoundResults {
    let totals = Totals::new(criteria, reviews);
    let (per_app, mu_r, sd_r) = scores(&totals, None);
    let mut crit_sums: HashMap<(i64, &str), (f64, usize)> = HashMap::new();
    for r in reviews {
        for key in tie_break {
            if let Some(s) = r.scores.get(key) {
                let e = crit_sums.entry((r.application, key.as_str())).or_default();
                e.0 += f64::from(*s);
                e.1 += 1;
            }
        }
    }
    let mut results: Vec<AppResult> = applications
        .iter()
        .map(|&a| match per_app.get(&a) {
            Some((t, z_sum)) => {
                let dispersion = sd(t);
                AppResult {
                    application: a,
                    reviews: t.len(),
                    raw: Some(mean(t)),
                    trimmed: Some(trimmed_mean(t)),
                    zscore: Some(zscore_of(t.len(), *z_sum, mu_r, sd_r)),
                    dispersion: Some(dispersion),
                    disagreement: dispersion > DISAGREEMENT_SD,
                    tie_break: tie_break
                        .iter()
                        .map(|k| {
                            crit_sums
                                .get(&(a, k.as_str()))
                                .map_or(0.0, |(s, n)| s / *n as f64)
                        })
                        .collect(),
                    rank: None,
                    tied: false,
                }
            }
            None => AppResult {
                application: a,
                reviews: 0,
                raw: None,
                trimmed: None,
                zscore: None,
                dispersion: None,
                disagreement: false,
                tie_break: Vec::new(),
                rank: None,
                tied: false,
            },
        })
        .collect();
    rank(&mut results, method);
    let mut judges: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for (j, _, t) in &totals.rows {
        judges.entry(*j).or_default().push(*t);
    }
    RoundResults {
        method,
        applications: results,
        round_mean: mu_r,
        round_sd: sd_r,
        alpha: krippendorff_alpha_interval(&totals.rows),
        severity: judges
            .into_iter()
            .map(|(judge, v)| Severity {
                judge,
                reviews: v.len(),
                mean: mean(&v),
                severity: mean(&v) - mu_r,
            })
            .collect(),
    }
}

/// Sorts by score (then tie-break values) and assigns competition ranks: equal keys share a
/// rank and the next rank skips (1, 2, 2, 4). Order among exact ties is by application id,
/// for a stable display only; it does not change their shared rank.
pub fn rank(results: &mut [AppResult], method: Method) {
    let key = |r: &AppResult| -> Option<(i64, Vec<i64>)> {
        r.score(method).map(|s| {
            (
                rounded(s),
                r.tie_break.iter().map(|v| rounded(*v)).collect(),
            )
        })
    };
    results.sort_by(|a, b| match (key(a), key(b)) {
        (Some(x), Some(y)) => y.cmp(&x).then(a.application.cmp(&b.application)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.application.cmp(&b.application),
    });
    let keys: Vec<Option<(i64, Vec<i64>)>> = results.iter().map(key).collect();
    for i in 0..results.len() {
        if keys[i].is_none() {
            results[i].rank = None;
            continue;
        }
        let first = (0..=i)
            .rev()
            .take_while(|&k| keys[k] == keys[i])
            .last()
            .unwrap_or(i);
        results[i].rank = Some(first + 1);
        results[i].tied =
            (i > 0 && keys[i - 1] == keys[i]) || keys.get(i + 1).is_some_and(|k| *k == keys[i]);
    }
}

#[cfg(test)]
mod tests;
