//! The per-agent SQLite store of OpenClaw ≥ 2026.7.2 (`agents/<id>/agent/openclaw-agent.sqlite`),
//! opened read-only while the gateway writes it (WAL). Transcript events are read per session by
//! `seq`, from `event_json` or the zstd-compressed `event_zstd`, or from the session's cold
//! archive when OpenClaw moved them there ([`super::cold`]).

use clawtower_core::session_key::fallback_session_key;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags};

use super::cold::{self, ColdArchive};
use crate::entry::{parse_line, SkipReason, MAX_LINE_BYTES};
use crate::source::{Batch, Cursor, LineParser, ParsedLine, SessionContext, SessionInfo};

/// Rows read per batch (one store transaction each).
pub const ROWS_PER_BATCH: i64 = 5_000;

/// An agent's database, open read-only.
pub struct AgentDb {
    conn: Connection,
    agent_id: String,
    path: PathBuf,
    keys: HashMap<String, String>,
    /// Sessions whose events OpenClaw moved to cold storage.
    cold: HashMap<String, ColdArchive>,
}

/// The session ids of the agent store at `path` (none when there is no store or it cannot be
/// read now).
pub fn session_ids_at(path: &Path, agent_id: &str) -> HashSet<String> {
    if !path.is_file() {
        return HashSet::new();
    }
    AgentDb::open(path, agent_id)
        .map(|db| db.session_ids())
        .unwrap_or_default()
}

