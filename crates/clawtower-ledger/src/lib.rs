//! The ledger: every OpenClaw transcript entry, read exactly from either storage layout, priced,
//! and stored idempotently. Reports are computed from it: spend summaries, the live spend feed and
//! the top spenders of a period.
//!
//! Its surface is four namespaces, one per concept; the modules behind them are private:
//! [`pricing`] (what a model costs), [`transcript`] (reading OpenClaw's session stores),
//! [`record`] (model calls into the ledger: an import, the watcher, one call) and [`report`]
//! (the ledger read back: reports, sums, spend, the top spenders).

#![deny(missing_docs)]

mod call;
mod entry;
mod ingest;
mod lines;
pub mod pricing;
mod scan;
mod source;
mod sources;
mod spend;
mod spend_feed;
mod spend_report;
mod sums;
mod top_spend;
mod unwatched;
mod watch;
mod writer;

/// Reading OpenClaw's session stores: one transcript line, the files and databases that hold
/// them (`jsonl`, `sqlite`, the `cold` archives), and the cursors that say how far they were read.
pub mod transcript {
    pub use crate::entry::{
        fingerprint, parse_line, timestamp_ms, AssistantMessage, Entry, EntryKind, ReportedCost,
        SkipReason, ToolCall, Usage, MAX_LINE_BYTES, MAX_TOKENS_PER_CALL,
    };
    pub use crate::lines::split_lines;
    pub use crate::source::{Batch, Cursor, LineParser, ParsedLine, SessionContext, SessionInfo};
    pub use crate::sources::{cold, jsonl, session_of, sqlite};
}

/// Model calls into the ledger: a whole import of a state dir, the watcher that follows it, and
/// one call as the ledger stores it (from a transcript or from the router).
pub mod record {
    pub use crate::call::{announced_session, billed_call, call_key, model_call, unbilled_call};
    pub use crate::ingest::{ingest_state_dir, IngestReport, Progress, CORRECTION_PENDING};
    pub use crate::unwatched::{read as unwatched, Unwatched};
    pub use crate::watch::{LedgerWatcher, PassCallback, DEBOUNCE};
    pub use crate::writer::{
        apply_batch, count_skipped, event_id, kind_and_cron_job, skipped_totals, BatchOutcome,
    };
}

/// The ledger read back: reports by day, week, month, agent or model, the sums they are made
/// of, today's spend (and the feed that keeps it current), the top spenders, a scan of files.
pub mod report {
    pub use crate::scan::{scan_report, ScanStats};
    pub use crate::spend::{summarize, tray_label, tray_label_for, SpendSummary};
    pub use crate::spend_feed::SpendFeed;
    pub use crate::spend_report::{
        bounds, build, calendar_key, time_error, to_csv, Report, ReportKind, ReportQuery, Row,
    };
    pub use crate::sums::{sums_at, Sums, Totals};
    pub use crate::top_spend::{top_spend, SpendPeriod, TopEntry, TopSpend};
}
