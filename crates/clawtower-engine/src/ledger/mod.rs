//! The ledger: every OpenClaw transcript entry, read exactly from either storage layout, priced,
//! and stored idempotently. Reports are computed from it.

pub mod call;
pub mod entry;
pub mod ingest;
pub mod lines;
pub mod pricing;
pub mod report;
pub mod scan;
pub mod source;
pub mod sources;
pub mod watch;
pub mod writer;
