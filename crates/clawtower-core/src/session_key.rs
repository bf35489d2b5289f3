//! OpenClaw's session keys, the id every crate shares: `agent:<agentId>:<rest>` — `main`,
//! `subagent:<uuid>`, `cron:<jobId>:run:<sessionId>` (`cron:<jobId>` for a job's latest run in
//! OpenClaw ≤ 2026.7.1), a channel's `<channel>:<kind>:<peer>`, or anything a plugin chooses.
//! What a key says is read here, once, and nowhere else.

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
        // Read part by part: the sessions list classifies every session with it.
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

/// The agent an `agent:<id>:…` key names; `None` for a key of another shape.
pub fn agent_of(session_key: &str) -> Option<&str> {
    session_key
        .strip_prefix("agent:")?
        .split(':')
        .next()
        .filter(|id| !id.is_empty())
}

/// What an `agent:<id>:…` key says after its agent (`main`, `telegram:direct:42`…); `None`
/// for a key of another shape.
pub fn rest_of(session_key: &str) -> Option<&str> {
    Some(session_key.strip_prefix("agent:")?.split_once(':')?.1)
}

/// The agent a session key names (its second part), `main` when it names none — how the ledger
/// books a call whose source gives no agent.
pub fn agent_of_key(session_key: &str) -> String {
    session_key.split(':').nth(1).unwrap_or("main").to_string()
}

/// The cron job a session runs for: `agent:<id>:cron:<job>:run:<session>`, and
/// `agent:<id>:cron:<job>` (where OpenClaw ≤ 2026.7.1 keeps a job's latest run).
pub fn cron_job_of(session_key: &str) -> Option<&str> {
    let mut parts = session_key.split(':');
    let cron =
        parts.next() == Some("agent") && parts.next().is_some() && parts.next() == Some("cron");
    parts.next().filter(|job| cron && !job.is_empty())
}

/// The key used for a session whose key is unknown (a deleted session's, as OpenClaw's own
/// usage reports key it).
pub fn fallback_session_key(agent_id: &str, session_id: &str) -> String {
    format!("agent:{agent_id}:{session_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_shape_of_key() {
        let run = "agent:ops:cron:nightly:run:5f0c";
        assert_eq!(SessionKind::of("agent:main:main"), SessionKind::Main);
        assert_eq!(
            SessionKind::of("agent:main:subagent:u1"),
            SessionKind::Subagent
        );
        assert_eq!(
            SessionKind::of(run),
            SessionKind::CronRun {
                job_id: "nightly".into()
            }
        );
        for other in [
            "agent:main:telegram:direct:42",
            "agent:main:main:x",
            "agent:main:think",
            "hook:1234",
            "router:key-1",
            "agent",
        ] {
            assert_eq!(SessionKind::of(other), SessionKind::Other, "{other}");
        }
        assert_eq!(agent_of(run), Some("ops"));
        assert_eq!(rest_of(run), Some("cron:nightly:run:5f0c"));
        assert_eq!(rest_of("agent:ops"), None);
        assert_eq!(rest_of("router:key-1"), None);
        assert_eq!(agent_of("router:key-1"), None);
        assert_eq!(agent_of("agent::main"), None);
        assert_eq!(agent_of_key(run), "ops");
        assert_eq!(agent_of_key("orphan"), "main");
        assert_eq!(cron_job_of(run), Some("nightly"));
        assert_eq!(cron_job_of("agent:ops:cron:nightly"), Some("nightly"));
        assert_eq!(cron_job_of("agent:ops:cron:"), None);
        assert_eq!(cron_job_of("agent:ops:main"), None);
        assert_eq!(fallback_session_key("ops", "5f0c"), "agent:ops:5f0c");
    }
}
