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

/// The shape of a real call, where conflicts and expertise profiles make almost every
/// application and judge unique: each application has its own `conflicts_per_app` conflicted
/// judges, each judge declares `tracks_per_judge` tracks (levels 1–3, uniform), and capacities
/// are uniform in ⌈k·A/J⌉ + `capacity_spread`.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub conflicts_per_app: usize,
    pub tracks_per_judge: (usize, usize),
    pub capacity_spread: (i64, i64),
}

impl Default for Shape {
    /// No conflicts, 1–3 tracks, capacities −2..+6 around the mean need.
    fn default() -> Shape {
        Shape {
            conflicts_per_app: 0,
            tracks_per_judge: (1, 3),
            capacity_spread: (-2, 6),
        }
    }
}

/// A "LOW..HIGH" pair of integers, as the command line writes ranges (`1..3`, `-2..+6`).
pub fn parse_range(text: &str) -> Result<(i64, i64), String> {
    let (lo, hi) = text
        .split_once("..")
        .ok_or_else(|| format!("expected LOW..HIGH, got {text:?}"))?;
    let num = |s: &str| {
        s.trim()
            .trim_start_matches('+')
            .parse::<i64>()
            .map_err(|_| format!("not an integer: {s:?}"))
    };
    let (lo, hi) = (num(lo)?, num(hi)?);
    if lo > hi {
        return Err(format!("empty range {text:?}"));
    }
    Ok((lo, hi))
}

pub fn shaped(apps: usize, judges: usize, seed: u64, shape: &Shape) -> Instance {
    let mut rng = StdRng::seed_from_u64(seed);
    let k = 3usize;
    let base = (k * apps).div_ceil(judges.max(1)) as i64;
    let (tmin, tmax) = shape.tracks_per_judge;
    let (tmin, tmax) = (tmin.clamp(1, TRACKS.len()), tmax.clamp(1, TRACKS.len()));
    let judges: Vec<Judge> = (0..judges)
        .map(|i| {
            let region = match rng.random_range(0..100) {
                0..45 => "KR",
                45..90 => "CN",
                _ => "OTHER",
            };
            let mut order: Vec<usize> = (0..TRACKS.len()).collect();
            let count = rng.random_range(tmin.min(tmax)..=tmax);
            for t in 0..count {
                let pick = rng.random_range(t..order.len());
                order.swap(t, pick);
            }
            let expertise = order[..count]
                .iter()
                .map(|&t| (TRACKS[t].to_string(), rng.random_range(1..=3)))
                .collect();
            let (lo, hi) = shape.capacity_spread;
            Judge {
                id: format!("j{i}"),
                region: region.into(),
                capacity: (base + rng.random_range(lo..=hi)).max(0),
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
    let per_app = shape.conflicts_per_app.min(judges.len());
    let mut conflicts = Vec::with_capacity(apps * per_app);
    let mut order: Vec<usize> = (0..judges.len()).collect();
    for a in &applications {
        // A partial Fisher–Yates shuffle: `per_app` distinct judges.
        for t in 0..per_app {
            let pick = rng.random_range(t..order.len());
            order.swap(t, pick);
            conflicts.push((judges[order[t]].id.clone(), a.id.clone()));
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
