//! How fragile is each top place? For the top applications: their rank under every method, and
//! their worst rank when any single judge's reviews are left out. Only the watched
//! applications are ranked in each leave-one-out pass (a count of who scores higher), so the
//! report costs judges × reviews, not judges × a full sort.

use std::collections::HashMap;

use super::{
    AppResult, MIN_JUDGE_REVIEWS, Method, Totals, mean, rounded, scores, trimmed_mean, zscore_of,
};

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
    let mut pass = LeaveOneOut::new(totals);
    let watched_ids: Vec<i64> = out.iter().map(|s| s.application).collect();
    for judge in pass.judges() {
        let ranks = pass.ranks_without(judge, method, &watched_ids);
        for (s, r) in out.iter_mut().zip(ranks) {
            if r > s.worst_rank_leave_one_out {
                s.worst_rank_leave_one_out = r;
                s.worst_without_judge = Some(judge);
            }
        }
    }
    out
}

/// The leave-one-judge-out passes on dense arrays, with buffers reused between passes. Every
/// sum runs in the same order as `scores` (row order, sequential), so the values are the same
/// floating-point numbers `compute` would produce without that judge; only the bookkeeping
/// (hash maps, per-pass allocations) is gone: 300 judges × 50,000 reviews in well under 1 s.
pub(crate) struct LeaveOneOut {
    judge_ids: Vec<i64>,
    app_ids: Vec<i64>,
    app_ix: HashMap<i64, usize>,
    rows: Vec<(usize, usize, f64)>,
    judge_sum: Vec<f64>,
    judge_n: Vec<usize>,
    judge_sq: Vec<f64>,
    judge_stat: Vec<(f64, f64)>,
    app_sum: Vec<f64>,
    app_z: Vec<f64>,
    app_n: Vec<usize>,
    app_totals: Vec<Vec<f64>>,
    values: Vec<Option<i64>>,
}

impl LeaveOneOut {
    pub(crate) fn new(totals: &Totals) -> LeaveOneOut {
        let mut judge_ids: Vec<i64> = totals.rows.iter().map(|r| r.0).collect();
        judge_ids.sort_unstable();
        judge_ids.dedup();
        let mut app_ids: Vec<i64> = totals.rows.iter().map(|r| r.1).collect();
        app_ids.sort_unstable();
        app_ids.dedup();
        let judge_ix: HashMap<i64, usize> =
            judge_ids.iter().enumerate().map(|(i, j)| (*j, i)).collect();
        let app_ix: HashMap<i64, usize> =
            app_ids.iter().enumerate().map(|(i, a)| (*a, i)).collect();
        let rows = totals
            .rows
            .iter()
            .map(|(j, a, t)| (judge_ix[j], app_ix[a], *t))
            .collect();
        let (nj, na) = (judge_ids.len(), app_ids.len());
        LeaveOneOut {
            judge_ids,
            app_ids,
            app_ix,
            rows,
            judge_sum: vec![0.0; nj],
            judge_n: vec![0; nj],
            judge_sq: vec![0.0; nj],
            judge_stat: vec![(0.0, 0.0); nj],
            app_sum: vec![0.0; na],
            app_z: vec![0.0; na],
            app_n: vec![0; na],
            app_totals: vec![Vec::new(); na],
            values: vec![None; na],
        }
    }

    pub(crate) fn judges(&self) -> Vec<i64> {
        self.judge_ids.clone()
    }

