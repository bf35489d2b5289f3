//! Clawtower's engine: everything the desktop app and the `clawtower` CLI share, with no Tauri
//! or webview dependency. Today: OpenClaw detection (`doctor`), the ledger store, spend so far.
//! Later issues add transcript sources, pricing, the gateway client, budgets and the router here.

pub mod alerts;
pub mod anomaly;
pub mod budget;
pub mod doctor;
pub mod engine;
pub mod error;
pub mod gateway;
pub mod gateways;
pub mod ledger;
pub mod money;
pub mod notifier;
pub mod openclaw;
pub mod paths;
pub mod pause;
pub mod period;
pub mod preferences;
pub mod sinks;
pub mod spend;
pub mod spend_feed;
pub mod store;
pub mod text;
pub mod top_spend;

pub use engine::Engine;
pub use error::{EngineError, ErrorCode, Result};
pub use money::NanoUsd;
pub use paths::DataDir;
pub use preferences::Theme;
pub use spend::SpendSummary;

/// The Clawtower version (the workspace version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
