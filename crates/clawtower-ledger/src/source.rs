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

/// What a session key says about the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionKind {
    /// `agent:<id>:main`.
    Main,
    /// `agent:<id>:subagent:<uuid>`.
    Subagent,
    /// `agent:<id>:cron:<jobId>:run:<sessionId>`.
    CronRun {
        /// The cron job.
        job_id: String,
    },
    /// Anything else (operator, channel, webhook…).
    Other,
}

impl SessionKind {
    /// Classifies a session key.
    pub fn of(session_key: &str) -> SessionKind {
        // `agent:<id>:main`, `agent:<id>:subagent:…`, `agent:<id>:cron:<job>:run:…` (read
        // part by part: the sessions list classifies every session with it).
        let mut parts = session_key.split(':');
        if parts.next() != Some("agent") || parts.next().is_none() {
            return SessionKind::Other;
        }
        match (parts.next(), parts.next(), parts.next()) {
            (Some("main"), None, _) => SessionKind::Main,
            (Some("subagent"), _, _) => SessionKind::Subagent,
            (Some("cron"), Some(job), Some("run")) => SessionKind::CronRun {
                job_id: job.to_string(),
            },
            _ => SessionKind::Other,
        }
    }

    /// Stable name, as stored.
    pub fn as_str(&self) -> &'static str {
        match self {
            SessionKind::Main => "main",
            SessionKind::Subagent => "subagent",
            SessionKind::CronRun { .. } => "cron",
            SessionKind::Other => "other",
        }
    }
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

/// The agent a session key names (`agent:<id>:…`), `main` when it names none.
pub fn agent_of_key(session_key: &str) -> String {
    session_key.split(':').nth(1).unwrap_or("main").to_string()
}

/// The key used for a session whose key is unknown (deleted sessions).
pub fn fallback_session_key(agent_id: &str, session_id: &str) -> String {
    format!("agent:{agent_id}:{session_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_session_keys() {
        assert_eq!(SessionKind::of("agent:main:main"), SessionKind::Main);
        assert_eq!(
            SessionKind::of("agent:main:subagent:7f1c"),
            SessionKind::Subagent
        );
        assert_eq!(
            SessionKind::of("agent:main:cron:job-1:run:abc"),
            SessionKind::CronRun {
                job_id: "job-1".into()
            }
        );
        assert_eq!(SessionKind::of("agent:main:think"), SessionKind::Other);
        assert_eq!(SessionKind::of("hook:1234"), SessionKind::Other);
    }
}
