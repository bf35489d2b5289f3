//! Alert sinks besides the desktop: generic webhook (JSON), Slack, Discord, Telegram, ntfy and
//! email, with cooldowns, an SSRF guard on outgoing URLs and secrets that never leave the store.

pub(crate) mod config;
pub(crate) mod deliver;
pub(crate) mod dispatch;
pub mod store;

pub use config::{SinkConfig, SinkDraft, SinkView};
pub use dispatch::{dispatch, send_test};
