//! Whose session a session id is: the agent and the session key OpenClaw keeps it under, read
//! from OpenClaw's own store (an agent's SQLite `session_windows`, or its `sessions.json` and
//! transcript file). The model router asks for a call OpenClaw tags with its session id, so an
//! agent's or a session's budget bounds the call before it is sent.

use rusqlite::OptionalExtension;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

use crate::source::SessionContext;
use clawtower_core::session_key::fallback_session_key;
use clawtower_openclaw::layout::{open_read_only, AGENT_SQLITE};

/// The longest session id looked up (OpenClaw's are UUIDs; it clamps what it sends to 64).
const MAX_ID_LEN: usize = 128;

/// The agent and session key of the transcript generation `session_id` in the OpenClaw state dir
/// `state_dir`; `None` when no agent there has it (yet), or the id cannot be one. Reads files
/// and databases: call it off an async worker.
pub fn session_of(state_dir: &Path, session_id: &str) -> Option<SessionContext> {
    if !is_plain_id(session_id) {
        return None;
    }
    let agents = std::fs::read_dir(state_dir.join("agents")).ok()?;
    let mut legacy = Vec::new();
    for entry in agents.filter_map(|e| e.ok()) {
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let agent_id = entry.file_name().to_string_lossy().into_owned();
        let dir = entry.path();
        if let Some(key) = window_key(&dir.join(AGENT_SQLITE), session_id) {
            return Some(owned_by(agent_id, key, session_id));
        }
        let sessions = dir.join("sessions");
        if sessions.join(format!("{session_id}.jsonl")).is_file() {
            let key = legacy_key(&sessions.join("sessions.json"), session_id)
                .unwrap_or_else(|| fallback_session_key(&agent_id, session_id));
            return Some(owned_by(agent_id, key, session_id));
        }
        legacy.push((agent_id, sessions));
    }
    // A session OpenClaw has listed but not written a transcript for yet.
    legacy.into_iter().find_map(|(agent_id, sessions)| {
        let key = legacy_key(&sessions.join("sessions.json"), session_id)?;
        Some(owned_by(agent_id, key, session_id))
    })
}

fn owned_by(agent_id: String, session_key: String, session_id: &str) -> SessionContext {
    SessionContext {
        agent_id,
        session_key,
        session_id: session_id.to_string(),
    }
}

/// Whether `id` can be a session id (a file name of its own, nothing that walks the tree).
fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !id.starts_with('.')
}

/// The session key of `session_id` in the agent database at `path`, if it has a window for it.
fn window_key(path: &Path, session_id: &str) -> Option<String> {
    let conn = open_read_only(path)?;
    conn.query_row(
        "SELECT session_key FROM session_windows WHERE session_id = ?1",
        [session_id],
        |row| row.get(0),
    )
    .optional()
    .ok()
    .flatten()
}

/// One entry of `sessions.json`, only what names its transcript.
#[derive(Deserialize)]
struct LegacyEntry {
    #[serde(rename = "sessionId")]
    session_id: Option<String>,
}

/// The key `sessions.json` at `index` lists `session_id` under.
fn legacy_key(index: &Path, session_id: &str) -> Option<String> {
    let text = std::fs::read(index).ok()?;
    let entries: HashMap<String, LegacyEntry> = serde_json::from_slice(&text).ok()?;
    entries
        .into_iter()
        .find(|(_, e)| e.session_id.as_deref() == Some(session_id))
        .map(|(key, _)| key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_owner_in_either_layout_and_nothing_else() {
        let home = tempfile::tempdir().unwrap();
        let legacy = home.path().join("agents/ops/sessions");
        std::fs::create_dir_all(&legacy).unwrap();
        std::fs::write(
            legacy.join("sessions.json"),
            r#"{"agent:ops:main":{"sessionId":"s-main","updatedAt":1},"agent:ops:cron:j:run:s-new":{"sessionId":"s-new"}}"#,
        )
        .unwrap();
        std::fs::write(legacy.join("s-main.jsonl"), "{}\n").unwrap();
        std::fs::write(legacy.join("s-gone.jsonl"), "{}\n").unwrap();
        let db_dir = home.path().join("agents/main/agent");
        std::fs::create_dir_all(&db_dir).unwrap();
        let db = rusqlite::Connection::open(db_dir.join("openclaw-agent.sqlite")).unwrap();
        db.execute_batch(
            "CREATE TABLE session_windows (session_id TEXT PRIMARY KEY, session_key TEXT NOT NULL);
             INSERT INTO session_windows VALUES ('s-db', 'agent:main:telegram:42');",
        )
        .unwrap();
        let owner = |id: &str| {
            session_of(home.path(), id).map(|c| (c.agent_id, c.session_key, c.session_id))
        };
        let own = |agent: &str, key: &str, id: &str| Some((agent.into(), key.into(), id.into()));
        assert_eq!(owner("s-db"), own("main", "agent:main:telegram:42", "s-db"));
        assert_eq!(owner("s-main"), own("ops", "agent:ops:main", "s-main"));
        // Listed before its transcript exists; a transcript no entry lists.
        assert_eq!(
            owner("s-new"),
            own("ops", "agent:ops:cron:j:run:s-new", "s-new")
        );
        assert_eq!(owner("s-gone"), own("ops", "agent:ops:s-gone", "s-gone"));
        for id in ["unknown", "", "../ops", ".hidden", &"x".repeat(129)] {
            assert_eq!(owner(id), None, "{id}");
        }
        assert_eq!(session_of(&home.path().join("nowhere"), "s-db"), None);
    }
}
