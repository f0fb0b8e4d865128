//! Builds the flow network of DESIGN §6 and reads the assignment back.
//!
//! s → application (cap k, −W_seat per unit)
//!   → application×region (a coverage arc: cap 1, −W_cover, for a required region; the
//!     other k−1 units free)
//!   → judge of that region (cap 1: never twice on one application; −W_aff·expertise)
//!   → t through unit arcs costing W_load·(2u−1) for the judge's u-th review (Σ = load²).
//!
//! Each weight exceeds the largest total any lower level can reach, so the cheapest flow is
//! the lexicographic optimum. `repair` fixes locked pairs first and adds a lowest level that
//! rewards keeping earlier pairs, so among optimal answers it changes the fewest.

use std::collections::{BTreeMap, BTreeSet};

use super::flow::{Cost, Graph};
use super::{Explanation, Instance, Solution, Unfilled, evaluate};

struct Weights {
    seat: Cost,
    cover: Cost,
    affinity: Cost,
    load: Cost,
    keep: Cost,
}

fn weights(inst: &Instance, keep_pairs: usize) -> Weights {
    let apps = inst.applications.len() as Cost;
    let k = inst.reviews_per_application as Cost;
    let seats = k * apps;
    let keep_max = keep_pairs as Cost;
    let load_max: Cost = inst
        .judges
        .iter()
        .map(|j| {
            let c = (j.capacity as Cost).min(apps);
            c * c
        })
        .sum();
    let aff_max = 3 * seats;
    let cover_max = inst.required_regions.len() as Cost * apps;
    let keep = 1;
    let load = keep * keep_max + 1;
    let affinity = load * load_max + keep * keep_max + 1;
    let cover = affinity * aff_max + load * load_max + keep * keep_max + 1;
    let seat = cover * cover_max + affinity * aff_max + load * load_max + keep * keep_max + 1;
    Weights {
        seat,
        cover,
        affinity,
        load,
        keep,
    }
}

/// Pairs that must stay, and earlier pairs that should stay when nothing better exists.
struct Fixed<'a> {
    locked: &'a BTreeSet<(String, String)>,
    previous: &'a BTreeSet<(String, String)>,
}

