//! Accounts and sessions: routes under `/api/v1/auth`, `/api/v1/me` and `/api/v1/setup`.

pub mod api;
pub mod day_links;
pub mod device;
pub mod extract;
pub mod issue;
pub mod jwt;
pub mod model;
pub mod password;
pub mod register;
pub mod routes;
pub mod service;
pub mod sessions;
pub mod tokens;
pub mod totp;
pub mod two_factor;

pub use extract::{Admin, Applicant, AuthUser, Judge, JudgeToken, Staff};
pub use routes::*;
