//! Reading a session's whole timeline from where OpenClaw keeps it: the legacy JSONL files
//! (live, reset and deleted archives) and the per-agent SQLite store (with its cold archives),
//! found exactly as the ledger finds them, so a timeline holds the calls the ledger counted.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::head::Need;
use super::line::{cut, parse_display_line, EntryKind, Line, TimelineEntry};
use clawtower_core::error::{EngineError, Result};
use clawtower_core::money::NanoUsd;
use clawtower_core::session_key::agent_of_key;
use clawtower_ledger::record::call_key;
use clawtower_ledger::transcript::jsonl::{self, FileKind, TranscriptFile};
use clawtower_ledger::transcript::sqlite::{self, AgentDb};
use clawtower_ledger::transcript::ParsedLine;
use clawtower_openclaw::layout::AGENT_SQLITE;
use clawtower_store::Store;

/// One transcript generation of a session (a reset starts a new one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Generation {
    /// Its session id.
    pub session_id: String,
    /// When it started, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub started: Option<i64>,
    /// Where it was read: a file name, or `agent database`.
    pub source: String,
    /// `reset` or `deleted` when OpenClaw archived it, else `None`.
    pub archived: Option<String>,
}

/// A session's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Timeline {
    /// The session key.
    pub session_key: String,
    /// Its transcript generations, oldest first.
    pub generations: Vec<Generation>,
    /// Every entry, in the order written (generation by generation).
    pub entries: Vec<TimelineEntry>,
    /// Lines that could not be read (the ledger counts them the same way).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub skipped: u64,
    /// Entries of the whole timeline; `None` when only its first ones were read
    /// ([`read_timeline_start`]) and more follow.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub total_entries: Option<u64>,
    /// Where `entries` start in the whole timeline: 0, or where a reader that has the entries
    /// before asked them to ([`super::TimelineCache::since`]).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub offset: u64,
}

/// Reads the timeline of `session_key` from the OpenClaw state dir, each entry's text cut to a
/// preview when `preview`; costs are the ledger's (`store`). `NOT_FOUND` when OpenClaw keeps no
/// transcript for it.
pub fn read_timeline(
    state_dir: &Path,
    store: &Store,
    session_key: &str,
    preview: bool,
) -> Result<Timeline> {
    let (parts, _) = read_parts(state_dir, session_key, &Need::All)?;
    finish(store, assemble(session_key, parts), preview)
}

/// The first `count` entries of the timeline of `session_key` (previews, as [`read_timeline`]
/// gives them), read from the head of its transcripts only: what a window shows of a long
/// session at once. `skipped` counts the lines read; `total_entries` is known only when that was
/// all of them.
pub fn read_timeline_start(
    state_dir: &Path,
    store: &Store,
    session_key: &str,
    count: usize,
) -> Result<Timeline> {
    let (parts, whole) = read_parts(state_dir, session_key, &Need::head(count))?;
    let mut timeline = assemble(session_key, parts);
    if !whole {
        timeline.total_entries = None;
    }
    timeline.entries.truncate(count);
    finish(store, timeline, true)
}

/// Adds the ledger's costs to the entries and cuts their texts to previews when `preview`.
pub(crate) fn finish(store: &Store, mut timeline: Timeline, preview: bool) -> Result<Timeline> {
    add_costs(store, &timeline.session_key, &mut timeline.entries)?;
    if preview {
        timeline.entries.iter_mut().for_each(cut);
    }
    Ok(timeline)
}

/// A generation and its lines.
pub(crate) type Part = (Generation, Vec<ParsedLine<Line>>);

/// Events read from an agent database at a time while only a head is needed.
const EVENTS_PER_READ: usize = 512;

/// Where a session's transcript generations are kept: its files, and the agent database with
/// the session ids it keeps for it.
pub(crate) struct Places {
    /// Its transcript files (live, reset and deleted archives).
    pub(crate) files: Vec<TranscriptFile>,
    /// The agent database and the session's ids in it.
    pub(crate) database: Option<(AgentDb, Vec<String>)>,
}

/// Finds where the transcripts of `session_key` are, as the ledger finds them.
pub(crate) fn places(state_dir: &Path, session_key: &str) -> Result<Places> {
    let agent = agent_of_key(session_key);
    let agent_dir = state_dir.join("agents").join(&agent);
    let db_path = agent_dir.join(AGENT_SQLITE);
    let in_database = sqlite::session_ids_at(&db_path, &agent);
    let sessions = jsonl::sessions(&agent, &agent_dir);
    let files = jsonl::transcript_files(&agent, &agent_dir, &sessions, &|id| {
        in_database.contains(id)
    })
    .into_iter()
    .filter(|file| file.context.session_key == session_key)
    .collect();
    let database = if db_path.is_file() {
        let db = AgentDb::open(&db_path, &agent).map_err(|e| {
            EngineError::io(
                format!("opening {}", db_path.display()),
                std::io::Error::other(e),
            )
        })?;
        let ids = db.session_ids_of(session_key);
        Some((db, ids))
    } else {
        None
    };
    Ok(Places { files, database })
}

