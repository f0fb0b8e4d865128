//! The relaxation of a repair, warm-started from the earlier pairs (`face`).
//!
//! The earlier pairs, summed per class, are a flow of the relaxation's network. If they were
//! optimal before the change, the only arcs that can make its residual network non-optimal are
//! the seat and cover arcs that lost flow (a judge left: seats empty, regions uncovered).
//! Frozen at their flow, the residual network has no negative cycle, so label-correcting
//! shortest paths give potentials; unfrozen, the arcs whose reduced cost is negative are
//! saturated and `settle` routes the few units that leaves. If a negative cycle shows up
//! anyway (the earlier pairs were not optimal), the caller starts cold. Either way the pricing
//! rounds that follow certify the optimum, so this only changes the time it takes.

use super::indexed::{FastMap, Model};
use super::network::Network;

/// Loads `prev` into the class network and finds potentials; false (network at zero flow) if
/// they do not exist.
pub(crate) fn warm_relaxation(m: &Model, nw: &mut Network, prev: &[(usize, usize)]) -> bool {
    let (na, nj, nr) = (
        m.inst.applications.len(),
        m.inst.judges.len(),
        m.regions.len(),
    );
    let mut aclass = vec![usize::MAX; na];
    for (i, c) in nw.aclasses.iter().enumerate() {
        c.members.iter().for_each(|&a| aclass[a] = i);
    }
    let mut jclass = vec![usize::MAX; nj];
    for (i, c) in nw.jclasses.iter().enumerate() {
        c.members.iter().for_each(|&j| jclass[j] = i);
    }
    let mut arcs: FastMap<(usize, usize), usize> =
        nw.pair_edges.iter().map(|&(e, a, j)| ((a, j), e)).collect();
    let mut units = Vec::with_capacity(prev.len());
    for &(j, a) in prev {
        let (ac, jc) = (aclass[a], jclass[j]);
        if nw.aclasses[ac].open == 0 || nw.jclasses[jc].room == 0 {
            return false;
        }
        let e = match arcs.get(&(ac, jc)) {
            Some(&e) => e,
            None => {
                let e = nw.add_pair(m, ac, jc);
                arcs.insert((ac, jc), e);
                e
            }
        };
        units.push(e);
    }
    nw.net.reset();
    let edges = &mut nw.net.edges;
    for &e in &units {
        edges[e].flow += 1;
    }
    let mut per_region = vec![0i64; na * nr];
    let mut load = vec![0usize; nj];
    for &(j, a) in prev {
        per_region[a * nr + m.judge_region[j]] += 1;
        load[j] += 1;
    }
    for (a, counts) in per_region.chunks(nr).enumerate() {
        let c = &nw.aclasses[aclass[a]];
        if c.open == 0 {
            continue;
        }
        edges[c.seat_edge].flow += counts.iter().sum::<i64>();
        for (r, &(cover, free)) in c.region_edges.iter().enumerate() {
            let mut u = counts[r];
            if let Some(e) = cover {
                edges[e].flow += u.min(1);
                u -= u.min(1);
            }
            match free {
                Some(e) => edges[e].flow += u,
                None if u > 0 => return reset(nw),
                None => {}
            }
        }
    }
    for (j, &l) in load.iter().enumerate() {
        let c = &nw.jclasses[jclass[j]];
        for e in c.load_edges.clone().take(l) {
            edges[e].flow += 1;
        }
    }
    if edges.iter().any(|e| e.flow > e.cap) {
        return reset(nw);
    }
    // Freeze every seat and cover arc at its flow.
    let mut frozen = Vec::new();
    for c in nw.aclasses.iter().filter(|c| c.open > 0) {
        let cover = c.region_edges.iter().filter_map(|r| r.0);
        for e in std::iter::once(c.seat_edge).chain(cover) {
            frozen.push((e, edges[e].cap - edges[e].flow));
            edges[e].cap = edges[e].flow;
        }
    }
    nw.net.build();
    if !nw.net.spfa_potentials(4 * m.w.seat) {
        for (e, by) in frozen {
            nw.net.edges[e].cap += by;
        }
        return reset(nw);
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

fn reset(nw: &mut Network) -> bool {
    nw.net.reset();
    false
}
