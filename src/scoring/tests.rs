//! Formulas against values worked out by hand.

use std::collections::BTreeMap;

use super::*;

fn crit() -> Vec<Criterion> {
    vec![
        Criterion {
            key: "team".into(),
            weight: 2.0,
            min: 1,
            max: 5,
        },
        Criterion {
            key: "market".into(),
            weight: 1.0,
            min: 0,
            max: 10,
        },
    ]
}

fn review(judge: i64, app: i64, team: i32, market: i32) -> Review {
    Review {
        judge,
        application: app,
        scores: BTreeMap::from([("team".into(), team), ("market".into(), market)]),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn totals_by_hand() {
    // team 4 on 1..5 → 0.75, market 7 on 0..10 → 0.7; (2·0.75 + 0.7)/3 = 0.7333…
    assert!(close(
        total(&crit(), &review(1, 1, 4, 7).scores),
        100.0 * 2.2 / 3.0
    ));
    assert!(close(total(&crit(), &review(1, 1, 5, 10).scores), 100.0));
    assert!(close(total(&crit(), &review(1, 1, 1, 0).scores), 0.0));
}

#[test]
fn trimmed_needs_four_reviews() {
    assert!(close(trimmed_mean(&[10.0, 20.0, 90.0]), 40.0));
    assert!(close(trimmed_mean(&[10.0, 20.0, 30.0, 90.0]), 25.0));
    assert!(close(sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]), 2.0));
}

#[test]
fn zscore_falls_back_to_round_stats_for_sparse_or_flat_judges() {
    // Judge 1 reviews three apps (σ > 0, own stats); judge 2 reviews two (round stats);
    // judge 3 gives the same total three times (σ = 0, round stats).
    let c = vec![Criterion {
        key: "s".into(),
        weight: 1.0,
        min: 0,
        max: 100,
    }];
    let r = |j, a, s| Review {
        judge: j,
        application: a,
        scores: BTreeMap::from([("s".into(), s)]),
    };
    let reviews = vec![
        r(1, 1, 90),
        r(1, 2, 60),
        r(1, 3, 30),
        r(2, 1, 80),
        r(2, 2, 40),
        r(3, 1, 50),
        r(3, 2, 50),
        r(3, 3, 50),
    ];
    let res = compute(&c, &reviews, &[1, 2, 3], Method::Zscore, &[]);
    let all = [90.0, 60.0, 30.0, 80.0, 40.0, 50.0, 50.0, 50.0];
    let (mu, sigma) = (mean(&all), sd(&all));
    let j1 = (mean(&[90.0, 60.0, 30.0]), sd(&[90.0, 60.0, 30.0]));
    let z = |t: f64, (m, s): (f64, f64)| (t - m) / s;
    let app1 = mu + sigma * mean(&[z(90.0, j1), z(80.0, (mu, sigma)), z(50.0, (mu, sigma))]);
    let got = res
        .applications
        .iter()
        .find(|a| a.application == 1)
        .unwrap();
    assert!(
        close(got.zscore.unwrap(), app1),
        "{} vs {app1}",
        got.zscore.unwrap()
    );
    assert_eq!(res.applications[0].application, 1);
}

