//! Repair after a change mid-round (a judge removed, a conflict declared, …).
//!
//! "Minimal" means: among all assignments that keep every valid locked pair and are optimal for
//! levels 1–4 (seats, coverage, affinity, Σ load²) of the changed instance, one with the
//! fewest changes, `added.len() + removed.len()`, against `previous`. With the number of
//! reviews fixed by level 1 that is the same as keeping the most earlier pairs, so it is one
//! more objective level below the four: W_keep per earlier pair kept. Ties among equally
//! minimal answers are broken deterministically by the solver.
//!
//! Incremental: the earlier pairs that are still valid are the starting flow. If `previous`
//! was optimal for the instance before the change, the residual network of what is left of it
//! has no negative cycle once the arcs that lost flow are frozen at their new flow (it is a
//! subgraph of the old optimal residual network), so shortest-path potentials exist and a
//! label-correcting pass finds them. Unfreezing then saturates the few arcs that became
//! profitable, and the usual settle-and-price loop restores optimality, touching only what the
//! change reaches. If `previous` was not optimal, the pass meets a negative cycle and the
//! repair falls back to solving from zero flow with the same objective; either way the answer
//! is exact.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::diagnose::finish;
use super::flow::Edge;
use super::indexed::Model;
use super::model::{Instance, Solution};
use super::network::Network;
use super::solve::{cold_start, optimise, solve, stats};

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

/// The exact answer keeping `locked` and as many of `prev` (valid pairs, within capacity and
/// panel size) as an optimum allows, warm-started from `prev` with the arcs of the touched
/// judges and applications frozen at first. The flag says whether the warm start held.
pub(crate) fn warm_solve(
    inst: &Instance,
    locked: Vec<(usize, usize)>,
    prev: Vec<(usize, usize)>,
    touched_judges: &BTreeSet<usize>,
    touched_apps: &BTreeSet<usize>,
) -> (Solution, bool) {
    let m = Model::new(inst, locked, prev.clone());
    let mut nw = Network::build(&m);
    let incremental = warm_start(&m, &mut nw, &prev, touched_judges, touched_apps);
    if !incremental {
        cold_start(&mut nw);
    }
    let rounds = optimise(&m, &mut nw);
    let what = if incremental {
        "repair"
    } else {
        "repair (cold)"
    };
    stats(what, &nw, rounds);
    (finish(inst, &m, nw.decompose(&m)), incremental)
}

/// Loads the earlier pairs as flow, finds potentials with the touched arcs frozen, then
/// unfreezes them. Returns false (network untouched) if no potentials exist.
fn warm_start(
    m: &Model,
    nw: &mut Network,
    prev: &[(usize, usize)],
    touched_judges: &BTreeSet<usize>,
    touched_apps: &BTreeSet<usize>,
) -> bool {
    if prev.is_empty() {
        return false;
    }
    nw.net.reset();
    let prev_set: HashSet<(usize, usize)> = prev.iter().copied().collect();
    let mut app_regions: HashMap<usize, Vec<i64>> = HashMap::new();
    let mut judge_load: HashMap<usize, i64> = HashMap::new();
    for &(e, a, j) in &nw.pair_edges {
        let (ac, jc) = (&nw.aclasses[a], &nw.jclasses[j]);
        if ac.members.len() == 1
            && jc.members.len() == 1
            && prev_set.contains(&(jc.members[0], ac.members[0]))
        {
            nw.net.edges[e].flow = 1;
            app_regions
                .entry(a)
                .or_insert_with(|| vec![0; m.regions.len()])[jc.region] += 1;
            *judge_load.entry(j).or_default() += 1;
        }
    }
    let mut frozen: Vec<(usize, i64)> = Vec::new();
    let edges = &mut nw.net.edges;
    let freeze = |edges: &mut [Edge], e: usize, frozen: &mut Vec<(usize, i64)>| {
        frozen.push((e, edges[e].cap - edges[e].flow));
        edges[e].cap = edges[e].flow;
    };
    for (a, c) in nw.aclasses.iter().enumerate() {
        if c.open == 0 {
            continue;
        }
        let counts = app_regions.get(&a);
        let total: i64 = counts.map_or(0, |v| v.iter().sum());
        edges[c.seat_edge].flow = total;
        let touched = c.members.len() == 1 && touched_apps.contains(&c.members[0]);
        if touched {
            freeze(edges, c.seat_edge, &mut frozen);
        }
        for (r, &(cover, free)) in c.region_edges.iter().enumerate() {
            let mut units = counts.map_or(0, |v| v[r]);
            if let Some(e) = cover {
                edges[e].flow = units.min(1);
                units -= units.min(1);
            }
            if let Some(e) = free {
                edges[e].flow = units;
            }
            if touched {
                cover
                    .into_iter()
                    .chain(free)
                    .for_each(|e| freeze(edges, e, &mut frozen));
            }
        }
    }
    for (j, c) in nw.jclasses.iter().enumerate() {
        let l = judge_load.get(&j).copied().unwrap_or(0) as usize;
        for e in c.load_edges.clone().take(l) {
            edges[e].flow = 1;
        }
        if c.members.len() == 1 && touched_judges.contains(&c.members[0]) {
            c.load_edges
                .clone()
                .for_each(|e| freeze(edges, e, &mut frozen));
        }
    }
    nw.net.build();
    if !nw.net.spfa_potentials(4 * m.w.seat) {
        for (e, by) in frozen {
            nw.net.edges[e].cap += by;
        }
        nw.net.reset();
        return false;
    }
    for (e, by) in frozen {
        nw.net.widen(e, by);
        if nw.net.residual(e) > 0 && nw.net.reduced(e) < 0 {
            nw.net.saturate(e);
        }
    }
    nw.net.settle();
    true
}
