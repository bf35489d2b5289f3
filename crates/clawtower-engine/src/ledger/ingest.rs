//! One pass over an OpenClaw state dir: every agent's sessions and transcripts, from both layouts,
//! into the ledger. Incremental: only what is new since the stored cursors is read.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::mpsc::SyncSender;

use super::pricing::PriceBook;
use super::source::{Batch, Cursor};
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
    let cursors = store.with_conn(writer::cursors)?;
    // One thread reads and parses, in order; this one writes: the two overlap, and the order
    // (which decides where a call seen twice belongs) is the same as reading alone.
    std::thread::scope(|scope| -> Result<()> {
        let (to_writer, from_reader) = std::sync::mpsc::sync_channel::<Read>(4);
        scope.spawn(move || read_sources(work, &cursors, &to_writer));
        let mut done = 0;
        for message in from_reader {
            match message {
                Read::Batch(batch) => pending.push(batch, &mut report)?,
                Read::Sessions(sessions) => store.with_conn(|c| upsert_sessions(c, &sessions))?,
                Read::Unreadable(source, why) => {
                    report.unreadable.insert(source, why);
                }
                Read::SourceDone { had_lines } => {
                    done += 1;
                    report.sources_read += u64::from(had_lines);
                    on_progress(Progress { done, total });
                }
            }
        }
        Ok(())
    })?;
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

/// What the reading thread hands the writer.
enum Read {
    Batch(Batch),
    Sessions(Vec<crate::ledger::source::SessionInfo>),
    Unreadable(String, String),
    SourceDone { had_lines: bool },
}

/// Why reading stopped: a source could not be read (reported, the pass goes on), or the writer
/// stopped listening (the pass failed).
enum Stop {
    Unreadable(String),
    WriterGone,
}

impl From<std::io::Error> for Stop {
    fn from(e: std::io::Error) -> Self {
        Stop::Unreadable(e.to_string())
    }
}

impl From<rusqlite::Error> for Stop {
    fn from(e: rusqlite::Error) -> Self {
        Stop::Unreadable(e.to_string())
    }
}

/// Reads every source in order into `out`, from the stored cursors.
fn read_sources(work: Vec<Source>, cursors: &HashMap<String, Cursor>, out: &SyncSender<Read>) {
    for source in work {
        let mut had_lines = false;
        let mut send = |batch: Batch| -> std::result::Result<(), Stop> {
            had_lines |= !batch.lines.is_empty();
            out.send(Read::Batch(batch)).map_err(|_| Stop::WriterGone)
        };
        let (id, outcome) = match &source {
            Source::File(file) => {
                let id = file.source_id();
                let outcome = jsonl::read_new(file, cursors.get(&id), &mut send).map(|_| ());
                (id, outcome)
            }
            Source::Db(agent_id, path) => {
                let outcome = read_db(agent_id, path, cursors, out, &mut send);
                (format!("sqlite:{}", path.display()), outcome)
            }
        };
        let reported = match outcome {
            Ok(()) => Ok(()),
            Err(Stop::Unreadable(why)) => out.send(Read::Unreadable(id, why)),
            Err(Stop::WriterGone) => return,
        };
        if reported.is_err() || out.send(Read::SourceDone { had_lines }).is_err() {
            return;
        }
    }
}

/// Reads what is new in an agent DB, session by session.
fn read_db(
    agent_id: &str,
    path: &Path,
    cursors: &HashMap<String, Cursor>,
    out: &SyncSender<Read>,
    send: &mut dyn FnMut(Batch) -> std::result::Result<(), Stop>,
) -> std::result::Result<(), Stop> {
    let db = sqlite::AgentDb::open(path, agent_id)?;
    out.send(Read::Sessions(db.sessions()?))
        .map_err(|_| Stop::WriterGone)?;
    for (session_id, max_seq) in db.progress()? {
        let mut from = cursors
            .get(&db.source_id(&session_id))
            .map_or(0, |c| c.position);
        while from <= max_seq {
            let Some(batch) = db.read_from(&session_id, from)? else {
                break;
            };
            from = batch.cursor.position;
            send(batch)?;
        }
    }
    Ok(())
}
