//! Browser tests: real Chromium clicking through the real server (skipped with a reason when
//! Chromium is not installed, unless `JURY_REQUIRE_BROWSER=1`), plus checks on the frontend's
//! files that need no browser.

#[path = "../common/mod.rs"]
mod common;

mod announcements;
mod applicant;
mod contest_setup;
mod editions;
mod forms;
mod frontend_files;
mod judge_conflicts;
mod judging;
mod live_day;
mod live_final;
mod organisers;
mod outbox;
mod privacy;
mod questions;
mod results;
mod round_routing;
mod screens;
mod security;
mod shell;
mod sweep;
mod two_factor;
mod whole_edition;
