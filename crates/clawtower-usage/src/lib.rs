//! Usage and cost analytics over the ledger: where the money went in a window of local days —
//! a time series stacked by model, agent, provider or channel, tables per session, agent, model,
//! provider and cron job, what prompt caching saved, which tokens have no price and why, and what
//! the same usage would have cost on another model. Read from the day rollups (instant over
//! millions of calls), or from the quarter-hour rollups for hours and other time zones.

#![deny(missing_docs)]

pub mod export;
mod long_prompts;
mod periods;
mod prices;
pub mod query;
mod read;
pub mod view;

pub use export::UsageExportFormat;
pub use query::{Granularity, UsageDimension, UsageQuery};
pub use view::{usage, Period, Stack, UsageRow, UsageView};
