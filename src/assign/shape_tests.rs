//! Instances shaped like a real call (issue 19): every application has its own conflicted
//! judges and every judge its own expertise profile, so nothing collapses into classes.

use std::collections::{BTreeMap, BTreeSet};

use super::generate::{Shape, parse_range, shaped};
use super::solve::{Method, solve_network, solve_traced};
use super::*;

fn hard(conflicts_per_app: usize) -> Shape {
    Shape {
        conflicts_per_app,
        ..Shape::default()
    }
}

#[test]
fn the_generator_draws_the_shape_it_is_given() {
    let shape = Shape {
        conflicts_per_app: 6,
        tracks_per_judge: (1, 3),
        capacity_spread: (-2, 6),
    };
    let inst = shaped(3000, 300, 4, &shape);
    inst.validate().unwrap();
    let mut per_app: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (j, a) in &inst.conflicts {
        assert!(per_app.entry(a).or_default().insert(j), "({j}, {a}) twice");
    }
    assert_eq!(per_app.len(), 3000);
    assert!(per_app.values().all(|js| js.len() == 6));
    for j in &inst.judges {
        assert!((1..=3).contains(&j.expertise.len()), "{j:?}");
        assert!(j.expertise.values().all(|l| (1..=3).contains(l)), "{j:?}");
        assert!((30 - 2..=30 + 6).contains(&j.capacity), "{j:?}");
    }
    assert_eq!(parse_range("-2..+6"), Ok((-2, 6)));
    assert_eq!(parse_range("1..3"), Ok((1, 3)));
    assert!(parse_range("3..1").is_err() && parse_range("2,6").is_err());
}

#[test]
fn hard_shape_agrees_with_the_reference() {
    let mut methods = BTreeSet::new();
    for seed in 0..16 {
        let (mut apps, mut judges, conflicts) = match seed % 4 {
            0 => (36, 12, 1),
            1 => (45, 9, 2),
            2 => (30, 15, 1),
            _ => (24, 18, 3),
        };
        let mut shape = hard(conflicts);
        if seed >= 8 {
            // Equal capacities and broad judges spread every track's seats over many judges:
            // there exchanges find partners even at a size the reference can do.
            (apps, judges) = if seed % 2 == 0 { (40, 40) } else { (60, 30) };
            shape.conflicts_per_app = 1;
            shape.capacity_spread = (0, 0);
            shape.tracks_per_judge = (2 + seed as usize % 2, 3);
        }
        let inst = shaped(apps, judges, seed, &shape);
        let (sol, method) = solve_traced(&inst);
        methods.insert(format!("{method:?}"));
        check(&inst, &sol.assignments).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(
            sol.objective,
            evaluate(&inst, &sol.assignments),
            "seed {seed}"
        );
        assert_eq!(sol.objective, reference::optimum(&inst), "seed {seed}");
    }
    assert!(methods.contains("Relaxation"), "{methods:?}");
    assert!(methods.contains("RelaxationRepaired"), "{methods:?}");
}

#[test]
fn a_relaxation_that_exchanges_cannot_make_conflict_free_is_finished_by_a_repair() {
    let judge = |id: &str, region: &str| Judge {
        id: id.into(),
        region: region.into(),
        capacity: 2,
        expertise: BTreeMap::from([("ai".to_string(), 3)]),
    };
    let app = |id: &str| Application {
        id: id.into(),
        track: "ai".into(),
    };
    // Without its conflict a2 would get the only KR judge too; no exchange can give it one.
    let inst = Instance {
        reviews_per_application: 2,
        required_regions: vec!["KR".into(), "CN".into()],
        judges: vec![judge("kr", "KR"), judge("cn1", "CN"), judge("cn2", "CN")],
        applications: vec![app("a1"), app("a2")],
        conflicts: vec![("kr".into(), "a2".into())],
    };
    let (sol, method) = solve_traced(&inst);
    assert_eq!(method, Method::RelaxationRepaired);
    check(&inst, &sol.assignments).unwrap();
    assert_eq!(sol.objective, reference::optimum(&inst));
    assert_eq!(sol.uncovered, vec![("a2".to_string(), "KR".to_string())]);
}

#[test]
fn the_relaxation_matches_the_full_network_at_size() {
    for (apps, judges, conflicts, seed) in [(600, 60, 2, 1), (900, 90, 3, 2), (3000, 300, 6, 3)] {
        let inst = shaped(apps, judges, seed, &hard(conflicts));
        let (sol, method) = solve_traced(&inst);
        if apps == 3000 {
            assert_eq!(
                method,
                Method::Relaxation,
                "at size exchanges find partners"
            );
        }
        check(&inst, &sol.assignments).unwrap();
        if apps <= 900 {
            assert_eq!(
                sol.objective,
                solve_network(&inst).objective,
                "{apps} x {judges}"
            );
        }
        assert_eq!(sol.missing_seats, 0);
        assert!(sol.uncovered.is_empty());
    }
}

#[test]
#[ignore = "slow: the full network takes tens of seconds; run with --ignored --release"]
fn the_relaxation_matches_the_full_network_on_the_issue_sizes() {
    for (apps, judges, conflicts) in [(3000, 300, 6), (10_000, 1_000, 20)] {
        let inst = shaped(apps, judges, 1, &hard(conflicts));
        let (sol, method) = solve_traced(&inst);
        assert_eq!(method, Method::Relaxation, "{apps} x {judges}");
        check(&inst, &sol.assignments).unwrap();
        assert_eq!(
            sol.objective,
            solve_network(&inst).objective,
            "{apps} x {judges}"
        );
    }
}
