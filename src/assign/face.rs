//! Repair on the optimal face: the fast exact path behind `repair`.
//!
//! 1. Solve the relaxation of the changed instance (no conflicts, so applications and judges
//!    collapse into classes, as in `relax`). Its potentials, copied from each class to its
//!    members, price every (application, judge) arc of the full network: reduced cost `rc`.
//! 2. Complementary slackness: for those potentials π, a feasible flow is optimal (levels 1–4)
//!    exactly when it uses no arc with rc > 0 and saturates every arc with rc < 0. These flows
//!    are the *face*: pair arcs with rc = 0 are free, the rest fixed, and likewise seats,
//!    region arcs and load levels, which gives each application and judge bounds.
//! 3. Start from the earlier pairs that the face allows, plus the forced ones. Where a bound is
//!    broken (the leaving judge's applications lack a seat, a judge's load is outside its
//!    window), excess and deficit appear; successive shortest paths route them inside the face,
//!    with cost 1 for dropping an earlier pair (level 5, fewest changes). The start has no
//!    negative residual arc (every earlier pair the face allows is in it), so zero potentials
//!    are valid and the result is the fewest-changes optimum of the face.
//!
//! Certificate: the answer is feasible and complementary-slack with π, so it is optimal for
//! levels 1–4 whatever π is. If the face has no feasible flow (the relaxation's optimum is not
//! reachable with the conflicts), routing gets stuck and the caller solves the slow way.

use std::collections::HashSet;

use super::flow::Cost;
use super::indexed::{FastMap, Model};
use super::network::Network;
use super::pricing::{cold_start, optimise, stats};
use super::rewarm::warm_relaxation;

/// Bounds of an arc on the face, from the sign of its reduced cost.
fn bounds(rc: Cost, cap: i64) -> (i64, i64) {
    match rc.signum() {
        -1 => (cap, cap),
        1 => (0, 0),
        _ => (0, cap),
    }
}

pub(super) struct Face<'a> {
    pub(super) m: &'a Model<'a>,
    pub(super) nr: usize,
    /// Per application: seat bounds and flow; per (application, region): cover and free arcs.
    pub(super) seat: Vec<(i64, i64, i64)>,
    pub(super) cover: Vec<(i64, i64, i64)>,
    pub(super) free: Vec<(i64, i64, i64)>,
    /// Per judge: load (beyond locked pairs) bounds and the flow on its load arcs.
    pub(super) load: Vec<(i64, i64, i64)>,
    /// Per (application class, region): which of `lists` holds the judges whose pair arc is
    /// tight (rc = 0), sorted;
    /// conflicted and locked pairs are skipped where the list is read.
    pub(super) tight: Vec<usize>,
    pub(super) lists: Vec<Vec<usize>>,
    pub(super) class_of: Vec<usize>,
    /// Applications whose seat count is not fixed by the face.
    pub(super) flexible: Vec<usize>,
    pub(super) forced: HashSet<(usize, usize)>,
    pub(super) panel: Vec<Vec<usize>>,
    pub(super) apps_of: Vec<Vec<usize>>,
    /// Per application: its earlier judges.
    pub(super) prev: Vec<Vec<usize>>,
    pub(super) excess: Vec<i64>,
}

/// Neither conflicted nor locked already.
fn allowed(m: &Model, j: usize, a: usize) -> bool {
    !m.conflicts.contains(&(j, a)) && !m.locked_set.contains(&(j, a))
}

