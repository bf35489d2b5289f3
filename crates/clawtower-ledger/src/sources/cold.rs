//! Transcripts OpenClaw ≥ 2026.9 moved to cold storage (`session.maintenance.coldStorage`, opt-in):
//! an idle session's `transcript_events` rows are deleted and kept in a zstd JSONL archive, a file
//! `sessions/cold/<sha256>.jsonl.zst` beside the agent's store or a blob in
//! `session_transcript_cold_archives`, until something restores them. OpenClaw's usage reports
//! count them (restoring them first); the ledger reads them where they lie.
//!
//! An archive is a header line, then one `{"kind":"event","row":{"seq","event_json",…}}` line per
//! event in `seq` order, then index records the ledger has no use for.

use std::collections::HashMap;
use std::io::{self, BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};
use serde::Deserialize;

use super::jsonl;
use crate::entry::SkipReason;
use crate::lines::split_lines_while;
use crate::source::{LineParser, ParsedLine};

/// A session whose events are in a cold archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColdArchive {
    /// `<sha256>.jsonl.zst`.
    pub name: String,
    /// The highest `seq` it holds.
    pub last_seq: u64,
    /// Kept in the database (`storage = 'sqlite'`) rather than in a file.
    pub in_database: bool,
}

/// The cold archives of an agent store, by session id (none before OpenClaw made the table).
pub fn archives(conn: &Connection) -> rusqlite::Result<HashMap<String, ColdArchive>> {
    let exists: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'session_transcript_cold_archives'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_none() {
        return Ok(HashMap::new());
    }
    let mut stmt = conn.prepare(
        "SELECT session_id, archive_name, last_seq, storage FROM session_transcript_cold_archives",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            ColdArchive {
                name: r.get(1)?,
                last_seq: r.get::<_, i64>(2)?.max(0) as u64,
                in_database: r.get::<_, String>(3)? == "sqlite",
            },
        ))
    })?;
    rows.collect()
}

/// Where OpenClaw keeps the cold archive files of the agent store at `db_path`:
/// `agents/<id>/sessions/cold/` for `agents/<id>/agent/openclaw-agent.sqlite`.
pub fn archive_dir(db_path: &Path) -> PathBuf {
    let store_dir = db_path.parent().unwrap_or(Path::new(""));
    let artifacts = if store_dir.file_name().is_some_and(|n| n == "agent") {
        store_dir.parent().unwrap_or(store_dir).join("sessions")
    } else {
        store_dir.to_path_buf()
    };
    artifacts.join("cold")
}

/// One line of an archive (only event rows are read).
#[derive(Deserialize)]
struct Record {
    kind: String,
    row: Option<EventRow>,
}

#[derive(Deserialize)]
struct EventRow {
    seq: Option<i64>,
    event_json: Option<String>,
}

/// Up to `max` events of `session_id`'s archive from `from_seq` on, parsed with `parse`; a line
/// that is not a readable record is passed on as skipped (at the position of the event before
/// it). The archive is decoded as a stream, so it never costs more memory than its longest line.
pub fn read_events<T>(
    conn: &Connection,
    db_path: &Path,
    session_id: &str,
    archive: &ColdArchive,
    (from_seq, max): (u64, usize),
    parse: LineParser<T>,
) -> io::Result<Vec<ParsedLine<T>>> {
    let source: Box<dyn Read> = if archive.in_database {
        let blob: Vec<u8> = conn
            .query_row(
                "SELECT archive_blob FROM session_transcript_cold_archives WHERE session_id = ?1",
                [session_id],
                |r| r.get(0),
            )
            .map_err(io::Error::other)?;
        Box::new(io::Cursor::new(blob))
    } else {
        Box::new(std::fs::File::open(file_path(db_path, &archive.name)?)?)
    };
    let mut lines = Vec::new();
    let mut position = from_seq;
    // Lines before the first event wanted were read by an earlier call.
    let mut reached = from_seq == 0;
    // Once `max` lines are read the rest of the archive is not decoded.
    split_lines_while(
        BufReader::new(jsonl::decoder(source)?),
        0,
        true,
        |_, _, line| {
            if lines.len() >= max {
                return ControlFlow::Break(());
            }
            let record = line.and_then(|line| {
                serde_json::from_slice::<Record>(line).map_err(|_| SkipReason::MalformedJson)
            });
            let result = match record {
                Ok(Record { kind, .. }) if kind != "event" => return ControlFlow::Continue(()),
                Ok(Record {
                    row:
                        Some(EventRow {
                            seq: Some(seq),
                            event_json: Some(json),
                        }),
                    ..
                }) => {
                    let seq = seq.max(0) as u64;
                    if seq < from_seq {
                        return ControlFlow::Continue(());
                    }
                    position = seq;
                    reached = true;
                    parse(json.as_bytes())
                }
                Ok(_) | Err(_) if !reached => return ControlFlow::Continue(()),
                Ok(_) => Err(SkipReason::NotAnEntry),
                Err(reason) => Err(reason),
            };
            lines.push(ParsedLine { position, result });
            if lines.len() >= max {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    )?;
    Ok(lines)
}

/// The archive file named `name`, refusing names OpenClaw would not have written (a name is
/// a SHA-256 and never a path).
fn file_path(db_path: &Path, name: &str) -> io::Result<PathBuf> {
    let valid = name.len() == 64 + ".jsonl.zst".len()
        && name.ends_with(".jsonl.zst")
        && name[..64]
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c));
    if !valid {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not a cold archive name: {name:?}"),
        ));
    }
    Ok(archive_dir(db_path).join(name))
}
