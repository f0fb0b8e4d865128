//! How fragile is each top place? For the top applications: their rank under every method, and
//! their worst rank when any single judge's reviews are left out. Only the watched
//! applications are ranked in each leave-one-out pass (a count of who scores higher), so the
//! report costs judges × reviews, not judges × a full sort.

use std::collections::HashSet;

use super::{AppResult, Method, Totals, mean, rounded, scores, trimmed_mean, zscore_of};

#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivity {
    pub application: i64,
    pub rank: usize,
    pub rank_raw: Option<usize>,
    pub rank_trimmed: Option<usize>,
    pub rank_zscore: Option<usize>,
    pub worst_rank_leave_one_out: usize,
    /// The judge whose absence gives the worst rank.
    pub worst_without_judge: Option<i64>,
}

fn rank_among(target: i64, values: &[(i64, i64)]) -> Option<usize> {
    let mine = values.iter().find(|(a, _)| *a == target)?.1;
    Some(1 + values.iter().filter(|(_, v)| *v > mine).count())
}

fn method_values(
    per_app: &std::collections::HashMap<i64, (Vec<f64>, f64)>,
    mu: f64,
    sd: f64,
    method: Method,
) -> Vec<(i64, i64)> {
    per_app
        .iter()
        .map(|(a, (t, z))| {
            let v = match method {
                Method::Raw => mean(t),
                Method::Trimmed => trimmed_mean(t),
                Method::Zscore => zscore_of(t.len(), *z, mu, sd),
            };
            (*a, rounded(v))
        })
        .collect()
}

/// `ranked` is `compute(..).applications` (already ranked on `method`).
pub fn sensitivity(
    totals: &Totals,
    ranked: &[AppResult],
    method: Method,
    top: usize,
) -> Vec<Sensitivity> {
    let watched: Vec<&AppResult> = ranked
        .iter()
        .filter(|r| r.rank.is_some())
        .take(top)
        .collect();
    let all: Vec<(Method, Vec<(i64, i64)>)> = {
        let (per_app, mu, sd) = scores(totals, None);
        [Method::Raw, Method::Trimmed, Method::Zscore]
            .into_iter()
            .map(|m| (m, method_values(&per_app, mu, sd, m)))
            .collect()
    };
    let by = |m: Method, a: i64| {
        all.iter()
            .find(|(x, _)| *x == m)
            .and_then(|(_, v)| rank_among(a, v))
    };
    let mut out: Vec<Sensitivity> = watched
        .iter()
        .map(|r| Sensitivity {
            application: r.application,
            rank: r.rank.unwrap_or(0),
            rank_raw: by(Method::Raw, r.application),
            rank_trimmed: by(Method::Trimmed, r.application),
            rank_zscore: by(Method::Zscore, r.application),
            worst_rank_leave_one_out: r.rank.unwrap_or(0),
            worst_without_judge: None,
        })
        .collect();
    let judges: HashSet<i64> = totals.rows.iter().map(|r| r.0).collect();
    let mut judges: Vec<i64> = judges.into_iter().collect();
    judges.sort_unstable();
    for judge in judges {
        let (per_app, mu, sd) = scores(totals, Some(judge));
        let values = method_values(&per_app, mu, sd, method);
        for s in &mut out {
            // An application left with no review at all drops below every scored one.
            let r = rank_among(s.application, &values).unwrap_or(values.len() + 1);
            if r > s.worst_rank_leave_one_out {
                s.worst_rank_leave_one_out = r;
                s.worst_without_judge = Some(judge);
            }
        }
    }
    out
}
