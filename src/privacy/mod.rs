//! Personal data: a user's export of everything stored about them, an applicant's deletion of
//! their own account, and the administrators' erasure of a withdrawn application after the
//! contest. Old audit entries are never rewritten (the hash chain covers their text); each of
//! these actions appends its own.

pub mod account;
pub mod erase;
pub mod export;
pub mod routes;

pub use routes::*;
