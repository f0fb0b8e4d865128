//! Judging rounds: configuration, rubric builder, state machine, progress and reminders.

pub mod api;
pub mod model;
pub mod notify;
pub mod progress;
pub mod routes;
pub mod routing;
mod rubric;
pub mod service;

pub use routes::*;
