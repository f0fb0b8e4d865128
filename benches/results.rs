//! Results computation (issue targets: the whole computation for 50,000 reviews under 100 ms,
//! the sensitivity report under 1 s). 10,000 applications × 5 reviews from 300 judges, four
//! criteria, lenient and harsh judges, z-score ranking (the most work).
//!
//!     cargo bench --bench results

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use jury::scoring::{self, Method, Review, Totals};
use rand::{Rng, SeedableRng, rngs::StdRng};

fn round(apps: usize, k: usize, judges: usize) -> (Vec<scoring::Criterion>, Vec<Review>, Vec<i64>) {
    let criteria: Vec<scoring::Criterion> = [
        ("team", 3.0, 1, 5),
        ("market", 2.0, 1, 5),
        ("product", 2.0, 1, 10),
        ("global", 1.0, 1, 5),
    ]
    .iter()
    .map(|(key, weight, min, max)| scoring::Criterion {
        key: key.to_string(),
        weight: *weight,
        min: *min,
        max: *max,
    })
    .collect();
    let mut rng = StdRng::seed_from_u64(7);
    let bias: Vec<f64> = (0..judges).map(|j| [0.8, -0.8, 0.0][j % 3]).collect();
    let mut reviews = Vec::with_capacity(apps * k);
    for a in 0..apps {
        let quality: f64 = rng.random_range(-1.5..1.5);
        for r in 0..k {
            let judge = (a * k + r) % judges;
            let scores: BTreeMap<String, i32> = criteria
                .iter()
                .map(|c| {
                    let mid = (c.min + c.max) as f64 / 2.0;
                    let v = mid
                        + (c.max - c.min) as f64 / 4.0
                            * (quality + bias[judge] + rng.random_range(-0.7..0.7));
                    (c.key.clone(), (v.round() as i32).clamp(c.min, c.max))
                })
                .collect();
            reviews.push(Review {
                judge: judge as i64,
                application: a as i64,
                scores,
            });
        }
    }
    (criteria, reviews, (0..apps as i64).collect())
}

fn benches(c: &mut Criterion) {
    let (criteria, reviews, apps) = round(10_000, 5, 300);
    println!("{} reviews, {} applications", reviews.len(), apps.len());
    let tie = vec!["team".to_string()];
    let mut group = c.benchmark_group("results");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("compute 50000 reviews (zscore)", |b| {
        b.iter(|| {
            scoring::compute(
                black_box(&criteria),
                black_box(&reviews),
                &apps,
                Method::Zscore,
                &tie,
            )
        })
    });
    let res = scoring::compute(&criteria, &reviews, &apps, Method::Zscore, &tie);
    group.bench_function("sensitivity top 20, 50000 reviews", |b| {
        b.iter(|| {
            let totals = Totals::new(&criteria, &reviews);
            scoring::sensitivity(black_box(&totals), &res.applications, Method::Zscore, 20)
        })
    });
    group.finish();
}

criterion_group!(results, benches);
criterion_main!(results);
