//! Applications: the applicant's form, submission and pitch deck; the administrators' list,
//! export and disqualification.

pub mod api;
pub mod changes;
pub mod completeness;
pub mod documents;
pub mod lifecycle;
pub mod model;
pub mod pdf;
pub mod present;
pub mod routes;
pub mod scan;
pub mod service;
pub mod views;

pub use routes::*;
