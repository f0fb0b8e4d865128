//! Judges: invitations (single, bulk, CSV), profiles, deactivation and conflicts of interest.

pub mod api;
pub mod conflict_cases;
pub mod conflicts;
pub mod entries;
pub mod import;
pub mod import_format;
pub mod invitations;
pub mod model;
pub mod routes;
pub mod service;

pub use routes::*;
