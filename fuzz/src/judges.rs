//! `jury::judges::api` and the CSV import format.

#[path = "../../src/judges/api.rs"]
pub mod api;
#[path = "../../src/judges/import_format.rs"]
pub mod import_format;
