//! Unit tests of `flow`.

use super::*;

#[test]
fn routes_excess_along_the_cheapest_paths() {
    // Node 0 is the root. Two units leave it for 1 (cost -10 each); from 1 they can reach
    // the root through 2 (cost 1, one unit) or 3 (cost 5, two units): best is 1 + 5.
    let mut g = Net::new(4);
    let e01 = g.add(0, 1, 2, -10);
    let e12 = g.add(1, 2, 1, 0);
    let e13 = g.add(1, 3, 2, 0);
    let e20 = g.add(2, 0, 1, 1);
    let e30 = g.add(3, 0, 2, 5);
    g.dag_potentials();
    g.saturate(e01);
    g.lower_root();
    g.settle();
    assert_eq!(
        [e01, e12, e13, e20, e30].map(|e| g.flow(e)),
        [2, 1, 1, 1, 1]
    );
    for e in 0..g.edges.len() {
        assert!(
            g.residual(e) == 0 || g.reduced(e) >= 0,
            "certificate on {e}"
        );
    }
}
