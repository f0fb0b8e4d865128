//! The solver against exhaustive search, a greedy baseline and its own hard rules.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng, rngs::StdRng};

use super::*;

fn random_small(seed: u64) -> Instance {
    let mut rng = StdRng::seed_from_u64(seed);
    let nj = rng.random_range(1..=4);
    let na = rng.random_range(1..=5);
    let regions = ["KR", "CN", "OTHER"];
    let tracks = ["ai", "bio"];
    let judges: Vec<Judge> = (0..nj)
        .map(|i| Judge {
            id: format!("j{i}"),
            region: regions[rng.random_range(0..3)].into(),
            capacity: rng.random_range(0..=3),
            expertise: BTreeMap::from([
                ("ai".into(), rng.random_range(0..=3)),
                ("bio".into(), rng.random_range(0..=3)),
            ]),
        })
        .collect();
    let applications: Vec<Application> = (0..na)
        .map(|i| Application {
            id: format!("a{i}"),
            track: tracks[rng.random_range(0..2)].into(),
        })
        .collect();
    let mut conflicts = Vec::new();
    for j in &judges {
        for a in &applications {
            if rng.random_bool(0.15) {
                conflicts.push((j.id.clone(), a.id.clone()));
            }
        }
    }
    Instance {
        reviews_per_application: rng.random_range(1..=3),
        required_regions: vec!["KR".into(), "CN".into()],
        judges,
        applications,
        conflicts,
    }
}

