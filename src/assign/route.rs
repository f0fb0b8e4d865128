//! Routing on the face (`face`): successive shortest paths from excess to deficit over the
//! face's residual network, which is never built: each node lists its residual arcs from the
//! face's bounds and pairs when Dijkstra reaches it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::face::Face;

const INF: i64 = i64::MAX / 4;

impl Face<'_> {
    /// Successive shortest paths from excess to deficit inside the face, one unit at a time.
    /// False if some excess cannot reach a deficit (the face has no feasible flow).
    pub(super) fn route(&mut self) -> Option<usize> {
        let n = self.excess.len();
        let (src, snk) = (n, n + 1);
        let mut pk = vec![0i64; n + 2];
        let mut dist = vec![INF; n + 2];
        let mut pred: Vec<(usize, Step)> = vec![(usize::MAX, Step::Sink(0)); n + 2];
        let mut heap = BinaryHeap::new();
        let mut out = Vec::new();
        let mut units = 0;
        while self.excess.iter().any(|&x| x > 0) {
            units += 1;
            dist.fill(INF);
            dist[src] = 0;
            heap.clear();
            // Among equal distances the latest pushed first: a deep dive that meets a deficit
            // soon in a network where most reduced costs are zero.
            let mut seq = 0u64;
            heap.push((Reverse(0i64), seq, src));
            while let Some((Reverse(d), _, u)) = heap.pop() {
                if d > dist[u] {
                    continue;
                }
                if u == snk {
                    break;
                }
                out.clear();
                self.arcs(u, &mut out);
                for &(v, cost, step) in &out {
                    let nd = d + cost + pk[u] - pk[v];
                    debug_assert!(cost + pk[u] - pk[v] >= 0, "negative reduced cost");
                    if nd < dist[v] {
                        dist[v] = nd;
                        pred[v] = (u, step);
                        seq += 1;
                        heap.push((Reverse(nd), seq, v));
                    }
                }
            }
            let dt = dist[snk];
            if dt >= INF {
                return None;
            }
            for (p, &d) in pk.iter_mut().zip(&dist) {
                *p += d.min(dt);
            }
            let mut v = snk;
            while v != src {
                let (u, step) = pred[v];
                self.apply(step);
                v = u;
            }
            units += self.blocking(&pk, &mut out);
        }
        Some(units)
    }

    /// More units along paths of arcs with zero reduced cost (all shortest now), by depth-first
    /// search; a node that led nowhere is not tried again in this phase. Returns the units.
    fn blocking(&mut self, pk: &[i64], scratch: &mut Vec<(usize, i64, Step)>) -> usize {
        let n = self.excess.len();
        let (src, snk) = (n, n + 1);
        let mut dead = vec![false; n + 2];
        let mut on_path = vec![false; n + 2];
        let mut units = 0;
        loop {
            let mut stack: Vec<Frame> = Vec::new();
            scratch.clear();
            self.arcs(src, scratch);
            stack.push((src, scratch.clone(), 0, None));
            on_path[src] = true;
            let mut found = false;
            while let Some(top) = stack.last_mut() {
                let u = top.0;
                if u == snk {
                    found = true;
                    break;
                }
                let next = top.1[top.2..]
                    .iter()
                    .position(|&(v, cost, _)| !dead[v] && !on_path[v] && cost + pk[u] - pk[v] == 0);
                match next {
                    Some(i) => {
                        let (v, _, step) = top.1[top.2 + i];
                        top.2 += i + 1;
                        let mut arcs = Vec::new();
                        if v != snk {
                            self.arcs(v, &mut arcs);
                        }
                        on_path[v] = true;
                        stack.push((v, arcs, 0, Some(step)));
                    }
                    None => {
                        dead[u] = true;
                        on_path[u] = false;
                        stack.pop();
                    }
                }
            }
            for frame in &stack {
                on_path[frame.0] = false;
            }
            if !found {
                return units;
            }
            for step in stack.iter().filter_map(|f| f.3) {
                self.apply(step);
            }
            units += 1;
        }
    }

    /// Residual arcs out of node `u` as (head, keep cost, step).
    fn arcs(&self, u: usize, out: &mut Vec<(usize, i64, Step)>) {
        let n = self.excess.len();
        let (src, snk) = (n, n + 1);
        let (na, nr) = (self.panel.len(), self.nr);
        if u == src {
            for (v, &x) in self.excess.iter().enumerate() {
                if x > 0 {
                    out.push((v, 0, Step::Source(v)));
                }
            }
            return;
        }
        if self.excess[u] < 0 {
            out.push((snk, 0, Step::Sink(u)));
        }
        let keep = |j: usize, a: usize| i64::from(self.prev[a].contains(&j));
        if u == 0 {
            for &a in &self.flexible {
                if self.seat[a].2 < self.seat[a].1 {
                    out.push((self.app(a), 0, Step::Seat(a, 1)));
                }
            }
            for (j, l) in self.load.iter().enumerate() {
                if l.2 > l.0 {
                    out.push((self.judge(j), 0, Step::Load(j, -1)));
                }
            }
        } else if u <= na {
            let a = u - 1;
            if self.seat[a].2 > self.seat[a].0 {
                out.push((0, 0, Step::Seat(a, -1)));
            }
            for r in 0..nr {
                let (c, f) = (self.cover[a * nr + r], self.free[a * nr + r]);
                if c.2 < c.1 {
                    out.push((self.xnode(a, r), 0, Step::Cover(a, r, 1)));
                }
                if f.2 < f.1 {
                    out.push((self.xnode(a, r), 0, Step::Free(a, r, 1)));
                }
            }
        } else if u <= na * (1 + nr) {
            let (a, r) = ((u - 1 - na) / nr, (u - 1 - na) % nr);
            let (c, f) = (self.cover[a * nr + r], self.free[a * nr + r]);
            if c.2 > c.0 {
                out.push((self.app(a), 0, Step::Cover(a, r, -1)));
            }
            if f.2 > f.0 {
                out.push((self.app(a), 0, Step::Free(a, r, -1)));
            }
            for &j in &self.lists[self.tight[self.class_of[a] * nr + r]] {
                if !self.panel[a].contains(&j) && self.allowed(j, a) {
                    out.push((self.judge(j), -keep(j, a), Step::Pair(a, j, 1)));
                }
            }
        } else {
            let j = u - 1 - na * (1 + nr);
            if self.load[j].2 < self.load[j].1 {
                out.push((0, 0, Step::Load(j, 1)));
            }
            let r = self.m.judge_region[j];
            for &a in &self.apps_of[j] {
                if self.forced.is_empty() || !self.forced.contains(&(j, a)) {
                    out.push((self.xnode(a, r), keep(j, a), Step::Pair(a, j, -1)));
                }
            }
        }
    }

    fn apply(&mut self, step: Step) {
        let nr = self.nr;
        match step {
            Step::Source(v) => self.excess[v] -= 1,
            Step::Sink(v) => self.excess[v] += 1,
            Step::Seat(a, d) => self.seat[a].2 += d,
            Step::Cover(a, r, d) => self.cover[a * nr + r].2 += d,
            Step::Free(a, r, d) => self.free[a * nr + r].2 += d,
            Step::Load(j, d) => self.load[j].2 += d,
            Step::Pair(a, j, 1) => {
                self.panel[a].push(j);
                self.apps_of[j].push(a);
            }
            Step::Pair(a, j, _) => {
                self.panel[a].retain(|&x| x != j);
                self.apps_of[j].retain(|&x| x != a);
            }
        }
    }
}

/// A node on the depth-first path: the node, its arcs, the next arc to try, the step that
/// entered it.
type Frame = (usize, Vec<(usize, i64, Step)>, usize, Option<Step>);

#[derive(Clone, Copy, Debug)]
enum Step {
    Source(usize),
    Sink(usize),
    Seat(usize, i64),
    Cover(usize, usize, i64),
    Free(usize, usize, i64),
    Load(usize, i64),
    Pair(usize, usize, i64),
}
