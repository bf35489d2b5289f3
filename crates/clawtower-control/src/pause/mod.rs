//! Pausing model traffic: layered changes on the gateway, each recorded so resume undoes exactly
//! what pause did (REPORT §11).

pub mod controller;
mod layers;
pub mod record;
pub mod step;

pub use controller::{PauseRequest, Pauser};
pub use record::{PauseRecord, PauseView};
pub use step::PauseStep;
