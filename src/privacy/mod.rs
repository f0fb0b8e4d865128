//! Personal data: a user's export of everything stored about them, an applicant's deletion of
//! their own account, and the administrators' erasure of a withdrawn application after the
//! contest. Each of these actions appends its own audit entry; erasure also redacts the
//! erased values inside older entries, which the chain allows (it covers their digest).

pub mod account;
pub mod erase;
pub mod export;
pub mod routes;
pub mod scrub;

pub use routes::*;
