//! Assignment solver timings (DESIGN §6 targets: 3,000 × 300 under 1 s, 10,000 × 1,000 under
//! 5 s, repair after removing one judge from 3,000 × 300 under 100 ms), k = 3, generated
//! instances with seed 1.
//!
//!     cargo bench --bench assign
//!
//! Criterion prints the median-bearing estimate per benchmark. Peak memory is measured on the
//! CLI instead, where nothing else shares the process:
//! `jury assign --generate 3000 300 --seed 1 --out i.json`, then
//! `/usr/bin/time -v target/release/jury assign --instance i.json --out /dev/null`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use jury::assign::{Instance, generate, repair, solve};

fn without_first_judge(inst: &Instance) -> Instance {
    let mut smaller = inst.clone();
    let gone = smaller.judges.remove(0).id;
    smaller.conflicts.retain(|(j, _)| *j != gone);
    smaller
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("assign");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));

    let mid = generate::instance(3000, 300, 1);
    let sol = solve(&mid);
    println!("3000 x 300 objective: {:?}", sol.objective);
    group.bench_function("solve 3000 x 300", |b| b.iter(|| solve(black_box(&mid))));

    let smaller = without_first_judge(&mid);
    let r = repair(&smaller, &sol.assignments, &[]);
    println!(
        "repair: {} added, {} removed, incremental {}",
        r.added.len(),
        r.removed.len(),
        r.incremental
    );
    group.bench_function("repair 3000 x 300 minus one judge", |b| {
        b.iter(|| repair(black_box(&smaller), black_box(&sol.assignments), &[]))
    });
    // Half of the earlier pairs already have reviews: they are locked.
    let locked: Vec<(String, String)> = sol.assignments.iter().step_by(2).cloned().collect();
    group.bench_function("repair 3000 x 300 minus one judge, half locked", |b| {
        b.iter(|| repair(black_box(&smaller), &sol.assignments, &locked))
    });

    let large = generate::instance(10_000, 1_000, 1);
    println!("10000 x 1000 objective: {:?}", solve(&large).objective);
    group.bench_function("solve 10000 x 1000", |b| {
        b.iter(|| solve(black_box(&large)))
    });
    group.finish();
}

criterion_group!(assign, benches);
criterion_main!(assign);