/// Every assignment there is: each application picks a set of at most k judges.
fn brute_force(inst: &Instance) -> Objective {
    let nj = inst.judges.len();
    let k = inst.reviews_per_application as u32;
    let options: Vec<Vec<u32>> = inst
        .applications
        .iter()
        .map(|a| {
            (0u32..(1 << nj))
                .filter(|m| m.count_ones() <= k)
                .filter(|m| {
                    (0..nj).all(|j| {
                        m & (1 << j) == 0
                            || !inst
                                .conflicts
                                .contains(&(inst.judges[j].id.clone(), a.id.clone()))
                    })
                })
                .collect()
        })
        .collect();
    let mut best: Option<Objective> = None;
    let mut choice = vec![0usize; options.len()];
    loop {
        let mut pairs = Vec::new();
        for (a, &c) in choice.iter().enumerate() {
            let m = options[a][c];
            for j in 0..nj {
                if m & (1 << j) != 0 {
                    pairs.push((inst.judges[j].id.clone(), inst.applications[a].id.clone()));
                }
            }
        }
        if check(inst, &pairs).is_ok() {
            let o = evaluate(inst, &pairs);
            if best.as_ref().is_none_or(|b| o.key() > b.key()) {
                best = Some(o);
            }
        }
        let mut i = 0;
        loop {
            if i == choice.len() {
                return best.unwrap_or_default();
            }
            choice[i] += 1;
            if choice[i] < options[i].len() {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
    }
}

/// The obvious approach: fill each application with the most expert free judges.
fn greedy(inst: &Instance) -> Vec<(String, String)> {
    let mut load: BTreeMap<&str, i64> = BTreeMap::new();
    let mut pairs = Vec::new();
    for a in &inst.applications {
        let mut cands: Vec<&Judge> = inst
            .judges
            .iter()
            .filter(|j| !inst.conflicts.contains(&(j.id.clone(), a.id.clone())))
            .collect();
        cands.sort_by_key(|j| {
            (
                -j.expertise.get(&a.track).copied().unwrap_or(0),
                load.get(j.id.as_str()).copied().unwrap_or(0),
            )
        });
        let mut n = 0;
        for j in cands {
            if n == inst.reviews_per_application {
                break;
            }
            let l = load.entry(j.id.as_str()).or_default();
            if *l < j.capacity {
                *l += 1;
                n += 1;
                pairs.push((j.id.clone(), a.id.clone()));
            }
        }
    }
    pairs
}

#[test]
fn optimal_on_every_small_instance() {
    for seed in 0..300 {
        let inst = random_small(seed);
        let sol = solve(&inst);
        check(&inst, &sol.assignments).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(
            sol.objective,
            evaluate(&inst, &sol.assignments),
            "seed {seed}"
        );
        assert_eq!(sol.objective, brute_force(&inst), "seed {seed}: {inst:?}");
    }
}

#[test]
fn never_worse_than_greedy_and_deterministic() {
    for seed in 0..40 {
        let inst = generate::instance(60, 12, seed);
        let sol = solve(&inst);
        check(&inst, &sol.assignments).unwrap();
        let g = evaluate(&inst, &greedy(&inst));
        assert!(
            sol.objective.key() >= g.key(),
            "seed {seed}: {:?} < greedy {:?}",
            sol.objective,
            g
        );
        assert_eq!(solve(&inst), sol, "same input, same output");
    }
}

#[test]
fn cross_border_panels_when_possible() {
    let j = |id: &str, region: &str, ai: i64| Judge {
        id: id.into(),
        region: region.into(),
        capacity: 1,
        expertise: BTreeMap::from([("ai".to_string(), ai)]),
    };
    // The two best experts are Korean, but coverage outranks affinity.
    let inst = Instance {
        reviews_per_application: 2,
        required_regions: vec!["KR".into(), "CN".into()],
        judges: vec![j("kr1", "KR", 3), j("kr2", "KR", 3), j("cn1", "CN", 0)],
        applications: vec![Application {
            id: "a".into(),
            track: "ai".into(),
        }],
        conflicts: vec![],
    };
    let sol = solve(&inst);
    assert!(
        sol.assignments.iter().any(|(j, _)| j == "cn1"),
        "{:?}",
        sol.assignments
    );
    assert_eq!(sol.objective.regions_covered, 2);
    assert_eq!(
        sol.explanations
            .iter()
            .find(|e| e.judge != "cn1")
            .unwrap()
            .text,
        "expert in ai (3), KR seat"
    );
}

#[test]
fn shortfalls_are_explained() {
    let inst = Instance {
        reviews_per_application: 3,
        required_regions: vec!["KR".into(), "CN".into()],
        judges: vec![
            Judge {
                id: "j1".into(),
                region: "KR".into(),
                capacity: 5,
                expertise: BTreeMap::new(),
            },
            Judge {
                id: "j2".into(),
                region: "KR".into(),
                capacity: 5,
                expertise: BTreeMap::new(),
            },
        ],
        applications: vec![
            Application {
                id: "a1".into(),
                track: "ai".into(),
            },
            Application {
                id: "a2".into(),
                track: "ai".into(),
            },
        ],
        conflicts: vec![("j1".into(), "a2".into())],
    };
    let sol = solve(&inst);
    assert_eq!(sol.objective.reviews, 3);
    assert_eq!(sol.unfilled.len(), 2);
    assert!(
        sol.unfilled[1].reason.contains("1 have a conflict"),
        "{:?}",
        sol.unfilled
    );
    assert!(sol.uncovered.contains(&("a1".into(), "CN".into())));
}

#[test]
fn repair_keeps_locked_pairs_and_changes_little() {
    let mut inst = generate::instance(120, 20, 7);
    let before = solve(&inst);
    let gone = inst.judges.remove(3).id;
    inst.conflicts.retain(|(j, _)| *j != gone);
    let locked: Vec<(String, String)> = before
        .assignments
        .iter()
        .filter(|(j, _)| *j != gone)
        .take(40)
        .cloned()
        .collect();
    let r = repair(&inst, &before.assignments, &locked);
    check(&inst, &r.solution.assignments).unwrap();
    for p in &locked {
        assert!(r.solution.assignments.contains(p), "locked {p:?} kept");
    }
    assert!(r.removed.iter().any(|(j, _)| *j == gone));
    // Same optimum (levels 1-4) as a repair that does not care about earlier pairs...
    let careless = repair(&inst, &[], &locked);
    assert_eq!(r.solution.objective, careless.solution.objective);
    // ...but never more changes against the earlier assignment.
    let changes = |pairs: &[(String, String)]| {
        let now: std::collections::BTreeSet<_> = pairs.iter().collect();
        let was: std::collections::BTreeSet<_> = before.assignments.iter().collect();
        now.symmetric_difference(&was).count()
    };
    assert_eq!(
        changes(&r.solution.assignments),
        r.added.len() + r.removed.len()
    );
    assert!(r.added.len() + r.removed.len() <= changes(&careless.solution.assignments));
}

#[test]
fn malformed_instances_name_the_problem() {
    let bad = [
        ("{", "not valid instance JSON"),
        (
            r#"{"reviews_per_application":0,"judges":[],"applications":[]}"#,
            "at least 1",
        ),
        (
            r#"{"reviews_per_application":1,"judges":[{"id":"j","region":"KR","capacity":-1}],"applications":[]}"#,
            "negative capacity",
        ),
        (
            r#"{"reviews_per_application":1,"judges":[{"id":"j","region":"KR","capacity":1},{"id":"j","region":"CN","capacity":1}],"applications":[]}"#,
            "duplicate judge",
        ),
        (
            r#"{"reviews_per_application":1,"judges":[],"applications":[{"id":"a","track":"ai"},{"id":"a","track":"ai"}]}"#,
            "duplicate application",
        ),
        (
            r#"{"reviews_per_application":1,"judges":[],"applications":[{"id":"a","track":"ai"}],"conflicts":[["ghost","a"]]}"#,
            "unknown judge",
        ),
        (
            r#"{"reviews_per_application":1,"judges":[{"id":"j","region":"KR","capacity":1,"expertise":{"ai":7}}],"applications":[]}"#,
            "0-3",
        ),
        (
            r#"{"reviews_per_application":1,"judges":[],"applications":[],"extra":1}"#,
            "unknown field",
        ),
    ];
    for (text, needle) in bad {
        let e = Instance::from_json(text).unwrap_err().to_string();
        assert!(e.contains(needle), "{text}: {e}");
    }
}

/// Instances past exhaustive search: scarce capacity, skewed regions, many conflicts.
fn random_medium(seed: u64) -> Instance {
    let mut inst = random_small(seed);
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed);
    let regions = ["KR", "KR", "CN", "CN", "OTHER"];
    let tracks = ["ai", "bio", "fin"];
    inst.judges = (0..rng.random_range(6..=12))
        .map(|i| Judge {
            id: format!("j{i}"),
            region: regions[rng.random_range(0..regions.len())].into(),
            capacity: rng.random_range(0..=7),
            expertise: tracks
                .iter()
                .map(|t| (t.to_string(), rng.random_range(0..=3)))
                .collect(),
        })
        .collect();
    inst.applications = (0..rng.random_range(10..=24))
        .map(|i| Application {
            id: format!("a{i}"),
            track: tracks[rng.random_range(0..tracks.len())].into(),
        })
        .collect();
    inst.conflicts = inst
        .judges
        .iter()
        .flat_map(|j| inst.applications.iter().map(move |a| (j, a)))
        .filter(|_| rng.random_bool(0.1))
        .map(|(j, a)| (j.id.clone(), a.id.clone()))
        .collect();
    inst.reviews_per_application = rng.random_range(1..=4);
    inst
}

#[test]
fn equals_an_independent_formulation_on_larger_instances() {
    for seed in 0..25 {
        let inst = random_medium(seed);
        let sol = solve(&inst);
        check(&inst, &sol.assignments).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(sol.objective, reference::optimum(&inst), "seed {seed}");
    }
    for seed in 0..3 {
        let inst = generate::instance(40, 10, seed);
        assert_eq!(
            solve(&inst).objective,
            reference::optimum(&inst),
            "generated {seed}"
        );
    }
}