/// A generation kept in the agent database.
pub(crate) fn database_generation(session_id: String) -> Generation {
    Generation {
        session_id,
        started: None,
        source: "agent database".into(),
        archived: None,
    }
}

/// `parts`, or `NOT_FOUND` when there are none.
pub(crate) fn found(session_key: &str, parts: Vec<Part>) -> Result<Vec<Part>> {
    if parts.is_empty() {
        return Err(EngineError::NotFound(format!(
            "transcript of the session {session_key}: OpenClaw keeps none for it"
        )));
    }
    Ok(parts)
}

/// An error reading `what`.
pub(crate) fn reading(
    what: &dyn std::fmt::Display,
    e: impl std::error::Error + Send + Sync + 'static,
) -> EngineError {
    EngineError::io(format!("reading {what}"), std::io::Error::other(e))
}

/// The transcript generations of `session_key`, each read as far as `need` asks; also whether
/// every one was read whole.
fn read_parts(state_dir: &Path, session_key: &str, need: &Need) -> Result<(Vec<Part>, bool)> {
    let places = places(state_dir, session_key)?;
    let mut parts: Vec<Part> = Vec::new();
    let mut whole = true;
    for file in &places.files {
        let mut need = need.clone();
        let (lines, to_end) = jsonl::read_head(file, parse_display_line, |l| need.more(l))
            .map_err(|e| reading(&file.path.display(), e))?;
        whole &= to_end;
        parts.push((generation_of_file(file), lines));
    }
    if let Some((db, ids)) = &places.database {
        for session_id in ids {
            let (lines, to_end) = read_events(db, session_id, need.clone(), EVENTS_PER_READ)?;
            whole &= to_end;
            parts.push((database_generation(session_id.clone()), lines));
        }
    }
    Ok((found(session_key, parts)?, whole))
}

/// The events of one session an agent database keeps, as far as `need` asks (`per_read` at a
/// time); also whether they were read to the last.
fn read_events(
    db: &AgentDb,
    session_id: &str,
    mut need: Need,
    per_read: usize,
) -> Result<(Vec<ParsedLine<Line>>, bool)> {
    let failed = |e: rusqlite::Error| reading(&format!("session {session_id}"), e);
    if matches!(need, Need::All) {
        let lines = db
            .events(session_id, 0, usize::MAX, parse_display_line)
            .map_err(failed)?;
        return Ok((lines, true));
    }
    let mut lines: Vec<ParsedLine<Line>> = Vec::new();
    loop {
        let from = lines.last().map_or(0, |l| l.position + 1);
        let read = db
            .events(session_id, from, per_read, parse_display_line)
            .map_err(failed)?;
        let last_page = read.len() < per_read;
        for line in read {
            let more = need.more(&line);
            lines.push(line);
            if !more {
                return Ok((lines, false));
            }
        }
        if last_page {
            return Ok((lines, true));
        }
    }
}

/// What a transcript file is, from its name.
pub(crate) fn generation_of_file(file: &TranscriptFile) -> Generation {
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let archived = match file.kind {
        FileKind::Live => None,
        _ if name.contains(".jsonl.reset.") => Some("reset".into()),
        _ => Some("deleted".into()),
    };
    Generation {
        session_id: file.context.session_id.clone(),
        started: None,
        source: name,
        archived,
    }
}

