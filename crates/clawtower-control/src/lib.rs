//! Control over spend: budgets measured against the ledger, pauses sent to a gateway in layers,
//! anomaly rules, alerts (desktop notifications and outgoing sinks), the budget loop that ties
//! them together and the board the UI shows.

#![deny(missing_docs)]

pub mod alerts;
pub mod anomaly;
mod board;
pub mod budget;
mod enforcer;
mod gate;
pub mod pause;

pub use board::{run_budget_loop, BudgetBoard};
pub use enforcer::{statuses, BudgetEnforcer};
pub use gate::BudgetGate;
