//! Search in what was said: the text of every user and assistant message, in any language.
//!
//! The ledger marks a session pending each time it stores entries of it (`search_pending`);
//! [`index_pending`] reads each pending session's transcripts (the same sources, every
//! generation) into `session_texts` — its messages, one after another — which an FTS5 trigram
//! index follows: a search for three characters or more is an index lookup (substrings too, so
//! Chinese or Japanese text needs no word splitting); a shorter one reads the stored texts. A
//! running session read before is read from where it was ([`IndexedTo`]) and its new messages
//! are added as a document of their own; otherwise its documents are replaced.

use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;

use rusqlite::{params, Connection, OptionalExtension};

use clawtower_core::error::Result;
use clawtower_store::Store;

pub use crate::indexed_to::IndexedTo;
use crate::indexed_to::Said;

/// What an index pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexPass {
    /// The sessions indexed.
    pub indexed: Vec<String>,
    /// Messages stored.
    pub texts: u64,
    /// Sessions still pending (the pass ran out of time).
    pub remaining: u64,
    /// Pending sessions left for a later pass (`defer` said so).
    pub deferred: u64,
    /// Sessions that could not be read, and why (left pending for the next pass).
    pub failed: Vec<(String, String)>,
}

/// Indexes the text of every pending session, stopping at `deadline` (all of them when `None`);
/// a session `defer` names stays pending for a later pass (a live session growing by the second
/// is read again every so often, not on every line). `indexed` remembers how far each session
/// was read: a session that only grew since is read from there and only its new messages are
/// added (a document of their own); any other is read whole and its documents replaced.
pub fn index_pending(
    state_dir: &Path,
    store: &Store,
    deadline: Option<Instant>,
    defer: &dyn Fn(&str) -> bool,
    indexed: &IndexedTo,
) -> Result<IndexPass> {
    let pending: Vec<(String, i64)> = store.read(|conn| {
        let mut stmt = conn
            .prepare("SELECT session_key, generation FROM search_pending ORDER BY session_key")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })?;
    let mut pass = IndexPass::default();
    for (at, (key, generation)) in pending.iter().enumerate() {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            pass.remaining = (pending.len() - at) as u64;
            break;
        }
        if defer(key) {
            pass.deferred += 1;
            continue;
        }
        let (said, read_to) = match indexed.read(state_dir, key) {
            Ok(read) => read,
            Err(err) => {
                pass.failed.push((key.clone(), err.to_string()));
                continue;
            }
        };
        let (whole, texts) = match said {
            Said::Whole(texts) => (true, texts),
            Said::Since(texts) => (false, texts),
        };
        pass.texts += texts.len() as u64;
        store.with_conn(|conn| {
            let tx = conn.transaction()?;
            store_texts(&tx, key, &texts, whole)?;
            // More entries stored while it was read leave the session pending.
            tx.execute(
                "DELETE FROM search_pending WHERE session_key = ?1 AND generation = ?2",
                params![key, generation],
            )?;
            tx.commit()?;
            Ok(())
        })?;
        indexed.keep(key, read_to);
        pass.indexed.push(key.clone());
    }
    Ok(pass)
}

/// Between two messages of a session's document.
const BETWEEN: &str = "\n\n";

/// Adds `texts` to what `session_key` said, as a document of their own; `whole`: they are all
/// it said, replacing its documents.
fn store_texts(conn: &Connection, session_key: &str, texts: &[String], whole: bool) -> Result<()> {
    if whole {
        conn.execute(
            "DELETE FROM session_texts WHERE session_key = ?1",
            [session_key],
        )?;
    }
    if !texts.is_empty() {
        conn.prepare_cached("INSERT INTO session_texts (session_key, text) VALUES (?1, ?2)")?
            .execute(params![session_key, texts.join(BETWEEN)])?;
    }
    Ok(())
}

/// Sessions waiting to be indexed.
pub fn pending_count(conn: &Connection) -> Result<u64> {
    Ok(
        conn.query_row("SELECT COUNT(*) FROM search_pending", [], |r| {
            r.get::<_, i64>(0)
        })? as u64,
    )
}