    /// The rank of each of `watched` (competition rank among applications with a review) when
    /// `judge`'s reviews are left out; an application left with none ranks last.
    pub(crate) fn ranks_without(
        &mut self,
        judge: i64,
        method: Method,
        watched: &[i64],
    ) -> Vec<usize> {
        let skip = self.judge_ids.binary_search(&judge).ok();
        let keep = |r: &(usize, usize, f64)| Some(r.0) != skip;
        // Round mean and population sd, two passes, row order (as `mean` and `sd`).
        let (mut sum, mut n) = (-0.0f64, 0usize);
        for r in self.rows.iter().filter(|r| keep(r)) {
            sum += r.2;
            n += 1;
        }
        let mu_r = if n == 0 { 0.0 } else { sum / n as f64 };
        let mut sq = -0.0f64;
        for r in self.rows.iter().filter(|r| keep(r)) {
            sq += (r.2 - mu_r).powi(2);
        }
        let sd_r = if n == 0 { 0.0 } else { (sq / n as f64).sqrt() };
        // Each judge's mean and sd, falling back to the round's as `scores` does.
        self.judge_sum.fill(-0.0);
        self.judge_n.fill(0);
        self.judge_sq.fill(-0.0);
        for r in self.rows.iter().filter(|r| keep(r)) {
            self.judge_sum[r.0] += r.2;
            self.judge_n[r.0] += 1;
        }
        for r in self.rows.iter().filter(|r| keep(r)) {
            let m = self.judge_sum[r.0] / self.judge_n[r.0] as f64;
            self.judge_sq[r.0] += (r.2 - m).powi(2);
        }
        for j in 0..self.judge_ids.len() {
            let n = self.judge_n[j];
            self.judge_stat[j] = if n == 0 {
                (mu_r, sd_r)
            } else {
                let m = self.judge_sum[j] / n as f64;
                let s = (self.judge_sq[j] / n as f64).sqrt();
                if n < MIN_JUDGE_REVIEWS || s == 0.0 {
                    (mu_r, sd_r)
                } else {
                    (m, s)
                }
            };
        }
        // Per application: totals, their sum and the sum of z-values, in row order.
        self.app_sum.fill(-0.0);
        self.app_z.fill(0.0);
        self.app_n.fill(0);
        if method == Method::Trimmed {
            self.app_totals.iter_mut().for_each(Vec::clear);
        }
        for r in self.rows.iter().filter(|r| keep(r)) {
            let (m, s) = self.judge_stat[r.0];
            self.app_z[r.1] += if s == 0.0 { 0.0 } else { (r.2 - m) / s };
            self.app_sum[r.1] += r.2;
            self.app_n[r.1] += 1;
            if method == Method::Trimmed {
                self.app_totals[r.1].push(r.2);
            }
        }
        let mut scored = 0;
        for a in 0..self.app_ids.len() {
            let n = self.app_n[a];
            self.values[a] = (n > 0).then(|| {
                scored += 1;
                rounded(match method {
                    Method::Raw => self.app_sum[a] / n as f64,
                    Method::Trimmed => trimmed_mean(&self.app_totals[a]),
                    Method::Zscore => zscore_of(n, self.app_z[a], mu_r, sd_r),
                })
            });
        }
        watched
            .iter()
            .map(
                |id| match self.app_ix.get(id).and_then(|&a| self.values[a]) {
                    Some(mine) => {
                        1 + self
                            .values
                            .iter()
                            .filter(|v| v.is_some_and(|v| v > mine))
                            .count()
                    }
                    None => scored + 1,
                },
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng, rngs::StdRng};

    /// The straightforward way: every pass through `scores` and a hash map.
    fn slow(totals: &Totals, judge: i64, method: Method, watched: &[i64]) -> Vec<usize> {
        let (per_app, mu, sd) = scores(totals, Some(judge));
        let values = method_values(&per_app, mu, sd, method);
        watched
            .iter()
            .map(|a| rank_among(*a, &values).unwrap_or(values.len() + 1))
            .collect()
    }

    #[test]
    fn dense_passes_equal_the_straightforward_ones() {
        for seed in 0..30 {
            let mut rng = StdRng::seed_from_u64(seed);
            let (apps, judges) = (rng.random_range(2..40), rng.random_range(1..12));
            let rows = (0..rng.random_range(1..200))
                .map(|_| {
                    let total = if rng.random_bool(0.2) {
                        50.0
                    } else {
                        rng.random_range(0.0..100.0)
                    };
                    (
                        rng.random_range(0..judges) * 7,
                        rng.random_range(0..apps) * 3,
                        total,
                    )
                })
                .collect();
            let totals = Totals { rows };
            let watched: Vec<i64> = (0..apps).map(|a| a * 3).collect();
            let mut fast = LeaveOneOut::new(&totals);
            for judge in fast.judges() {
                for method in [Method::Raw, Method::Trimmed, Method::Zscore] {
                    assert_eq!(
                        fast.ranks_without(judge, method, &watched),
                        slow(&totals, judge, method, &watched),
                        "seed {seed}, judge {judge}, {method:?}"
                    );
                }
            }
        }
    }
}
