//! The exact warm-started solve behind repair (and behind a relaxation that exchanges could
//! not make conflict-free).
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

use super::diagnose::finish;
use super::flow::Edge;
use super::indexed::Model;
use super::model::{Instance, Solution};
use super::network::Network;
use super::pricing::{cold_start, optimise, stats};

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
