//! Realistic random instances: six tracks, regions about 45 % KR / 45 % CN / 10 % other, about
//! 2 % conflicted pairs, mixed capacities, and judges strong in one or two tracks.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng, rngs::StdRng};

use super::{Application, Instance, Judge};

pub const TRACKS: [&str; 6] = ["ai", "robotics", "bio", "energy", "culture", "deeptech"];

pub fn instance(apps: usize, judges: usize, seed: u64) -> Instance {
    let mut rng = StdRng::seed_from_u64(seed);
    let k = 3;
    // Enough capacity in total for every seat with ~15 % slack, spread over mixed capacities.
    let mean_cap = ((apps * k) as f64 * 1.15 / judges.max(1) as f64)
        .ceil()
        .max(1.0);
    let judges: Vec<Judge> = (0..judges)
        .map(|i| {
            let region = match rng.random_range(0..100) {
                0..45 => "KR",
                45..90 => "CN",
                _ => "OTHER",
            };
            let mut expertise = BTreeMap::new();
            let primary = rng.random_range(0..TRACKS.len());
            expertise.insert(TRACKS[primary].to_string(), 3);
            if rng.random_bool(0.6) {
                let second = rng.random_range(0..TRACKS.len());
                expertise
                    .entry(TRACKS[second].to_string())
                    .or_insert(rng.random_range(1..=2));
            }
            for t in TRACKS {
                if rng.random_bool(0.15) {
                    expertise.entry(t.to_string()).or_insert(1);
                }
            }
            let capacity = (mean_cap * rng.random_range(0.6..1.4)).round() as i64;
            Judge {
                id: format!("j{i}"),
                region: region.into(),
                capacity: capacity.max(1),
                expertise,
            }
        })
        .collect();
    let applications: Vec<Application> = (0..apps)
        .map(|i| Application {
            id: format!("a{i}"),
            track: TRACKS[rng.random_range(0..TRACKS.len())].into(),
        })
        .collect();
    let mut conflicts = Vec::new();
    if !judges.is_empty() {
        let count = (apps * judges.len()) / 50;
        let mut seen = std::collections::BTreeSet::new();
        while seen.len() < count.min(apps * judges.len()) {
            let pair = (rng.random_range(0..judges.len()), rng.random_range(0..apps));
            if seen.insert(pair) {
                conflicts.push((judges[pair.0].id.clone(), applications[pair.1].id.clone()));
            }
        }
    }
    Instance {
        reviews_per_application: k as i64,
        required_regions: vec!["KR".into(), "CN".into()],
        judges,
        applications,
        conflicts,
    }
}
