//! The pure parts of Jury, compiled alone for the fuzzer. These are the server's own source
//! files, included by path; only `crate::error` is a small stand-in (the real one brings in
//! actix-web and diesel), so what is fuzzed is exactly what the server runs.
#![allow(dead_code, unused_imports)]

pub mod assign;
pub mod auth;
pub mod error;
pub mod judges;

/// The upload checks. A block with a directory path, so that `scan.rs` finds its parts in
/// `scan/` as it does in the server (a file given by `#[path]` looks beside itself instead).
#[path = "../../src/applications"]
pub mod applications {
    pub mod pdf;
    pub mod scan;
}

pub use applications::{pdf, scan};

/// Text in several languages, which `judges::api` names (`contests::api` re-exports it).
#[path = "../../src/contests"]
pub mod contests {
    pub mod text;
    pub mod api {
        pub use super::text::{I18nText, I18nTextSchema};
    }
}
