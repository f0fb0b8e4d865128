//! Assignment solver timings (DESIGN §6 targets: 3,000 × 300 under 1 s, 10,000 × 1,000 under
//! 5 s, repair after removing one judge under 100 ms), k = 3, generated instances with seed 1.
//! Each size runs twice: the generator's default instances, and the shape of a real call
//! (issue 19: each application with its own 2 % of the judges conflicted, 1–3 tracks per
//! judge, capacities ⌈3A/J⌉ − 2 … + 6), where the targets are 300 ms, 2 s and, for repair at
//! both sizes, 100 ms. Every repair is checked against a fresh solve before it is timed.
//!
//!     cargo bench --bench assign
//!
//! Criterion prints the median-bearing estimate per benchmark. Peak memory is measured on the
//! CLI instead, where nothing else shares the process:
//! `jury assign --generate 3000 300 --seed 1 --out i.json` (the real-call shape:
//! `jury assign --generate 3000 300 --conflicts-per-app 6 --tracks-per-judge 1..3
//! --capacity-spread=-2..+6 --seed 1 --out i.json`), then
//! `/usr/bin/time -v target/release/jury assign --instance i.json --out /dev/null`, and for a
//! repair `... --instance i.json --remove-judge j0 --out /dev/null` (solve, then repair; it
//! prints the repair's own time on standard error).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use jury::assign::generate::Shape;
use jury::assign::{Instance, generate, repair, solve};

fn without_first_judge(inst: &Instance) -> Instance {
    let mut smaller = inst.clone();
    let gone = smaller.judges.remove(0).id;
    smaller.conflicts.retain(|(j, _)| *j != gone);
    smaller
}

fn real_call(conflicts_per_app: usize) -> Shape {
    Shape {
        conflicts_per_app,
        tracks_per_judge: (1, 3),
        capacity_spread: (-2, 6),
    }
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("assign");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));

    for (shape, mid, large) in [
        (
            "",
            generate::instance(3000, 300, 1),
            generate::instance(10_000, 1_000, 1),
        ),
        (
            "real-call shape, ",
            generate::shaped(3000, 300, 1, &real_call(6)),
            generate::shaped(10_000, 1_000, 1, &real_call(20)),
        ),
    ] {
        let sol = solve(&mid);
        println!("{shape}3000 x 300 objective: {:?}", sol.objective);
        group.bench_function(format!("{shape}solve 3000 x 300"), |b| {
            b.iter(|| solve(black_box(&mid)))
        });

        let smaller = without_first_judge(&mid);
        let r = repair(&smaller, &sol.assignments, &[]);
        assert_eq!(
            r.solution.objective,
            solve(&smaller).objective,
            "repair is exact"
        );
        println!(
            "{shape}repair: {} added, {} removed, incremental {}",
            r.added.len(),
            r.removed.len(),
            r.incremental
        );
        group.bench_function(format!("{shape}repair 3000 x 300 minus one judge"), |b| {
            b.iter(|| repair(black_box(&smaller), black_box(&sol.assignments), &[]))
        });
        // Half of the earlier pairs already have reviews: they are locked.
        let locked: Vec<(String, String)> = sol.assignments.iter().step_by(2).cloned().collect();
        group.bench_function(
            format!("{shape}repair 3000 x 300 minus one judge, half locked"),
            |b| b.iter(|| repair(black_box(&smaller), &sol.assignments, &locked)),
        );

        let large_sol = solve(&large);
        println!("{shape}10000 x 1000 objective: {:?}", large_sol.objective);
        group.bench_function(format!("{shape}solve 10000 x 1000"), |b| {
            b.iter(|| solve(black_box(&large)))
        });
        let smaller = without_first_judge(&large);
        let r = repair(&smaller, &large_sol.assignments, &[]);
        assert_eq!(
            r.solution.objective,
            solve(&smaller).objective,
            "repair is exact"
        );
        println!(
            "{shape}repair 10000 x 1000: {} added, {} removed",
            r.added.len(),
            r.removed.len()
        );
        group.bench_function(format!("{shape}repair 10000 x 1000 minus one judge"), |b| {
            b.iter(|| repair(black_box(&smaller), black_box(&large_sol.assignments), &[]))
        });
    }
    group.finish();
}

criterion_group!(assign, benches);
criterion_main!(assign);
