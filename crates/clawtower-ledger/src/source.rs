//! What every transcript source (JSONL files, the per-agent SQLite store) hands to the writer.

use super::entry::{Entry, SkipReason};

/// The session a batch of lines belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionContext {
    /// OpenClaw agent id.
    pub agent_id: String,
    /// Session key (`agent:<id>:…`); deleted sessions are keyed `agent:<id>:<sessionId>`, as
    /// OpenClaw's own usage reports do.
    pub session_key: String,
    /// Transcript generation id.
    pub session_id: String,
}

/// One line of a source, parsed (into an [`Entry`] for the ledger; a reader for display parses
/// the same lines into its own type).
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedLine<T = Entry> {
    /// Byte offset (files) or `seq` (SQLite) of the line; names entries that have no id.
    pub position: u64,
    /// The entry, or why the line was skipped.
    pub result: Result<T, SkipReason>,
}

/// Parses one line of a transcript (the ledger's [`crate::entry::parse_line`], or a reader's own).
pub type LineParser<T> = fn(&[u8]) -> Result<T, SkipReason>;

/// How far a source has been read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Next byte offset (files) or next `seq` (SQLite).
    pub position: u64,
    /// Identifies the source's content, so truncation and replacement are noticed.
    pub fingerprint: String,
}

/// New lines from one source, and the cursor to store with them (in the same transaction).
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// Stable source id (`jsonl:<path>`, `sqlite:<agent>/<sessionId>`).
    pub source: String,
    /// Whose lines these are.
    pub context: SessionContext,
    /// The lines.
    pub lines: Vec<ParsedLine>,
    /// Where the next read starts.
    pub cursor: Cursor,
    /// Read from a reset or deleted session's archive: OpenClaw's last word on these calls, so
    /// their session is the archive's, whatever a live source said before.
    pub from_archive: bool,
}

/// A session as its source describes it (`sessions.json` entry or `session_nodes` row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// Session key.
    pub session_key: String,
    /// Agent id.
    pub agent_id: String,
    /// Current transcript generation.
    pub session_id: Option<String>,
    /// Parent session key of a sub-agent (`spawnedBy`).
    pub spawned_by: Option<String>,
    /// `createdVia` (`spawn`, `cron`, `operator`…).
    pub created_via: Option<String>,
    /// Label shown in OpenClaw.
    pub label: Option<String>,
    /// Its last run's `status` (`running`, `done`, `failed`, `killed`, `timeout`).
    pub status: Option<String>,
    /// When OpenClaw last changed it (`updatedAt`), Unix ms.
    pub updated_ms: Option<i64>,
}
