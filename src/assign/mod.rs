//! Judge assignment (DESIGN §6), pure: no database, no HTTP, no async.
//!
//! Hard rules: a judge takes at most `capacity` applications, never a conflicted one, never the
//! same one twice, and an application gets at most k judges. Within them, in strict order:
//! 1. fill as many seats as possible;
//! 2. cover as many (application, required region) pairs as possible;
//! 3. maximise affinity (the judge's expertise in the application's track, 0–3);
//! 4. minimise Σ load² (even load).
//!
//! # Formulation
//! One min-cost circulation (`network`): seats, region cover arcs, expertise on the pair arcs
//! and one unit arc per load level with cost 2v − 1 (so a judge's arcs sum to load²). Each
//! level's weight exceeds the largest total all lower levels can reach, so the cheapest
//! integral flow is the lexicographic optimum; costs are `i128` integers, never floats.
//! Interchangeable judges (same region, capacity and expertise, no conflict) form one class
//! node, and so do interchangeable applications (same track, no conflict); `decompose` deals
//! class flows back to individuals cyclically, which provably keeps every constraint and the
//! exact objective (see there).
//!
//! # Algorithm, and why
//! Successive shortest paths with potentials (primal-dual): Dijkstra on reduced costs, then a
//! blocking flow over every shortest path of that length. Chosen over cost scaling because
//! (a) the network is layered, so exact initial potentials come from one topological pass;
//! (b) path costs are sums of a few level weights, so the number of distinct path lengths
//! (phases) is small (tens), each phase moving many units; (c) the potentials it maintains are
//! exactly the dual certificate that lets the pair arcs be a sparse candidate set: after each
//! solve, every left-out (application, judge) arc is priced against the potentials, and any
//! with negative reduced cost is added (saturated) and the flow re-settled. When none is
//! left, LP duality says no omitted arc could improve the flow: sparse lists never cost
//! optimality. (d) The same machinery warm-starts `repair` from the earlier assignment.
//!
//! The complete bipartite graph of 10,000 × 1,000 has 10 M pair arcs; the candidate network
//! has a few dozen per application.

pub mod cli;
mod diagnose;
mod face;
mod flow;
pub mod generate;
mod heap;
mod indexed;
mod model;
mod network;
mod paths;
mod pricing;
mod relax;
mod repair;
mod rewarm;
mod route;
mod solve;
mod warm;

pub use model::{
    Application, Explanation, Instance, InstanceError, Judge, Objective, Solution, Unfilled, check,
    evaluate,
};
pub use repair::{Repair, repair};
pub use solve::solve;

#[cfg(test)]
mod reference;
#[cfg(test)]
mod repair_tests;
#[cfg(test)]
mod shape_tests;
#[cfg(test)]
mod tests;
