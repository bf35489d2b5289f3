//! A report straight from the transcripts, nothing stored (`clawtower report --scan`): sources are
//! split across cores, lines that are not assistant messages are skipped by a byte search before
//! any parsing, and calls are de-duplicated by id as in the store, in the store's order.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use memchr::memmem;

use super::call::{record_of, CallRecord};
use super::entry::parse_line;
use super::lines::split_lines;
use super::pricing::PriceBook;
use super::sources::jsonl::{self, FileKind, TranscriptFile};
use super::sources::sqlite::{self, AgentDb};
use super::writer::event_id;
use crate::spend_report::{Grouping, Report, ReportQuery};
use clawtower_core::error::{EngineError, Result};
use clawtower_openclaw::layout::AGENT_SQLITE;

/// What a scan read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Transcript files read.
    pub files: u64,
    /// Bytes of transcript read (decompressed).
    pub bytes: u64,
    /// Model calls counted.
    pub calls: u64,
    /// Calls seen twice (forks, both layouts) and counted once.
    pub duplicates: u64,
    /// Lines that could not be read (too long, or an assistant message that does not parse).
    pub skipped: u64,
    /// Sources that could not be read, with why.
    pub unreadable: Vec<(String, String)>,
}

/// Scans every transcript under `state_dir` into a report. Files are parsed in parallel, but a
/// call seen in several sources is attributed the way `clawtower ingest` does it: to the first
/// source in the same order (agents by id; each agent's files by path, then its database), so
/// every run gives the same report, equal to the ledger's.
pub fn scan_report(
    state_dir: &Path,
    book: &PriceBook,
    query: &ReportQuery,
) -> Result<(Report, ScanStats)> {
    let agents_dir = state_dir.join("agents");
    let entries = std::fs::read_dir(&agents_dir)
        .map_err(|e| EngineError::io(format!("reading {}", agents_dir.display()), e))?;
    let mut agents: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    agents.sort();
    let mut sources = Vec::new();
    for (agent, dir) in &agents {
        let sessions = jsonl::sessions(agent, dir);
        let in_database = sqlite::session_ids_at(&dir.join(AGENT_SQLITE), agent);
        sources.extend(
            jsonl::transcript_files(agent, dir, &sessions, &|id| in_database.contains(id))
                .into_iter()
                .map(ScanSource::File),
        );
        let db = dir.join(AGENT_SQLITE);
        if db.is_file() {
            sources.push(ScanSource::Db(agent.clone(), db));
        }
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let shares = share_by_size(sources.iter().enumerate().collect(), workers);
    let joined: Vec<std::thread::Result<Vec<(usize, SourceScan)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| {
                scope.spawn(move || {
                    share
                        .into_iter()
                        .map(|(rank, source)| (rank, scan_source(source, book)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join()).collect()
    });
    let mut parts = Vec::new();
    for share in joined {
        parts
            .extend(share.map_err(|_| EngineError::InvalidInput("a scan thread panicked".into()))?);
    }
    parts.sort_by_key(|(rank, _)| *rank);
    // A call seen again is the first sighting's, unless an archive says otherwise (OpenClaw's
    // last word on its calls), as the writer decides it.
    let mut calls: HashMap<String, CallRecord> = HashMap::new();
    let mut stats = ScanStats::default();
    for (_, part) in parts {
        stats.files += part.files;
        stats.bytes += part.bytes;
        stats.skipped += part.skipped;
        stats.unreadable.extend(part.unreadable);
        for record in part.records {
            match calls.entry(record.call_id().to_string()) {
                Entry::Vacant(slot) => {
                    slot.insert(record);
                }
                Entry::Occupied(mut slot) => {
                    stats.duplicates += 1;
                    if part.from_archive {
                        slot.insert(record);
                    }
                }
            }
        }
    }
    let mut grouping = Grouping::new(query)?;
    for record in calls.values() {
        match record {
            CallRecord::Billed(call) => {
                stats.calls += 1;
                grouping.add_call(call)?;
            }
            CallRecord::Unbilled(call) => grouping.add_unbilled(call)?,
        }
    }
    Ok((grouping.finish(), stats))
}

/// A place transcripts are read from.
enum ScanSource {
    File(TranscriptFile),
    Db(String, PathBuf),
}

impl ScanSource {
    fn size(&self) -> u64 {
        let path = match self {
            ScanSource::File(file) => &file.path,
            ScanSource::Db(_, path) => path,
        };
        std::fs::metadata(path).map_or(0, |m| m.len())
    }
}

/// What one source held.
#[derive(Default)]
struct SourceScan {
    from_archive: bool,
    files: u64,
    bytes: u64,
    skipped: u64,
    unreadable: Vec<(String, String)>,
    records: Vec<CallRecord>,
}

/// Splits sources into `n` shares of about equal bytes (largest first, each to the lightest
/// share), keeping each source's rank.
fn share_by_size(sources: Vec<(usize, &ScanSource)>, n: usize) -> Vec<Vec<(usize, &ScanSource)>> {
    let mut sized: Vec<(u64, (usize, &ScanSource))> =
        sources.into_iter().map(|s| (s.1.size(), s)).collect();
    sized.sort_by_key(|s| (std::cmp::Reverse(s.0), s.1 .0));
    let mut shares: Vec<(u64, Vec<(usize, &ScanSource)>)> =
        (0..n).map(|_| (0, Vec::new())).collect();
    for (size, source) in sized {
        let lightest = shares.iter_mut().min_by_key(|s| s.0).expect("n >= 1");
        lightest.0 += size;
        lightest.1.push(source);
    }
    shares
        .into_iter()
        .map(|s| s.1)
        .filter(|s| !s.is_empty())
        .collect()
}

fn scan_source(source: &ScanSource, book: &PriceBook) -> SourceScan {
    let mut scan = SourceScan::default();
    match source {
        ScanSource::File(file) => scan_file(file, book, &mut scan),
        ScanSource::Db(agent, path) => {
            if let Err(e) = scan_db(agent, path, book, &mut scan) {
                scan.unreadable.push((path.display().to_string(), e));
            }
        }
    }
    scan
}

fn scan_file(file: &TranscriptFile, book: &PriceBook, scan: &mut SourceScan) {
    scan.from_archive = file.kind != FileKind::Live;
    if let Err(e) = scan_lines(file, book, scan) {
        scan.unreadable
            .push((file.path.display().to_string(), e.to_string()));
    }
}

/// Reads a file line by line through a bounded buffer (a `.zst` archive decoded as a stream),
/// so neither a huge transcript nor a decompression bomb is ever held whole.
fn scan_lines(
    file: &TranscriptFile,
    book: &PriceBook,
    scan: &mut SourceScan,
) -> std::io::Result<()> {
    let handle = std::fs::File::open(&file.path)?;
    let reader: Box<dyn std::io::Read> = match file.kind {
        FileKind::CompressedArchive => Box::new(jsonl::decoder(handle)?),
        _ => Box::new(handle),
    };
    // Only assistant messages can be calls, and every one of them names its role.
    let assistant = memmem::Finder::new(b"\"assistant\"");
    // A live file's unterminated last line is still being written: it is left out.
    let take_tail = file.kind != FileKind::Live;
    let mut read = 0;
    split_lines(
        BufReader::with_capacity(1 << 20, reader),
        0,
        take_tail,
        |offset, end, line| {
            read = end;
            let line = match line {
                Ok(line) if assistant.find(line).is_none() => return,
                Ok(line) => line,
                Err(_) => {
                    scan.skipped += 1;
                    return;
                }
            };
            let Ok(entry) = parse_line(line) else {
                scan.skipped += 1;
                return;
            };
            let id = event_id(&entry, &file.context.session_id, offset);
            scan.records
                .extend(record_of(&file.context, &id, &entry, book));
        },
    )?;
    scan.files += 1;
    scan.bytes += read;
    Ok(())
}

fn scan_db(
    agent: &str,
    path: &Path,
    book: &PriceBook,
    scan: &mut SourceScan,
) -> std::result::Result<(), String> {
    let db = AgentDb::open(path, agent).map_err(|e| e.to_string())?;
    for (session_id, _) in db.progress().map_err(|e| e.to_string())? {
        let mut from = 0;
        while let Some(batch) = db.read_from(&session_id, from).map_err(|e| e.to_string())? {
            from = batch.cursor.position;
            for line in batch.lines {
                let Ok(entry) = line.result else {
                    scan.skipped += 1;
                    continue;
                };
                let id = event_id(&entry, &batch.context.session_id, line.position);
                scan.records
                    .extend(record_of(&batch.context, &id, &entry, book));
            }
        }
    }
    Ok(())
}