impl AgentDb {
    /// Opens the DB read-only. Fails if the gateway holds it locked for longer than 2 s.
    pub fn open(path: &Path, agent_id: &str) -> rusqlite::Result<Self> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(Duration::from_secs(2))?;
        let mut db = AgentDb {
            conn,
            agent_id: agent_id.to_string(),
            path: path.to_path_buf(),
            keys: HashMap::new(),
            cold: HashMap::new(),
        };
        db.keys = db.window_keys()?;
        db.cold = cold::archives(&db.conn)?;
        Ok(db)
    }

    /// `session_id → session_key` for every transcript generation.
    fn window_keys(&self) -> rusqlite::Result<HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT session_id, session_key FROM session_windows")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect()
    }

    /// Every session id the store has a window for (OpenClaw's own list of its transcripts): a
    /// file of one of these is left to the store, as OpenClaw's usage reports do.
    pub fn session_ids(&self) -> HashSet<String> {
        self.keys.keys().cloned().collect()
    }

    /// Sessions and their lineage, from `session_nodes`.
    pub fn sessions(&self) -> rusqlite::Result<Vec<SessionInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT session_key, current_session_id, spawned_by, created_via, label,
                    CASE WHEN json_valid(entry_json) AND json_type(entry_json, '$.status') = 'text'
                         THEN json_extract(entry_json, '$.status') END,
                    updated_at
             FROM session_nodes",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok(SessionInfo {
                session_key: row.get(0)?,
                agent_id: self.agent_id.clone(),
                session_id: row.get(1)?,
                spawned_by: row.get(2)?,
                created_via: row.get(3)?,
                label: row.get(4)?,
                status: row.get(5)?,
                updated_ms: row.get(6)?,
            })
        })?;
        rows.collect()
    }

    /// `(session_id, highest seq)` of every session with transcript events, those in the table
    /// first, then those only in cold archives (so a missing archive cannot hold the others up).
    pub fn progress(&self) -> rusqlite::Result<Vec<(String, u64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT session_id, MAX(seq) FROM transcript_events GROUP BY session_id")?;
        let rows = stmt.query_map([], |row| {
            Ok((row.get(0)?, row.get::<_, i64>(1)?.max(0) as u64))
        })?;
        let mut progress: Vec<(String, u64)> = rows.collect::<rusqlite::Result<_>>()?;
        let hot: HashSet<&str> = progress.iter().map(|(id, _)| id.as_str()).collect();
        let mut cold: Vec<(String, u64)> = self
            .cold
            .iter()
            .filter(|(id, _)| !hot.contains(id.as_str()))
            .map(|(id, archive)| (id.clone(), archive.last_seq))
            .collect();
        cold.sort();
        progress.extend(cold);
        Ok(progress)
    }

    /// The source id a session's cursor is stored under.
    pub fn source_id(&self, session_id: &str) -> String {
        format!("sqlite:{}#{session_id}", self.path.display())
    }

    /// Up to [`ROWS_PER_BATCH`] events of a session from `from_seq` on; `None` when there are none.
    pub fn read_from(&self, session_id: &str, from_seq: u64) -> rusqlite::Result<Option<Batch>> {
        let lines = self.events(session_id, from_seq, ROWS_PER_BATCH as usize, parse_line)?;
        let next = lines.last().map_or(from_seq, |l| l.position + 1);
        if lines.is_empty() {
            return Ok(None);
        }
        let session_key = self
            .keys
            .get(session_id)
            .cloned()
            .unwrap_or_else(|| fallback_session_key(&self.agent_id, session_id));
        Ok(Some(Batch {
            source: self.source_id(session_id),
            context: SessionContext {
                agent_id: self.agent_id.clone(),
                session_key,
                session_id: session_id.to_string(),
            },
            lines,
            cursor: Cursor {
                position: next,
                fingerprint: String::from("v1"),
            },
            from_archive: false,
        }))
    }

    /// Up to `max` events of a session from `from_seq` on, parsed with `parse`: from
    /// `transcript_events`, else from the session's cold archive when OpenClaw moved them there.
    pub fn events<T>(
        &self,
        session_id: &str,
        from_seq: u64,
        max: usize,
        parse: LineParser<T>,
    ) -> rusqlite::Result<Vec<ParsedLine<T>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, event_json, event_zstd FROM transcript_events
             WHERE session_id = ?1 AND seq >= ?2 ORDER BY seq LIMIT ?3",
        )?;
        let limit = i64::try_from(max).unwrap_or(i64::MAX);
        let mut rows = stmt.query(params![session_id, from_seq as i64, limit])?;
        let mut lines = Vec::new();
        while let Some(row) = rows.next()? {
            let seq = row.get::<_, i64>(0)?.max(0) as u64;
            let json = row.get_ref(1)?.as_bytes_or_null()?;
            let zstd = row.get_ref(2)?.as_bytes_or_null()?;
            lines.push(ParsedLine {
                position: seq,
                result: decode_row_with(json, zstd, parse),
            });
        }
        if !lines.is_empty() {
            return Ok(lines);
        }
        let Some(archive) = self.cold.get(session_id) else {
            return Ok(lines);
        };
        cold::read_events(
            &self.conn,
            &self.path,
            session_id,
            archive,
            (from_seq, max),
            parse,
        )
        .map_err(|e| {
            rusqlite::Error::UserFunctionError(
                format!(
                    "the cold archive {} of session {session_id}: {e}",
                    archive.name
                )
                .into(),
            )
        })
    }

    /// The transcript generations (session ids) OpenClaw keeps for `session_key`.
    pub fn session_ids_of(&self, session_key: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .keys
            .iter()
            .filter(|(_, key)| key.as_str() == session_key)
            .map(|(id, _)| id.clone())
            .collect();
        ids.sort();
        ids
    }
}

/// The entry a `transcript_events` row holds: its `event_json`, else its `event_zstd` decoded.
pub fn decode_row(
    event_json: Option<&[u8]>,
    event_zstd: Option<&[u8]>,
) -> Result<crate::entry::Entry, SkipReason> {
    decode_row_with(event_json, event_zstd, parse_line)
}

/// A `transcript_events` row's line, parsed with `parse`.
fn decode_row_with<T>(
    event_json: Option<&[u8]>,
    event_zstd: Option<&[u8]>,
    parse: LineParser<T>,
) -> Result<T, SkipReason> {
    match (event_json, event_zstd) {
        (Some(json), _) => parse(json),
        (None, Some(blob)) => decompress(blob).and_then(|json| parse(&json)),
        (None, None) => Err(SkipReason::NotAnEntry),
    }
}

