//! Which agents an OpenClaw state dir holds and how each stores its sessions.
//!
//! ≤ 2026.7.1: `agents/<id>/sessions/sessions.json` + `<sessionId>.jsonl` ("legacy JSONL").
//! ≥ 2026.7.2: `agents/<id>/agent/openclaw-agent.sqlite` (per-agent SQLite).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

/// How an agent (or a whole install) stores its sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "kebab-case")]
pub enum StorageLayout {
    /// Per-agent SQLite (OpenClaw ≥ 2026.7.2).
    Sqlite,
    /// `sessions.json` + JSONL transcripts (OpenClaw ≤ 2026.7.1).
    LegacyJsonl,
    /// Both (an install upgraded without `openclaw doctor --fix`).
    Mixed,
    /// No sessions stored yet.
    None,
}

impl StorageLayout {
    fn from_flags(sqlite: bool, legacy: bool) -> Self {
        match (sqlite, legacy) {
            (true, true) => StorageLayout::Mixed,
            (true, false) => StorageLayout::Sqlite,
            (false, true) => StorageLayout::LegacyJsonl,
            (false, false) => StorageLayout::None,
        }
    }

    /// The layout of a whole install, from its agents' layouts.
    pub fn combine(layouts: impl IntoIterator<Item = StorageLayout>) -> Self {
        let (mut sqlite, mut legacy) = (false, false);
        for layout in layouts {
            sqlite |= matches!(layout, StorageLayout::Sqlite | StorageLayout::Mixed);
            legacy |= matches!(layout, StorageLayout::LegacyJsonl | StorageLayout::Mixed);
        }
        Self::from_flags(sqlite, legacy)
    }

    /// A human description.
    pub fn describe(self) -> &'static str {
        match self {
            StorageLayout::Sqlite => "per-agent SQLite (OpenClaw ≥ 2026.7.2)",
            StorageLayout::LegacyJsonl => "JSONL transcripts (OpenClaw ≤ 2026.7.1)",
            StorageLayout::Mixed => "both JSONL transcripts and SQLite",
            StorageLayout::None => "no sessions stored yet",
        }
    }
}

/// One agent found on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AgentFound {
    /// The agent id (its directory name).
    pub id: String,
    /// How it stores sessions.
    pub storage: StorageLayout,
    /// Number of session keys, when they could be counted.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub sessions: Option<u64>,
}

/// Relative path of an agent's SQLite store.
pub const AGENT_SQLITE: &str = "agent/openclaw-agent.sqlite";

/// Lists the agents under `<state_dir>/agents`, sorted by id. A missing dir yields no agents.
pub fn scan_agents(state_dir: &Path) -> Vec<AgentFound> {
    let Ok(entries) = std::fs::read_dir(state_dir.join("agents")) else {
        return Vec::new();
    };
    let mut agents: Vec<AgentFound> = entries
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| inspect_agent(&entry.path(), entry.file_name().to_string_lossy().into()))
        .collect();
    agents.sort_by(|a, b| a.id.cmp(&b.id));
    agents
}

fn inspect_agent(dir: &Path, id: String) -> AgentFound {
    let sqlite_path = dir.join(AGENT_SQLITE);
    let sqlite = sqlite_path.is_file();
    let sessions_dir = dir.join("sessions");
    let index = sessions_dir.join("sessions.json");
    let legacy = index.is_file() || has_live_transcripts(&sessions_dir);
    let storage = StorageLayout::from_flags(sqlite, legacy);
    let sessions = match storage {
        StorageLayout::Sqlite | StorageLayout::Mixed => count_sqlite_sessions(&sqlite_path),
        StorageLayout::LegacyJsonl => count_legacy_sessions(&index),
        StorageLayout::None => Some(0),
    };
    AgentFound {
        id,
        storage,
        sessions,
    }
}

/// True when the dir has `<sessionId>.jsonl` transcripts (not deleted archives or trajectories).
fn has_live_transcripts(sessions_dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(sessions_dir) else {
        return false;
    };
    entries.filter_map(|e| e.ok()).any(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        name.ends_with(".jsonl") && !name.ends_with(".trajectory.jsonl")
    })
}

fn count_legacy_sessions(index: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(index).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value.as_object().map(|o| o.len() as u64)
}

/// An OpenClaw database at `path`, read only, waiting at most 250 ms for the gateway's lock;
/// `None` when it is missing or cannot be opened.
pub fn open_read_only(path: &Path) -> Option<Connection> {
    if !path.is_file() {
        return None;
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    conn.busy_timeout(Duration::from_millis(250)).ok()?;
    Some(conn)
}

/// Counts session keys in an agent DB, opened read-only; `None` if the gateway holds it busy or
/// the schema is not what we expect.
fn count_sqlite_sessions(path: &Path) -> Option<u64> {
    let conn = open_read_only(path)?;
    conn.query_row("SELECT count(*) FROM session_nodes", [], |row| {
        row.get::<_, i64>(0)
    })
    .ok()
    .map(|n| n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn finds_legacy_sqlite_and_empty_agents() {
        let tmp = tempfile::tempdir().unwrap();
        let state = tmp.path();
        touch(
            &state.join("agents/old/sessions/sessions.json"),
            r#"{"agent:old:main":{},"agent:old:x":{}}"#,
        );
        touch(&state.join("agents/old/sessions/abc.jsonl"), "{}\n");
        let db = state.join("agents/main").join(AGENT_SQLITE);
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE session_nodes(session_key TEXT PRIMARY KEY);
             INSERT INTO session_nodes VALUES ('agent:main:main');",
        )
        .unwrap();
        drop(conn);
        std::fs::create_dir_all(state.join("agents/fresh")).unwrap();
        touch(&state.join("agents/not-a-dir"), "");

        let agents = scan_agents(state);
        let summary: Vec<_> = agents
            .iter()
            .map(|a| (a.id.as_str(), a.storage, a.sessions))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("fresh", StorageLayout::None, Some(0)),
                ("main", StorageLayout::Sqlite, Some(1)),
                ("old", StorageLayout::LegacyJsonl, Some(2)),
            ]
        );
        let combined = StorageLayout::combine(agents.iter().map(|a| a.storage));
        assert_eq!(combined, StorageLayout::Mixed);
    }

    #[test]
    fn deleted_archives_alone_are_not_live_transcripts() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("agents/main/sessions");
        touch(
            &dir.join("s.jsonl.deleted.2026-11-21T03-08-50.640Z.abc.zst"),
            "",
        );
        touch(&dir.join("s.trajectory.jsonl"), "");
        assert_eq!(scan_agents(tmp.path())[0].storage, StorageLayout::None);
    }

    #[test]
    fn unreadable_agent_db_counts_as_unknown() {
        let tmp = tempfile::tempdir().unwrap();
        touch(
            &tmp.path().join("agents/main").join(AGENT_SQLITE),
            "not sqlite",
        );
        let agent = &scan_agents(tmp.path())[0];
        assert_eq!(agent.storage, StorageLayout::Sqlite);
        assert_eq!(agent.sessions, None);
    }

    #[test]
    fn missing_state_dir_has_no_agents() {
        assert!(scan_agents(Path::new("/nonexistent/clawtower-test")).is_empty());
    }
}
