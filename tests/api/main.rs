//! The API suite, run through real HTTP against SQLite (default) or PostgreSQL
//! (`JURY_TEST_BACKEND=postgres`).

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod announcements;
mod applications;
mod applications_admin;
mod architecture;
mod attacks;
mod audit_gaps;
mod auth;
mod awards;
mod blind_deck;
mod cli;
mod csv_injection;
mod deck_files;
mod demo;
mod editions;
mod erasure_everywhere;
mod faults;
mod imports;
mod instances;
mod judges;
mod judging;
mod mail;
mod mail_scale;
mod notifications;
mod one_time_links;
mod openapi;
mod outbox;
mod pdf_evasion;
mod permission_matrix;
mod platform;
mod privacy;
mod questions;
mod ratelimit;
mod response_schemas;
mod results;
mod rounds;
mod schema;
mod sessions;
mod templates;
mod two_factor;
mod uploads;
mod writes;
