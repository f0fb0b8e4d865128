//! The shared steps of every exact solve: a cold start from zero flow and the pricing rounds
//! that certify a candidate network's optimum for the full instance.

use super::indexed::Model;
use super::network::Network;

/// From zero flow: exact potentials of the layered network, every seat arc saturated (each
/// seat outweighs everything below it), and the resulting excess routed.
pub(crate) fn cold_start(nw: &mut Network) {
    nw.net.reset();
    nw.net.dag_potentials();
    for c in nw.aclasses.iter().filter(|c| c.open > 0) {
        nw.net.saturate(c.seat_edge);
    }
    nw.net.lower_root();
    nw.net.settle();
}

/// Pricing rounds; returns how many there were.
pub(crate) fn optimise(m: &Model, nw: &mut Network) -> usize {
    let mut rounds = 0;
    loop {
        rounds += 1;
        let missing = nw.price(m);
        if missing.is_empty() {
            return rounds;
        }
        nw.add_priced(m, &missing);
        nw.net.settle();
    }
}

pub(crate) fn stats(what: &str, nw: &Network, rounds: usize) {
    if std::env::var_os("JURY_FLOW_STATS").is_some() {
        eprintln!(
            "{what}: {} judge classes, {} application classes, {} nodes, {} arcs ({} pair arcs), {rounds} pricing rounds",
            nw.jclasses.len(),
            nw.aclasses.len(),
            nw.net.nodes(),
            nw.net.edges.len(),
            nw.pair_edges.len()
        );
    }
}
