//! Contest editions: public listing, and administration of names, tracks, window and rules.

pub mod api;
pub mod edition;
pub mod model;
pub mod questions;
pub mod routes;
pub mod service;
pub mod text;

pub use routes::*;