/// The optimal pairs (locked ones included) keeping as many of `prev` as an optimum allows,
/// or None when the face has no feasible flow.
pub(crate) fn repair_on_face(
    m: &mut Model,
    prev: &[(usize, usize)],
) -> Option<Vec<(usize, usize)>> {
    let clock = std::time::Instant::now();
    let conflicts = std::mem::take(&mut m.conflicts);
    m.relaxed = true;
    let mut nw = Network::build(m);
    if !warm_relaxation(m, &mut nw, prev) {
        cold_start(&mut nw);
    }
    let rounds = optimise(m, &mut nw);
    stats("face relaxation", &nw, rounds);
    m.conflicts = conflicts;
    m.relaxed = false;
    let relaxed = clock.elapsed();
    let mut face = Face::new(m, &nw, prev);
    let built = clock.elapsed();
    let units = face.route();
    if std::env::var_os("JURY_FLOW_STATS").is_some() {
        eprintln!(
            "face: relaxation {relaxed:?}, face {built:?}, {units:?} units routed, {:?}",
            clock.elapsed()
        );
    }
    units?;
    let mut pairs = m.locked.clone();
    for (a, panel) in face.panel.iter().enumerate() {
        pairs.extend(panel.iter().map(|&j| (j, a)));
    }
    Some(pairs)
}

