//! Pausing model traffic: layered changes on the gateway, each recorded so resume undoes exactly
//! what pause did (REPORT §11).

pub(crate) mod controller;
mod layers;
pub(crate) mod record;
pub(crate) mod step;

pub use controller::{PauseRequest, Pauser};
pub use record::{active, begin, PauseRecord, PauseView};
pub use step::PauseStep;
