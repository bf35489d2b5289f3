//! Where the message indexer read each session's transcripts to, so that a session growing while
//! it runs is read again from there: only what OpenClaw appended is parsed, and only its new
//! messages are added to the index. Kept in memory by the indexer for the [`KEPT`] sessions read
//! last (after a restart, or for one read longer ago, a session is read whole once); a transcript
//! replaced, truncated, added or gone means reading it whole.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Mutex;

use clawtower_core::error::Result;
use clawtower_ledger::transcript::{jsonl, Cursor, ParsedLine};

use crate::timeline::line::{parse_display_line, Line};
use crate::timeline::read::{places, reading};
use crate::timeline::EntryKind;

/// How many sessions' read positions are kept: the ones read last (a home's first index reads
/// every session once; only the running ones are read again).
pub const KEPT: usize = 1024;

/// Where each session was read to (see the module).
#[derive(Default)]
pub struct IndexedTo {
    kept: Mutex<Kept>,
}

/// The kept positions, each with when it was kept (a count), and the keys in that order.
#[derive(Default)]
struct Kept {
    sessions: HashMap<String, (u64, Vec<ReadTo>)>,
    order: VecDeque<(u64, String)>,
    count: u64,
}

impl Kept {
    fn insert(&mut self, session_key: &str, to: Vec<ReadTo>) {
        self.count += 1;
        self.sessions
            .insert(session_key.to_string(), (self.count, to));
        self.order.push_back((self.count, session_key.to_string()));
        // The oldest out; an order entry whose session was kept again since is stale.
        while self.sessions.len() > KEPT {
            let Some((at, key)) = self.order.pop_front() else {
                break;
            };
            if self.sessions.get(&key).is_some_and(|(kept, _)| *kept == at) {
                self.sessions.remove(&key);
            }
        }
        if self.order.len() > 4 * KEPT {
            let sessions = &self.sessions;
            self.order
                .retain(|(at, key)| sessions.get(key).is_some_and(|(kept, _)| kept == at));
        }
    }
}

/// How far one generation of a session was read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ReadTo {
    /// A transcript file, up to the cursor.
    File(PathBuf, Cursor),
    /// A session of the agent database, up to (not including) this `seq`.
    Database(String, u64),
}

/// The messages a read found.
#[derive(Debug, PartialEq)]
pub(crate) enum Said {
    /// Everything said in the session.
    Whole(Vec<String>),
    /// What was said since the last read (to add to what is indexed).
    Since(Vec<String>),
}

impl IndexedTo {
    /// The messages of `session_key`: only the new ones when it was read before and its
    /// transcripts only grew since, else all of them; and how far it is now read (to keep with
    /// [`IndexedTo::keep`] once they are indexed).
    pub(crate) fn read(
        &self,
        state_dir: &std::path::Path,
        session_key: &str,
    ) -> Result<(Said, Vec<ReadTo>)> {
        let before = self.take(session_key);
        if let Some(before) = before {
            if let Some((texts, to)) = read_places(state_dir, session_key, Some(&before))? {
                return Ok((Said::Since(texts), to));
            }
        }
        let (texts, to) =
            read_places(state_dir, session_key, None)?.expect("a read from the start is whole");
        Ok((Said::Whole(texts), to))
    }

    /// Remembers how far `session_key` is indexed (forgetting the session kept longest ago when
    /// [`KEPT`] are).
    pub(crate) fn keep(&self, session_key: &str, to: Vec<ReadTo>) {
        self.lock().insert(session_key, to);
    }

