//! An independent formulation for checking the solver on instances too large for exhaustive
//! search: the textbook network straight from DESIGN §6, with no class compression, no sparse
//! candidate lists and no warm starts, solved by plain successive shortest paths with
//! Bellman–Ford, one unit per augmentation. It shares nothing with `flow` or `network` but the
//! instance type, so a bug in either shows up as a different objective.
//!
//! Network: source → application (k units, each worth −W1, a filled seat) → application's
//! "region r" node (1 unit, −W2, region r covered) or its "any" node → pair node (a, j)
//! (1 unit: no judge twice) → judge (−W3 × expertise) → sink, the judge's v-th unit costing
//! 2v − 1 (Σ = load²). The weights dominate each lower level's largest possible total, so the
//! cheapest flow of any size is the lexicographic optimum.

use std::collections::HashSet;

use super::model::{Instance, Objective};

struct Net {
    head: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<i64>,
    cost: Vec<i128>,
}

impl Net {
    fn new(n: usize) -> Net {
        Net {
            head: vec![Vec::new(); n],
            to: Vec::new(),
            cap: Vec::new(),
            cost: Vec::new(),
        }
    }

    fn arc(&mut self, a: usize, b: usize, cap: i64, cost: i128) -> usize {
        for (from, to, cap, cost) in [(a, b, cap, cost), (b, a, 0, -cost)] {
            self.head[from].push(self.to.len());
            self.to.push(to);
            self.cap.push(cap);
            self.cost.push(cost);
        }
        self.to.len() - 2
    }

    /// Sends one unit at a time along a cheapest path while that path has negative cost.
    fn min_cost_any_flow(&mut self, s: usize, t: usize) {
        let n = self.head.len();
        loop {
            let mut dist = vec![i128::MAX; n];
            let mut via = vec![usize::MAX; n];
            dist[s] = 0;
            // Bellman–Ford: residual graphs of a min-cost flow have no negative cycle.
            for _ in 0..n {
                let mut changed = false;
                for u in 0..n {
                    if dist[u] == i128::MAX {
                        continue;
                    }
                    for &e in &self.head[u] {
                        let v = self.to[e];
                        if self.cap[e] > 0 && dist[u] + self.cost[e] < dist[v] {
                            dist[v] = dist[u] + self.cost[e];
                            via[v] = e;
                            changed = true;
                        }
                    }
                }
                if !changed {
                    break;
                }
            }
            if dist[t] >= 0 {
                return;
            }
            let mut v = t;
            while v != s {
                let e = via[v];
                self.cap[e] -= 1;
                self.cap[e ^ 1] += 1;
                v = self.to[e ^ 1];
            }
        }
    }
}

/// The optimal objective of `inst`, computed without the production solver.
pub fn optimum(inst: &Instance) -> Objective {
    let (na, nj) = (inst.applications.len(), inst.judges.len());
    let regions = &inst.required_regions;
    let nr = regions.len();
    let k = inst.reviews_per_application;
    let conflicts: HashSet<(&str, &str)> = inst
        .conflicts
        .iter()
        .map(|(j, a)| (j.as_str(), a.as_str()))
        .collect();

    let seats = (na as i128) * (k as i128);
    let w3 = inst
        .judges
        .iter()
        .map(|j| (j.capacity as i128).pow(2))
        .sum::<i128>()
        + 1;
    let w2 = w3 * (3 * seats + 1);
    let w1 = w2 * ((na * nr) as i128 + 1);

    // Node numbering: s, t, applications, their region and "any" nodes, judges, pairs.
    let (s, t) = (0, 1);
    let app = |a: usize| 2 + a;
    let region_node = |a: usize, r: usize| 2 + na + a * (nr + 1) + r;
    let any_node = |a: usize| 2 + na + a * (nr + 1) + nr;
    let judge = |j: usize| 2 + na + na * (nr + 1) + j;
    let pair = |a: usize, j: usize| 2 + na + na * (nr + 1) + nj + a * nj + j;
    let mut net = Net::new(2 + na + na * (nr + 1) + nj + na * nj);

    for a in 0..na {
        net.arc(s, app(a), k, -w1);
        for r in 0..nr {
            net.arc(app(a), region_node(a, r), 1, -w2);
        }
        net.arc(app(a), any_node(a), k, 0);
    }
    let mut pair_arcs = Vec::new();
    for (a, application) in inst.applications.iter().enumerate() {
        for (j, jd) in inst.judges.iter().enumerate() {
            if conflicts.contains(&(jd.id.as_str(), application.id.as_str())) {
                continue;
            }
            for (r, region) in regions.iter().enumerate() {
                if *region == jd.region {
                    net.arc(region_node(a, r), pair(a, j), 1, 0);
                }
            }
            net.arc(any_node(a), pair(a, j), 1, 0);
            let affinity = jd.expertise.get(&application.track).copied().unwrap_or(0);
            pair_arcs.push((
                a,
                j,
                net.arc(pair(a, j), judge(j), 1, -w3 * affinity as i128),
            ));
        }
    }
    for (j, jd) in inst.judges.iter().enumerate() {
        for v in 1..=jd.capacity {
            net.arc(judge(j), t, 1, (2 * v - 1) as i128);
        }
    }
    net.min_cost_any_flow(s, t);

    // Read the objective off the assignment itself, not off the cost.
    let mut loads = vec![0i64; nj];
    let mut panel: Vec<HashSet<&str>> = vec![HashSet::new(); na];
    let mut objective = Objective {
        reviews: 0,
        regions_covered: 0,
        affinity: 0,
        load_squares: 0,
    };
    for (a, j, e) in pair_arcs {
        if net.cap[e] == 0 {
            let jd = &inst.judges[j];
            loads[j] += 1;
            objective.reviews += 1;
            objective.affinity += jd
                .expertise
                .get(&inst.applications[a].track)
                .copied()
                .unwrap_or(0);
            panel[a].insert(jd.region.as_str());
        }
    }
    objective.load_squares = loads.iter().map(|l| l * l).sum();
    objective.regions_covered = panel
        .iter()
        .map(|p| regions.iter().filter(|r| p.contains(r.as_str())).count() as i64)
        .sum();
    objective
}
