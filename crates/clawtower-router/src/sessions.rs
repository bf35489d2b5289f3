//! The OpenClaw session an attached provider's call comes from. Attach tells OpenClaw to send
//! each call's session id (`compat.sendSessionAffinityHeaders`), and the router finds the
//! session's agent and key in OpenClaw's own store, so the budget gate bounds the call by its
//! agent, session and cron job before it is sent, and the ledger books it to that agent at once.
//! Found sessions are kept (a session id never changes hands); one not found is looked for again
//! after [`RETRY_MISSING`] (OpenClaw may list it a moment later).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::HeaderMap;

use clawtower_ledger::transcript::{session_of, SessionContext};

/// The headers OpenClaw sends a call's session id in: `x-session-affinity` (every provider),
/// `session_id` and `x-client-request-id` (OpenAI-style), `x-session-id` (OpenRouter-style).
pub const SESSION_HEADERS: [&str; 4] = [
    "x-session-affinity",
    "session_id",
    "x-session-id",
    "x-client-request-id",
];

/// How long a session id that was not found is not looked for again.
pub const RETRY_MISSING: Duration = Duration::from_secs(1);

/// The most sessions kept; past it the kept ones are forgotten (and found again when used).
const KEPT_MAX: usize = 4096;

/// The session-id header value a call carries, if any (see [`session_of_value`]).
pub fn session_id(headers: &HeaderMap) -> Option<&str> {
    SESSION_HEADERS[..3]
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .map(str::trim)
        .filter(|id| !id.is_empty())
}

/// The session id in a session-id header value: OpenClaw sends an OpenAI-style provider its
/// prompt cache key, `<sessionId>:<compaction count>` (an Anthropic one the bare session id).
pub fn session_of_value(value: &str) -> &str {
    match value.rsplit_once(':') {
        Some((id, count)) if !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()) => id,
        _ => value,
    }
}

/// A copy of `headers` without the session headers that carry `id` (the provider was not sent
/// them before attach told OpenClaw to send them).
pub fn without_session_headers(headers: &HeaderMap, id: &str) -> HeaderMap {
    let mut kept = headers.clone();
    for name in SESSION_HEADERS {
        if kept
            .get(name)
            .is_some_and(|v| v.to_str().is_ok_and(|v| v.trim() == id))
        {
            kept.remove(name);
        }
    }
    kept
}

enum Kept {
    Found(SessionContext),
    Missing(Instant),
}

/// OpenClaw sessions by id, as found in their state dirs.
#[derive(Default)]
pub struct SessionOwners {
    kept: Mutex<HashMap<(PathBuf, String), Kept>>,
}

impl SessionOwners {
    /// The session a session-id header `value` names in the OpenClaw state dir `state_dir`:
    /// kept, or looked for off the async workers (a few file reads and an indexed read per agent).
    pub async fn find(&self, state_dir: &str, value: &str) -> Option<SessionContext> {
        let key = (
            PathBuf::from(state_dir),
            session_of_value(value).to_string(),
        );
        match self.lock().get(&key) {
            Some(Kept::Found(session)) => return Some(session.clone()),
            Some(Kept::Missing(at)) if at.elapsed() < RETRY_MISSING => return None,
            _ => {}
        }
        let (dir, session_id) = key.clone();
        let found = tokio::task::spawn_blocking(move || session_of(&dir, &session_id))
            .await
            .ok()
            .flatten();
        let mut kept = self.lock();
        if kept.len() >= KEPT_MAX {
            kept.clear();
        }
        let entry = match &found {
            Some(session) => Kept::Found(session.clone()),
            None => Kept::Missing(Instant::now()),
        };
        kept.insert(key, entry);
        found
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(PathBuf, String), Kept>> {
        self.kept.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_the_session_id_and_strips_only_the_headers_that_carry_it() {
        let mut headers = HeaderMap::new();
        assert_eq!(session_id(&headers), None);
        headers.insert("session_id", HeaderValue::from_static("s-1"));
        headers.insert("x-client-request-id", HeaderValue::from_static("s-1"));
        headers.insert("x-session-affinity", HeaderValue::from_static("s-1"));
        headers.insert("x-session-id", HeaderValue::from_static("other"));
        headers.insert("authorization", HeaderValue::from_static("Bearer k"));
        assert_eq!(session_id(&headers), Some("s-1"));
        assert_eq!(
            session_of_value("7c7be503-9187-4543-8635-fa153a10b222:0"),
            "7c7be503-9187-4543-8635-fa153a10b222"
        );
        assert_eq!(session_of_value("s-1:12"), "s-1");
        assert_eq!(session_of_value("s-1"), "s-1");
        assert_eq!(session_of_value("key:abc"), "key:abc");
        assert_eq!(session_of_value("s-1:"), "s-1:");
        let kept = without_session_headers(&headers, "s-1");
        let names: Vec<&str> = kept.keys().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), 2);
        assert!(kept.contains_key("authorization") && kept.contains_key("x-session-id"));
    }

    #[tokio::test]
    async fn keeps_found_sessions_and_looks_again_for_a_missing_one() {
        let home = tempfile::tempdir().unwrap();
        let sessions = home.path().join("agents/ops/sessions");
        std::fs::create_dir_all(&sessions).unwrap();
        let dir = home.path().to_str().unwrap();
        let owners = SessionOwners::default();
        assert!(owners.find(dir, "s-1:0").await.is_none());
        std::fs::write(
            sessions.join("sessions.json"),
            r#"{"agent:ops:main":{"sessionId":"s-1"}}"#,
        )
        .unwrap();
        // Not looked for again at once…
        assert!(owners.find(dir, "s-1").await.is_none());
        // …but after the retry interval.
        if let Some(Kept::Missing(at)) = owners.lock().get_mut(&(home.path().into(), "s-1".into()))
        {
            *at -= RETRY_MISSING;
        }
        let found = owners.find(dir, "s-1").await.unwrap();
        assert_eq!(
            (found.agent_id.as_str(), found.session_key.as_str()),
            ("ops", "agent:ops:main")
        );
        // Kept: found even once OpenClaw's list no longer has it.
        std::fs::remove_file(sessions.join("sessions.json")).unwrap();
        assert!(owners.find(dir, "s-1").await.is_some());
    }
}
