//! The gateways Clawtower follows and what flows from them into the ledger: the roster (the local
//! gateway from openclaw.json and any added by URL), each gateway's live feed (calls, session
//! updates, activity; backfill after a gap; a spool when the store cannot be written) and the
//! crosscheck of the ledger against OpenClaw's own `usage.cost`.

#![deny(missing_docs)]

pub mod crosscheck;
pub mod feed;
mod last_seen;
pub mod live;
pub mod roster;
mod spool;
