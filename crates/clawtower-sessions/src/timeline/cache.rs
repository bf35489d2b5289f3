//! The last timeline a window read, kept with where each of its transcripts was read to, so that
//! reading a growing session again reads only what OpenClaw appended (a running 25,000-entry
//! session is read again every 2 s while it is shown).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::line::{cut, parse_display_line, Line};
use super::read::{
    assemble, database_generation, finish, found, generation_of_file, places, reading, Part,
};
use super::Timeline;
use clawtower_core::error::Result;
use clawtower_ledger::transcript::{jsonl, Cursor, ParsedLine};
use clawtower_store::Store;

/// The last session's timeline as read (texts cut to previews), one at a time: the session a
/// window shows. Reads of other sessions replace it.
#[derive(Default)]
pub struct TimelineCache {
    last: Mutex<Option<Kept>>,
}

/// A session's generations as read.
struct Kept {
    session_key: String,
    parts: Vec<KeptPart>,
}

/// One generation, where it was read to, and its lines.
struct KeptPart {
    place: Place,
    part: Part,
}

/// Where a generation is kept, and how far it was read.
#[derive(PartialEq)]
enum Place {
    /// A transcript file, read up to the cursor.
    File(PathBuf, Cursor),
    /// A session of the agent database, read up to its last event.
    Database(String),
}

impl TimelineCache {
    /// An empty cache.
    pub fn new() -> TimelineCache {
        TimelineCache::default()
    }

    /// The whole timeline of `session_key`, texts cut to previews (as
    /// [`super::read_timeline`] reads it), reading only what its transcripts gained since it
    /// was last read here.
    pub fn timeline(&self, state_dir: &Path, store: &Store, session_key: &str) -> Result<Timeline> {
        let parts = self.parts(state_dir, session_key)?;
        finish(store, assemble(session_key, parts), true)
    }

    /// The timeline of `session_key` from its entry `from` on (as [`Self::timeline`]), for a
    /// window that has the ones before and shows a session as it grows: only what may have
    /// changed travels. `after_id` is the id of the entry before `from` as the window has it;
    /// when the timeline no longer has it there, the whole timeline comes back (`offset` 0).
    pub fn since(
        &self,
        state_dir: &Path,
        store: &Store,
        session_key: &str,
        from: usize,
        after_id: Option<&str>,
    ) -> Result<Timeline> {
        let mut timeline = assemble(session_key, self.parts(state_dir, session_key)?);
        let before = from.checked_sub(1).map(|i| timeline.entries.get(i));
        let from = match (before, after_id) {
            (Some(Some(entry)), Some(id)) if entry.id == id => from,
            _ => 0,
        };
        timeline.entries.drain(..from);
        timeline.offset = from as u64;
        finish(store, timeline, true)
    }

    /// Every generation of `session_key`, what was kept of it and what its transcripts gained.
    fn parts(&self, state_dir: &Path, session_key: &str) -> Result<Vec<Part>> {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let mut kept = match last.take() {
            Some(kept) if kept.session_key == session_key => kept.parts,
            _ => Vec::new(),
        };
        let places = places(state_dir, session_key)?;
        let mut parts = Vec::new();
        for file in &places.files {
            let (cursor, had) = match take(
                &mut kept,
                |p| matches!(p, Place::File(path, _) if *path == file.path),
            ) {
                Some(KeptPart {
                    place: Place::File(_, cursor),
                    part: (_, lines),
                }) => (Some(cursor), lines),
                _ => (None, Vec::new()),
            };
            let read = jsonl::read_since(file, parse_display_line, cursor.as_ref())
                .map_err(|e| reading(&file.path.display(), e))?;
            let mut lines = if read.appended { had } else { Vec::new() };
            lines.extend(previews(read.lines));
            parts.push(KeptPart {
                place: Place::File(file.path.clone(), read.cursor),
                part: (generation_of_file(file), lines),
            });
        }
        if let Some((db, ids)) = &places.database {
            for id in ids {
                let had = take(&mut kept, |p| *p == Place::Database(id.clone()));
                let mut lines = had.map(|k| k.part.1).unwrap_or_default();
                let from = lines.last().map_or(0, |l| l.position + 1);
                let new = db
                    .events(id, from, usize::MAX, parse_display_line)
                    .map_err(|e| reading(&format!("session {id}"), e))?;
                lines.extend(previews(new));
                parts.push(KeptPart {
                    place: Place::Database(id.clone()),
                    part: (database_generation(id.clone()), lines),
                });
            }
        }
        let read: Vec<Part> = parts.iter().map(|p| p.part.clone()).collect();
        *last = Some(Kept {
            session_key: session_key.to_string(),
            parts,
        });
        found(session_key, read)
    }
}

