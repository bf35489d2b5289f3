//! A report straight from the transcripts, nothing stored (`clawtower report --scan`): files are
//! split across cores, lines without `"usage"` are skipped by a byte search before any parsing,
//! and calls are de-duplicated by id as in the store.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use memchr::memmem;

use super::entry::{parse_line, MAX_LINE_BYTES};
use super::pricing::PriceBook;
use super::report::{Grouping, Report, ReportQuery};
use super::source::SessionContext;
use super::sources::jsonl::{self, FileKind, TranscriptFile};
use super::sources::sqlite::AgentDb;
use super::writer::{event_id, model_call};
use crate::error::{EngineError, Result};
use crate::openclaw::layout::AGENT_SQLITE;

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
    /// Lines that mentioned usage but could not be read.
    pub skipped: u64,
    /// Sources that could not be read, with why.
    pub unreadable: Vec<(String, String)>,
}

/// Scans every transcript under `state_dir` into a report.
pub fn scan_report(
    state_dir: &Path,
    book: &PriceBook,
    query: &ReportQuery,
) -> Result<(Report, ScanStats)> {
    let mut files = Vec::new();
    let mut dbs = Vec::new();
    let agents_dir = state_dir.join("agents");
    let entries = std::fs::read_dir(&agents_dir)
        .map_err(|e| EngineError::io(format!("reading {}", agents_dir.display()), e))?;
    for entry in entries.flatten() {
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let agent = entry.file_name().to_string_lossy().into_owned();
        let sessions = jsonl::sessions(&agent, &entry.path());
        files.extend(jsonl::transcript_files(&agent, &entry.path(), &sessions));
        let db = entry.path().join(AGENT_SQLITE);
        if db.is_file() {
            dbs.push((agent, db));
        }
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let shares = share_by_size(files, workers);
    let seen = Mutex::new(HashSet::new());
    let mut grouping = Grouping::new(query)?;
    let mut stats = ScanStats::default();
    let results: Vec<Result<(Grouping, ScanStats)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| scope.spawn(|| scan_files(share, book, query, &seen)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(EngineError::InvalidInput("a scan thread panicked".into()))
                })
            })
            .collect()
    });
    for result in results {
        let (part, part_stats) = result?;
        grouping.merge(part);
        add_stats(&mut stats, part_stats);
    }
    for (agent, path) in dbs {
        match scan_db(&agent, &path, book, &seen, &mut grouping, &mut stats) {
            Ok(()) => {}
            Err(e) => stats
                .unreadable
                .push((path.display().to_string(), e.to_string())),
        }
    }
    Ok((grouping.finish(), stats))
}

fn add_stats(total: &mut ScanStats, part: ScanStats) {
    total.files += part.files;
    total.bytes += part.bytes;
    total.calls += part.calls;
    total.duplicates += part.duplicates;
    total.skipped += part.skipped;
    total.unreadable.extend(part.unreadable);
}

/// Splits files into `n` shares of about equal bytes (largest first, each to the lightest share).
fn share_by_size(files: Vec<TranscriptFile>, n: usize) -> Vec<Vec<TranscriptFile>> {
    let mut sized: Vec<(u64, TranscriptFile)> = files
        .into_iter()
        .map(|f| (std::fs::metadata(&f.path).map_or(0, |m| m.len()), f))
        .collect();
    sized.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut shares: Vec<(u64, Vec<TranscriptFile>)> = (0..n).map(|_| (0, Vec::new())).collect();
    for (size, file) in sized {
        let lightest = shares.iter_mut().min_by_key(|s| s.0).expect("n >= 1");
        lightest.0 += size;
        lightest.1.push(file);
    }
    shares
        .into_iter()
        .map(|s| s.1)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Counts a call once, whichever source saw it first.
fn first_sighting(seen: &Mutex<HashSet<String>>, id: &str) -> bool {
    seen.lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(id.to_string())
}

fn scan_files(
    files: Vec<TranscriptFile>,
    book: &PriceBook,
    query: &ReportQuery,
    seen: &Mutex<HashSet<String>>,
) -> Result<(Grouping, ScanStats)> {
    let mut grouping = Grouping::new(query)?;
    let mut stats = ScanStats::default();
    let usage = memmem::Finder::new(b"\"usage\"");
    for file in files {
        let bytes = match read_whole(&file.path, file.kind) {
            Ok(bytes) => bytes,
            Err(e) => {
                stats
                    .unreadable
                    .push((file.path.display().to_string(), e.to_string()));
                continue;
            }
        };
        stats.files += 1;
        stats.bytes += bytes.len() as u64;
        // A live file's unterminated last line is still being written: leave it out.
        let complete = match file.kind {
            FileKind::Live => bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1),
            _ => bytes.len(),
        };
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', &bytes[..complete]).chain(std::iter::once(complete)) {
            let line = &bytes[start..end];
            let offset = start as u64;
            start = end + 1;
            if line.is_empty() || usage.find(line).is_none() {
                continue;
            }
            if line.len() > MAX_LINE_BYTES {
                stats.skipped += 1;
                continue;
            }
            count_line(
                &file.context,
                offset,
                line,
                book,
                seen,
                &mut grouping,
                &mut stats,
            )?;
        }
    }
    Ok((grouping, stats))
}

fn count_line(
    context: &SessionContext,
    position: u64,
    line: &[u8],
    book: &PriceBook,
    seen: &Mutex<HashSet<String>>,
    grouping: &mut Grouping,
    stats: &mut ScanStats,
) -> Result<()> {
    let Ok(entry) = parse_line(line) else {
        stats.skipped += 1;
        return Ok(());
    };
    let id = event_id(&entry, &context.session_id, position);
    let Some(call) = model_call(context, id, &entry, book) else {
        return Ok(());
    };
    if first_sighting(seen, &call.call_id) {
        stats.calls += 1;
        grouping.add_call(&call)?;
    } else {
        stats.duplicates += 1;
    }
    Ok(())
}

fn read_whole(path: &PathBuf, kind: FileKind) -> std::io::Result<Vec<u8>> {
    match kind {
        FileKind::CompressedArchive => zstd::decode_all(std::fs::File::open(path)?),
        _ => std::fs::read(path),
    }
}

fn scan_db(
    agent: &str,
    path: &Path,
    book: &PriceBook,
    seen: &Mutex<HashSet<String>>,
    grouping: &mut Grouping,
    stats: &mut ScanStats,
) -> std::result::Result<(), String> {
    let db = AgentDb::open(path, agent).map_err(|e| e.to_string())?;
    for (session_id, _) in db.progress().map_err(|e| e.to_string())? {
        let mut from = 0;
        while let Some(batch) = db.read_from(&session_id, from).map_err(|e| e.to_string())? {
            from = batch.cursor.position;
            for line in batch.lines {
                let Ok(entry) = line.result else {
                    stats.skipped += 1;
                    continue;
                };
                let id = event_id(&entry, &batch.context.session_id, line.position);
                if let Some(call) = model_call(&batch.context, id, &entry, book) {
                    if first_sighting(seen, &call.call_id) {
                        stats.calls += 1;
                        grouping.add_call(&call).map_err(|e| e.to_string())?;
                    } else {
                        stats.duplicates += 1;
                    }
                }
            }
        }
    }
    Ok(())
}
