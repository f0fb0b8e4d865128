//! `jury::auth::jwt`.

#[path = "../../src/auth/jwt.rs"]
pub mod jwt;
