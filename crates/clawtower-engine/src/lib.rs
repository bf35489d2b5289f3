//! The engine facade the runtime and the CLI hold: one data directory's store with its spend feed,
//! the ledger watcher and the control records (budgets, anomaly rules, alerts, sinks) behind one
//! type, plus `doctor` (what is installed, found and stored) and the app's preferences. The
//! concepts themselves live in their own crates: `clawtower-core`, `-store`, `-openclaw`,
//! `-ledger`, `-gateway`, `-feeds` and `-control`. No Tauri or webview dependency.

#![deny(missing_docs)]

pub mod doctor;
mod engine;
mod preferences;

pub use engine::Engine;
pub use preferences::Theme;
