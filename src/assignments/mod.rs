//! Assignments: manual placement under the hard rules, the judge's queue and scoring view.

pub mod api;
pub mod auto;
pub mod instance;
pub mod model;
pub mod queue;
pub mod queue_cache;
pub mod revalidate;
pub mod routes;
pub mod service;

pub use routes::*;
