//! Jury: the judging platform of the Gyeonggi–Hangzhou Global Start-up Contest.
//! The crate root only declares modules; `app()` (in `app.rs`) builds the HTTP application
//! that `main` and the tests both use. ARCHITECTURE.md gives the layers.

pub mod access;
pub mod announcements;
pub mod app;
pub mod applications;
pub mod assign;
pub mod assignments;
pub mod audience;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod config;
pub mod contests;
pub mod db;
pub mod demo;
pub mod error;
pub mod judges;
pub mod live;
pub mod mail;
pub mod organisations;
pub mod privacy;
pub mod results;
pub mod reviews;
pub mod rounds;
pub mod scope;
pub mod scoring;
pub mod state;
pub mod storage;
pub mod unit;
pub mod web;

pub use app::{app, configure};
pub use state::{AppState, StartError};
