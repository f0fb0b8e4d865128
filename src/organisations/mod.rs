//! Joint organisers (issue 22): organisations, their staff, their dashboards, and routing
//! submitted applications to their preliminaries. Who may reach what is `scope.rs`.

pub mod api;
pub mod dashboard;
pub mod model;
pub mod routes;
pub mod routing;
pub mod service;

pub use routes::*;
