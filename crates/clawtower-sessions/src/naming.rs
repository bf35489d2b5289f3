//! What a session is and what to call it: never a bare UUID or an ambiguous tail (`main` of
//! which agent is shown beside it, in its own column).

use std::collections::HashMap;

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use clawtower_core::error::Result;
pub use clawtower_core::session_key::cron_job_of;
use clawtower_core::session_key::{rest_of, SessionKind};

/// What kind of session it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "camelCase")]
pub enum SessionKindName {
    /// The agent's main session.
    Main,
    /// A channel's conversation (Telegram, Discord, Slack…).
    Channel,
    /// A sub-agent's session.
    Subagent,
    /// A cron job's run.
    Cron,
    /// Started by a hook or a plugin.
    Hook,
    /// Anything else (an operator's session, a webhook…).
    Other,
}

/// Channels OpenClaw ships (the third part of a channel session's key).
const CHANNELS: &[&str] = &[
    "telegram",
    "discord",
    "slack",
    "whatsapp",
    "signal",
    "imessage",
    "webchat",
    "matrix",
    "msteams",
    "googlechat",
    "line",
    "irc",
    "mattermost",
    "feishu",
    "zalo",
    "nostr",
    "bluebubbles",
];

/// A session's kind and, for a channel's session, its channel.
pub fn session_kind(key: &str, created_via: Option<&str>) -> (SessionKindName, Option<String>) {
    let first = key.split(':').next();
    let third = key.split(':').nth(2).unwrap_or_default();
    match SessionKind::of(key) {
        SessionKind::Main => (SessionKindName::Main, None),
        SessionKind::Subagent => (SessionKindName::Subagent, None),
        SessionKind::CronRun { .. } => (SessionKindName::Cron, None),
        SessionKind::Other if CHANNELS.contains(&third) || created_via == Some("channel") => {
            (SessionKindName::Channel, Some(third.to_string()))
        }
        SessionKind::Other
            if first == Some("hook")
                || third == "hook"
                || matches!(created_via, Some("plugin" | "hook")) =>
        {
            (SessionKindName::Hook, None)
        }
        SessionKind::Other if created_via == Some("cron") || third == "cron" => {
            (SessionKindName::Cron, None)
        }
        SessionKind::Other => (SessionKindName::Other, None),
    }
}

/// The names of the cron jobs OpenClaw told of, by job id.
pub fn cron_job_names(conn: &rusqlite::Connection) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare_cached("SELECT job_id, name FROM cron_job_names")?;
    let names = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names)
}

/// The cron job a session ran for: from its key ([`cron_job_of`]), or, for a run's session
/// OpenClaw deleted after the run (its calls counted under `agent:<id>:<sessionId>`, as
/// OpenClaw's own usage counts them), from the run's session id the ledger remembered.
pub fn cron_job_id(conn: &rusqlite::Connection, key: &str) -> Result<Option<String>> {
    if let Some(job) = cron_job_of(key) {
        return Ok(Some(job.to_string()));
    }
    let Some(session_id) = rest_of(key).filter(|id| is_uuid(id)) else {
        return Ok(None);
    };
    let mut stmt =
        conn.prepare_cached("SELECT job_id FROM cron_run_sessions WHERE session_id = ?1")?;
    Ok(stmt.query_row([session_id], |r| r.get(0)).optional()?)
}

/// The name of the cron job a cron run's session belongs to, when it is known.
pub fn cron_job_name<'a>(key: &str, names: &'a HashMap<String, String>) -> Option<&'a str> {
    names.get(cron_job_of(key)?).map(String::as_str)
}

/// A readable name for a session: its label; `main`; `sub-agent of <parent>`; `cron run of
/// <job name>` (of its id when the name is not known; `cron_job_name` names the job of a run
/// whose key does not, a deleted one); a channel conversation as `telegram · direct · 12345`; a transcript OpenClaw no longer
/// lists (`listed` false: reset or deleted) as `reset or deleted (<first 8 of its id>)`.
pub fn session_title(
    key: &str,
    label: Option<&str>,
    parent: Option<(&str, Option<&str>)>,
    cron_job_name: Option<&str>,
    listed: bool,
) -> String {
    if let Some(label) = label.map(str::trim).filter(|l| !l.is_empty()) {
        return label.to_string();
    }
    let rest = rest_of(key).unwrap_or(key);
    match SessionKind::of(key) {
        SessionKind::Main => "main".into(),
        SessionKind::Subagent => match parent {
            Some((parent_key, parent_label)) => format!(
                "sub-agent of {}",
                session_title(parent_key, parent_label, None, None, true)
            ),
            None => "sub-agent".into(),
        },
        SessionKind::CronRun { job_id } => {
            format!("cron run of {}", cron_job_name.unwrap_or(&job_id))
        }
        SessionKind::Other if cron_job_name.or(cron_job_of(key)).is_some() => {
            format!(
                "cron run of {}",
                cron_job_name.or(cron_job_of(key)).unwrap_or_default()
            )
        }
        SessionKind::Other if !listed && is_uuid(rest) => {
            format!("reset or deleted ({})", &rest[..8])
        }
        SessionKind::Other => rest.split(':').collect::<Vec<_>>().join(" · "),
    }
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes()
            .enumerate()
            .all(|(i, b)| matches!(i, 8 | 13 | 18 | 23) && b == b'-' || b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_keys_and_how_they_were_made() {
        assert_eq!(
            session_kind("agent:main:main", None).0,
            SessionKindName::Main
        );
        assert_eq!(
            session_kind("agent:main:telegram:direct:42", None),
            (SessionKindName::Channel, Some("telegram".into()))
        );
        assert_eq!(
            session_kind("agent:main:subagent:x", None).0,
            SessionKindName::Subagent
        );
        assert_eq!(
            session_kind("agent:main:cron:j:run:s", None).0,
            SessionKindName::Cron
        );
        assert_eq!(session_kind("hook:gmail:1", None).0, SessionKindName::Hook);
        assert_eq!(
            session_kind("agent:main:think", None).0,
            SessionKindName::Other
        );
    }

    #[test]
    fn titles_are_readable() {
        assert_eq!(
            session_title("agent:main:main", None, None, None, true),
            "main"
        );
        assert_eq!(
            session_title("agent:main:x", Some(" Triage "), None, None, true),
            "Triage"
        );
        assert_eq!(
            session_title(
                "agent:main:subagent:7f1c",
                None,
                Some(("agent:main:main", None)),
                None,
                true
            ),
            "sub-agent of main"
        );
        assert_eq!(
            session_title(
                "agent:main:cron:job-1:run:abc",
                None,
                None,
                Some("nightly"),
                true
            ),
            "cron run of nightly"
        );
        assert_eq!(
            session_title("agent:main:cron:job-1", None, None, None, true),
            "cron run of job-1",
            "OpenClaw 2026.7.1 keeps a job's latest run under the job's key"
        );
        assert_eq!(cron_job_of("agent:main:cron:job-1"), Some("job-1"));
        assert_eq!(cron_job_of("agent:main:cron:job-1:run:s"), Some("job-1"));
        assert_eq!(cron_job_of("agent:main:cron"), None);
        assert_eq!(cron_job_of("agent:main:crony:x"), None);
        assert_eq!(
            session_title(
                "agent:main:2ccc2a32-a3e6-4064-b791-a4a2f483f4ce",
                None,
                None,
                None,
                false
            ),
            "reset or deleted (2ccc2a32)"
        );
        assert_eq!(
            session_title("agent:main:telegram:direct:42", None, None, None, true),
            "telegram · direct · 42"
        );
    }
}