    fn take(&self, session_key: &str) -> Option<Vec<ReadTo>> {
        self.lock().sessions.remove(session_key).map(|(_, to)| to)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Reads every generation of `session_key` from where `before` left it (from the start when
/// `None`); `None` when that cannot be done by appending (a generation new, gone, replaced or
/// truncated).
fn read_places(
    state_dir: &std::path::Path,
    session_key: &str,
    before: Option<&[ReadTo]>,
) -> Result<Option<(Vec<String>, Vec<ReadTo>)>> {
    let places = match places(state_dir, session_key) {
        Ok(places) => places,
        // No transcript any more (only the ledger remembers it): nothing to search — read
        // "whole", so what was indexed of it goes.
        Err(clawtower_core::EngineError::NotFound(_)) => {
            return Ok(before.is_none().then(|| (Vec::new(), Vec::new())))
        }
        Err(e) => return Err(e),
    };
    let generations = places.files.len() + places.database.as_ref().map_or(0, |(_, ids)| ids.len());
    if before.is_some_and(|b| b.len() != generations) {
        return Ok(None);
    }
    let (mut texts, mut to) = (Vec::new(), Vec::new());
    for file in &places.files {
        let cursor = match before {
            None => None,
            Some(before) => match before.iter().find_map(|r| match r {
                ReadTo::File(path, cursor) if *path == file.path => Some(cursor),
                _ => None,
            }) {
                Some(cursor) => Some(cursor),
                None => return Ok(None),
            },
        };
        let read = jsonl::read_since(file, parse_display_line, cursor)
            .map_err(|e| reading(&file.path.display(), e))?;
        if cursor.is_some() && !read.appended {
            return Ok(None);
        }
        said_in(read.lines, &mut texts);
        to.push(ReadTo::File(file.path.clone(), read.cursor));
    }
    if let Some((db, ids)) = &places.database {
        for id in ids {
            let from = match before {
                None => 0,
                Some(before) => match before.iter().find_map(|r| match r {
                    ReadTo::Database(had, next) if had == id => Some(*next),
                    _ => None,
                }) {
                    Some(next) => next,
                    None => return Ok(None),
                },
            };
            let lines = db
                .events(id, from, usize::MAX, parse_display_line)
                .map_err(|e| reading(&format!("session {id}"), e))?;
            let next = lines.last().map_or(from, |l| l.position + 1);
            said_in(lines, &mut texts);
            to.push(ReadTo::Database(id.clone(), next));
        }
    }
    Ok(Some((texts, to)))
}

/// Adds the user and assistant texts of `lines` to `texts`.
fn said_in(lines: Vec<ParsedLine<Line>>, texts: &mut Vec<String>) {
    for line in lines {
        if let Ok(Line::Entries(entries)) = line.result {
            texts.extend(
                entries
                    .into_iter()
                    .filter(|e| matches!(e.kind, EntryKind::User | EntryKind::Assistant))
                    .map(|e| e.text)
                    .filter(|text| !text.trim().is_empty()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const KEY: &str = "agent:main:main";

    fn line(id: &str, role: &str, text: &str) -> String {
        format!(
            r#"{{"type":"message","id":"{id}","timestamp":"2026-12-01T10:00:00Z","message":{{"role":"{role}","content":[{{"type":"text","text":"{text}"}}]}}}}"#
        )
    }

    /// A transcript of session `s1` holding `entry`.
    fn transcript(entry: &str) -> String {
        format!(
            "{{\"type\":\"session\",\"version\":3,\"id\":\"s1\",\"timestamp\":\"2026-12-01T10:00:00Z\"}}\n{entry}\n"
        )
    }

    fn home() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().to_path_buf();
        let sessions = state.join("agents/main/sessions");
        std::fs::create_dir_all(&sessions).unwrap();
        std::fs::write(
            sessions.join("sessions.json"),
            r#"{"agent:main:main":{"sessionId":"s1","updatedAt":1}}"#,
        )
        .unwrap();
        let file = sessions.join("s1.jsonl");
        std::fs::write(&file, transcript(&line("a1", "user", "first question"))).unwrap();
        (dir, state, file)
    }

    #[test]
    fn the_sessions_read_last_are_kept_and_no_more() {
        let indexed = IndexedTo::default();
        let to = || vec![ReadTo::Database("s".into(), 1)];
        for i in 0..KEPT + 10 {
            indexed.keep(&format!("k{i}"), to());
            // One session read again and again stays (it is read last each time).
            indexed.keep("live", to());
        }
        let kept = indexed.lock();
        assert_eq!(kept.sessions.len(), KEPT);
        assert!(kept.sessions.contains_key("live"));
        assert!(kept.sessions.contains_key(&format!("k{}", KEPT + 9)));
        assert!(!kept.sessions.contains_key("k0"), "the oldest forgotten");
        assert!(kept.order.len() <= 4 * KEPT + 1);
    }

    #[test]
    fn a_growing_session_is_read_from_where_it_was_and_a_rewritten_one_whole() {
        let (_dir, state, file) = home();
        let indexed = IndexedTo::default();
        let (said, to) = indexed.read(&state, KEY).unwrap();
        assert_eq!(said, Said::Whole(vec!["first question".into()]));
        indexed.keep(KEY, to);
        // Nothing new: nothing to add.
        let (said, to) = indexed.read(&state, KEY).unwrap();
        assert_eq!(said, Said::Since(vec![]));
        indexed.keep(KEY, to);
        // Appended: only the new message.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap();
        writeln!(f, "{}", line("a2", "assistant", "an answer")).unwrap();
        drop(f);
        let (said, to) = indexed.read(&state, KEY).unwrap();
        assert_eq!(said, Said::Since(vec!["an answer".into()]));
        indexed.keep(KEY, to);
        // Rewritten shorter: read whole again.
        std::fs::write(&file, transcript(&line("b1", "user", "new"))).unwrap();
        let (said, _) = indexed.read(&state, KEY).unwrap();
        assert_eq!(said, Said::Whole(vec!["new".into()]));
        // Not kept after a read that was not indexed: whole again.
        let (said, to) = indexed.read(&state, KEY).unwrap();
        assert_eq!(said, Said::Whole(vec!["new".into()]));
        indexed.keep(KEY, to);
        // Its transcript gone: read whole, nothing (what was indexed of it goes).
        std::fs::remove_dir_all(state.join("agents")).unwrap();
        let (said, _) = indexed.read(&state, KEY).unwrap();
        assert_eq!(said, Said::Whole(vec![]));
    }
}
