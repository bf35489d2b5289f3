//! The transcript directories the running follower could not watch, kept in the store so that
//! `doctor` — another process — can name them. Written by [`crate::watch`] when the list changes
//! (and on its first pass, which clears what an earlier run left).

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use clawtower_core::error::Result;
use clawtower_store::preferences;

const KEY: &str = "ledger.unwatched";

/// What the follower could not watch at its last change of the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unwatched {
    /// When it was written, Unix ms.
    pub at_ms: i64,
    /// `(directory, why)` for each directory not watched.
    pub dirs: Vec<(String, String)>,
}

/// Records what could not be watched (`dirs` empty: everything is).
pub fn record(conn: &Connection, dirs: &[(String, String)], now_ms: i64) -> Result<()> {
    let value = Unwatched {
        at_ms: now_ms,
        dirs: dirs.to_vec(),
    };
    let json = serde_json::to_string(&value).expect("strings serialize");
    preferences::set(conn, KEY, &json)
}

/// What was last recorded (nothing, or an unreadable record: nothing known).
pub fn read(conn: &Connection) -> Result<Unwatched> {
    Ok(preferences::get(conn, KEY)?
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_record_is_read_back_and_an_empty_one_clears_it() {
        let store = clawtower_store::Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                assert_eq!(read(c)?, Unwatched::default());
                let dirs = vec![("/s/agents/a/sessions".into(), "No space left".into())];
                record(c, &dirs, 5)?;
                assert_eq!(read(c)?, Unwatched { at_ms: 5, dirs });
                record(c, &[], 6)?;
                assert!(read(c)?.dirs.is_empty());
                Ok(())
            })
            .unwrap();
    }
}
