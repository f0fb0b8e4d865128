//! The flow network of an instance, compressed, and the way back to individual pairs.
//!
//! Judges are grouped into classes: a judge with a conflict, a locked pair or an earlier pair
//! (repair) is a class of one; the others are grouped by (region, capacity, expertise over the
//! tracks in play), since such judges are interchangeable. Applications likewise, by track.
//! With `n` applications in class A and `m` judges in class J the network has:
//!
//! root → A            cap n·open, cost −W_seat                     (level 1)
//! A → (A, r)          a cover arc cap n, cost −W_cover, for a required region not yet
//!                     covered, and a free arc for the rest          (level 2)
//! (A, r) → J          cap n·m, cost −W_aff·expertise − W_keep·[earlier pair]   (levels 3, 5)
//! J → root            one arc per load level v, cap m, cost W_load·(2v − 1)     (level 4)
//!
//! Arcs (A, r) → J are only candidates; `price` finds the missing ones that could improve.
//! `decompose` turns class flows into pairs by two cyclic deals (see there), which realise the
//! class flow's coverage and an even load inside each class, so the pairs score exactly the
//! flow's cost: the compressed optimum is the true optimum.

use std::collections::{HashMap, HashSet};

use super::flow::{Cost, Net};
use super::indexed::Model;

/// Initial candidate classes per (application class, region); pricing adds more when needed.
fn candidates() -> usize {
    std::env::var("JURY_CAND")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6)
}
/// Class pairs up to which the candidate network is the complete one.
const COMPLETE_UP_TO: usize = 200_000;
/// Arcs added per (application class, region) in one pricing round.
const PRICED_PER_NODE: usize = 6;

pub struct JClass {
    pub members: Vec<usize>,
    pub region: usize,
    /// Load already fixed by locked pairs (classes of more than one judge have none).
    pub base: i64,
    pub room: i64,
    pub node: usize,
    pub load_edges: std::ops::Range<usize>,
}

pub struct AClass {
    pub members: Vec<usize>,
    pub track: usize,
    pub open: i64,
    pub node: usize,
    /// First (A, r) node; region r is `xnode + r`.
    pub xnode: usize,
    pub seat_edge: usize,
    /// Per region: (cover arc, free arc), either may be absent.
    pub region_edges: Vec<(Option<usize>, Option<usize>)>,
}

/// The network plus the bookkeeping to price arcs and read pairs back.
pub struct Network {
    pub net: Net,
    pub jclasses: Vec<JClass>,
    pub aclasses: Vec<AClass>,
    /// (edge, application class, judge class) of every (A, r) → J arc.
    pub pair_edges: Vec<(usize, usize, usize)>,
    present: HashSet<(usize, usize)>,
    /// Judge classes with room, by region.
    by_region: Vec<Vec<usize>>,
}

fn classes<K: std::hash::Hash + Eq>(
    n: usize,
    alone: impl Fn(usize) -> bool,
    key: impl Fn(usize) -> K,
) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut index: HashMap<K, usize> = HashMap::new();
    for i in 0..n {
        if alone(i) {
            out.push(vec![i]);
            continue;
        }
        match index.entry(key(i)) {
            std::collections::hash_map::Entry::Occupied(e) => out[*e.get()].push(i),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(out.len());
                out.push(vec![i]);
            }
        }
    }
    out
}

