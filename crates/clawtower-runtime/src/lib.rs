//! Clawtower's runtime: everything that runs while Clawtower is up — the ledger watcher over the
//! OpenClaw install, one feed per followed gateway (with the periodic re-read of
//! `openclaw.json`), the budget loop with its pauses and alerts, the spend feed, and the model
//! router when it is configured, and the message search index. The desktop
//! app, `clawtower serve` and `clawtower gateway follow` all start this same runtime; each
//! supplies only what differs through [`Host`] (notifications, where events go, launch at login).
#![deny(missing_docs)]

pub mod attach;
mod budgets;
mod gateways;
mod host;
mod router;
mod runtime;
mod search_index;
mod tasks;

pub use budgets::BudgetControl;
pub use gateways::GatewaySource;
pub use gateways::Gateways;
pub use host::{Autostart, ChangedSessions, Event, Host, RecordingHost};
pub use router::{RouterService, ROUTER_CONFIG};
pub use runtime::{Runtime, RuntimeOptions};
