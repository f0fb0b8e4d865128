//! Browser tests: real Chromium clicking through the real server.

#[path = "../common/mod.rs"]
mod common;

mod applicant;
mod shell;
