//! Agents, sessions and cron jobs under control. Everything goes through the gateway's own RPCs;
//! Clawtower never edits OpenClaw's files in place. Deleting an agent archives it (recoverable):
//! its config entry and cron jobs are saved, it is removed from the gateway, and its files move
//! into Clawtower's archive with a manifest; restore brings it back (under `<name>-2` when its
//! name was taken since), purge is the only destroy. Each step is recorded before the next, so a
//! failure leaves a visible state that running the same command again completes. History stays
//! in the ledger under a stable identity (see [`identity`]); every action is in the [`audit`] log.

#![deny(missing_docs)]

pub mod agents;
pub mod archive;
pub mod audit;
pub mod crons;
pub mod identity;
mod moves;
pub mod schedule;
pub mod session_actions;
pub mod stagger;
