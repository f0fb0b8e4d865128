//! Assignment solver timings (DESIGN §6 targets: 3,000 × 300 under 1 s, 10,000 × 1,000 under
//! 5 s, repair after removing one judge from 3,000 × 300 under 100 ms).
//!
//!     cargo bench --bench assign
//!     JURY_BENCH_LARGE=1 cargo bench --bench assign     # also 10,000 × 1,000
//!
//! Peak memory: `jury assign --generate 3000 300 --seed 1 --out i.json` then
//! `/usr/bin/time -v target/release/jury assign --instance i.json --out /dev/null`.

use std::time::Instant;

use jury::assign::{generate, repair, solve};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    (median(times), last.expect("at least one run"))
}

fn main() {
    println!(
        "cores: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut sizes = vec![(300, 30), (3000, 300)];
    if std::env::var("JURY_BENCH_LARGE").is_ok() {
        sizes.push((10_000, 1_000));
    }
    for (apps, judges) in sizes {
        let inst = generate::instance(apps, judges, 1);
        let runs = if apps >= 10_000 { 1 } else { 5 };
        let (ms, sol) = time(runs, || solve(&inst));
        println!(
            "solve {apps} x {judges} (k=3): median {ms:.1} ms over {runs} runs; reviews {} regions {} affinity {} load² {}; unfilled {}",
            sol.objective.reviews,
            sol.objective.regions_covered,
            sol.objective.affinity,
            sol.objective.load_squares,
            sol.unfilled.len()
        );
        if apps == 3000 {
            let mut smaller = inst.clone();
            let gone = smaller.judges.remove(0).id;
            smaller.conflicts.retain(|(j, _)| *j != gone);
            let (ms, r) = time(5, || repair(&smaller, &sol.assignments, &[]));
            println!(
                "repair {apps} x {judges} after removing {gone}: median {ms:.1} ms; {} added, {} removed",
                r.added.len(),
                r.removed.len()
            );
        }
    }
}