impl Network {
    pub fn build(m: &Model) -> Network {
        let inst = m.inst;
        let (nj, na, nr) = (inst.judges.len(), inst.applications.len(), m.regions.len());
        let mut judge_special = vec![false; nj];
        let mut app_special = vec![false; na];
        let mut base = vec![0i64; nj];
        let mut taken = vec![0i64; na];
        let mut covered = vec![vec![false; nr]; na];
        for &(j, a) in m.conflicts.iter().chain(&m.prev) {
            judge_special[j] = true;
            app_special[a] = true;
        }
        for &(j, a) in &m.locked {
            judge_special[j] = true;
            // A relaxation may pair an application with its locked judge again: applications
            // then group by what locked pairs leave them (seats, regions covered).
            app_special[a] |= !m.relaxed;
            base[j] += 1;
            taken[a] += 1;
            covered[a][m.judge_region[j]] = true;
        }
        let jgroups = classes(
            nj,
            |j| judge_special[j],
            |j| (m.judge_region[j], inst.judges[j].capacity, m.aff[j].clone()),
        );
        let agroups = classes(
            na,
            |a| app_special[a],
            |a| (m.app_track[a], taken[a], covered[a].clone()),
        );

        let mut aclasses: Vec<AClass> = Vec::with_capacity(agroups.len());
        let mut next = 1 + agroups.len();
        for (i, members) in agroups.into_iter().enumerate() {
            let a = members[0];
            let open = (m.k - taken[a]).max(0);
            let xnode = next;
            if open > 0 {
                next += nr;
            }
            aclasses.push(AClass {
                track: m.app_track[a],
                open,
                node: 1 + i,
                xnode,
                seat_edge: usize::MAX,
                region_edges: Vec::new(),
                members,
            });
        }
        let mut jclasses: Vec<JClass> = jgroups
            .into_iter()
            .enumerate()
            .map(|(i, members)| {
                let j = members[0];
                let cap = inst.judges[j].capacity.clamp(0, na as i64);
                JClass {
                    region: m.judge_region[j],
                    base: base[j],
                    room: (cap - base[j]).max(0),
                    node: next + i,
                    load_edges: 0..0,
                    members,
                }
            })
            .collect();
        let mut net = Net::new(next + jclasses.len());
        let w = &m.w;
        for c in aclasses.iter_mut().filter(|c| c.open > 0) {
            let n = c.members.len() as i64;
            c.seat_edge = net.add(0, c.node, n * c.open, -w.seat);
            for (r, &required) in m.required.iter().enumerate().take(nr) {
                let x = c.xnode + r;
                let cover = required && !covered[c.members[0]][r];
                let (cov, free_cap) = if cover {
                    (Some(net.add(c.node, x, n, -w.cover)), n * (c.open - 1))
                } else {
                    (None, n * c.open)
                };
                let free = (free_cap > 0).then(|| net.add(c.node, x, free_cap, 0));
                c.region_edges.push((cov, free));
            }
        }
        let mut by_region = vec![Vec::new(); nr];
        for (i, c) in jclasses.iter_mut().enumerate() {
            let size = c.members.len() as i64;
            let first = net.edges.len();
            for v in c.base + 1..=c.base + c.room {
                net.add(c.node, 0, size, w.load * Cost::from(2 * v - 1));
            }
            c.load_edges = first..net.edges.len();
            if c.room > 0 {
                by_region[c.region].push(i);
            }
        }
        let mut network = Network {
            net,
            jclasses,
            aclasses,
            pair_edges: Vec::new(),
            present: HashSet::new(),
            by_region,
        };
        network.add_candidates(m);
        network
    }

    /// A pair arc may exist unless it is conflicted or locked (both only between singletons).
    fn allowed(&self, m: &Model, a: usize, j: usize) -> bool {
        let (ac, jc) = (&self.aclasses[a], &self.jclasses[j]);
        if ac.members.len() > 1 || jc.members.len() > 1 {
            return true;
        }
        let pair = (jc.members[0], ac.members[0]);
        !m.conflicts.contains(&pair) && !m.locked_set.contains(&pair)
    }

    pub fn add_pair(&mut self, m: &Model, a: usize, j: usize) -> usize {
        let (ac, jc) = (&self.aclasses[a], &self.jclasses[j]);
        let keep = ac.members.len() == 1
            && jc.members.len() == 1
            && m.prev.contains(&(jc.members[0], ac.members[0]));
        let cost = -m.w.affinity * Cost::from(m.aff[jc.members[0]][ac.track])
            - if keep { m.w.keep } else { 0 };
        let cap = (ac.members.len() * jc.members.len()) as i64;
        let e = self.net.add(ac.xnode + jc.region, jc.node, cap, cost);
        self.pair_edges.push((e, a, j));
        self.present.insert((a, j));
        e
    }

    /// Earlier pairs, then a rotating slice of the most expert classes of each region, so the
    /// first solve already spreads load; anything missing is found by pricing.
    fn add_candidates(&mut self, m: &Model) {
        let nr = m.regions.len();
        let mut judge_class = vec![usize::MAX; m.inst.judges.len()];
        for (i, c) in self.jclasses.iter().enumerate() {
            for &j in &c.members {
                judge_class[j] = i;
            }
        }
        let mut app_class = vec![usize::MAX; m.inst.applications.len()];
        for (i, c) in self.aclasses.iter().enumerate() {
            for &a in &c.members {
                app_class[a] = i;
            }
        }
        let mut prev: Vec<(usize, usize)> = m.prev.iter().copied().collect();
        prev.sort_unstable();
        for (j, a) in prev {
            let (ac, jc) = (app_class[a], judge_class[j]);
            if self.aclasses[ac].open > 0 && self.jclasses[jc].room > 0 {
                self.add_pair(m, ac, jc);
            }
        }
        // A network small enough holds every class pair; pricing then has nothing to add.
        let open = self.aclasses.iter().filter(|c| c.open > 0).count();
        let with_room: usize = self.by_region.iter().map(Vec::len).sum();
        let per_node = if open.saturating_mul(with_room) <= COMPLETE_UP_TO {
            usize::MAX
        } else {
            candidates()
        };
        // Tiers of equal expertise per (track, region), best first.
        let mut tiers: HashMap<(usize, usize), Vec<Vec<usize>>> = HashMap::new();
        let mut offsets: HashMap<(usize, usize, usize), usize> = HashMap::new();
        for a in 0..self.aclasses.len() {
            let (track, open) = (self.aclasses[a].track, self.aclasses[a].open);
            if open == 0 {
                continue;
            }
            for r in 0..nr {
                let list = tiers.entry((track, r)).or_insert_with(|| {
                    let mut by_aff: Vec<Vec<usize>> = vec![Vec::new(); 4];
                    for &j in &self.by_region[r] {
                        let e = m.aff[self.jclasses[j].members[0]][track];
                        by_aff[3 - e as usize].push(j);
                    }
                    by_aff.retain(|t| !t.is_empty());
                    by_aff
                });
                let mut picked = 0;
                for (t, tier) in list.iter().enumerate() {
                    let off = offsets.entry((track, r, t)).or_insert(0);
                    let take = tier.len().min(per_node - picked);
                    for i in 0..take {
                        let j = tier[(*off + i) % tier.len()];
                        if !self.present.contains(&(a, j)) && self.allowed(m, a, j) {
                            self.add_pair(m, a, j);
                        }
                    }
                    *off = (*off + take) % tier.len();
                    picked += take;
                    if picked >= per_node {
                        break;
                    }
                }
            }
        }
    }

