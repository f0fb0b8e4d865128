//! What a person needs next to the pairs: for every application left short, why; which
//! required regions a panel lacks; how far capacity falls short; and one line per pair.
//!
//! The reasons can be this blunt because the assignment is optimal: if a short application had
//! an eligible judge with room who is not on it yet, adding that pair would fill one more seat.
//! So a short application has fewer eligible judges than seats, or all of them are full.

use super::indexed::Model;
use super::model::{Explanation, Instance, Objective, Solution, Unfilled};

pub(crate) fn finish(inst: &Instance, m: &Model, mut pairs: Vec<(usize, usize)>) -> Solution {
    // In id order: rank the ids once, then sort the pairs by ranks (ids are unique).
    let rank = |ids: Vec<&str>| {
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_unstable_by_key(|&i| ids[i]);
        let mut rank = vec![0; ids.len()];
        order.iter().enumerate().for_each(|(r, &i)| rank[i] = r);
        rank
    };
    let judge_rank = rank(inst.judges.iter().map(|j| j.id.as_str()).collect());
    let app_rank = rank(inst.applications.iter().map(|a| a.id.as_str()).collect());
    pairs.sort_unstable_by_key(|&(j, a)| (judge_rank[j], app_rank[a]));
    pairs.dedup();
    let (nj, na) = (inst.judges.len(), inst.applications.len());
    let k = inst.reviews_per_application;
    let mut load = vec![0i64; nj];
    let mut panel: Vec<Vec<usize>> = vec![Vec::new(); na];
    for &(j, a) in &pairs {
        load[j] += 1;
        panel[a].push(j);
    }
    let mut unfilled = Vec::new();
    let mut uncovered = Vec::new();
    let mut objective = Objective {
        reviews: pairs.len() as i64,
        load_squares: load.iter().map(|l| l * l).sum(),
        ..Objective::default()
    };
    for &(j, a) in &pairs {
        objective.affinity += m.aff[j][m.app_track[a]];
    }
    for (a, app) in inst.applications.iter().enumerate() {
        let mine = &panel[a];
        let mut notes = Vec::new();
        for r in &inst.required_regions {
            if mine.iter().any(|&j| inst.judges[j].region == *r) {
                objective.regions_covered += 1;
                continue;
            }
            uncovered.push((app.id.clone(), r.clone()));
            notes.push(region_note(inst, m, a, r, &load));
        }
        let missing = k - mine.len() as i64;
        if missing <= 0 {
            continue;
        }
        let conflicted = (0..nj).filter(|&j| m.conflicts.contains(&(j, a))).count();
        let no_room = (0..nj)
            .filter(|&j| inst.judges[j].capacity <= 0 && !m.conflicts.contains(&(j, a)))
            .count();
        let eligible = nj - conflicted - no_room;
        let mut reason = if (eligible as i64) < k {
            format!(
                "only {eligible} judges can review it ({conflicted} have a conflict of interest, {no_room} have no capacity)"
            )
        } else {
            let free = (0..nj)
                .filter(|&j| {
                    !m.conflicts.contains(&(j, a))
                        && !mine.contains(&j)
                        && load[j] < inst.judges[j].capacity
                })
                .count();
            if free == 0 {
                format!("capacity exhausted: all {eligible} eligible judges are full")
            } else {
                format!("{free} eligible judges still have room but are kept by locked pairs")
            }
        };
        for n in notes {
            reason.push_str("; ");
            reason.push_str(&n);
        }
        unfilled.push(Unfilled {
            application: app.id.clone(),
            missing,
            reason,
        });
    }
    let capacity: i64 = inst
        .judges
        .iter()
        .map(|j| j.capacity.clamp(0, na as i64))
        .sum();
    let seats = k.saturating_mul(na as i64);
    let explanations = explain(inst, m, &pairs);
    Solution {
        assignments: pairs
            .iter()
            .map(|&(j, a)| (inst.judges[j].id.clone(), inst.applications[a].id.clone()))
            .collect(),
        missing_seats: (seats - objective.reviews).max(0),
        objective,
        unfilled,
        capacity_shortfall: (seats - capacity).max(0),
        uncovered,
        explanations,
    }
}

fn region_note(inst: &Instance, m: &Model, a: usize, region: &str, load: &[i64]) -> String {
    let of_region: Vec<usize> = (0..inst.judges.len())
        .filter(|&j| inst.judges[j].region == region)
        .collect();
    if of_region.is_empty() {
        return format!("no judge from {region} at all");
    }
    let conflicted = of_region
        .iter()
        .filter(|&&j| m.conflicts.contains(&(j, a)))
        .count();
    let full = of_region
        .iter()
        .filter(|&&j| !m.conflicts.contains(&(j, a)) && load[j] >= inst.judges[j].capacity)
        .count();
    format!(
        "no {region} judge left ({} {region} judges: {conflicted} conflicted, {full} full)",
        of_region.len()
    )
}

fn explain(inst: &Instance, m: &Model, pairs: &[(usize, usize)]) -> Vec<Explanation> {
    pairs
        .iter()
        .map(|&(j, a)| {
            let (judge, app) = (&inst.judges[j], &inst.applications[a]);
            let aff = m.aff[j][m.app_track[a]];
            let skill = match aff {
                2 | 3 => format!("expert in {} ({aff}), ", app.track),
                1 => format!("knows {} ({aff}), ", app.track),
                _ => format!("no {} expertise, ", app.track),
            };
            Explanation {
                judge: judge.id.clone(),
                application: app.id.clone(),
                region: judge.region.clone(),
                affinity: aff,
                text: format!("{skill}{} seat", judge.region),
            }
        })
        .collect()
}
