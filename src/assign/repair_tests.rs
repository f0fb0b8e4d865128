//! Repair is exact: after a judge leaves (or another change), its answer has the objective of a
//! fresh solve (and of the independent textbook reference where that is small enough), and
//! the fewest changes an optimum allows, the same count as the warm-started network finds.

use std::collections::{BTreeMap, BTreeSet};

use super::generate::{Shape, shaped};
use super::repair::{Path, repair_traced};
use super::*;

fn hard(conflicts_per_app: usize) -> Shape {
    Shape {
        conflicts_per_app,
        ..Shape::default()
    }
}

/// Small hard-shape instances the reference can do: the first half as issue 19 draws them
/// (conflicts often make the relaxation's optimum unreachable, so repair takes the warm
/// network), the second half with equal capacities and broad judges (repair on the face).
fn small(seed: u64) -> Instance {
    let (mut apps, mut judges, conflicts) = match seed % 3 {
        0 => (36, 12, 1),
        1 => (45, 9, 2),
        _ => (30, 15, 1),
    };
    let mut shape = hard(conflicts);
    if seed >= 8 {
        (apps, judges) = if seed.is_multiple_of(2) {
            (40, 40)
        } else {
            (60, 30)
        };
        shape.conflicts_per_app = 1 + seed as usize % 2;
        shape.capacity_spread = (0, 0);
        shape.tracks_per_judge = (2 + seed as usize % 2, 3);
    }
    shaped(apps, judges, seed, &shape)
}

fn without(inst: &Instance, judge: usize) -> Instance {
    let mut smaller = inst.clone();
    let gone = smaller.judges.remove(judge).id;
    smaller.conflicts.retain(|(j, _)| *j != gone);
    smaller
}

fn changes(before: &[(String, String)], after: &[(String, String)]) -> usize {
    let (b, a): (BTreeSet<_>, BTreeSet<_>) = (before.iter().collect(), after.iter().collect());
    b.symmetric_difference(&a).count()
}

/// Repairs `inst` from `previous` both ways and checks the fast answer against a fresh solve
/// and against the warm-started network (level 5: the number of changes). Returns the path.
fn agrees(inst: &Instance, previous: &[(String, String)], locked: &[(String, String)]) -> Path {
    let (fast, path) = repair_traced(inst, previous, locked, true);
    let (slow, slow_path) = repair_traced(inst, previous, locked, false);
    assert_eq!(slow_path, Path::Warm);
    let sol = &fast.solution;
    check(inst, &sol.assignments).unwrap();
    assert_eq!(sol.objective, evaluate(inst, &sol.assignments));
    assert_eq!(sol.objective, slow.solution.objective);
    if locked.is_empty() {
        let fresh = solve(inst);
        assert_eq!(sol.objective, fresh.objective);
        // Shortfalls are reported as a fresh solve reports them.
        assert_eq!(sol.missing_seats, fresh.missing_seats);
        assert_eq!(sol.capacity_shortfall, fresh.capacity_shortfall);
        assert_eq!(sol.uncovered.len(), fresh.uncovered.len());
        let short = |s: &Solution| s.unfilled.iter().map(|u| u.missing).sum::<i64>();
        assert_eq!(short(sol), short(&fresh));
    }
    for p in locked
        .iter()
        .filter(|p| slow.solution.assignments.contains(p))
    {
        assert!(sol.assignments.contains(p), "locked {p:?} kept");
    }
    assert_eq!(
        changes(previous, &sol.assignments),
        changes(previous, &slow.solution.assignments),
        "fewest changes"
    );
    assert_eq!(
        fast.added.len() + fast.removed.len(),
        changes(previous, &sol.assignments)
    );
    path
}

#[test]
fn a_judge_leaving_a_hard_shape_instance_is_repaired_exactly() {
    let mut paths = BTreeMap::new();
    for seed in 0..16u64 {
        let inst = small(seed);
        let before = solve(&inst);
        // The judge with the most pairs leaves (every judge here has conflicts of their own).
        let mut load: BTreeMap<&str, usize> = BTreeMap::new();
        for (j, _) in &before.assignments {
            *load.entry(j.as_str()).or_default() += 1;
        }
        let busiest = (0..inst.judges.len())
            .max_by_key(|&j| load.get(inst.judges[j].id.as_str()).copied().unwrap_or(0))
            .unwrap();
        let smaller = without(&inst, busiest);
        *paths
            .entry(agrees(&smaller, &before.assignments, &[]))
            .or_insert(0) += 1;
        let (r, _) = repair_traced(&smaller, &before.assignments, &[], true);
        assert_eq!(
            r.solution.objective,
            reference::optimum(&smaller),
            "seed {seed}"
        );
    }
    assert!(paths.get(&Path::Face) >= Some(&6), "{paths:?}");
    assert!(paths.contains_key(&Path::Warm), "{paths:?}");
}

