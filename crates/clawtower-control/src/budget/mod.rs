//! Budgets: scopes, windows, limits and thresholds, measured exactly against the ledger, with
//! the policy that decides what a crossing does (the loop that acts on it is the `enforcer` module).

pub mod model;
pub mod policy;
pub mod spend;
pub mod status;
pub mod store;
pub mod window;

pub use model::{Budget, BudgetAction, BudgetDraft, BudgetScope, BudgetWindow};
pub use status::{BudgetLevel, BudgetStatus};