fn run(inst: &Instance, fixed: Fixed<'_>) -> Vec<(String, String)> {
    let k = inst.reviews_per_application;
    let w = weights(inst, fixed.previous.len());
    let conflicts: BTreeSet<(&str, &str)> = inst
        .conflicts
        .iter()
        .map(|(j, a)| (j.as_str(), a.as_str()))
        .collect();
    let judge_index: BTreeMap<&str, usize> = inst
        .judges
        .iter()
        .enumerate()
        .map(|(i, j)| (j.id.as_str(), i))
        .collect();
    let app_index: BTreeMap<&str, usize> = inst
        .applications
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();

    // What the locked pairs already use.
    let mut locked_load = vec![0i64; inst.judges.len()];
    let mut locked_panel = vec![0i64; inst.applications.len()];
    let mut locked_regions: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); inst.applications.len()];
    for (j, a) in fixed.locked {
        if let (Some(&ji), Some(&ai)) = (judge_index.get(j.as_str()), app_index.get(a.as_str())) {
            locked_load[ji] += 1;
            locked_panel[ai] += 1;
            locked_regions[ai].insert(inst.judges[ji].region.as_str());
        }
    }

    let mut regions: Vec<&str> = inst.judges.iter().map(|j| j.region.as_str()).collect();
    regions.sort_unstable();
    regions.dedup();
    let judges_by_region: BTreeMap<&str, Vec<usize>> = regions
        .iter()
        .map(|r| {
            (
                *r,
                (0..inst.judges.len())
                    .filter(|&j| inst.judges[j].region == *r)
                    .collect(),
            )
        })
        .collect();

    // Node numbering follows the layers, which is a topological order of the network.
    let n_apps = inst.applications.len();
    let app_node = |a: usize| 1 + a;
    let mut region_nodes: Vec<(usize, &str)> = Vec::new();
    for a in 0..n_apps {
        for r in &regions {
            region_nodes.push((a, r));
        }
    }
    let region_base = 1 + n_apps;
    let judge_base = region_base + region_nodes.len();
    let t = judge_base + inst.judges.len();
    let mut g = Graph::new(t + 1);
    let mut judge_edges = Vec::new();

    for (a, app) in inst.applications.iter().enumerate() {
        let open = (k - locked_panel[a]).max(0);
        if open == 0 {
            continue;
        }
        g.add(0, app_node(a), open as i32, -w.seat);
        for (ri, r) in regions.iter().enumerate() {
            let rn = region_base + a * regions.len() + ri;
            if inst.required_regions.iter().any(|x| x == r) && !locked_regions[a].contains(r) {
                g.add(app_node(a), rn, 1, -w.cover);
                if open > 1 {
                    g.add(app_node(a), rn, (open - 1) as i32, 0);
                }
            } else {
                g.add(app_node(a), rn, open as i32, 0);
            }
            for &j in &judges_by_region[r] {
                let judge = &inst.judges[j];
                let pair = (judge.id.clone(), app.id.clone());
                if judge.capacity - locked_load[j] <= 0
                    || conflicts.contains(&(judge.id.as_str(), app.id.as_str()))
                    || fixed.locked.contains(&pair)
                {
                    continue;
                }
                let aff = judge.expertise.get(&app.track).copied().unwrap_or(0) as Cost;
                let keep = if fixed.previous.contains(&pair) {
                    w.keep
                } else {
                    0
                };
                let e = g.add(rn, judge_base + j, 1, -w.affinity * aff - keep);
                judge_edges.push((e, j, a));
            }
        }
    }
    for (j, judge) in inst.judges.iter().enumerate() {
        let from = locked_load[j] + 1;
        let to = judge.capacity.min(locked_load[j] + n_apps as i64);
        for u in from..=to {
            g.add(judge_base + j, t, 1, w.load * (2 * u as Cost - 1));
        }
    }
    g.run(0, t);
    let mut pairs: Vec<(String, String)> = fixed.locked.iter().cloned().collect();
    for (e, j, a) in judge_edges {
        if g.flow(e) > 0 {
            pairs.push((inst.judges[j].id.clone(), inst.applications[a].id.clone()));
        }
    }
    pairs.sort();
    pairs
}

fn explain(inst: &Instance, pairs: &[(String, String)]) -> Vec<Explanation> {
    let judges: BTreeMap<&str, _> = inst.judges.iter().map(|j| (j.id.as_str(), j)).collect();
    let apps: BTreeMap<&str, _> = inst
        .applications
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    pairs
        .iter()
        .map(|(j, a)| {
            let (judge, app) = (judges[j.as_str()], apps[a.as_str()]);
            let aff = judge.expertise.get(&app.track).copied().unwrap_or(0);
            let skill = match aff {
                3 | 2 => format!("expert in {} ({aff}), ", app.track),
                1 => format!("knows {} ({aff}), ", app.track),
                _ => String::new(),
            };
            Explanation {
                judge: j.clone(),
                application: a.clone(),
                region: judge.region.clone(),
                affinity: aff,
                text: format!("{skill}{} seat", judge.region),
            }
        })
        .collect()
}

