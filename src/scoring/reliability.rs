//! Krippendorff's alpha with the interval metric: how much the judges agree beyond chance.
//! Units are applications, coders are judges, values are review totals. Only units with at
//! least two values are pairable. Uses the sums-of-squares identity
//! `Σ_{i≠j} (vᵢ − vⱼ)² = 2(n·Σv² − (Σv)²)` so each sum is linear.

use std::collections::HashMap;

fn pair_sum(n: f64, sum: f64, sum_sq: f64) -> f64 {
    2.0 * (n * sum_sq - sum * sum)
}

/// `None` when fewer than two pairable values exist or every value is equal (α undefined).
pub fn krippendorff_alpha_interval(rows: &[(i64, i64, f64)]) -> Option<f64> {
    let mut units: HashMap<i64, (f64, f64, f64)> = HashMap::new();
    for (_, unit, v) in rows {
        let e = units.entry(*unit).or_default();
        e.0 += 1.0;
        e.1 += v;
        e.2 += v * v;
    }
    let pairable: Vec<&(f64, f64, f64)> = units.values().filter(|u| u.0 >= 2.0).collect();
    let n: f64 = pairable.iter().map(|u| u.0).sum();
    if n < 2.0 {
        return None;
    }
    let observed: f64 = pairable
        .iter()
        .map(|(m, s, q)| pair_sum(*m, *s, *q) / (m - 1.0))
        .sum::<f64>()
        / n;
    let (s, q) = pairable
        .iter()
        .fold((0.0, 0.0), |acc, u| (acc.0 + u.1, acc.1 + u.2));
    let expected = pair_sum(n, s, q) / (n * (n - 1.0));
    if expected <= f64::EPSILON {
        return None;
    }
    Some(1.0 - observed / expected)
}
