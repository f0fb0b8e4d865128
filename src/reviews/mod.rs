//! Reviews: a judge's scores and comments for one assignment.

pub mod api;
pub mod model;
pub mod routes;
pub mod service;
pub mod status;

pub use routes::*;
