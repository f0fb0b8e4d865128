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
//! needed, keep that a plain two-terminal computation. All costs are integers (`i128`). The
//! potentials and `settle` are in `paths.rs`.

pub type Cost = i128;
pub const INF: Cost = Cost::MAX / 4;

#[derive(Clone, Copy, Debug)]
pub(super) struct Arc {
    pub(super) cost: Cost,
    pub(super) cap: i64,
    pub(super) to: u32,
    pub(super) rev: u32,
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
    pub(super) n: usize,
    pub edges: Vec<Edge>,
    pub(super) start: Vec<u32>,
    pub(super) arcs: Vec<Arc>,
    pub(super) pos: Vec<u32>,
    /// Per real node: its arc from the super source and its arc to the super sink.
    pub(super) sup: Vec<(u32, u32)>,
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

    pub(super) fn out(&self, v: usize) -> std::ops::Range<usize> {
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
}

#[cfg(test)]
mod tests;