#[test]
fn competition_ranks_show_ties_and_use_declared_tie_breaks() {
    let reviews = vec![
        review(1, 1, 5, 0),
        review(1, 2, 3, 5),
        review(1, 3, 1, 10),
        review(1, 4, 3, 5),
        review(1, 5, 1, 0),
    ];
    // Totals: app1 (2·1 + 0)/3 = 66.67, app2 (2·0.5 + 0.5)/3 = 50, app3 (0 + 1)/3 = 33.3,
    // app4 = app2, app5 = 0.
    let res = compute(&crit(), &reviews, &[1, 2, 3, 4, 5, 6], Method::Raw, &[]);
    let ranks: Vec<(i64, Option<usize>, bool)> = res
        .applications
        .iter()
        .map(|a| (a.application, a.rank, a.tied))
        .collect();
    assert_eq!(
        ranks,
        vec![
            (1, Some(1), false),
            (2, Some(2), true),
            (4, Some(2), true),
            (3, Some(4), false),
            (5, Some(5), false),
            (6, None, false)
        ]
    );
    // A tie-break on "team" cannot separate 2 and 4 (same team score): still tied.
    let res = compute(
        &crit(),
        &reviews,
        &[1, 2, 3, 4, 5],
        Method::Raw,
        &["team".into()],
    );
    assert!(res.applications[1].tied && res.applications[2].tied);
    // Different team scores with equal totals: the tie-break decides.
    let reviews = vec![review(1, 1, 5, 0), review(1, 2, 3, 10)];
    // app1: 2·1/3 = 66.67; app2: (2·0.5 + 1)/3 = 66.67 → tie on total, team 5 > 3.
    let res = compute(&crit(), &reviews, &[1, 2], Method::Raw, &["team".into()]);
    assert_eq!(res.applications[0].application, 1);
    assert_eq!(
        (res.applications[0].rank, res.applications[1].rank),
        (Some(1), Some(2))
    );
    assert!(!res.applications[0].tied);
}

#[test]
fn dispersion_flags_disagreement() {
    let reviews = vec![
        review(1, 1, 5, 10),
        review(2, 1, 1, 0),
        review(1, 2, 3, 5),
        review(2, 2, 3, 6),
    ];
    let res = compute(&crit(), &reviews, &[1, 2], Method::Raw, &[]);
    let a1 = res
        .applications
        .iter()
        .find(|a| a.application == 1)
        .unwrap();
    assert!(close(a1.dispersion.unwrap(), 50.0) && a1.disagreement);
    let a2 = res
        .applications
        .iter()
        .find(|a| a.application == 2)
        .unwrap();
    assert!(!a2.disagreement);
}

#[test]
fn alpha_by_hand() {
    // Two judges, three units: (1,2), (3,4), (5,6). n = 6.
    // D_o = (1/6) Σ_u 2·1/(2−1) = (1/6)·6 = 1; D_e = 2(6·91 − 21²)/(6·5) = 210/30 = 7.
    let rows = vec![
        (1, 1, 1.0),
        (2, 1, 2.0),
        (1, 2, 3.0),
        (2, 2, 4.0),
        (1, 3, 5.0),
        (2, 3, 6.0),
    ];
    assert!(close(
        krippendorff_alpha_interval(&rows).unwrap(),
        1.0 - 1.0 / 7.0
    ));
    assert_eq!(
        krippendorff_alpha_interval(&[(1, 1, 3.0), (2, 1, 3.0)]),
        None
    );
    let perfect = vec![(1, 1, 10.0), (2, 1, 10.0), (1, 2, 80.0), (2, 2, 80.0)];
    assert!(close(krippendorff_alpha_interval(&perfect).unwrap(), 1.0));
}

#[test]
fn severity_is_judge_mean_minus_round_mean() {
    let reviews = vec![
        review(1, 1, 5, 10),
        review(1, 2, 5, 10),
        review(2, 1, 1, 0),
        review(2, 2, 1, 0),
    ];
    let res = compute(&crit(), &reviews, &[1, 2], Method::Raw, &[]);
    assert_eq!(res.severity.len(), 2);
    assert!(close(res.severity[0].severity, 50.0) && close(res.severity[1].severity, -50.0));
}