fn diagnose(
    inst: &Instance,
    pairs: &[(String, String)],
) -> (Vec<Unfilled>, Vec<(String, String)>, i64) {
    let k = inst.reviews_per_application;
    let conflicts: BTreeSet<(&str, &str)> = inst
        .conflicts
        .iter()
        .map(|(j, a)| (j.as_str(), a.as_str()))
        .collect();
    let mut panel: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut load: BTreeMap<&str, i64> = BTreeMap::new();
    for (j, a) in pairs {
        panel.entry(a.as_str()).or_default().push(j.as_str());
        *load.entry(j.as_str()).or_default() += 1;
    }
    let mut unfilled = Vec::new();
    let mut uncovered = Vec::new();
    for app in &inst.applications {
        let mine = panel.get(app.id.as_str()).cloned().unwrap_or_default();
        let eligible: Vec<&super::Judge> = inst
            .judges
            .iter()
            .filter(|j| j.capacity > 0 && !conflicts.contains(&(j.id.as_str(), app.id.as_str())))
            .collect();
        let missing = k - mine.len() as i64;
        if missing > 0 {
            let free = eligible
                .iter()
                .filter(|j| {
                    !mine.contains(&j.id.as_str())
                        && load.get(j.id.as_str()).copied().unwrap_or(0) < j.capacity
                })
                .count();
            let conflicted = inst.judges.len()
                - inst
                    .judges
                    .iter()
                    .filter(|j| !conflicts.contains(&(j.id.as_str(), app.id.as_str())))
                    .count();
            let reason = if (eligible.len() as i64) < k {
                format!(
                    "only {} judges can review it ({} have a conflict of interest, the rest no capacity)",
                    eligible.len(),
                    conflicted
                )
            } else if free == 0 {
                format!(
                    "capacity exhausted: all {} eligible judges are full",
                    eligible.len()
                )
            } else {
                "no free judge could be moved here without leaving another application short"
                    .to_string()
            };
            unfilled.push(Unfilled {
                application: app.id.clone(),
                missing,
                reason,
            });
        }
        for r in &inst.required_regions {
            let has = mine
                .iter()
                .any(|j| inst.judges.iter().any(|x| x.id == *j && &x.region == r));
            if !has {
                uncovered.push((app.id.clone(), r.clone()));
            }
        }
    }
    let capacity: i64 = inst
        .judges
        .iter()
        .map(|j| j.capacity.min(inst.applications.len() as i64))
        .sum();
    let shortfall = (k * inst.applications.len() as i64 - capacity).max(0);
    (unfilled, uncovered, shortfall)
}

fn finish(inst: &Instance, pairs: Vec<(String, String)>) -> Solution {
    let (unfilled, uncovered, capacity_shortfall) = diagnose(inst, &pairs);
    Solution {
        objective: evaluate(inst, &pairs),
        explanations: explain(inst, &pairs),
        assignments: pairs,
        unfilled,
        capacity_shortfall,
        uncovered,
    }
}

/// The lexicographically best assignment of the instance.
pub fn solve(inst: &Instance) -> Solution {
    let none = BTreeSet::new();
    let pairs = run(
        inst,
        Fixed {
            locked: &none,
            previous: &none,
        },
    );
    finish(inst, pairs)
}

#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub struct Repair {
    pub solution: Solution,
    pub added: Vec<(String, String)>,
    pub removed: Vec<(String, String)>,
}

/// Re-solves after the instance changed (a judge removed, a conflict added) keeping every
/// `locked` pair (reviews already started) and, among the best answers, as many `previous`
/// pairs as possible: the reported changes are the fewest an optimal answer needs.
pub fn repair(
    inst: &Instance,
    previous: &[(String, String)],
    locked: &[(String, String)],
) -> Repair {
    let valid = |p: &(String, String)| {
        inst.judges.iter().any(|j| j.id == p.0)
            && inst.applications.iter().any(|a| a.id == p.1)
            && !inst.conflicts.contains(p)
    };
    let locked: BTreeSet<(String, String)> = locked.iter().filter(|p| valid(p)).cloned().collect();
    let prev: BTreeSet<(String, String)> = previous
        .iter()
        .filter(|p| valid(p) && !locked.contains(*p))
        .cloned()
        .collect();
    let pairs = run(
        inst,
        Fixed {
            locked: &locked,
            previous: &prev,
        },
    );
    let now: BTreeSet<&(String, String)> = pairs.iter().collect();
    let before: BTreeSet<&(String, String)> = previous.iter().collect();
    Repair {
        added: now.difference(&before).map(|p| (*p).clone()).collect(),
        removed: before.difference(&now).map(|p| (*p).clone()).collect(),
        solution: finish(inst, pairs),
    }
}
