//! One session as every view shows it: its row ([`SessionRow`]) and where it stands
//! ([`SessionStatus`]).

use serde::{Deserialize, Serialize};

use crate::naming::SessionKindName;

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "camelCase")]
pub enum SessionStatus {
    /// A run is going now.
    Running,
    /// Started, no run going (waiting for input, a tool or a sub-agent).
    Waiting,
    /// The last run finished.
    Done,
    /// The last run failed or timed out.
    Failed,
    /// The last run was killed or aborted.
    Aborted,
    /// OpenClaw no longer lists it: its transcript was reset or deleted (the ledger keeps it).
    Archived,
    /// Nothing is known of its runs yet.
    Unknown,
}

impl SessionStatus {
    /// From OpenClaw's `status` and `hasActiveRun` (authoritative liveness); `deleted` is what
    /// the live feed records for a session deleted while Clawtower watched.
    pub fn of(status: Option<&str>, active: Option<bool>, listed: bool) -> SessionStatus {
        if !listed || status == Some("deleted") {
            return SessionStatus::Archived;
        }
        if active == Some(true) {
            return SessionStatus::Running;
        }
        match status {
            Some("running") => SessionStatus::Waiting,
            Some("done") => SessionStatus::Done,
            Some("failed" | "timeout") => SessionStatus::Failed,
            Some("killed" | "aborted") => SessionStatus::Aborted,
            _ => SessionStatus::Unknown,
        }
    }
}

/// One row of the sessions list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct SessionRow {
    /// The session key.
    pub key: String,
    /// Its agent.
    pub agent_id: String,
    /// A readable name: its label, "main", "sub-agent of …", "cron run of …", the channel…
    pub title: String,
    /// What kind of session it is.
    pub kind: SessionKindName,
    /// Where it stands.
    pub status: SessionStatus,
    /// The channel it talks on (`telegram`, `discord`…), when it is a channel's session.
    pub channel: Option<String>,
    /// The session that spawned it (a sub-agent's parent).
    pub spawned_by: Option<String>,
    /// The cron job of a cron run.
    pub cron_job_id: Option<String>,
    /// The `provider/model`s its calls used, most expensive first (filled in for the rows of a
    /// page, a tree or one session; empty in a bulk read).
    pub models: Vec<String>,
    /// Billed model calls.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub calls: u64,
    /// Aborted or failed calls (not billed).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub unbilled_calls: u64,
    /// Billed tokens (input, output, cache read and write).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub tokens: u64,
    /// What its calls cost, USD.
    pub cost_usd: f64,
    /// Its first call or event, Unix ms (to the quarter hour when only the ledger knows it).
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub started_ms: Option<i64>,
    /// Its latest activity, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub last_activity_ms: Option<i64>,
    /// Sessions it spawned.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub children: u64,
    /// Where the searched text was said in it (a message cut around the match), when the list
    /// was searched and the session matched by what was said.
    pub said: Option<String>,
}
