//! Results: the ranked table, exports, the sensitivity report, advancing and publishing,
//! and what applicants and the public see once a round is published.

pub mod api;
pub mod awards;
pub mod cache;
pub mod erase;
pub mod model;
pub mod publish;
pub mod routes;
pub mod service;

pub use routes::*;
