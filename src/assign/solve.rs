//! Solving: a cold start on the candidate network, then pricing rounds until the potentials
//! certify that no left-out arc could improve the flow.

use super::diagnose::finish;
use super::indexed::Model;
use super::model::{Instance, Solution};
use super::network::Network;
use super::pricing::{cold_start, optimise, stats};
use super::relax::{self, Relaxed};
use super::warm::warm_solve;

/// How `solve` reached its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    /// The relaxation without conflicts, made conflict-free by exchanges (`relax`).
    Relaxation,
    /// The relaxation, finished from where exchanges got stuck (`warm::warm_solve`).
    RelaxationRepaired,
    /// The network with conflicts, priced until certified.
    Network,
}

/// The lexicographically best assignment of the instance.
pub fn solve(inst: &Instance) -> Solution {
    solve_traced(inst).0
}

pub(crate) fn solve_traced(inst: &Instance) -> (Solution, Method) {
    let mut m = Model::new(inst, Vec::new(), Vec::new());
    if m.conflicts.is_empty() {
        return (network(inst, &m), Method::Network);
    }
    let pairs = match relax::solve(&mut m) {
        Relaxed::Optimal(pairs) => return (finish(inst, &m, pairs), Method::Relaxation),
        Relaxed::Start(pairs) => pairs,
    };
    let (stuck, prev): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|p| m.conflicts.contains(p));
    if prev.is_empty() {
        return (network(inst, &m), Method::Network);
    }
    let judges = stuck.iter().map(|p| p.0).collect();
    let apps = stuck.iter().map(|p| p.1).collect();
    let (solution, _) = warm_solve(inst, Vec::new(), prev, &judges, &apps);
    (solution, Method::RelaxationRepaired)
}

/// The network with conflicts, without trying the relaxation first.
#[cfg(test)]
pub(crate) fn solve_network(inst: &Instance) -> Solution {
    network(inst, &Model::new(inst, Vec::new(), Vec::new()))
}

fn network(inst: &Instance, m: &Model) -> Solution {
    let mut nw = Network::build(m);
    cold_start(&mut nw);
    let rounds = optimise(m, &mut nw);
    stats("solve", &nw, rounds);
    let pairs = nw.decompose(m);
    finish(inst, m, pairs)
}