/// A text as an FTS5 phrase (its quotes doubled), so any character is searched for as itself.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A text as a LIKE pattern matching it anywhere (`%`, `_` and `\` escaped with `\`).
fn anywhere(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The sessions (keys) whose text contains `needle`: through the trigram index from three
/// characters on, else by reading the texts.
fn matching_sql(needle: &str) -> (&'static str, String) {
    if needle.chars().count() >= 3 {
        (
            "SELECT t.session_key FROM session_search s JOIN session_texts t ON t.id = s.rowid
             WHERE session_search MATCH ?",
            phrase(needle),
        )
    } else {
        (
            "SELECT session_key FROM session_texts WHERE text LIKE ? ESCAPE '\\'",
            anywhere(needle),
        )
    }
}

/// The sessions in which `needle` was said (case-insensitive for Latin letters).
pub fn sessions_saying(conn: &Connection, needle: &str) -> Result<HashSet<String>> {
    let needle = needle.trim();
    if needle.is_empty() {
        return Ok(HashSet::new());
    }
    let (sql, param) = matching_sql(needle);
    let mut stmt = conn.prepare(sql)?;
    let keys = stmt.query_map([param], |r| r.get(0))?;
    Ok(keys.collect::<rusqlite::Result<_>>()?)
}

/// Characters shown on each side of a match in an excerpt.
const CONTEXT_CHARS: usize = 60;

/// Where `needle` was first said in `session_key`, cut around it:
/// `…the IKAROS mission proved solar sailing works…`; `None` when it was not.
pub fn excerpt(conn: &Connection, session_key: &str, needle: &str) -> Result<Option<String>> {
    let needle = needle.trim();
    if needle.is_empty() {
        return Ok(None);
    }
    // Only the part around the match leaves SQLite (a session's text may be megabytes). `lower`
    // folds Latin letters as LIKE does; a match only the index folded starts the text.
    let margin = (CONTEXT_CHARS * 2) as i64;
    let part: Option<String> = conn
        .query_row(
            "SELECT substr(text, max(1, instr(lower(text), lower(?2)) - ?3), length(?2) + 2 * ?3)
             FROM session_texts WHERE session_key = ?1
             ORDER BY instr(lower(text), lower(?2)) = 0, id LIMIT 1",
            params![session_key, needle, margin],
            |r| r.get(0),
        )
        .optional()?;
    Ok(part
        .filter(|p| p.to_lowercase().contains(&needle.to_lowercase()))
        .map(|p| around(&p, needle)))
}

/// The message of `text` (messages are [`BETWEEN`] apart) holding the first `needle` (compared
/// ignoring Latin case), cut to [`CONTEXT_CHARS`] characters on each side of it, on one line.
fn around(text: &str, needle: &str) -> String {
    // ASCII lowercasing keeps every byte where it was, so offsets are valid in `text`. (A match
    // the index folded beyond ASCII is not found here: the excerpt then starts the text.)
    let (at, len) = text
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())
        .map_or((0, 0), |at| (at, needle.len()));
    let first = text[..at].rfind(BETWEEN).map_or(0, |i| i + BETWEEN.len());
    let last = text[at + len..]
        .find(BETWEEN)
        .map_or(text.len(), |i| at + len + i);
    let flat = |part: &str| -> String {
        part.chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect()
    };
    let before: Vec<char> = flat(&text[first..at]).chars().collect();
    let after: Vec<char> = flat(&text[at + len..last]).chars().collect();
    let mut out = String::new();
    if before.len() > CONTEXT_CHARS {
        out.push('…');
    }
    out.extend(&before[before.len().saturating_sub(CONTEXT_CHARS)..]);
    out.push_str(&flat(&text[at..at + len]));
    out.extend(after.iter().take(CONTEXT_CHARS));
    if after.len() > CONTEXT_CHARS {
        out.push('…');
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(texts: &[(&str, &str)]) -> Store {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                for (key, text) in texts {
                    store_texts(c, key, &[text.to_string()], true)?;
                }
                Ok(())
            })
            .unwrap();
        store
    }

    #[test]
    fn finds_substrings_in_any_language_short_or_long() {
        let store = store_with(&[
            ("agent:a:main", "IKAROS proved solar sailing in 2010."),
            ("agent:b:main", "我们今天讨论太阳帆和离子推进器。"),
            ("agent:c:main", "日本語のテキストも検索できます"),
            ("agent:d:main", "100% sure_thing"),
        ]);
        let found = |needle: &str| -> Vec<String> {
            let mut keys: Vec<String> = store
                .read(|c| sessions_saying(c, needle))
                .unwrap()
                .into_iter()
                .collect();
            keys.sort();
            keys
        };
        assert_eq!(found("SOLAR"), ["agent:a:main"]);
        assert_eq!(found("太阳帆"), ["agent:b:main"]);
        assert_eq!(found("帆"), ["agent:b:main"], "one CJK character");
        assert_eq!(found("検索"), ["agent:c:main"], "two characters");
        assert_eq!(found("0%"), ["agent:d:main"], "LIKE wildcards are literal");
        assert_eq!(found("_t"), ["agent:d:main"]);
        assert!(found("\"quoted\" OR x").is_empty(), "FTS syntax is literal");
        assert!(found("nowhere").is_empty());
        assert!(found("  ").is_empty());
    }

    #[test]
    fn excerpts_cut_around_the_match_on_character_boundaries() {
        let long = format!(
            "{}needle in the haystack{}",
            "前".repeat(100),
            "後".repeat(100)
        );
        let store = store_with(&[("k", &long)]);
        let cut = store.read(|c| excerpt(c, "k", "NEEDLE")).unwrap().unwrap();
        assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
        assert!(cut.contains("needle in the haystack"));
        assert_eq!(cut.chars().filter(|c| *c == '前').count(), CONTEXT_CHARS);
        assert_eq!(around("short\ntext", "text"), "short text");
        assert_eq!(
            around("one message\n\nthe other one", "other"),
            "the other one"
        );
        assert_eq!(around("前\u{3000}後 needle", "needle"), "前 後 needle");
        assert_eq!(store.read(|c| excerpt(c, "other", "needle")).unwrap(), None);
    }

    #[test]
    fn a_deferred_session_stays_pending_and_one_without_transcript_is_done() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                c.execute_batch(
                    "INSERT INTO search_pending VALUES ('agent:a:main', 1), ('agent:b:main', 3);",
                )?;
                Ok(())
            })
            .unwrap();
        let state = std::env::temp_dir().join("clawtower-no-such-state-dir");
        let pass = index_pending(
            &state,
            &store,
            None,
            &|key| key == "agent:a:main",
            &IndexedTo::default(),
        )
        .unwrap();
        assert_eq!(pass.indexed, ["agent:b:main"]);
        assert_eq!((pass.deferred, pass.remaining), (1, 0));
        assert_eq!(store.read(|c| pending_count(c)).unwrap(), 1);
    }

    #[test]
    fn added_texts_are_found_once_per_session_and_a_whole_replaces_them() {
        let store = store_with(&[("k", "first words here")]);
        store
            .with_conn(|c| store_texts(c, "k", &["a later needle".into()], false))
            .unwrap();
        for needle in ["first", "needle", "words"] {
            let found = store.read(|c| sessions_saying(c, needle)).unwrap();
            assert_eq!(found.len(), 1, "{needle}");
        }
        let cut = store.read(|c| excerpt(c, "k", "needle")).unwrap();
        assert_eq!(
            cut.as_deref(),
            Some("a later needle"),
            "from the document that says it"
        );
        store
            .with_conn(|c| store_texts(c, "k", &["only this".into()], true))
            .unwrap();
        assert!(store
            .read(|c| sessions_saying(c, "needle"))
            .unwrap()
            .is_empty());
        assert!(store
            .read(|c| sessions_saying(c, "first"))
            .unwrap()
            .is_empty());
    }

    #[test]
    fn replacing_a_sessions_text_drops_the_old_one_from_the_index() {
        let store = store_with(&[("k", "old words here")]);
        store
            .with_conn(|c| store_texts(c, "k", &["new".into(), "words".into()], true))
            .unwrap();
        assert!(store
            .read(|c| sessions_saying(c, "old"))
            .unwrap()
            .is_empty());
        assert_eq!(store.read(|c| sessions_saying(c, "new")).unwrap().len(), 1);
    }
}