/// Decompresses a zstd row, refusing anything larger than a line may be. The output buffer is
/// the size the frame declares (OpenClaw's frames do), so a row never costs more than its line;
/// one decompression context per thread is reused.
fn decompress(blob: &[u8]) -> Result<Vec<u8>, SkipReason> {
    thread_local! {
        static CONTEXT: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
            const { std::cell::RefCell::new(None) };
    }
    let capacity = match zstd::zstd_safe::get_frame_content_size(blob) {
        Ok(Some(size)) if size > MAX_LINE_BYTES as u64 => return Err(SkipReason::LineTooLong),
        Ok(Some(size)) => size as usize,
        // A frame that does not declare its size is decoded up to the line limit.
        _ => MAX_LINE_BYTES,
    };
    CONTEXT.with(|context| {
        let mut context = context.borrow_mut();
        if context.is_none() {
            *context = zstd::bulk::Decompressor::new().ok();
        }
        let decompressor = context.as_mut().ok_or(SkipReason::MalformedJson)?;
        decompressor
            .decompress(blob, capacity)
            .map_err(|_| SkipReason::MalformedJson)
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Creates an agent DB with the tables Clawtower reads (columns as in OpenClaw 2026.9.6).
    pub(crate) fn create_agent_db(path: &Path) -> Connection {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             CREATE TABLE session_nodes (session_key TEXT PRIMARY KEY, current_session_id TEXT NOT NULL,
               entry_json TEXT NOT NULL, updated_at INTEGER NOT NULL, created_via TEXT,
               parent_session_key TEXT, spawned_by TEXT, label TEXT);
             CREATE TABLE session_windows (session_id TEXT PRIMARY KEY, session_key TEXT NOT NULL);
             CREATE TABLE transcript_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL,
               event_json TEXT, created_at INTEGER NOT NULL, event_zstd BLOB, event_utf8_bytes INTEGER,
               navigation_json TEXT, PRIMARY KEY (session_id, seq));",
        )
        .unwrap();
        conn
    }

    #[test]
    fn reads_plain_and_compressed_rows_in_seq_order_from_a_cursor() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("agent/openclaw-agent.sqlite");
        let conn = create_agent_db(&path);
        conn.execute(
            "INSERT INTO session_windows VALUES ('s1', 'agent:main:main')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO session_nodes (session_key, current_session_id, entry_json, updated_at, created_via)
             VALUES ('agent:main:main', 's1', '{}', 0, 'run')",
            [],
        )
        .unwrap();
        let call = r#"{"type":"message","id":"m1","message":{"role":"assistant","provider":"p","model":"m","usage":{"input":1}}}"#;
        conn.execute(
            "INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES ('s1', 0, '{\"type\":\"session\",\"id\":\"s1\"}', 0)",
            [],
        )
        .unwrap();
        let blob = zstd::encode_all(call.as_bytes(), 3).unwrap();
        conn.execute(
            "INSERT INTO transcript_events (session_id, seq, event_zstd, event_utf8_bytes, created_at) VALUES ('s1', 1, ?1, ?2, 0)",
            params![blob, call.len() as i64],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO transcript_events (session_id, seq, event_zstd, event_utf8_bytes, created_at) VALUES ('s9', 0, x'00ff00', 3, 0)",
            [],
        )
        .unwrap();

        let db = AgentDb::open(&path, "main").unwrap();
        assert_eq!(
            db.sessions().unwrap()[0].created_via.as_deref(),
            Some("run")
        );
        let mut progress = db.progress().unwrap();
        progress.sort();
        assert_eq!(progress, vec![("s1".into(), 1), ("s9".into(), 0)]);
        let batch = db.read_from("s1", 0).unwrap().unwrap();
        assert_eq!(batch.context.session_key, "agent:main:main");
        assert_eq!(batch.lines.len(), 2);
        assert!(batch.lines[1].result.is_ok(), "zstd rows decode");
        assert_eq!(batch.cursor.position, 2);
        assert!(db.read_from("s1", 2).unwrap().is_none());
        let corrupt = db.read_from("s9", 0).unwrap().unwrap();
        assert_eq!(corrupt.context.session_key, "agent:main:s9");
        assert_eq!(corrupt.lines[0].result, Err(SkipReason::MalformedJson));
    }

    /// Adds OpenClaw 2026.9's cold archive table to a test agent DB.
    fn create_cold_table(conn: &Connection) {
        conn.execute_batch(
            "CREATE TABLE session_transcript_cold_archives (session_id TEXT NOT NULL PRIMARY KEY,
               generation TEXT NOT NULL, archive_name TEXT NOT NULL UNIQUE,
               archive_sha256 TEXT NOT NULL, event_count INTEGER NOT NULL, raw_bytes INTEGER NOT NULL,
               archive_bytes INTEGER NOT NULL, last_seq INTEGER NOT NULL, archived_at INTEGER NOT NULL,
               storage TEXT NOT NULL, archive_blob BLOB) STRICT;",
        )
        .unwrap();
    }

    /// A cold archive as OpenClaw writes it: header, event rows, then index records.
    fn cold_archive(session_id: &str, events: &[(u64, &str)]) -> Vec<u8> {
        let mut text = serde_json::json!({"kind": "header", "version": 1, "sessionId": session_id,
            "generation": "g1"})
        .to_string();
        for (seq, json) in events {
            text.push('\n');
            text.push_str(
                &serde_json::json!({"kind": "event", "row": {"seq": seq, "event_json": json,
                    "created_at": 0}})
                .to_string(),
            );
        }
        text.push_str("\nnot json\n");
        text.push_str(r#"{"kind":"index","row":{"indexed_seq":2}}"#);
        zstd::encode_all(text.as_bytes(), 3).unwrap()
    }

    #[test]
    fn sessions_in_cold_storage_are_read_from_their_archive_file_or_blob() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("agents/main/agent/openclaw-agent.sqlite");
        let conn = create_agent_db(&path);
        create_cold_table(&conn);
        let call = |id: &str| {
            format!(
                r#"{{"type":"message","id":"{id}","message":{{"role":"assistant","provider":"p","model":"m","usage":{{"input":7}}}}}}"#
            )
        };
        let (c1, c2, c3) = (call("a1"), call("a2"), call("b1"));
        // One session in a file under sessions/cold/, one in the table, one still hot.
        let name = format!("{}.jsonl.zst", "ab".repeat(32));
        let dir = tmp.path().join("agents/main/sessions/cold");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(&name),
            cold_archive(
                "cold-file",
                &[(0, "{\"type\":\"session\"}"), (1, &c1), (2, &c2)],
            ),
        )
        .unwrap();
        conn.execute(
            "INSERT INTO session_transcript_cold_archives VALUES ('cold-file', 'g1', ?1, ?2, 3, 0, 0, 2, 0, 'file', NULL)",
            params![name, "ab".repeat(32)],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO session_transcript_cold_archives VALUES ('cold-blob', 'g1', 'x.jsonl.zst', 'x', 1, 0, 0, 4, 0, 'sqlite', ?1)",
            params![cold_archive("cold-blob", &[(4, &c3)])],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES ('hot', 0, '{\"type\":\"session\"}', 0)",
            [],
        )
        .unwrap();

        let db = AgentDb::open(&path, "main").unwrap();
        assert_eq!(
            db.progress().unwrap(),
            vec![
                ("hot".into(), 0),
                ("cold-blob".into(), 4),
                ("cold-file".into(), 2)
            ],
            "hot sessions first"
        );
        let batch = db.read_from("cold-file", 0).unwrap().unwrap();
        let positions: Vec<u64> = batch.lines.iter().map(|l| l.position).collect();
        assert_eq!(
            positions,
            [0, 1, 2, 2],
            "the bad line after the last event is counted there"
        );
        assert!(batch.lines[1].result.is_ok() && batch.lines[2].result.is_ok());
        assert_eq!(batch.lines[3].result, Err(SkipReason::MalformedJson));
        assert_eq!(batch.cursor.position, 3);
        assert!(
            db.read_from("cold-file", 3).unwrap().is_none(),
            "nothing past the cursor"
        );
        let from_one = db.read_from("cold-file", 1).unwrap().unwrap();
        assert_eq!(
            from_one.lines.len(),
            3,
            "events before the cursor are not read again"
        );
        let blob = db.read_from("cold-blob", 0).unwrap().unwrap();
        assert_eq!(blob.lines.len(), 2, "its event and its bad line");
        assert_eq!(blob.lines[0].position, 4);
        assert!(blob.lines[0].result.is_ok());

        // A missing file is an error naming the archive, not an empty session.
        std::fs::remove_file(dir.join(&name)).unwrap();
        let err = db.read_from("cold-file", 0).unwrap_err().to_string();
        assert!(err.contains(&name), "{err}");
    }
}
