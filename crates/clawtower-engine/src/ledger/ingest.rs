//! One pass over an OpenClaw state dir: every agent's sessions and transcripts, from both layouts,
//! into the ledger. Incremental: only what is new since the stored cursors is read.

use std::collections::BTreeMap;
use std::path::Path;

use super::pricing::PriceBook;
use super::source::Batch;
use super::sources::{jsonl, sqlite};
use super::writer::{self, apply_batches, upsert_sessions};
use crate::error::{EngineError, Result};
use crate::openclaw::layout::AGENT_SQLITE;
use crate::store::model_calls::OnExisting;
use crate::store::{preferences, Store};

/// What a pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// Agents visited.
    pub agents: u64,
    /// Sources (files, SQLite sessions) that had something new.
    pub sources_read: u64,
    /// Entries read.
    pub entries: u64,
    /// Model calls new to the ledger.
    pub new_calls: u64,
    /// Lines skipped in this pass.
    pub skipped: u64,
    /// Sources that could not be read now, with why (retried on the next pass).
    pub unreadable: BTreeMap<String, String>,
}

/// Lines gathered before one store transaction: big enough that commits are rare on a large
/// import, small enough to bound memory.
const LINES_PER_TRANSACTION: usize = 20_000;

/// Set (by the upgrade to schema 6) while every source must be read again in correction mode.
pub const CORRECTION_PENDING: &str = "ledger.correction-pending";

/// Batches waiting to be written together.
struct Pending<'a> {
    store: &'a Store,
    book: &'a PriceBook,
    batches: Vec<Batch>,
    lines: usize,
    on_existing: OnExisting,
}

impl Pending<'_> {
    fn push(&mut self, batch: Batch, report: &mut IngestReport) -> Result<()> {
        self.lines += batch.lines.len();
        self.batches.push(batch);
        if self.lines >= LINES_PER_TRANSACTION {
            self.flush(report)?;
        }
        Ok(())
    }

    fn flush(&mut self, report: &mut IngestReport) -> Result<()> {
        if self.batches.is_empty() {
            return Ok(());
        }
        let outcome = self
            .store
            .with_conn(|c| apply_batches(c, self.book, &self.batches, self.on_existing))?;
        report.sources_read += self.batches.len() as u64;
        report.entries += outcome.entries;
        report.new_calls += outcome.new_calls;
        report.skipped += outcome.skipped;
        self.batches.clear();
        self.lines = 0;
        Ok(())
    }
}

/// Progress of a pass, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Sources done.
    pub done: u64,
    /// Sources found.
    pub total: u64,
}

/// Reads everything new under `state_dir` into `store`.
pub fn ingest_state_dir(
    store: &Store,
    state_dir: &Path,
    book: &PriceBook,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<IngestReport> {
    let mut report = IngestReport::default();
    let agents_dir = state_dir.join("agents");
    let entries = match std::fs::read_dir(&agents_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(report),
        Err(e) => {
            return Err(EngineError::io(
                format!("reading {}", agents_dir.display()),
                e,
            ))
        }
    };
    let mut agents: Vec<(String, std::path::PathBuf)> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    agents.sort();

    // Discover first, so progress has a total.
    let mut work: Vec<Source> = Vec::new();
    for (agent_id, dir) in &agents {
        report.agents += 1;
        let sessions = jsonl::sessions(agent_id, dir);
        let in_database = sqlite::session_ids_at(&dir.join(AGENT_SQLITE), agent_id);
        store.with_conn(|c| upsert_sessions(c, &sessions))?;
        work.extend(
            jsonl::transcript_files(agent_id, dir, &sessions, &|id| in_database.contains(id))
                .into_iter()
                .map(Source::File),
        );
        let db_path = dir.join(AGENT_SQLITE);
        if db_path.is_file() {
            work.push(Source::Db(agent_id.clone(), db_path));
        }
    }
    let total = work.len() as u64;
    let correcting = store
        .with_conn(|c| preferences::get(c, CORRECTION_PENDING))?
        .is_some();
    let mut pending = Pending {
        store,
        book,
        batches: Vec::new(),
        lines: 0,
        on_existing: if correcting {
            OnExisting::Correct
        } else {
            OnExisting::Keep
        },
    };
    for (done, source) in work.into_iter().enumerate() {
        match source {
            Source::File(file) => {
                let stored = store.with_conn(|c| writer::cursor(c, &file.source_id()))?;
                match jsonl::read_new(&file, stored.as_ref()) {
                    Ok(Some(batch)) => pending.push(batch, &mut report)?,
                    Ok(None) => {}
                    Err(e) => {
                        report.unreadable.insert(file.source_id(), e.to_string());
                    }
                }
            }
            Source::Db(agent_id, path) => {
                match ingest_db(&mut pending, &agent_id, &path, &mut report) {
                    Ok(()) => {}
                    Err(DbError::Foreign(e)) => {
                        report
                            .unreadable
                            .insert(format!("sqlite:{}", path.display()), e.to_string());
                    }
                    Err(DbError::Ours(e)) => return Err(e),
                }
            }
        }
        on_progress(Progress {
            done: done as u64 + 1,
            total,
        });
    }
    pending.flush(&mut report)?;
    if correcting {
        finish_correction(store, report.unreadable.is_empty())?;
    }
    Ok(report)
}

/// After a correction pass that read every source, the next passes are normal again.
fn finish_correction(store: &Store, complete: bool) -> Result<()> {
    if !complete {
        return Ok(());
    }
    store.with_conn(|c| {
        c.execute(
            "DELETE FROM preferences WHERE key = ?1",
            [CORRECTION_PENDING],
        )?;
        Ok(())
    })
}

enum Source {
    File(jsonl::TranscriptFile),
    Db(String, std::path::PathBuf),
}

/// A failure while reading an agent DB: theirs (locked, unexpected schema: reported, retried
/// next pass) or ours (the ledger store: stops the pass).
enum DbError {
    Foreign(rusqlite::Error),
    Ours(EngineError),
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        DbError::Foreign(e)
    }
}

impl From<EngineError> for DbError {
    fn from(e: EngineError) -> Self {
        DbError::Ours(e)
    }
}

/// Reads what is new in an agent DB, session by session.
fn ingest_db(
    pending: &mut Pending<'_>,
    agent_id: &str,
    path: &Path,
    report: &mut IngestReport,
) -> std::result::Result<(), DbError> {
    let db = sqlite::AgentDb::open(path, agent_id)?;
    let sessions = db.sessions()?;
    pending.store.with_conn(|c| upsert_sessions(c, &sessions))?;
    for (session_id, max_seq) in db.progress()? {
        // Each session is one source, visited once per pass: its stored cursor is current even
        // while other sources' batches are still pending.
        let source = db.source_id(&session_id);
        let mut from = pending
            .store
            .with_conn(|c| writer::cursor(c, &source))?
            .map_or(0, |c| c.position);
        while from <= max_seq {
            let Some(batch) = db.read_from(&session_id, from)? else {
                break;
            };
            from = batch.cursor.position;
            pending.push(batch, report)?;
        }
    }
    Ok(())
}
