//! Budgets: scopes, windows, limits and thresholds, measured exactly against the ledger, with
//! the policy that decides what a crossing does (the loop that acts on it is the `enforcer` module).

pub(crate) mod model;
pub(crate) mod policy;
pub(crate) mod spend;
pub(crate) mod status;
pub mod store;
pub(crate) mod window;

pub use model::{Budget, BudgetAction, BudgetDraft, BudgetScope, BudgetWindow};
pub use status::{measure, BudgetLevel, BudgetStatus, Measured};
