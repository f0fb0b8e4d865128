//! Reviews: a judge's scores and comments for one assignment.

pub mod api;
pub mod model;
pub mod routes;
pub mod service;
pub mod status;
mod update;

pub use routes::*;
