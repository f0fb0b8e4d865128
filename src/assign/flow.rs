//! An exact min-cost circulation engine built for warm starts.
//!
//! The network is a circulation: the source and sink of the textbook formulation are one node
//! (`0`), so "send flow while it pays" becomes "no negative residual cycle", and optimality is
//! certified by node potentials with every residual reduced cost ≥ 0. That certificate is what
//! makes sparse candidate arcs safe: an arc left out can be priced against the potentials, and
//! if its reduced cost is ≥ 0 it could not improve anything (LP duality).
//!
//! Changes to a solved network (new arcs, restored capacities) are absorbed the primal-dual way:
//! an arc whose reduced cost went negative is saturated, which leaves excess at one end and
//! deficit at the other, and `settle` routes every excess unit to a deficit along shortest
//! paths (Dijkstra on reduced costs, then a blocking flow over all shortest paths of that
//! length). A super source and super sink, wired to every node with zero capacity until
//! needed, keep that a plain two-terminal computation. All costs are integers (`i128`).

use super::heap::IndexedHeap;

pub type Cost = i128;
pub const INF: Cost = Cost::MAX / 4;

#[derive(Clone, Copy, Debug)]
struct Arc {
    cost: Cost,
    cap: i64,
    to: u32,
    rev: u32,
}

#[derive(Clone, Debug)]
pub struct Edge {
    pub from: u32,
    pub to: u32,
    pub cap: i64,
    pub cost: Cost,
    pub flow: i64,
}

pub struct Net {
    /// Real nodes; `n` and `n + 1` are the super source and sink.
    n: usize,
    pub edges: Vec<Edge>,
    start: Vec<u32>,
    arcs: Vec<Arc>,
    pos: Vec<u32>,
    /// Per real node: its arc from the super source and its arc to the super sink.
    sup: Vec<(u32, u32)>,
    pub pot: Vec<Cost>,
    pub excess: Vec<i64>,
    built: bool,
}

impl Net {
    pub fn new(n: usize) -> Net {
        Net {
            n,
            edges: Vec::new(),
            start: Vec::new(),
            arcs: Vec::new(),
            pos: Vec::new(),
            sup: Vec::new(),
            pot: vec![0; n + 2],
            excess: vec![0; n],
            built: false,
        }
    }

    pub fn nodes(&self) -> usize {
        self.n
    }

    pub fn add(&mut self, from: usize, to: usize, cap: i64, cost: Cost) -> usize {
        self.sync();
        self.built = false;
        self.edges.push(Edge {
            from: from as u32,
            to: to as u32,
            cap,
            cost,
            flow: 0,
        });
        self.edges.len() - 1
    }

    /// Back to zero flow and zero excess.
    pub fn reset(&mut self) {
        for e in &mut self.edges {
            e.flow = 0;
        }
        self.excess.fill(0);
        self.built = false;
    }

    /// Writes the flows held in the arc arrays back into `edges`.
    pub fn sync(&mut self) {
        if !self.built {
            return;
        }
        for (e, &p) in self.edges.iter_mut().zip(&self.pos) {
            e.flow = e.cap - self.arcs[p as usize].cap;
        }
    }

    pub fn flow(&self, e: usize) -> i64 {
        if self.built {
            self.edges[e].cap - self.arcs[self.pos[e] as usize].cap
        } else {
            self.edges[e].flow
        }
    }

    /// Lays the edges out as adjacency arrays, keeping their flows.
    pub fn build(&mut self) {
        if self.built {
            return;
        }
        let (n, src, snk) = (self.n, self.n, self.n + 1);
        let mut deg = vec![0u32; n + 3];
        for e in &self.edges {
            deg[e.from as usize + 1] += 1;
            deg[e.to as usize + 1] += 1;
        }
        for v in 0..n {
            deg[v + 1] += 2;
        }
        deg[src + 1] += n as u32;
        deg[snk + 1] += n as u32;
        for i in 0..n + 2 {
            deg[i + 1] += deg[i];
        }
        let total = deg[n + 2] as usize;
        self.start = deg.clone();
        let mut fill = deg;
        let blank = Arc {
            cost: 0,
            cap: 0,
            to: 0,
            rev: 0,
        };
        self.arcs = vec![blank; total];
        let mut link = |arcs: &mut Vec<Arc>, u: usize, v: usize, cap: i64, flow: i64, cost| {
            let (iu, iv) = (fill[u], fill[v]);
            fill[u] += 1;
            fill[v] += 1;
            arcs[iu as usize] = Arc {
                cost,
                cap: cap - flow,
                to: v as u32,
                rev: iv,
            };
            arcs[iv as usize] = Arc {
                cost: -cost,
                cap: flow,
                to: u as u32,
                rev: iu,
            };
            iu
        };
        // Super arcs first: the blocking-flow search then tries "deliver here" before wandering
        // on (the root has many zero-cost arcs out, and a wander that dead-ends at the root
        // while it is on the path would retire arcs for the rest of the phase).
        self.sup = (0..n)
            .map(|v| {
                let a = link(&mut self.arcs, src, v, 0, 0, 0);
                let b = link(&mut self.arcs, v, snk, 0, 0, 0);
                (a, b)
            })
            .collect();
        self.pos = Vec::with_capacity(self.edges.len());
        for e in &self.edges {
            let p = link(
                &mut self.arcs,
                e.from as usize,
                e.to as usize,
                e.cap,
                e.flow,
                e.cost,
            );
            self.pos.push(p);
        }
        self.built = true;
    }

