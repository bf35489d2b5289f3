//! The ledger: every OpenClaw transcript entry, read exactly from either storage layout, priced,
//! and stored idempotently. Reports are computed from it: spend summaries, the live spend feed and
//! the top spenders of a period.

#![deny(missing_docs)]

pub mod call;
pub mod entry;
pub mod ingest;
pub mod lines;
pub mod pricing;
pub mod report;
pub mod scan;
pub mod source;
pub mod sources;
pub mod spend;
pub mod spend_feed;
pub mod sums;
pub mod top_spend;
pub mod unwatched;
pub mod watch;
pub mod writer;
