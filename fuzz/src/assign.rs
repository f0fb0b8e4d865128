//! `jury::assign` without its CLI and instance generator.

#[path = "../../src/assign/diagnose.rs"]
mod diagnose;
#[path = "../../src/assign/face.rs"]
mod face;
#[path = "../../src/assign/flow.rs"]
mod flow;
#[path = "../../src/assign/heap.rs"]
mod heap;
#[path = "../../src/assign/indexed.rs"]
mod indexed;
#[path = "../../src/assign/model.rs"]
mod model;
#[path = "../../src/assign/network.rs"]
mod network;
#[path = "../../src/assign/paths.rs"]
mod paths;
#[path = "../../src/assign/pricing.rs"]
mod pricing;
#[path = "../../src/assign/relax.rs"]
mod relax;
#[path = "../../src/assign/repair.rs"]
mod repair;
#[path = "../../src/assign/rewarm.rs"]
mod rewarm;
#[path = "../../src/assign/route.rs"]
mod route;
#[path = "../../src/assign/solve.rs"]
mod solve;
#[path = "../../src/assign/warm.rs"]
mod warm;

pub use model::{
    Application, Explanation, Instance, InstanceError, Judge, Objective, Solution, Unfilled, check,
    evaluate,
};
pub use repair::{Repair, repair};
pub use solve::solve;