#[test]
fn other_changes_and_locked_pairs_are_repaired_exactly() {
    let mut paths = BTreeMap::new();
    for seed in 0..16u64 {
        let inst = small(seed);
        let before = solve(&inst);
        let locked: Vec<_> = before.assignments.iter().step_by(3).cloned().collect();
        // A judge leaves with a third of the pairs locked.
        let smaller = without(&inst, seed as usize % inst.judges.len());
        *paths
            .entry(agrees(&smaller, &before.assignments, &locked))
            .or_insert(0) += 1;
        // A conflict is declared on an assigned pair.
        let mut declared = inst.clone();
        let pair = &before.assignments[seed as usize * 5 % before.assignments.len()];
        declared.conflicts.push(pair.clone());
        *paths
            .entry(agrees(&declared, &before.assignments, &[]))
            .or_insert(0) += 1;
        // A judge's capacity drops and another judge joins.
        let mut changed = inst.clone();
        changed.judges[1].capacity /= 2;
        let mut newcomer = changed.judges[0].clone();
        newcomer.id = "new".into();
        changed.judges.push(newcomer);
        *paths
            .entry(agrees(&changed, &before.assignments, &[]))
            .or_insert(0) += 1;
    }
    assert!(paths.get(&Path::Face) >= Some(&12), "{paths:?}");
}

#[test]
fn when_the_only_kr_judge_leaves_the_panels_lose_kr_as_in_a_fresh_solve() {
    let judge = |id: &str, region: &str, capacity| Judge {
        id: id.into(),
        region: region.into(),
        capacity,
        expertise: BTreeMap::from([("ai".to_string(), 2)]),
    };
    let apps: Vec<Application> = (0..6)
        .map(|i| Application {
            id: format!("a{i}"),
            track: "ai".into(),
        })
        .collect();
    // kr2 is conflicted with a0..a2, so kr1 is their only KR judge; kr1 leaves.
    let mut inst = Instance {
        reviews_per_application: 2,
        required_regions: vec!["KR".into(), "CN".into()],
        judges: vec![
            judge("kr1", "KR", 3),
            judge("kr2", "KR", 3),
            judge("cn1", "CN", 4),
            judge("cn2", "CN", 4),
        ],
        applications: apps,
        conflicts: (0..3).map(|i| ("kr2".into(), format!("a{i}"))).collect(),
    };
    let before = solve(&inst);
    assert!(before.uncovered.is_empty());
    inst.judges.remove(0);
    let path = agrees(&inst, &before.assignments, &[]);
    assert_eq!(path, Path::Face);
    let (r, _) = repair_traced(&inst, &before.assignments, &[], true);
    let fresh = solve(&inst);
    assert_eq!(r.solution.uncovered, fresh.uncovered);
    assert_eq!(r.solution.uncovered.len(), 3, "{:?}", r.solution.uncovered);
    assert_eq!(r.solution.objective, reference::optimum(&inst));
    // With too little capacity left, seats go empty, reported as a fresh solve reports them.
    inst.judges.iter_mut().for_each(|j| j.capacity = 2);
    let r = agrees(&inst, &before.assignments, &[]);
    let (r2, _) = repair_traced(&inst, &before.assignments, &[], true);
    assert!(
        r2.solution.missing_seats > 0 && r2.solution.capacity_shortfall > 0,
        "{r:?}"
    );
    assert_eq!(r2.solution.objective, reference::optimum(&inst));
}

#[test]
fn repair_at_size_matches_a_fresh_solve_on_the_face() {
    for (apps, judges, conflicts) in [(600, 60, 2), (900, 90, 3)] {
        let inst = shaped(apps, judges, 1, &hard(conflicts));
        let before = solve(&inst);
        let smaller = without(&inst, 0);
        let path = agrees(&smaller, &before.assignments, &[]);
        assert_eq!(path, Path::Face, "{apps} x {judges}");
        // Reviews started on half the pairs: those are locked.
        let locked: Vec<_> = before.assignments.iter().step_by(2).cloned().collect();
        let path = agrees(&smaller, &before.assignments, &locked);
        assert_eq!(path, Path::Face, "{apps} x {judges}, half locked");
    }
}
