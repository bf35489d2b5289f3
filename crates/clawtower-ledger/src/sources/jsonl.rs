//! Legacy transcripts: `agents/<id>/sessions/sessions.json` + `<sessionId>.jsonl` (and
//! `-topic-<thread>`, fork and successor files), tailed by byte offset; reset and deleted
//! archives `<sessionId>.jsonl.{reset,deleted}.<stamp>[.<32 hex>][.zst]` read once.
//!
//! Which files count, and which session they belong to, follow OpenClaw's own usage reports
//! (`isUsageCountedSessionTranscriptFileName` and `discoverAllSessions` in OpenClaw 2026.7.1 and
//! 2026.9.6): a file's session id is its name up to `.jsonl`; a session id the index does not
//! name (a reset or deleted session) is keyed `agent:<id>:<sessionId>`. Legacy compaction
//! checkpoints (`*.checkpoint.<uuid>.jsonl`, copies of entries the transcript keeps) and
//! trajectory sidecars are not transcripts.

use clawtower_core::session_key::fallback_session_key;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::entry::{parse_line, SkipReason};
use crate::lines::{split_lines, split_lines_while};
use crate::source::{Batch, Cursor, LineParser, ParsedLine, SessionContext, SessionInfo};

/// How a transcript file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Still being written: tailed, a partial last line waits.
    Live,
    /// A reset or deleted session's archive: complete, immutable, and OpenClaw's last word on
    /// its calls (their session is the archive's).
    Archive,
    /// A zstd-compressed archive.
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
            status: field(&entry, "status"),
            updated_ms: entry.get("updatedAt").and_then(Value::as_i64),
        })
        .collect()
}

/// Every transcript file of an agent, with its session, sorted by path. Files of a session the
/// agent's SQLite store still holds (`in_database`) are left to it, as OpenClaw does.
pub fn transcript_files(
    agent_id: &str,
    agent_dir: &Path,
    sessions: &[SessionInfo],
    in_database: &dyn Fn(&str) -> bool,
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
            if in_database(session_id) {
                return None;
            }
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
    if let Some(stem) = name.strip_suffix(".jsonl") {
        // (An archive or backup name never ends in `.jsonl`: its stamp comes last.)
        let primary =
            !stem.is_empty() && !stem.ends_with(".trajectory") && !is_checkpoint_stem(stem);
        return primary.then_some((stem, FileKind::Live));
    }
    let (uncompressed, kind) = match name.strip_suffix(".zst") {
        Some(rest) => (rest, FileKind::CompressedArchive),
        None => (name, FileKind::Archive),
    };
    ["reset", "deleted"].into_iter().find_map(|reason| {
        let marker = format!(".jsonl.{reason}.");
        let at = uncompressed.rfind(&marker)?;
        let session_id = &uncompressed[..at];
        let primary = classify_file_name(&format!("{session_id}.jsonl")).is_some();
        (at > 0 && primary && has_archive_suffix(uncompressed, reason))
            .then_some((session_id, kind))
    })
}

