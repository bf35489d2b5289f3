//! One pass over an OpenClaw state dir: every agent's sessions and transcripts, from both layouts,
//! into the ledger. Incremental: only what is new since the stored cursors is read.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::mpsc::SyncSender;

use super::pricing::PriceBook;
use super::source::{Batch, Cursor};
use super::sources::{jsonl, sqlite};
use super::writer::{self, apply_batches, upsert_sessions};
use clawtower_core::error::{EngineError, Result};
use clawtower_openclaw::layout::AGENT_SQLITE;
use clawtower_store::model_calls::OnExisting;
use clawtower_store::{preferences, Store};

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
    /// The sessions that had new lines (their timelines changed).
    pub sessions_changed: BTreeSet<String>,
}

/// Lines gathered for one store transaction: big enough that commits are rare on a large
/// import, small enough to bound memory (the reader builds the next group while the writer
/// stores one, and at most one more waits between them).
const LINES_PER_TRANSACTION: usize = 20_000;

/// Set (by the upgrade to schema 6) while every source must be read again in correction mode.
pub const CORRECTION_PENDING: &str = "ledger.correction-pending";

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
    let jobs = clawtower_openclaw::cron_jobs::cron_job_names(state_dir);
    let runs = clawtower_openclaw::task_runs::task_runs(state_dir);
    store.with_conn(|c| writer::remember_jobs_and_runs(c, &jobs, &runs))?;
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
    let on_existing = if correcting {
        OnExisting::Correct
    } else {
        OnExisting::Keep
    };
    let cursors = store.with_conn(writer::cursors)?;
    // One thread reads and parses, in order, a transaction's worth at a time; this one writes
    // each group while the next is read. The order (which decides where a call seen twice
    // belongs) is the same as reading alone.
    std::thread::scope(|scope| -> Result<()> {
        let (to_writer, from_reader) = std::sync::mpsc::sync_channel::<Group>(1);
        scope.spawn(move || read_sources(work, &cursors, &to_writer));
        let mut done = 0;
        // A pass that fills a whole transaction is a large import: the store is set for one
        // until the pass ends (small live passes never fill one, and pay nothing to find out).
        let mut bulk = None;
        for group in from_reader {
            if bulk.is_none() && group.lines >= LINES_PER_TRANSACTION {
                bulk = Some(store.bulk_writes()?);
            }
            for sessions in &group.sessions {
                store.with_conn(|c| upsert_sessions(c, sessions))?;
            }
            if !group.batches.is_empty() {
                let outcome =
                    store.with_conn(|c| apply_batches(c, book, &group.batches, on_existing))?;
                report.entries += outcome.entries;
                report.new_calls += outcome.new_calls;
                report.skipped += outcome.skipped;
                report.sessions_changed.extend(
                    group
                        .batches
                        .iter()
                        .filter(|b| !b.lines.is_empty())
                        .map(|b| b.context.session_key.clone()),
                );
            }
            report.unreadable.extend(group.unreadable);
            for had_lines in group.sources_done {
                done += 1;
                report.sources_read += u64::from(had_lines);
                on_progress(Progress { done, total });
            }
        }
        Ok(())
    })?;
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

/// What the reading thread hands the writer: about one store transaction's worth, in order.
#[derive(Default)]
struct Group {
    /// Sessions read from agent databases, to record first.
    sessions: Vec<Vec<crate::source::SessionInfo>>,
    /// New lines, source by source.
    batches: Vec<Batch>,
    /// Lines in `batches`.
    lines: usize,
    /// Sources that could not be read now, with why.
    unreadable: Vec<(String, String)>,
    /// Sources finished (for progress), and whether each had new lines.
    sources_done: Vec<bool>,
}

/// Gathers what is read into groups and hands each full one to the writer.
struct Grouper<'a> {
    out: &'a SyncSender<Group>,
    group: Group,
}

impl Grouper<'_> {
    fn batch(&mut self, batch: Batch) -> std::result::Result<(), Stop> {
        self.group.lines += batch.lines.len();
        self.group.batches.push(batch);
        if self.group.lines >= LINES_PER_TRANSACTION {
            self.send()?;
        }
        Ok(())
    }

    /// Hands over what is gathered; fails when the writer stopped listening.
    fn send(&mut self) -> std::result::Result<(), Stop> {
        let group = std::mem::take(&mut self.group);
        self.out.send(group).map_err(|_| Stop::WriterGone)
    }
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
fn read_sources(work: Vec<Source>, cursors: &HashMap<String, Cursor>, out: &SyncSender<Group>) {
    let mut grouper = Grouper {
        out,
        group: Group::default(),
    };
    for source in work {
        let mut had_lines = false;
        let (id, outcome) = match &source {
            Source::File(file) => {
                let id = file.source_id();
                let outcome = jsonl::read_new(file, cursors.get(&id), &mut |batch| {
                    had_lines |= !batch.lines.is_empty();
                    grouper.batch(batch)
                })
                .map(|_| ());
                (id, outcome)
            }
            Source::Db(agent_id, path) => {
                let outcome = read_db(agent_id, path, cursors, &mut grouper, &mut had_lines);
                (format!("sqlite:{}", path.display()), outcome)
            }
        };
        match outcome {
            Ok(()) => {}
            Err(Stop::Unreadable(why)) => grouper.group.unreadable.push((id, why)),
            Err(Stop::WriterGone) => return,
        }
        grouper.group.sources_done.push(had_lines);
    }
    let _ = grouper.send();
}

/// Reads what is new in an agent DB, session by session.
fn read_db(
    agent_id: &str,
    path: &Path,
    cursors: &HashMap<String, Cursor>,
    grouper: &mut Grouper<'_>,
    had_lines: &mut bool,
) -> std::result::Result<(), Stop> {
    let db = sqlite::AgentDb::open(path, agent_id)?;
    grouper.group.sessions.push(db.sessions()?);
    for (session_id, max_seq) in db.progress()? {
        let mut from = cursors
            .get(&db.source_id(&session_id))
            .map_or(0, |c| c.position);
        while from <= max_seq {
            let Some(batch) = db.read_from(&session_id, from)? else {
                break;
            };
            from = batch.cursor.position;
            *had_lines |= !batch.lines.is_empty();
            grouper.batch(batch)?;
        }
    }
    Ok(())
}