    fn out(&self, v: usize) -> std::ops::Range<usize> {
        self.start[v] as usize..self.start[v + 1] as usize
    }

    pub fn reduced(&self, e: usize) -> Cost {
        let d = &self.edges[e];
        d.cost + self.pot[d.from as usize] - self.pot[d.to as usize]
    }

    pub fn residual(&self, e: usize) -> i64 {
        self.arcs[self.pos[e] as usize].cap
    }

    /// Pushes all residual capacity of edge `e`, leaving excess at its head.
    pub fn saturate(&mut self, e: usize) {
        let p = self.pos[e] as usize;
        let r = self.arcs[p].cap;
        if r <= 0 {
            return;
        }
        self.arcs[p].cap = 0;
        let rev = self.arcs[p].rev as usize;
        self.arcs[rev].cap += r;
        let (u, v) = (self.edges[e].from as usize, self.edges[e].to as usize);
        self.excess[u] -= r;
        self.excess[v] += r;
    }

    /// Raises the capacity of a built edge (its forward residual grows by `by`).
    pub fn widen(&mut self, e: usize, by: i64) {
        self.edges[e].cap += by;
        let p = self.pos[e] as usize;
        self.arcs[p].cap += by;
    }

    /// Shortest distances on the initial (zero-flow) network, whose arcs all go from lower to
    /// higher node numbers except those into node 0: exact potentials in one pass.
    pub fn dag_potentials(&mut self) {
        self.build();
        let mut pot = vec![INF; self.n + 2];
        pot[0] = 0;
        for u in 0..self.n {
            if pot[u] >= INF {
                pot[u] = 0;
            }
            for i in self.out(u) {
                let a = self.arcs[i];
                let v = a.to as usize;
                if a.cap > 0 && v > u && v < self.n && pot[u] + a.cost < pot[v] {
                    pot[v] = pot[u] + a.cost;
                }
            }
        }
        self.pot = pot;
    }

    /// Node 0 has no residual arc out of it once its out-arcs are saturated, so it may take
    /// any potential low enough for the arcs into it.
    pub fn lower_root(&mut self) {
        let mut p = self.pot[0];
        for i in self.out(0) {
            let a = self.arcs[i];
            let back = self.arcs[a.rev as usize];
            if back.cap > 0 && (a.to as usize) < self.n {
                p = p.min(self.pot[a.to as usize] + back.cost);
            }
            debug_assert!(
                a.cap == 0 || a.to as usize >= self.n,
                "root must be saturated"
            );
        }
        self.pot[0] = p;
    }

    /// Potentials for a residual network of unknown shape: label-correcting shortest paths
    /// from node 0 (every other node also reachable at cost `far`). Returns false when a
    /// negative cycle shows up (the current flow is not optimal), within a work limit.
    pub fn spfa_potentials(&mut self, far: Cost) -> bool {
        self.build();
        let n = self.n;
        let mut dist = vec![far; n];
        dist[0] = 0;
        let mut queue: std::collections::VecDeque<usize> = (0..n).collect();
        let mut queued = vec![true; n];
        let mut relaxed = vec![0u32; n];
        let mut work: u64 = 0;
        let limit = 64 * self.arcs.len() as u64 + 1_000_000;
        while let Some(u) = queue.pop_front() {
            queued[u] = false;
            for i in self.out(u) {
                let a = self.arcs[i];
                let v = a.to as usize;
                work += 1;
                if a.cap <= 0 || v >= n {
                    continue;
                }
                let nd = dist[u] + a.cost;
                if nd < dist[v] {
                    dist[v] = nd;
                    relaxed[v] += 1;
                    if relaxed[v] as usize > n || work > limit {
                        return false;
                    }
                    if !queued[v] {
                        queued[v] = true;
                        queue.push_back(v);
                    }
                }
            }
        }
        self.pot[..n].copy_from_slice(&dist);
        true
    }

