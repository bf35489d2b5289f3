//! Clawtower's engine, with no Tauri or webview dependency: OpenClaw knowledge (`openclaw`,
//! `doctor`), the SQLite store, the ledger (transcript sources, pricing, reports), the gateway
//! protocol client, and control (budgets, pauses, anomaly rules, alerts and their sinks).
//! `clawtower-runtime` runs it; `clawtower-api` is every command over it.

#![deny(missing_docs)]

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
