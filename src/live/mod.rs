//! The live final: a round run from the hall. The organiser's run sheet and controls, judges'
//! phones following the current pitch by server push and scoring it while it is open, the
//! organiser's board, and the projector's display with the staged reveal of the awards.

pub mod api;
pub mod fanout;
mod listen;
pub mod model;
pub mod routes;
pub mod scoring;
pub mod service;
pub mod stream;
pub mod views;

pub use routes::*;
