//! The instance by index: regions, tracks, expertise and conflicts as numbers, the pairs a
//! repair fixes or prefers, and the weights that make one min-cost flow the lexicographic
//! optimum. The network (`network.rs`) is built from it.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use super::flow::Cost;
use super::model::Instance;

/// A fast hasher for the solver's own keys (indices and ids of one instance): multiply and
/// rotate, as rustc's FxHash. SipHash made building the conflict set a fifth of a repair.
#[derive(Clone, Copy, Default)]
pub struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
pub type FastSet<T> = HashSet<T, BuildHasherDefault<Fx>>;

pub struct Weights {
    pub seat: Cost,
    pub cover: Cost,
    pub affinity: Cost,
    pub load: Cost,
    pub keep: Cost,
}

/// Each level's weight exceeds the largest total every lower level can reach, so the cheapest
/// flow is the lexicographic optimum (integers only, hence `i128`).
fn weights(inst: &Instance, k: i64, keep_max: usize) -> Weights {
    let apps = inst.applications.len() as Cost;
    let seats = Cost::from(k) * apps;
    let keep_max = keep_max as Cost;
    let load_max: Cost = inst
        .judges
        .iter()
        .map(|j| (j.capacity.max(0) as Cost).min(apps).pow(2))
        .sum();
    let lower = |w: Cost, max: Cost, below: Cost| w * max + below;
    let keep = 1;
    let below_load = keep * keep_max;
    let load = below_load + 1;
    let below_aff = lower(load, load_max, below_load);
    let affinity = below_aff + 1;
    let below_cover = lower(affinity, 3 * seats, below_aff);
    let cover = below_cover + 1;
    let cover_max = inst.required_regions.len() as Cost * apps;
    let seat = lower(cover, cover_max, below_cover) + 1;
    Weights {
        seat,
        cover,
        affinity,
        load,
        keep,
    }
}

/// Everything about the instance by index, plus the pairs a repair fixes or prefers.
pub struct Model<'a> {
    pub inst: &'a Instance,
    pub k: i64,
    pub regions: Vec<&'a str>,
    pub required: Vec<bool>,
    pub judge_region: Vec<usize>,
    pub app_track: Vec<usize>,
    /// Judge × track expertise, clamped to 0–3.
    pub aff: Vec<Vec<i64>>,
    pub conflicts: FastSet<(usize, usize)>,
    pub locked: Vec<(usize, usize)>,
    pub locked_set: FastSet<(usize, usize)>,
    pub prev: FastSet<(usize, usize)>,
    /// Building a relaxation (`face`): locked pairs do not make applications singletons.
    pub relaxed: bool,
    pub judge_ix: FastMap<&'a str, usize>,
    pub app_ix: FastMap<&'a str, usize>,
    pub w: Weights,
}

impl<'a> Model<'a> {
    pub fn new(inst: &'a Instance, locked: Vec<(usize, usize)>, prev: Vec<(usize, usize)>) -> Self {
        let judge_ix: FastMap<&str, usize> = inst
            .judges
            .iter()
            .enumerate()
            .map(|(i, j)| (j.id.as_str(), i))
            .collect();
        let app_ix: FastMap<&str, usize> = inst
            .applications
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        let mut regions: Vec<&str> = inst.judges.iter().map(|j| j.region.as_str()).collect();
        regions.sort_unstable();
        regions.dedup();
        let mut tracks: Vec<&str> = inst.applications.iter().map(|a| a.track.as_str()).collect();
        tracks.sort_unstable();
        tracks.dedup();
        let region_ix = |r: &str| regions.binary_search(&r).unwrap_or(0);
        let track_ix = |t: &str| tracks.binary_search(&t).unwrap_or(0);
        // Conflicts come grouped by application or by judge (the export and the generator
        // both write them so): the last id looked up is reused when it repeats.
        let mut conflicts =
            FastSet::with_capacity_and_hasher(inst.conflicts.len(), Default::default());
        let mut last_j: (&str, Option<usize>) = ("", None);
        let mut last_a: (&str, Option<usize>) = ("", None);
        for (j, a) in &inst.conflicts {
            if last_j.0 != j.as_str() || last_j.1.is_none() {
                last_j = (j.as_str(), judge_ix.get(j.as_str()).copied());
            }
            if last_a.0 != a.as_str() || last_a.1.is_none() {
                last_a = (a.as_str(), app_ix.get(a.as_str()).copied());
            }
            if let (Some(j), Some(a)) = (last_j.1, last_a.1) {
                conflicts.insert((j, a));
            }
        }
        let k = inst
            .reviews_per_application
            .clamp(0, inst.judges.len() as i64);
        Model {
            k,
            required: regions
                .iter()
                .map(|r| inst.required_regions.iter().any(|x| x == r))
                .collect(),
            judge_region: inst.judges.iter().map(|j| region_ix(&j.region)).collect(),
            app_track: inst
                .applications
                .iter()
                .map(|a| track_ix(&a.track))
                .collect(),
            aff: inst
                .judges
                .iter()
                .map(|j| {
                    let e = |t: &&str| j.expertise.get(*t).copied().unwrap_or(0).clamp(0, 3);
                    tracks.iter().map(e).collect()
                })
                .collect(),
            conflicts,
            locked_set: locked.iter().copied().collect(),
            w: weights(inst, k, prev.len()),
            prev: prev.into_iter().collect(),
            locked,
            regions,
            inst,
            judge_ix,
            app_ix,
            relaxed: false,
        }
    }
}