    /// Routes every excess unit to a deficit along successive shortest paths. The potentials
    /// must be valid (no negative reduced cost on a residual arc) and stay valid.
    pub fn settle(&mut self) {
        self.build();
        let (n, src, snk) = (self.n, self.n, self.n + 1);
        let mut hi = -INF;
        let mut lo = INF;
        for v in 0..n {
            let x = self.excess[v];
            let (a, b) = self.sup[v];
            if x > 0 {
                self.arcs[a as usize].cap = x;
                hi = hi.max(self.pot[v]);
            } else if x < 0 {
                self.arcs[b as usize].cap = -x;
                lo = lo.min(self.pot[v]);
            }
        }
        if hi == -INF {
            return;
        }
        self.pot[src] = hi;
        self.pot[snk] = lo;
        let mut dist = vec![INF; n + 2];
        let mut cur = vec![0usize; n + 2];
        let mut on_path = vec![false; n + 2];
        let mut heap = IndexedHeap::new(n + 2);
        let (mut phases, mut paths) = (0usize, 0usize);
        let clock = std::time::Instant::now();
        while self.dijkstra(src, snk, &mut dist, &mut heap) {
            phases += 1;
            let dt = dist[snk];
            for (p, d) in self.pot.iter_mut().zip(&dist) {
                *p += (*d).min(dt);
            }
            for (c, st) in cur.iter_mut().zip(&self.start) {
                *c = *st as usize;
            }
            while self.augment(src, snk, &mut cur, &mut on_path) > 0 {
                paths += 1;
            }
        }
        if std::env::var_os("JURY_FLOW_STATS").is_some() {
            eprintln!(
                "settle: {phases} phases, {paths} paths, {:?}",
                clock.elapsed()
            );
        }
        for v in 0..n {
            let (a, b) = self.sup[v];
            for arc in [a, b] {
                let rev = self.arcs[arc as usize].rev as usize;
                self.arcs[arc as usize].cap = 0;
                self.arcs[rev].cap = 0;
            }
            self.excess[v] = 0;
        }
    }

    /// Stops once `t` is settled: the potential update caps distances at `dist[t]`.
    fn dijkstra(&self, s: usize, t: usize, dist: &mut [Cost], heap: &mut IndexedHeap) -> bool {
        dist.fill(INF);
        dist[s] = 0;
        heap.clear();
        heap.push_or_decrease(s, dist);
        while let Some(u) = heap.pop(dist) {
            if u == t {
                return true;
            }
            let (du, pu) = (dist[u], self.pot[u]);
            for i in self.out(u) {
                let a = self.arcs[i];
                if a.cap <= 0 {
                    continue;
                }
                let v = a.to as usize;
                let rc = a.cost + pu - self.pot[v];
                debug_assert!(rc >= 0, "negative reduced cost {rc} on {u}->{v}");
                if du + rc < dist[v] {
                    dist[v] = du + rc;
                    heap.push_or_decrease(v, dist);
                }
            }
        }
        false
    }

    /// One augmenting path over zero-reduced-cost arcs (iterative DFS with current-arc
    /// pointers, so a phase is linear in the arcs it touches). Returns the amount pushed.
    fn augment(&mut self, s: usize, t: usize, cur: &mut [usize], on_path: &mut [bool]) -> i64 {
        let mut path: Vec<usize> = Vec::new();
        let mut u = s;
        on_path[s] = true;
        loop {
            if u == t {
                let pushed = path.iter().map(|&i| self.arcs[i].cap).min().unwrap_or(0);
                for &i in &path {
                    self.arcs[i].cap -= pushed;
                    let r = self.arcs[i].rev as usize;
                    self.arcs[r].cap += pushed;
                    on_path[self.arcs[i].to as usize] = false;
                }
                on_path[s] = false;
                return pushed;
            }
            let end = self.start[u + 1] as usize;
            let mut advanced = false;
            while cur[u] < end {
                let a = self.arcs[cur[u]];
                let v = a.to as usize;
                if a.cap > 0 && !on_path[v] && a.cost + self.pot[u] - self.pot[v] == 0 {
                    path.push(cur[u]);
                    on_path[v] = true;
                    u = v;
                    advanced = true;
                    break;
                }
                cur[u] += 1;
            }
            if !advanced {
                on_path[u] = false;
                match path.pop() {
                    None => return 0,
                    Some(i) => {
                        let back = self.arcs[self.arcs[i].rev as usize].to as usize;
                        cur[back] += 1;
                        u = back;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