#[test]
fn sensitivity_names_the_judge_a_place_depends_on() {
    // App 1 leads only because judge 9 loves it.
    let reviews = vec![
        review(9, 1, 5, 10),
        review(2, 1, 2, 4),
        review(3, 1, 2, 4),
        review(9, 2, 3, 5),
        review(2, 2, 3, 5),
        review(3, 2, 3, 5),
    ];
    let c = crit();
    let res = compute(&c, &reviews, &[1, 2], Method::Raw, &[]);
    assert_eq!(res.applications[0].application, 1);
    let s = sensitivity(
        &Totals::new(&c, &reviews),
        &res.applications,
        Method::Raw,
        20,
    );
    let first = &s[0];
    assert_eq!(
        (
            first.application,
            first.rank,
            first.worst_rank_leave_one_out
        ),
        (1, 1, 2)
    );
    assert_eq!(first.worst_without_judge, Some(9));
}

/// Deterministic random rounds for the property checks.
fn random_round(
    seed: u64,
    judges: i64,
    apps: i64,
    per_judge: usize,
    max_exclusive: i32,
) -> Vec<Review> {
    use rand::{Rng, SeedableRng, seq::SliceRandom};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut out = Vec::new();
    for j in 1..=judges {
        let mut ids: Vec<i64> = (1..=apps).collect();
        ids.shuffle(&mut rng);
        for &a in ids.iter().take(per_judge) {
            out.push(review(
                j,
                a,
                rng.random_range(1..=4.min(max_exclusive)),
                rng.random_range(0..max_exclusive),
            ));
        }
    }
    out
}

#[test]
fn property_ranks_do_not_depend_on_input_order() {
    use rand::{SeedableRng, seq::SliceRandom};
    for seed in 0..200 {
        let mut reviews = random_round(seed, 5, 8, 5, 10);
        let apps: Vec<i64> = (1..=8).collect();
        for method in [Method::Raw, Method::Trimmed, Method::Zscore] {
            let a = compute(&crit(), &reviews, &apps, method, &["team".into()]);
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed + 1000);
            reviews.shuffle(&mut rng);
            let mut shuffled_apps = apps.clone();
            shuffled_apps.shuffle(&mut rng);
            let b = compute(&crit(), &reviews, &shuffled_apps, method, &["team".into()]);
            let ranks = |r: &RoundResults| {
                r.applications
                    .iter()
                    .map(|x| (x.application, x.rank))
                    .collect::<Vec<_>>()
            };
            assert_eq!(ranks(&a), ranks(&b), "seed {seed} {method:?}");
        }
    }
}

#[test]
fn property_a_lenient_judge_does_not_move_zscore_ranks() {
    for seed in 0..200 {
        // Every judge reviews 6 apps with scores that leave room for +1 on each criterion.
        let reviews = random_round(seed, 4, 8, 6, 9);
        let apps: Vec<i64> = (1..=8).collect();
        let base = compute(&crit(), &reviews, &apps, Method::Zscore, &[]);
        let flat = reviews
            .iter()
            .filter(|r| r.judge == 1)
            .map(|r| total(&crit(), &r.scores))
            .collect::<Vec<_>>();
        if sd(&flat) == 0.0 {
            continue;
        }
        let lenient: Vec<Review> = reviews
            .iter()
            .map(|r| {
                let mut r = r.clone();
                if r.judge == 1 {
                    r.scores.values_mut().for_each(|s| *s += 1);
                }
                r
            })
            .collect();
        let moved = compute(&crit(), &lenient, &apps, Method::Zscore, &[]);
        let ranks = |r: &RoundResults| {
            let mut v: Vec<(i64, Option<usize>)> = r
                .applications
                .iter()
                .map(|x| (x.application, x.rank))
                .collect();
            v.sort();
            v
        };
        // Judges with σ = 0 fall back to round statistics, which the shift does change.
        let all_spread = (1..=4).all(|j| {
            let t: Vec<f64> = reviews
                .iter()
                .filter(|r| r.judge == j)
                .map(|r| total(&crit(), &r.scores))
                .collect();
            sd(&t) > 0.0
        });
        if all_spread {
            assert_eq!(ranks(&base), ranks(&moved), "seed {seed}");
        }
    }
}
