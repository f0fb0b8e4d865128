//! Sign-in on the day of the final (issue 21): an administrator issues each judge of a contest
//! a one-time sign-in link (shown as a QR code, or mailed), as an alternative to the password.
//! Links are hashed, single use, short-lived, revocable, and every issue, use and revocation
//! is in the audit log.

pub mod api;
pub mod model;
pub mod routes;
pub mod service;

pub use routes::*;
