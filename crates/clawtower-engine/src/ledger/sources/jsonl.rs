//! Legacy transcripts: `agents/<id>/sessions/sessions.json` + `<sessionId>.jsonl` (and
//! `-topic-<thread>` files), tailed by byte offset; deleted-session archives
//! `<sessionId>.jsonl.deleted.*` (plain or `.zst`) read once.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::ledger::entry::parse_line;
use crate::ledger::lines::split_lines;
use crate::ledger::source::{
    fallback_session_key, Batch, Cursor, ParsedLine, SessionContext, SessionInfo,
};

/// How a transcript file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Still being written: tailed, a partial last line waits.
    Live,
    /// A deleted-session archive: complete and immutable.
    Archive,
    /// A zstd-compressed deleted-session archive.
    CompressedArchive,
}

/// A transcript file and the session it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptFile {
    /// The file.
    pub path: PathBuf,
    /// How to read it.
    pub kind: FileKind,
    /// Whose lines these are.
    pub context: SessionContext,
}

impl TranscriptFile {
    /// The source id its cursor is stored under.
    pub fn source_id(&self) -> String {
        format!("jsonl:{}", self.path.display())
    }
}

/// Sessions described by an agent's `sessions.json`.
pub fn sessions(agent_id: &str, agent_dir: &Path) -> Vec<SessionInfo> {
    let Ok(text) = std::fs::read_to_string(agent_dir.join("sessions/sessions.json")) else {
        return Vec::new();
    };
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&text) else {
        return Vec::new();
    };
    let field = |entry: &Value, key: &str| entry.get(key).and_then(Value::as_str).map(String::from);
    map.into_iter()
        .map(|(session_key, entry)| SessionInfo {
            session_key,
            agent_id: agent_id.to_string(),
            session_id: field(&entry, "sessionId"),
            spawned_by: field(&entry, "spawnedBy"),
            created_via: field(&entry, "createdVia"),
            label: field(&entry, "label"),
        })
        .collect()
}

