//! Clawtower's model router: one local OpenAI- and Anthropic-compatible endpoint between agents
//! and model providers. Each request comes with a virtual key (its agent), names a model
//! (`provider/model`, an alias with a fallback chain, or a bare id), is sent on with the provider's
//! own key — body untouched but for the model id — and lands in the ledger with exactly the usage
//! the provider reported, streams included.

#![deny(missing_docs)]

pub mod activity;
pub mod attachments;
pub mod body;
mod breaker;
mod catalog;
pub mod config;
mod config_error;
mod errors;
pub mod keyring;
pub mod keys;
mod limits;
pub mod meter;
mod rules;
mod server;
mod sessions;
pub mod status;
mod stream;
pub mod usage;
mod worst_case;

pub use config::{Config, ConfigError};
pub use server::{app, RouterState};
