//! Repair after a change mid-round (a judge removed, a conflict declared, …).
//!
//! "Minimal" means: among all assignments that keep every valid locked pair and are optimal for
//! levels 1–4 (seats, coverage, affinity, Σ load²) of the changed instance, one with the
//! fewest changes, `added.len() + removed.len()`, against `previous`. With the number of
//! reviews fixed by level 1 that is the same as keeping the most earlier pairs, so it is one
//! more objective level below the four: W_keep per earlier pair kept. Ties among equally
//! minimal answers are broken deterministically by the solver.
//!
//! The solving itself is `warm::warm_solve`.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

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

/// Re-solves `inst` keeping every valid `locked` pair and changing as few `previous` pairs as
/// an optimal answer allows (see the module documentation for the exact meaning).
pub fn repair(
    inst: &Instance,
    previous: &[(String, String)],
    locked: &[(String, String)],
) -> Repair {
    let judge_ix: HashMap<&str, usize> = inst
        .judges
        .iter()
        .enumerate()
        .map(|(i, j)| (j.id.as_str(), i))
        .collect();
    let app_ix: HashMap<&str, usize> = inst
        .applications
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let conflicts: HashSet<(&str, &str)> = inst
        .conflicts
        .iter()
        .map(|(j, a)| (j.as_str(), a.as_str()))
        .collect();
    let index = |(j, a): &(String, String)| -> Option<(usize, usize)> {
        if conflicts.contains(&(j.as_str(), a.as_str())) {
            return None;
        }
        Some((*judge_ix.get(j.as_str())?, *app_ix.get(a.as_str())?))
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
        let ix = index(p);
        match ix {
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
                if let Some(&j) = judge_ix.get(p.0.as_str()) {
                    touched_judges.insert(j);
                }
                if let Some(&a) = app_ix.get(p.1.as_str()) {
                    touched_apps.insert(a);
                }
            }
        }
    }

    let (solution, incremental) = if kept_locked.is_empty() && prev.is_empty() {
        // Nothing to keep: a plain solve, which may take the relaxation (`relax`).
        (solve(inst), false)
    } else {
        warm_solve(inst, kept_locked, prev, &touched_judges, &touched_apps)
    };
    let now: BTreeSet<&(String, String)> = solution.assignments.iter().collect();
    let before: BTreeSet<&(String, String)> = previous.iter().collect();
    Repair {
        added: now.difference(&before).map(|p| (*p).clone()).collect(),
        removed: before.difference(&now).map(|p| (*p).clone()).collect(),
        solution,
        dropped_locked,
        incremental,
    }
}
