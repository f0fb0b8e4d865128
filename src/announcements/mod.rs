//! Announcements: an administrator's message in English, Korean and Chinese to a chosen group
//! of a contest's people, previewed per language and mailed through the outbox.

pub mod api;
pub mod audience;
pub mod model;
pub mod routes;
pub mod service;

pub use routes::*;