    /// Missing arcs with a negative reduced cost under the current potentials. None means the
    /// potentials certify the flow optimal for the complete network.
    pub fn price(&self, m: &Model) -> Vec<(usize, usize)> {
        let pot = &self.net.pot;
        let mut lists: HashMap<(usize, usize), Vec<(Cost, usize)>> = HashMap::new();
        let mut out = Vec::new();
        for (a, c) in self.aclasses.iter().enumerate() {
            if c.open == 0 {
                continue;
            }
            for (r, judges) in self.by_region.iter().enumerate() {
                let list = lists.entry((c.track, r)).or_insert_with(|| {
                    let mut l: Vec<(Cost, usize)> = judges
                        .iter()
                        .map(|&j| {
                            let jc = &self.jclasses[j];
                            let e = Cost::from(m.aff[jc.members[0]][c.track]);
                            (-m.w.affinity * e - pot[jc.node], j)
                        })
                        .collect();
                    l.sort_unstable();
                    l
                });
                let px = pot[c.xnode + r];
                let mut added = 0;
                for &(key, j) in list.iter() {
                    if key + px >= 0 || added == PRICED_PER_NODE {
                        break;
                    }
                    if !self.present.contains(&(a, j)) && self.allowed(m, a, j) {
                        out.push((a, j));
                        added += 1;
                    }
                }
            }
        }
        out
    }

    /// Adds priced arcs to a solved network; each is saturated, which keeps the potentials
    /// valid and leaves excess for `settle`.
    pub fn add_priced(&mut self, m: &Model, arcs: &[(usize, usize)]) {
        let new: Vec<usize> = arcs.iter().map(|&(a, j)| self.add_pair(m, a, j)).collect();
        self.net.build();
        for e in new {
            self.net.saturate(e);
        }
    }

    /// Pairs of the flow. Within an application class, the units of each (A, r) → J arc are
    /// dealt to its applications cyclically, one cursor for the whole class and regions in
    /// turn: every application gets at most ⌈units/n⌉ ≤ open seats and ≤ m judges of each
    /// class, and each region's units land on min(n, units) distinct applications, which is
    /// the coverage the flow paid for. Within a judge class, each application's units go to
    /// consecutive judges of one cyclic cursor: no judge twice on an application (its units
    /// from J are ≤ m) and loads differ by at most one, the convex cost the flow paid for.
    pub fn decompose(&self, m: &Model) -> Vec<(usize, usize)> {
        let mut arcs: Vec<(usize, usize, usize, i64)> = self
            .pair_edges
            .iter()
            .map(|&(e, a, j)| (a, self.jclasses[j].region, j, self.net.flow(e)))
            .filter(|t| t.3 > 0)
            .collect();
        arcs.sort_unstable();
        let mut demands: Vec<(usize, usize, i64)> = Vec::new();
        let mut cursor = vec![0usize; self.aclasses.len()];
        for (a, _, j, units) in arcs {
            let members = &self.aclasses[a].members;
            let n = members.len();
            let (q, rest) = (units as usize / n, units as usize % n);
            for (i, &member) in members.iter().enumerate() {
                let slot = (i + n - cursor[a] % n) % n;
                let take = q + usize::from(slot < rest);
                if take > 0 {
                    demands.push((j, member, take as i64));
                }
            }
            cursor[a] = (cursor[a] + rest) % n;
        }
        demands.sort_unstable();
        let mut pairs = m.locked.clone();
        let mut jcur = vec![0usize; self.jclasses.len()];
        for (j, app, take) in demands {
            let members = &self.jclasses[j].members;
            for _ in 0..take {
                pairs.push((members[jcur[j] % members.len()], app));
                jcur[j] += 1;
            }
        }
        pairs
    }
}