/// Every transcript file of an agent, with its session, sorted by path.
pub fn transcript_files(
    agent_id: &str,
    agent_dir: &Path,
    sessions: &[SessionInfo],
) -> Vec<TranscriptFile> {
    let keys: HashMap<&str, &str> = sessions
        .iter()
        .filter_map(|s| {
            s.session_id
                .as_deref()
                .map(|id| (id, s.session_key.as_str()))
        })
        .collect();
    let Ok(entries) = std::fs::read_dir(agent_dir.join("sessions")) else {
        return Vec::new();
    };
    let mut files: Vec<TranscriptFile> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let (session_id, kind) = classify_file_name(&name)?;
            let session_key = keys
                .get(session_id)
                .map(|k| k.to_string())
                .unwrap_or_else(|| fallback_session_key(agent_id, session_id));
            Some(TranscriptFile {
                path: e.path(),
                kind,
                context: SessionContext {
                    agent_id: agent_id.to_string(),
                    session_key,
                    session_id: session_id.to_string(),
                },
            })
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// `(sessionId, kind)` of a transcript file name; `None` for files that are not transcripts.
fn classify_file_name(name: &str) -> Option<(&str, FileKind)> {
    if let Some(at) = name.find(".jsonl.deleted.") {
        let kind = if name.ends_with(".zst") {
            FileKind::CompressedArchive
        } else {
            FileKind::Archive
        };
        return Some((&name[..at], kind));
    }
    let stem = name.strip_suffix(".jsonl")?;
    if stem.ends_with(".trajectory") || stem.is_empty() {
        return None;
    }
    let session_id = stem.split("-topic-").next().unwrap_or(stem);
    Some((session_id, FileKind::Live))
}

/// Identifies a file's content: device, inode and its first bytes (the session header).
fn fingerprint(file: &mut File) -> io::Result<String> {
    let meta = file.metadata()?;
    #[cfg(unix)]
    let id = {
        use std::os::unix::fs::MetadataExt;
        format!("{}:{}", meta.dev(), meta.ino())
    };
    #[cfg(not(unix))]
    let id = String::from("-");
    let mut head = [0u8; 64];
    let n = file.read(&mut head)?;
    file.seek(SeekFrom::Start(0))?;
    let hex: String = head[..n].iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{id}:{}:{hex}", meta.len().min(64)))
}

/// Reads what is new in `file` since `cursor`. Returns `None` when nothing changed.
///
/// A live file whose identity or head changed, or that shrank below the cursor, was truncated or
/// replaced: it is read again from the start (the store's dedup keeps that exact).
pub fn read_new(file: &TranscriptFile, cursor: Option<&Cursor>) -> io::Result<Option<Batch>> {
    let mut handle = File::open(&file.path)?;
    let fingerprint = fingerprint(&mut handle)?;
    let len = handle.metadata()?.len();
    let start = match cursor {
        Some(c) if c.fingerprint == fingerprint && c.position <= len => c.position,
        _ => 0,
    };
    if matches!(cursor, Some(c) if c.fingerprint == fingerprint && c.position == len) {
        return Ok(None);
    }
    let mut lines = Vec::new();
    let mut collect = |offset: u64, line: Result<&[u8], _>| {
        lines.push(ParsedLine {
            position: offset,
            result: line.and_then(parse_line),
        })
    };
    let position = match file.kind {
        FileKind::Live => {
            handle.seek(SeekFrom::Start(start))?;
            split_lines(
                BufReader::with_capacity(1 << 16, handle),
                start,
                false,
                &mut collect,
            )?
        }
        FileKind::Archive => {
            split_lines(
                BufReader::with_capacity(1 << 16, handle),
                0,
                true,
                &mut collect,
            )?;
            len
        }
        FileKind::CompressedArchive => {
            let decoder = zstd::stream::read::Decoder::new(handle)?;
            split_lines(
                BufReader::with_capacity(1 << 16, decoder),
                0,
                true,
                &mut collect,
            )?;
            len
        }
    };
    Ok(Some(Batch {
        source: file.source_id(),
        context: file.context.clone(),
        lines,
        cursor: Cursor {
            position,
            fingerprint,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const HEADER: &str = "{\"type\":\"session\",\"version\":3,\"id\":\"s1\",\"timestamp\":\"2026-11-21T03:06:23.093Z\"}\n";
    const CALL: &str = "{\"type\":\"message\",\"id\":\"m1\",\"message\":{\"role\":\"assistant\",\"provider\":\"stub\",\"model\":\"m\",\"usage\":{\"input\":1,\"output\":2}}}\n";

    fn agent_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("sessions");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("sessions.json"), r#"{"agent:main:main":{"sessionId":"s1","createdVia":"run"},"agent:main:subagent:u1":{"sessionId":"s2","spawnedBy":"agent:main:main","createdVia":"spawn"}}"#).unwrap();
        for (name, data) in files {
            std::fs::write(dir.join(name), data).unwrap();
        }
        tmp
    }

    #[test]
    fn finds_live_topic_and_archived_transcripts_with_their_sessions() {
        let zst = zstd::encode_all(CALL.as_bytes(), 3).unwrap();
        let tmp = agent_with(&[
            ("s1.jsonl", HEADER.as_bytes()),
            ("s1-topic-42.jsonl", b""),
            ("s1.trajectory.jsonl", b""),
            (
                "s3.jsonl.deleted.2026-11-21T03-08-50.640Z.abc",
                CALL.as_bytes(),
            ),
            ("s4.jsonl.deleted.2026-11-21T03-08-56.094Z.def.zst", &zst),
            ("notes.txt", b""),
        ]);
        let sessions = sessions("main", tmp.path());
        assert_eq!(sessions.len(), 2);
        let files = transcript_files("main", tmp.path(), &sessions);
        let summary: Vec<_> = files
            .iter()
            .map(|f| {
                (
                    f.path.file_name().unwrap().to_string_lossy().into_owned(),
                    f.kind,
                    f.context.session_key.clone(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "s1-topic-42.jsonl".into(),
                    FileKind::Live,
                    "agent:main:main".into()
                ),
                ("s1.jsonl".into(), FileKind::Live, "agent:main:main".into()),
                (
                    "s3.jsonl.deleted.2026-11-21T03-08-50.640Z.abc".into(),
                    FileKind::Archive,
                    "agent:main:s3".into()
                ),
                (
                    "s4.jsonl.deleted.2026-11-21T03-08-56.094Z.def.zst".into(),
                    FileKind::CompressedArchive,
                    "agent:main:s4".into()
                ),
            ]
        );
        let archived = read_new(&files[3], None).unwrap().unwrap();
        assert_eq!(archived.lines.len(), 1);
        assert!(archived.lines[0].result.is_ok());
        assert!(
            read_new(&files[3], Some(&archived.cursor))
                .unwrap()
                .is_none(),
            "archives are read once"
        );
    }

    #[test]
    fn tails_appends_waits_for_newlines_and_restarts_after_truncation() {
        let tmp = agent_with(&[("s1.jsonl", HEADER.as_bytes())]);
        let sessions = sessions("main", tmp.path());
        let file = transcript_files("main", tmp.path(), &sessions).remove(0);
        let first = read_new(&file, None).unwrap().unwrap();
        assert_eq!(first.lines.len(), 1);
        assert!(read_new(&file, Some(&first.cursor)).unwrap().is_none());

        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&file.path)
            .unwrap();
        let (head, tail) = CALL.split_at(40);
        f.write_all(head.as_bytes()).unwrap();
        let partial = read_new(&file, Some(&first.cursor)).unwrap().unwrap();
        assert!(partial.lines.is_empty(), "a partial line waits");
        assert_eq!(partial.cursor.position, first.cursor.position);
        f.write_all(tail.as_bytes()).unwrap();
        let second = read_new(&file, Some(&partial.cursor)).unwrap().unwrap();
        assert_eq!(second.lines.len(), 1);
        assert_eq!(second.lines[0].position, HEADER.len() as u64);

        std::fs::write(&file.path, CALL).unwrap(); // replaced by shorter content
        let again = read_new(&file, Some(&second.cursor)).unwrap().unwrap();
        assert_eq!(again.lines.len(), 1);
        assert_eq!(
            again.lines[0].position, 0,
            "truncation restarts from the top"
        );
    }
}