/// The kept part at `place`, taken out.
fn take(kept: &mut Vec<KeptPart>, at: impl Fn(&Place) -> bool) -> Option<KeptPart> {
    let index = kept.iter().position(|k| at(&k.place))?;
    Some(kept.swap_remove(index))
}

/// `lines` with their entries' texts cut to previews (what is kept).
fn previews(mut lines: Vec<ParsedLine<Line>>) -> Vec<ParsedLine<Line>> {
    for line in &mut lines {
        if let Ok(Line::Entries(entries)) = &mut line.result {
            entries.iter_mut().for_each(cut);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::read_timeline;
    use clawtower_openclaw::layout::AGENT_SQLITE;
    use clawtower_store::testing::copy_dir;
    use std::io::Write;

    const MORE: &str =
        r#"{"type":"message","id":"u-more","message":{"role":"user","content":"one more thing"}}"#;

    const KEY: &str = "agent:main:main";

    /// A copy of a real-gateway fixture, its main session read through a new cache (the same
    /// timeline as an uncached read).
    struct Fixture {
        _dir: tempfile::TempDir,
        state: PathBuf,
        store: Store,
        cache: TimelineCache,
        first: Timeline,
    }

    fn fixture(version: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        copy_dir(
            &repo.join(format!("tests/openclaw/fixtures/{version}/state")),
            &state,
        );
        let store = Store::open_in_memory().unwrap();
        let cache = TimelineCache::new();
        let first = cache.timeline(&state, &store, KEY).unwrap();
        assert_eq!(first, read_timeline(&state, &store, KEY, true).unwrap());
        Fixture {
            _dir: dir,
            state,
            store,
            cache,
            first,
        }
    }

    /// Whether `text` is what some entry of `timeline` says.
    fn says(timeline: &Timeline, text: &str) -> bool {
        timeline.entries.iter().any(|e| e.text == text)
    }

    #[test]
    fn a_growing_transcript_file_is_read_from_where_it_was() {
        let f = fixture("2026.7.1");
        let (state, store, cache, first) = (&f.state, &f.store, &f.cache, &f.first);
        let key = KEY;
        let live = places(state, key).unwrap().files.remove(0).path;
        // A change inside what was read (same length and head) is not read again: only what
        // is appended is.
        let text = std::fs::read_to_string(&live).unwrap();
        let said = first
            .entries
            .iter()
            .find(|e| e.text.len() > 3 && text.contains(&format!("\"{}\"", e.text)))
            .unwrap();
        let changed = format!("#{}", &said.text[1..]);
        let edited = text.replacen(&format!("\"{}\"", said.text), &format!("\"{changed}\""), 1);
        assert_eq!((edited.len(), &edited[..64]), (text.len(), &text[..64]));
        std::fs::write(&live, edited).unwrap();
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&live)
            .unwrap();
        writeln!(file, "{MORE}").unwrap();
        let n = first.entries.len();
        let last = first.entries[n - 1].id.clone();
        let grown = cache.since(state, store, key, n, Some(&last)).unwrap();
        assert_eq!(grown.offset, n as u64);
        assert_eq!(grown.entries.len(), 1);
        assert_eq!(grown.entries[0].text, "one more thing");
        let whole = cache.timeline(state, store, key).unwrap();
        assert!(says(&whole, &said.text) && !says(&whole, &changed));
        // A fresh reader (or another session read in between) reads it all.
        let fresh = TimelineCache::new().timeline(state, store, key).unwrap();
        assert!(says(&fresh, &changed));
    }

    #[test]
    fn a_growing_agent_database_session_is_read_from_its_last_event() {
        let f = fixture("2026.9.6");
        let (state, store, cache, first) = (&f.state, &f.store, &f.cache, &f.first);
        let key = KEY;
        let places = places(state, key).unwrap();
        let (_, ids) = places.database.unwrap();
        let db = rusqlite::Connection::open(state.join("agents/main").join(AGENT_SQLITE)).unwrap();
        let seq: i64 = db
            .query_row(
                "SELECT MAX(seq) FROM transcript_events WHERE session_id = ?1",
                [&ids[0]],
                |r| r.get(0),
            )
            .unwrap();
        db.execute(
            "UPDATE transcript_events SET event_json = ?2 WHERE session_id = ?1 AND seq = 0",
            rusqlite::params![ids[0], MORE.replace("u-more", "u-changed")],
        )
        .unwrap();
        db.execute(
            "INSERT INTO transcript_events (session_id, seq, event_json, created_at)
             VALUES (?1, ?2, ?3, 0)",
            rusqlite::params![ids[0], seq + 1, MORE],
        )
        .unwrap();
        let whole = cache.timeline(state, store, key).unwrap();
        assert_eq!(whole.entries.len(), first.entries.len() + 1);
        assert!(says(&whole, "one more thing"));
        assert_eq!(
            whole.entries[..first.entries.len()],
            first.entries[..],
            "what was read is kept, not read again"
        );
    }
}
