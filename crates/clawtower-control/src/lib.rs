//! Control over spend: budgets measured against the ledger, pauses sent to a gateway in layers,
//! anomaly rules, alerts (desktop notifications and outgoing sinks), the budget loop that ties
//! them together and the board the UI shows.

#![deny(missing_docs)]

pub mod alerts;
pub mod anomaly;
pub mod board;
pub mod budget;
pub mod enforcer;
pub mod gate;
pub mod pause;
