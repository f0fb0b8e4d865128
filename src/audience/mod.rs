//! The audience vote of a live final (issue 21): the People's Choice, a separate award the
//! audience gives by ticket code or verified email, never mixed into the judges' ranking.
//! `service::peoples_choice(conn, round_id)` is the read the display page calls for the reveal.

pub mod api;
pub mod model;
pub mod public;
pub mod routes;
pub mod service;
pub mod views;

pub use routes::*;