/// Orders the generations by when they started and numbers their entries: ids are the entry
/// ids, `<generation>#<position>` for those without one (as the ledger stores them); tool calls
/// are paired with their results.
pub(crate) fn assemble(session_key: &str, parts: Vec<Part>) -> Timeline {
    let mut skipped = 0;
    let mut read: Vec<(Generation, Vec<TimelineEntry>)> = parts
        .into_iter()
        .map(|(mut generation, lines)| {
            let mut entries = Vec::new();
            for line in lines {
                match line.result {
                    Ok(Line::Header { ts, .. }) => {
                        generation.started = generation.started.or(ts);
                    }
                    Ok(Line::Entries(list)) => {
                        for mut entry in list {
                            entry.generation = generation.session_id.clone();
                            if entry.id.is_empty() || entry.id.starts_with(':') {
                                let suffix = std::mem::take(&mut entry.id);
                                entry.id =
                                    format!("{}#{}{suffix}", generation.session_id, line.position);
                            }
                            entries.push(entry);
                        }
                    }
                    Err(_) => skipped += 1,
                }
            }
            if generation.started.is_none() {
                generation.started = entries.iter().find_map(|e| e.ts);
            }
            (generation, entries)
        })
        .collect();
    read.sort_by_key(|(g, _)| (g.started.unwrap_or(i64::MAX), g.session_id.clone()));
    let mut generations = Vec::with_capacity(read.len());
    let mut entries = Vec::new();
    for (generation, list) in read {
        generations.push(generation);
        entries.extend(list);
    }
    pair_tools(&mut entries);
    Timeline {
        session_key: session_key.to_string(),
        generations,
        total_entries: Some(entries.len() as u64),
        offset: 0,
        entries,
        skipped,
    }
}

/// Pairs each tool call with its result (same `toolCallId`, the first result after the call):
/// both get the other's id, the error flag and the time between them.
fn pair_tools(entries: &mut [TimelineEntry]) {
    let mut open: HashMap<String, usize> = HashMap::new();
    for i in 0..entries.len() {
        let Some(tool) = &entries[i].tool else {
            continue;
        };
        let call_id = tool.call_id.clone();
        match entries[i].kind {
            EntryKind::ToolCall => {
                open.insert(call_id, i);
            }
            EntryKind::ToolResult => {
                let Some(call) = open.remove(&call_id) else {
                    continue;
                };
                let duration = match (entries[call].ts, entries[i].ts) {
                    (Some(a), Some(b)) if b >= a => Some(b - a),
                    _ => None,
                };
                let (call_entry_id, result_id) = (entries[call].id.clone(), entries[i].id.clone());
                let result = entries[i].tool.as_mut().expect("a tool result");
                result.paired_id = Some(call_entry_id);
                result.duration_ms = duration;
                let (is_error, child) = (result.is_error, result.child_session_key.clone());
                let call = entries[call].tool.as_mut().expect("a tool call");
                call.paired_id = Some(result_id);
                call.duration_ms = duration;
                call.is_error = is_error;
                call.child_session_key = child;
            }
            _ => {}
        }
    }
}

/// The ledger's cost of each model call counted in this session.
fn add_costs(store: &Store, session_key: &str, entries: &mut [TimelineEntry]) -> Result<()> {
    store.read(|conn| {
        let mut stmt = conn.prepare_cached(
            "SELECT cost_nanousd FROM model_calls WHERE call_id = ?1 AND session_key = ?2",
        )?;
        for entry in entries.iter_mut() {
            let Some(call) = entry.call.as_mut() else {
                continue;
            };
            let call_id = call_key(&entry.id, entry.ts.unwrap_or(0));
            let cost: Option<i64> = stmt
                .query_row(params![call_id, session_key], |r| r.get(0))
                .optional()?;
            call.cost_usd = cost.map(|nanos| NanoUsd(nanos).as_usd());
        }
        Ok(())
    })
}

/// One entry with its whole text (the timeline cuts long ones); `NOT_FOUND` when the session
/// has no entry with that id.
pub fn read_entry(
    state_dir: &Path,
    store: &Store,
    session_key: &str,
    id: &str,
) -> Result<TimelineEntry> {
    read_timeline(state_dir, store, session_key, false)?
        .entries
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| EngineError::NotFound(format!("entry {id} in the session {session_key}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_head_of_an_agent_database_is_read_a_few_events_at_a_time() {
        let state = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/openclaw/fixtures/2026.9.6/state/agents/main");
        let db = AgentDb::open(&state.join(AGENT_SQLITE), "main").unwrap();
        let id = &db.session_ids_of("agent:main:main")[0];
        let (all, to_end) = read_events(&db, id, Need::All, EVENTS_PER_READ).unwrap();
        assert!(to_end && all.len() > 6, "{} events", all.len());
        let positions =
            |lines: &[ParsedLine<Line>]| -> Vec<u64> { lines.iter().map(|l| l.position).collect() };
        // Pages of 2 events: a head of 3 entries stops within the events, a head of more than
        // there are reads them all and says so.
        let (head, to_end) = read_events(&db, id, Need::head(3), 2).unwrap();
        assert!(!to_end);
        assert!(head.len() < all.len());
        assert_eq!(positions(&head), positions(&all[..head.len()]));
        let (head, to_end) = read_events(&db, id, Need::head(1_000_000), 2).unwrap();
        assert!(to_end);
        assert_eq!(positions(&head), positions(&all));
    }
}