impl<'a> Face<'a> {
    fn new(m: &'a Model<'a>, nw: &Network, prev: &[(usize, usize)]) -> Face<'a> {
        let (na, nj, nr) = (
            m.inst.applications.len(),
            m.inst.judges.len(),
            m.regions.len(),
        );
        let pot = &nw.net.pot;
        let w = &m.w;
        let mut f = Face {
            m,
            nr,
            seat: vec![(0, 0, 0); na],
            cover: vec![(0, 0, 0); na * nr],
            free: vec![(0, 0, 0); na * nr],
            load: vec![(0, 0, 0); nj],
            tight: vec![0; nw.aclasses.len() * nr],
            lists: Vec::new(),
            class_of: vec![usize::MAX; na],
            flexible: Vec::new(),
            forced: HashSet::new(),
            panel: vec![Vec::new(); na],
            apps_of: vec![Vec::new(); nj],
            prev: vec![Vec::new(); na],
            excess: vec![0; 1 + na + na * nr + nj],
        };
        for &(j, a) in prev {
            f.prev[a].push(j);
        }
        for c in &nw.jclasses {
            let rc = |v: i64| w.load * Cost::from(2 * v - 1) + pot[c.node] - pot[0];
            let lo = (c.base + 1..=c.base + c.room)
                .filter(|&v| rc(v) < 0)
                .count() as i64;
            let hi = lo
                + (c.base + 1..=c.base + c.room)
                    .filter(|&v| rc(v) == 0)
                    .count() as i64;
            for &j in &c.members {
                f.load[j] = (lo, hi, 0);
            }
        }
        let mut memo: FastMap<(usize, usize, Cost), usize> = FastMap::default();
        let mut forced_lists: Vec<Vec<usize>> = Vec::new();
        for (ci, c) in nw.aclasses.iter().enumerate().filter(|c| c.1.open > 0) {
            let node =
                |e: usize| pot[nw.net.edges[e].from as usize] - pot[nw.net.edges[e].to as usize];
            let arc = |e: Option<usize>| match e {
                Some(e) => bounds(nw.net.edges[e].cost + node(e), 1),
                None => (0, 0),
            };
            let seat = bounds(-w.seat + node(c.seat_edge), c.open);
            let mut regions = Vec::new();
            for (r, &(cov, fr)) in c.region_edges.iter().enumerate() {
                let cb = arc(cov);
                let cap = if cov.is_some() { c.open - 1 } else { c.open };
                let fb = match fr {
                    Some(e) => bounds(nw.net.edges[e].cost + node(e), cap),
                    None => (0, 0),
                };
                // Judge classes by reduced cost of the pair arc from (A, r); it depends on the
                // track and the potential of (A, r) only, which many classes share.
                let key = (c.track, r, pot[c.xnode + r]);
                let list = *memo.entry(key).or_insert_with(|| {
                    let mut tight = Vec::new();
                    let mut forced = Vec::new();
                    for jc in nw.jclasses.iter().filter(|j| j.region == r && j.room > 0) {
                        let e = Cost::from(m.aff[jc.members[0]][c.track]);
                        let rc = -w.affinity * e + key.2 - pot[jc.node];
                        if rc == 0 {
                            tight.extend(&jc.members);
                        } else if rc < 0 {
                            forced.extend(&jc.members);
                        }
                    }
                    tight.sort_unstable();
                    f.lists.push(tight);
                    forced_lists.push(forced);
                    f.lists.len() - 1
                });
                regions.push((cb, fb, list));
            }
            for &a in &c.members {
                f.class_of[a] = ci;
                f.seat[a] = (seat.0, seat.1, 0);
                for (r, &(cb, fb, list)) in regions.iter().enumerate() {
                    f.cover[a * nr + r] = (cb.0, cb.1, 0);
                    f.free[a * nr + r] = (fb.0, fb.1, 0);
                    let ok = |j: &&usize| allowed(m, **j, a);
                    let forced = forced_lists[list].iter().filter(ok);
                    f.forced.extend(forced.map(|&j| (j, a)));
                }
            }
            for (r, &(_, _, list)) in regions.iter().enumerate() {
                f.tight[ci * nr + r] = list;
            }
        }
        // The start: allowed earlier pairs and the forced ones.
        let mut start: Vec<(usize, usize)> = prev
            .iter()
            .copied()
            .filter(|&(j, a)| f.is_tight(j, a))
            .collect();
        start.extend(
            f.forced
                .iter()
                .copied()
                .filter(|&(j, a)| !f.prev[a].contains(&j)),
        );
        start.sort_unstable();
        for (j, a) in start {
            f.panel[a].push(j);
            f.apps_of[j].push(a);
        }
        f.flexible = (0..na).filter(|&a| f.seat[a].0 < f.seat[a].1).collect();
        f.balance();
        f
    }

    pub(super) fn allowed(&self, j: usize, a: usize) -> bool {
        allowed(self.m, j, a)
    }

    fn is_tight(&self, j: usize, a: usize) -> bool {
        let (r, c) = (self.m.judge_region[j], self.class_of[a]);
        self.forced.contains(&(j, a))
            || (c != usize::MAX
                && self.lists[self.tight[c * self.nr + r]]
                    .binary_search(&j)
                    .is_ok()
                && self.allowed(j, a))
    }

    // Node numbers: root 0, application a, region node (a, r), judge j.
    pub(super) fn app(&self, a: usize) -> usize {
        1 + a
    }
    pub(super) fn xnode(&self, a: usize, r: usize) -> usize {
        1 + self.panel.len() + a * self.nr + r
    }
    pub(super) fn judge(&self, j: usize) -> usize {
        1 + self.panel.len() * (1 + self.nr) + j
    }

    /// Arc flows as close to the pairs as the bounds allow; what is left is node excess.
    fn balance(&mut self) {
        let nr = self.nr;
        for a in 0..self.panel.len() {
            let mut out = 0;
            for r in 0..nr {
                let units = self.panel[a]
                    .iter()
                    .filter(|&&j| self.m.judge_region[j] == r)
                    .count() as i64;
                let (clo, chi, _) = self.cover[a * nr + r];
                let (flo, fhi, _) = self.free[a * nr + r];
                let c = units.clamp(clo, chi);
                let fr = (units - c).clamp(flo, fhi);
                self.cover[a * nr + r].2 = c;
                self.free[a * nr + r].2 = fr;
                let x = self.xnode(a, r);
                self.excess[x] += c + fr - units;
                out += c + fr;
            }
            let (lo, hi, _) = self.seat[a];
            let s = out.clamp(lo, hi);
            self.seat[a].2 = s;
            let v = self.app(a);
            self.excess[v] += s - out;
            self.excess[0] -= s;
        }
        for j in 0..self.apps_of.len() {
            let units = self.apps_of[j].len() as i64;
            let (lo, hi, _) = self.load[j];
            let l = units.clamp(lo, hi);
            self.load[j].2 = l;
            let v = self.judge(j);
            self.excess[v] += units - l;
            self.excess[0] += l;
        }
    }
}
