//! Repair after a change mid-round (a judge removed, a conflict declared, …).
//!
//! "Minimal" means: among all assignments that keep every valid locked pair and are optimal for
//! levels 1–4 (seats, coverage, affinity, Σ load²) of the changed instance, one with the
//! fewest changes, `added.len() + removed.len()`, against `previous`. With the number of
//! reviews fixed by level 1 that is the same as keeping the most earlier pairs, so it is one
//! more objective level below the four: W_keep per earlier pair kept. Ties among equally
//! minimal answers are broken deterministically by the solver.
//!
//! The solving itself is `face::repair_on_face`: the relaxation's potentials price every pair,
//! and the earlier pairs are routed on the face of optimal answers they define, so the work is
//! proportional to what changed. When that face has no feasible flow (conflicts make the
//! relaxation's optimum unreachable), `warm::warm_solve` solves the network warm-started.

use std::collections::{BTreeSet, HashSet};

use serde::Serialize;

use super::diagnose::finish;
use super::face::repair_on_face;
use super::indexed::Model;
use super::model::{Instance, Solution};
use super::solve::solve;
use super::warm::warm_solve;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Repair {
    pub solution: Solution,
    /// Pairs of the new assignment that were not in `previous`.
    pub added: Vec<(String, String)>,
    /// Pairs of `previous` that the new assignment lacks (including pairs whose judge or
    /// application is gone or that are now conflicted).
    pub removed: Vec<(String, String)>,
    /// Locked pairs that could not be kept: unknown judge or application, or now conflicted.
    pub dropped_locked: Vec<(String, String)>,
    /// Whether the earlier assignment served as a warm start (false: solved from zero flow).
    pub incremental: bool,
}

/// How `repair` reached its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Path {
    /// Nothing to keep: a plain `solve`.
    Solve,
    /// The earlier pairs routed on the optimal face of the relaxation (`face`).
    Face,
    /// The warm-started network (`warm`), when the face had no feasible flow.
    Warm,
}

/// Re-solves `inst` keeping every valid `locked` pair and changing as few `previous` pairs as
/// an optimal answer allows (see the module documentation for the exact meaning).
pub fn repair(
    inst: &Instance,
    previous: &[(String, String)],
    locked: &[(String, String)],
) -> Repair {
    repair_traced(inst, previous, locked, true).0
}

/// `repair`, saying which way it went; `face: false` skips the face (to compare the two).
pub(crate) fn repair_traced(
    inst: &Instance,
    previous: &[(String, String)],
    locked: &[(String, String)],
    face: bool,
) -> (Repair, Path) {
    let clock = std::time::Instant::now();
    let mut m = Model::new(inst, Vec::new(), Vec::new());
    if std::env::var_os("JURY_FLOW_STATS").is_some() {
        eprintln!("repair: model at {:?}", clock.elapsed());
    }
    let index = |(j, a): &(String, String)| -> Option<(usize, usize)> {
        let ix = (*m.judge_ix.get(j.as_str())?, *m.app_ix.get(a.as_str())?);
        (!m.conflicts.contains(&ix)).then_some(ix)
    };

    let mut kept_locked = Vec::new();
    let mut dropped_locked = Vec::new();
    let mut seen = HashSet::new();
    for p in locked {
        match index(p) {
            Some(ix) if seen.insert(ix) => kept_locked.push(ix),
            Some(_) => {}
            None => dropped_locked.push(p.clone()),
        }
    }
    let mut load = vec![0i64; inst.judges.len()];
    let mut panel = vec![0i64; inst.applications.len()];
    for &(j, a) in &kept_locked {
        load[j] += 1;
        panel[a] += 1;
    }
    // Earlier pairs still usable, within capacity and panel size; the rest lost their flow.
    let mut prev = Vec::new();
    let mut touched_judges = BTreeSet::new();
    let mut touched_apps = BTreeSet::new();
    let k = inst.reviews_per_application;
    for p in previous {
        match index(p) {
            Some((j, a)) if seen.insert((j, a)) => {
                if load[j] < inst.judges[j].capacity && panel[a] < k {
                    load[j] += 1;
                    panel[a] += 1;
                    prev.push((j, a));
                    continue;
                }
                touched_judges.insert(j);
                touched_apps.insert(a);
            }
            Some(_) => {}
            None => {
                if let Some(&j) = m.judge_ix.get(p.0.as_str()) {
                    touched_judges.insert(j);
                }
                if let Some(&a) = m.app_ix.get(p.1.as_str()) {
                    touched_apps.insert(a);
                }
            }
        }
    }

    let (solution, path) = if kept_locked.is_empty() && prev.is_empty() {
        // Nothing to keep: a plain solve, which may take the relaxation (`relax`).
        (solve(inst), Path::Solve)
    } else {
        m.locked_set = kept_locked.iter().copied().collect();
        m.locked = kept_locked.clone();
        match face.then(|| repair_on_face(&mut m, &prev)).flatten() {
            Some(pairs) => {
                if std::env::var_os("JURY_FLOW_STATS").is_some() {
                    eprintln!("repair: indexed and routed at {:?}", clock.elapsed());
                }
                (finish(inst, &m, pairs), Path::Face)
            }
            None => {
                let (s, _) = warm_solve(inst, kept_locked, prev, &touched_judges, &touched_apps);
                (s, Path::Warm)
            }
        }
    };
    if std::env::var_os("JURY_FLOW_STATS").is_some() {
        eprintln!("repair: {path:?}, solved at {:?}", clock.elapsed());
    }
    let now: BTreeSet<&(String, String)> = solution.assignments.iter().collect();
    let before: BTreeSet<&(String, String)> = previous.iter().collect();
    let repair = Repair {
        added: now.difference(&before).map(|p| (*p).clone()).collect(),
        removed: before.difference(&now).map(|p| (*p).clone()).collect(),
        solution,
        dropped_locked,
        incremental: path != Path::Solve,
    };
    (repair, path)
}
