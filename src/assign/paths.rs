//! Shortest paths on the residual network of a [`Net`]: the node potentials that certify
//! optimality (computed once on the initial network, or label-correcting on any residual one),
//! and `settle`, which routes excess to deficit along shortest paths while keeping them valid.

use super::flow::{Cost, INF, Net};
use super::heap::IndexedHeap;

impl Net {
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
