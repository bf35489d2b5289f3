//! Budgets: scopes, windows, limits and thresholds, measured exactly against the ledger, with
//! the policy and the loop that alerts, pauses and resumes.

pub mod board;
pub mod enforcer;
pub mod model;
pub mod policy;
pub mod spend;
pub mod status;
pub mod store;
pub mod window;

pub use board::{run_budget_loop, BudgetBoard};
pub use enforcer::{statuses, BudgetEnforcer};
pub use model::{Budget, BudgetAction, BudgetDraft, BudgetScope, BudgetWindow};
pub use status::{BudgetLevel, BudgetStatus};
