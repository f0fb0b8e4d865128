//! Solving through the relaxation that ignores conflicts, then proving the answer optimal for
//! the real instance.
//!
//! Conflicts are what make a real call slow: a few conflicted judges per application make
//! every application and every judge a class of its own, so the network has one node per
//! application and the shortest-path phases multiply. Without conflicts, applications collapse
//! into one class per track and judges into one per (region, capacity, expertise), a network of
//! a few thousand arcs, small enough to hold every class pair (no pricing needed).
//!
//! Dropping constraints can only improve the optimum, so the relaxation's optimum is an upper
//! bound (lexicographically) on the real one. `decompose` deals the class flow out to pairs
//! that score exactly that optimum; some land on conflicted pairs. Each of those is exchanged
//! with a pair of the same track and judge region: (j, a) and (j', a') become (j', a) and
//! (j, a'). Loads stay, every panel keeps its region counts (coverage stays), and both
//! applications have the same track, so the affinity sum stays: the objective is unchanged.
//! If every conflicted pair finds such a partner (and the new pairs are neither conflicted
//! nor repeated), the pairs meet every hard rule of the real instance and reach the upper
//! bound: they are optimal.
//!
//! If one does not (a track's seats of a region held by so few judges that the application
//! already has all of them), the exchanged pairs are still optimal for the network with the
//! stuck conflicted arcs, exactly the situation of a repair after those arcs were removed: the
//! caller drops them and finishes with `warm::warm_solve` from the rest, which is exact
//! whatever it starts from (it solves from zero flow if the start does not check out).

use std::collections::HashMap;

use super::indexed::{FastSet, Model};
use super::network::Network;
use super::pricing::{cold_start, optimise, stats};

pub(crate) enum Relaxed {
    /// Optimal pairs of the real instance.
    Optimal(Vec<(usize, usize)>),
    /// The relaxation's optimum with the conflicted pairs no exchange could move: optimal for
    /// the network that has those arcs, so a warm start for the real one (`repair`).
    Start(Vec<(usize, usize)>),
}

pub(crate) fn solve(m: &mut Model) -> Relaxed {
    let conflicts = std::mem::take(&mut m.conflicts);
    let mut nw = Network::build(m);
    cold_start(&mut nw);
    let rounds = optimise(m, &mut nw);
    stats("relaxation", &nw, rounds);
    let mut pairs = nw.decompose(m);
    let ok = exchange(m, &conflicts, &mut pairs);
    m.conflicts = conflicts;
    if ok {
        Relaxed::Optimal(pairs)
    } else {
        Relaxed::Start(pairs)
    }
}

/// Moves pairs off conflicts by exchanges that keep the objective (see the module
/// documentation). Returns false if some conflicted pair found no partner.
fn exchange(m: &Model, conflicts: &FastSet<(usize, usize)>, pairs: &mut [(usize, usize)]) -> bool {
    let bad: Vec<usize> = (0..pairs.len())
        .filter(|&p| conflicts.contains(&pairs[p]))
        .collect();
    if bad.is_empty() {
        return true;
    }
    let mut panel: Vec<Vec<usize>> = vec![Vec::new(); m.inst.applications.len()];
    let mut groups: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (p, &(j, a)) in pairs.iter().enumerate() {
        panel[a].push(j);
        groups
            .entry((m.app_track[a], m.judge_region[j]))
            .or_default()
            .push(p);
    }
    // One cursor per group, so partners are spread over the group instead of all taken from
    // its start (deterministic: same input, same pairs).
    let mut cursor: HashMap<(usize, usize), usize> = HashMap::new();
    let mut stuck = false;
    for p in bad {
        let (j, a) = pairs[p];
        if !conflicts.contains(&(j, a)) {
            continue; // fixed already as the partner of an earlier exchange
        }
        let key = (m.app_track[a], m.judge_region[j]);
        let group = &groups[&key];
        let start = cursor.get(&key).copied().unwrap_or(0);
        let found = (0..group.len()).find(|&i| {
            let (j2, a2) = pairs[group[(start + i) % group.len()]];
            j2 != j
                && !panel[a].contains(&j2)
                && !panel[a2].contains(&j)
                && !conflicts.contains(&(j2, a))
                && !conflicts.contains(&(j, a2))
        });
        let Some(i) = found else {
            stuck = true;
            continue;
        };
        let q = group[(start + i) % group.len()];
        cursor.insert(key, (start + i + 1) % group.len());
        let (j2, a2) = pairs[q];
        for (app, from, to) in [(a, j, j2), (a2, j2, j)] {
            if let Some(slot) = panel[app].iter_mut().find(|x| **x == from) {
                *slot = to;
            }
        }
        pairs[p] = (j2, a);
        pairs[q] = (j, a2);
    }
    !stuck
}