/// `<name>.<reason>.<stamp>[.<32 hex>]`, the stamp `YYYY-MM-DDTHH-MM-SS[.mmm]Z` (OpenClaw's
/// `hasArchiveSuffix`; 2026.9.6 adds the optional generation suffix).
fn has_archive_suffix(name: &str, reason: &str) -> bool {
    let marker = format!(".{reason}.");
    let Some(at) = name.rfind(&marker) else {
        return false;
    };
    let rest = &name[at + marker.len()..];
    let generation = rest.len().checked_sub(33).and_then(|dot| {
        let (stamp, tail) = rest.split_at(dot);
        let hex = &tail[1..];
        (tail.starts_with('.')
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then_some(stamp)
    });
    is_archive_stamp(rest) || generation.is_some_and(is_archive_stamp)
}

/// `YYYY-MM-DDTHH-MM-SS[.mmm]Z`.
fn is_archive_stamp(stamp: &str) -> bool {
    let b = stamp.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let core = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b'-'
        && digits(14..16)
        && b[16] == b'-'
        && digits(17..19);
    core && match &b[19..] {
        [b'Z'] => true,
        [b'.', m1, m2, m3, b'Z'] => [m1, m2, m3].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

/// `<sessionId>.checkpoint.<uuid>` (a legacy pre-compaction copy).
fn is_checkpoint_stem(stem: &str) -> bool {
    let Some(at) = stem.rfind(".checkpoint.") else {
        return false;
    };
    let uuid = &stem[at + ".checkpoint.".len()..];
    let groups: Vec<&str> = uuid.split('-').collect();
    at > 0
        && groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && uuid.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit())
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

/// Lines handed on in one batch at most: a file is committed in bounded pieces, its cursor
/// advanced with each, so a huge transcript never sits in memory whole.
pub const LINES_PER_BATCH: usize = 2_000;

/// Bytes of lines handed on in one batch at most (see [`LINES_PER_BATCH`]).
pub const BYTES_PER_BATCH: u64 = 32 << 20;

/// Reads what is new in `file` since `cursor`, handing it to `each` in bounded batches, each
/// with the cursor to store with it. Returns whether anything was new.
///
/// A live file whose identity or head changed, or that shrank below the cursor, was truncated or
/// replaced: it is read again from the start (the store's dedup keeps that exact). An archive is
/// read whole; only its last batch marks it done (a pass cut short reads it again, harmlessly).
pub fn read_new<E: From<io::Error>>(
    file: &TranscriptFile,
    cursor: Option<&Cursor>,
    each: &mut dyn FnMut(Batch) -> Result<(), E>,
) -> Result<bool, E> {
    let mut handle = File::open(&file.path)?;
    let fingerprint = fingerprint(&mut handle)?;
    let len = handle.metadata()?.len();
    let start = resume_at(cursor, &fingerprint, len).unwrap_or(0);
    if matches!(cursor, Some(c) if c.fingerprint == fingerprint && c.position == len) {
        return Ok(false);
    }
    let live = file.kind == FileKind::Live;
    let batch = |lines: Vec<ParsedLine>, position: u64| Batch {
        source: file.source_id(),
        context: file.context.clone(),
        lines,
        cursor: Cursor {
            position,
            fingerprint: fingerprint.clone(),
        },
        from_archive: !live,
    };
    let mut lines = Vec::new();
    let mut bytes = 0;
    let mut failed: Option<E> = None;
    let mut collect = |offset: u64, end: u64, line: Result<&[u8], _>| {
        if failed.is_some() {
            return;
        }
        bytes += end - offset;
        lines.push(ParsedLine {
            position: offset,
            result: line.and_then(parse_line),
        });
        if lines.len() >= LINES_PER_BATCH || bytes >= BYTES_PER_BATCH {
            // Within an archive, a piece does not mark the archive read.
            let position = if live { end } else { 0 };
            bytes = 0;
            if let Err(e) = each(batch(std::mem::take(&mut lines), position)) {
                failed = Some(e);
            }
        }
    };
    let position = match file.kind {
        FileKind::Live => {
            handle.seek(SeekFrom::Start(start))?;
            let reader = BufReader::with_capacity(1 << 20, handle);
            split_lines(reader, start, false, &mut collect)?
        }
        FileKind::Archive => {
            split_lines(
                BufReader::with_capacity(1 << 20, handle),
                0,
                true,
                &mut collect,
            )?;
            len
        }
        FileKind::CompressedArchive => {
            split_lines(
                BufReader::with_capacity(1 << 20, decoder(handle)?),
                0,
                true,
                &mut collect,
            )?;
            len
        }
    };
    if let Some(e) = failed {
        return Err(e);
    }
    each(batch(lines, position))?;
    Ok(true)
}

/// The largest zstd window an archive may ask for (2^27 = 128 MiB; OpenClaw's archives use far
/// less): a crafted frame cannot make the decoder reserve more.
const MAX_ZSTD_WINDOW_LOG: u32 = 27;

/// A streaming decoder for a `.zst` archive: its output is read line by line (bounded by
/// [`crate::entry::MAX_LINE_BYTES`] per line), never whole, and its window is capped.
pub fn decoder<R: io::Read>(
    source: R,
) -> io::Result<zstd::stream::read::Decoder<'static, BufReader<R>>> {
    let mut decoder = zstd::stream::read::Decoder::new(source)?;
    decoder.window_log_max(MAX_ZSTD_WINDOW_LOG)?;
    Ok(decoder)
}

/// Every line of `file`, parsed with `parse` (a reader for display: the ledger reads with
/// [`read_new`]). A live file's unterminated last line is left out: it is still being written.
pub fn read_whole<T>(
    file: &TranscriptFile,
    parse: LineParser<T>,
) -> io::Result<Vec<ParsedLine<T>>> {
    Ok(read_head(file, parse, |_| true)?.0)
}

/// The first lines of `file` (as [`read_whole`]), up to the first one for which `more` is false:
/// a reader that needs only a file's head stops there. Also whether the file was read to its end.
pub fn read_head<T>(
    file: &TranscriptFile,
    parse: LineParser<T>,
    more: impl FnMut(&ParsedLine<T>) -> bool,
) -> io::Result<(Vec<ParsedLine<T>>, bool)> {
    let read = lines_of(file, File::open(&file.path)?, 0, parse, more)?;
    Ok((read.lines, !read.stopped))
}

/// What [`read_since`] read of a file.
#[derive(Debug)]
pub struct ReadSince<T> {
    /// The lines read.
    pub lines: Vec<ParsedLine<T>>,
    /// Where the next read starts.
    pub cursor: Cursor,
    /// The lines follow those read up to the cursor given; when false, the file was read from
    /// its start (new, replaced or truncated) and they replace whatever was read of it before.
    pub appended: bool,
}

/// The lines of `file` after `cursor` (parsed as [`read_whole`] parses them), for a reader that
/// keeps what it read: a live file that grew is read from the cursor on; one whose identity or
/// head changed, or that shrank, from its start (as [`read_new`] decides); an unchanged
/// archive not at all.
pub fn read_since<T>(
    file: &TranscriptFile,
    parse: LineParser<T>,
    cursor: Option<&Cursor>,
) -> io::Result<ReadSince<T>> {
    let mut handle = File::open(&file.path)?;
    let fingerprint = fingerprint(&mut handle)?;
    let len = handle.metadata()?.len();
    let (start, appended) = match resume_at(cursor, &fingerprint, len) {
        Some(_) if file.kind != FileKind::Live => (len, true),
        Some(position) => (position, true),
        None => (0, false),
    };
    let (lines, position) = if start == len && appended {
        (Vec::new(), start)
    } else {
        handle.seek(SeekFrom::Start(start))?;
        let read = lines_of(file, handle, start, parse, |_| true)?;
        let finished = file.kind != FileKind::Live;
        (read.lines, if finished { len } else { read.end })
    };
    Ok(ReadSince {
        lines,
        cursor: Cursor {
            position,
            fingerprint,
        },
        appended,
    })
}

/// Where a read of a file (its identity and head `fingerprint`, `len` bytes) goes on from
/// `cursor`; `None` when it starts over: new, replaced, or shrunk below the cursor.
fn resume_at(cursor: Option<&Cursor>, fingerprint: &str, len: u64) -> Option<u64> {
    cursor
        .filter(|c| c.fingerprint == fingerprint && c.position <= len)
        .map(|c| c.position)
}

/// Lines parsed from `handle` (positioned at `start`; a compressed archive is read from its
/// start) until `more` is false.
struct LinesOf<T> {
    lines: Vec<ParsedLine<T>>,
    /// Where the next read starts (after the last complete line).
    end: u64,
    /// `more` stopped the read.
    stopped: bool,
}

fn lines_of<T>(
    file: &TranscriptFile,
    handle: File,
    start: u64,
    parse: LineParser<T>,
    mut more: impl FnMut(&ParsedLine<T>) -> bool,
) -> io::Result<LinesOf<T>> {
    let mut lines = Vec::new();
    let mut stopped = false;
    let collect = |offset: u64, _end: u64, line: Result<&[u8], SkipReason>| {
        let line = ParsedLine {
            position: offset,
            result: line.and_then(parse),
        };
        stopped = !more(&line);
        lines.push(line);
        if stopped {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let finished = file.kind != FileKind::Live;
    let end = match file.kind {
        FileKind::CompressedArchive => {
            split_lines_while(BufReader::new(decoder(handle)?), 0, finished, collect)?
        }
        _ => split_lines_while(
            BufReader::with_capacity(1 << 20, handle),
            start,
            finished,
            collect,
        )?,
    };
    Ok(LinesOf {
        lines,
        end,
        stopped,
    })
}

/// All of what is new in `file` as one batch (tests and small files); `None` when nothing is.
pub fn read_all_new(file: &TranscriptFile, cursor: Option<&Cursor>) -> io::Result<Option<Batch>> {
    let mut all: Option<Batch> = None;
    read_new(file, cursor, &mut |batch: Batch| -> io::Result<()> {
        match &mut all {
            Some(all) => {
                all.lines.extend(batch.lines);
                all.cursor = batch.cursor;
            }
            None => all = Some(batch),
        }
        Ok(())
    })?;
    Ok(all)
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
    fn finds_the_files_openclaw_counts_with_the_sessions_it_gives_them() {
        let zst = zstd::encode_all(CALL.as_bytes(), 3).unwrap();
        let tmp = agent_with(&[
            ("s1.jsonl", HEADER.as_bytes()),
            ("s1-topic-42.jsonl", b""),
            ("s1.trajectory.jsonl", b""),
            (
                "s1.checkpoint.0b7c3f0e-1a2b-4c3d-8e9f-0123456789ab.jsonl",
                CALL.as_bytes(),
            ),
            ("2026-11-21T03-06-23-093Z_s5.jsonl", b""),
            ("s0.jsonl.reset.2026-11-21T03-07-00.001Z", CALL.as_bytes()),
            (
                "s3.jsonl.deleted.2026-11-21T03-08-50.640Z.abc",
                CALL.as_bytes(),
            ),
            (
                "s4.jsonl.deleted.2026-11-21T03-08-56.094Z.8455493393234fcc9c9f68ede37510b9.zst",
                &zst,
            ),
            ("s6.jsonl.deleted.2026-11-21T03-08-56Z.zst", &zst),
            ("s7.jsonl.bak.2026-11-21T03-08-56Z", CALL.as_bytes()),
            (
                "s8.jsonl.pre-doctor-branch-repair-2026-11-21T03-08-56-000Z.bak",
                b"",
            ),
            ("sessions.json.bak.3", b""),
            ("s9.jsonl.migrated", b""),
            ("notes.txt", b""),
        ]);
        let sessions = sessions("main", tmp.path());
        assert_eq!(sessions.len(), 2);
        let files = transcript_files("main", tmp.path(), &sessions, &|_| false);
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
        let row = |name: &str, kind, key: &str| (name.to_string(), kind, key.to_string());
        assert_eq!(
            summary,
            vec![
                row(
                    "2026-11-21T03-06-23-093Z_s5.jsonl",
                    FileKind::Live,
                    "agent:main:2026-11-21T03-06-23-093Z_s5"
                ),
                row(
                    "s0.jsonl.reset.2026-11-21T03-07-00.001Z",
                    FileKind::Archive,
                    "agent:main:s0"
                ),
                row("s1-topic-42.jsonl", FileKind::Live, "agent:main:s1-topic-42"),
                row("s1.jsonl", FileKind::Live, "agent:main:main"),
                row(
                    "s4.jsonl.deleted.2026-11-21T03-08-56.094Z.8455493393234fcc9c9f68ede37510b9.zst",
                    FileKind::CompressedArchive,
                    "agent:main:s4"
                ),
                row(
                    "s6.jsonl.deleted.2026-11-21T03-08-56Z.zst",
                    FileKind::CompressedArchive,
                    "agent:main:s6"
                ),
            ],
            "checkpoints, trajectories, backups and archives with a foreign suffix are not counted"
        );
        let archived = read_all_new(&files[4], None).unwrap().unwrap();
        assert_eq!(archived.lines.len(), 1);
        assert!(archived.lines[0].result.is_ok());
        assert!(archived.from_archive);
        assert!(
            read_all_new(&files[4], Some(&archived.cursor))
                .unwrap()
                .is_none(),
            "archives are read once"
        );
        let in_db = transcript_files("main", tmp.path(), &sessions, &|id| id == "s4");
        assert_eq!(
            in_db.len(),
            files.len() - 1,
            "the store's sessions are its own"
        );
    }

    /// An agent dir with one live transcript holding its header line.
    fn one_live_file() -> (tempfile::TempDir, TranscriptFile) {
        let tmp = agent_with(&[("s1.jsonl", HEADER.as_bytes())]);
        let sessions = sessions("main", tmp.path());
        let file = transcript_files("main", tmp.path(), &sessions, &|_| false).remove(0);
        (tmp, file)
    }

    /// `file`, opened to append to as OpenClaw does.
    fn appending(file: &TranscriptFile) -> std::fs::File {
        std::fs::OpenOptions::new()
            .append(true)
            .open(&file.path)
            .unwrap()
    }

    #[test]
    fn a_long_file_is_handed_on_in_bounded_batches_each_with_its_cursor() {
        let (_tmp, file) = one_live_file();
        let mut out = appending(&file);
        for i in 0..(2 * LINES_PER_BATCH) {
            out.write_all(CALL.replace("\"m1\"", &format!("\"m{i}\"")).as_bytes())
                .unwrap();
        }
        drop(out);
        let len = std::fs::metadata(&file.path).unwrap().len();
        let mut batches: Vec<(usize, u64)> = Vec::new();
        read_new(&file, None, &mut |batch: Batch| -> io::Result<()> {
            batches.push((batch.lines.len(), batch.cursor.position));
            Ok(())
        })
        .unwrap();
        // 1 header + 4,000 calls: two full batches, the last line alone; each cursor is where its
        // batch ends, so a pass stopped after any of them resumes there.
        let sizes: Vec<usize> = batches.iter().map(|b| b.0).collect();
        assert_eq!(sizes, [LINES_PER_BATCH, LINES_PER_BATCH, 1]);
        let first_end =
            HEADER.len() as u64 + (LINES_PER_BATCH as u64 - 1) * (CALL.len() as u64 + 2);
        assert!(
            batches[0].1 >= first_end && batches[0].1 < batches[1].1,
            "{batches:?}"
        );
        assert_eq!(batches[2].1, len);
        // A batch that cannot be stored stops the read there: what came before keeps its cursor.
        let mut handed = 0;
        let stopped = read_new(&file, None, &mut |_batch: Batch| -> io::Result<()> {
            handed += 1;
            if handed == 2 {
                Err(io::Error::other("disk full"))
            } else {
                Ok(())
            }
        });
        assert!(stopped.is_err());
        assert_eq!(handed, 2, "nothing is handed on after a batch failed");
    }

    #[test]
    fn tails_appends_waits_for_newlines_and_restarts_after_truncation() {
        let (_tmp, file) = one_live_file();
        let first = read_all_new(&file, None).unwrap().unwrap();
        assert_eq!(first.lines.len(), 1);
        assert!(read_all_new(&file, Some(&first.cursor)).unwrap().is_none());

        let mut f = appending(&file);
        let (head, tail) = CALL.split_at(40);
        f.write_all(head.as_bytes()).unwrap();
        let partial = read_all_new(&file, Some(&first.cursor)).unwrap().unwrap();
        assert!(partial.lines.is_empty(), "a partial line waits");
        assert_eq!(partial.cursor.position, first.cursor.position);
        f.write_all(tail.as_bytes()).unwrap();
        let second = read_all_new(&file, Some(&partial.cursor)).unwrap().unwrap();
        assert_eq!(second.lines.len(), 1);
        assert_eq!(second.lines[0].position, HEADER.len() as u64);

        std::fs::write(&file.path, CALL).unwrap(); // replaced by shorter content
        let again = read_all_new(&file, Some(&second.cursor)).unwrap().unwrap();
        assert_eq!(again.lines.len(), 1);
        assert_eq!(
            again.lines[0].position, 0,
            "truncation restarts from the top"
        );
    }

    #[test]
    fn a_keeping_reader_reads_what_was_appended_and_starts_over_when_replaced() {
        let (_tmp, file) = one_live_file();
        let first = read_since(&file, parse_line, None).unwrap();
        assert_eq!((first.lines.len(), first.appended), (1, false));
        let mut f = appending(&file);
        let (head, tail) = CALL.split_at(40);
        f.write_all(CALL.as_bytes()).unwrap();
        f.write_all(head.as_bytes()).unwrap();
        let grown = read_since(&file, parse_line, Some(&first.cursor)).unwrap();
        assert!(grown.appended);
        assert_eq!(grown.lines.len(), 1, "a partial line waits");
        assert_eq!(grown.lines[0].position, HEADER.len() as u64);
        f.write_all(tail.as_bytes()).unwrap();
        let rest = read_since(&file, parse_line, Some(&grown.cursor)).unwrap();
        assert_eq!((rest.lines.len(), rest.appended), (1, true));
        let same = read_since(&file, parse_line, Some(&rest.cursor)).unwrap();
        assert!(same.lines.is_empty() && same.appended);

        std::fs::write(&file.path, CALL).unwrap(); // replaced by shorter content
        let again = read_since(&file, parse_line, Some(&rest.cursor)).unwrap();
        assert_eq!((again.lines.len(), again.appended), (1, false));
        assert_eq!(again.lines[0].position, 0);
    }
}
