//! When a live call cannot be stored (disk full, database locked), its `session.message` is
//! appended to a spool file in the data dir and replayed into the ledger later: nothing lost.
//! Replay is idempotent (calls are keyed by message id), and the spool is emptied only after the
//! replayed calls are committed. Appending and replaying hold an exclusive lock on the file, so
//! several feeds (one per gateway, or another Clawtower process) never lose each other's lines.

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use clawtower_core::error::{EngineError, Result};
use clawtower_core::paths::owner_only;

/// The spool file, next to the ledger database.
pub const SPOOL_FILE: &str = "ledger-spool.jsonl";

/// A `session.message` that could not be stored, and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spooled {
    /// The ledger source id (`gateway:<url>`).
    pub source: String,
    /// The event payload as the gateway sent it.
    pub payload: Value,
}

/// An append-only spool file.
#[derive(Debug)]
pub struct Spool {
    path: PathBuf,
    /// Whether the file has records: checked on disk once, then kept here (every stored call
    /// asks, and a stat per call is wasted work).
    pending: AtomicBool,
}

impl Spool {
    /// The spool beside the database at `database` (none for an in-memory store).
    pub fn beside(database: Option<&Path>) -> Option<Self> {
        let path = database?.parent()?.join(SPOOL_FILE);
        let pending = std::fs::metadata(&path).is_ok_and(|m| m.len() > 0);
        Some(Spool {
            path,
            pending: AtomicBool::new(pending),
        })
    }

    /// Appends one record and flushes it to disk (owner-only file). After a torn tail (an
    /// earlier append cut short, so the file does not end with a newline) the record starts on a
    /// fresh line: only the torn line is dropped at replay, not this one.
    pub fn append(&self, record: &Spooled) -> Result<()> {
        let mut line = vec![b'\n'];
        serde_json::to_writer(&mut line, record)
            .map_err(|e| EngineError::InvalidInput(e.to_string()))?;
        line.push(b'\n');
        let write = || -> std::io::Result<()> {
            let mut file = owner_only()
                .create(true)
                .read(true)
                .append(true)
                .open(&self.path)?;
            file.lock()?;
            let torn = file.metadata()?.len() > 0 && {
                let mut last = [0u8];
                file.seek(SeekFrom::End(-1))?;
                file.read_exact(&mut last)?;
                last[0] != b'\n'
            };
            // Appends always land at the end, whatever the read position.
            file.write_all(if torn { &line } else { &line[1..] })?;
            file.sync_data()
        };
        clawtower_core::blocking::run(write)
            .map_err(|e| EngineError::io(format!("spooling to {}", self.path.display()), e))?;
        self.pending.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Whether anything waits to be replayed.
    pub fn is_pending(&self) -> bool {
        self.pending.load(Ordering::Relaxed)
    }

    /// Replays every record through `store_all` (which must commit them all or fail); empties
    /// the spool only after it succeeded. Unreadable lines are counted and dropped (a torn last
    /// line after a crash). Returns (records replayed, lines dropped).
    pub fn replay(
        &self,
        store_all: impl FnOnce(&[Spooled]) -> Result<()>,
    ) -> Result<(usize, usize)> {
        clawtower_core::blocking::run(|| self.replay_here(store_all))
    }

    fn replay_here(
        &self,
        store_all: impl FnOnce(&[Spooled]) -> Result<()>,
    ) -> Result<(usize, usize)> {
        let file = match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&self.path)
        {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.pending.store(false, Ordering::Relaxed);
                return Ok((0, 0));
            }
            Err(e) => {
                return Err(EngineError::io(
                    format!("reading {}", self.path.display()),
                    e,
                ))
            }
        };
        // Held until the spool is emptied: an append meanwhile waits, then lands after.
        file.lock()
            .map_err(|e| EngineError::io(format!("locking {}", self.path.display()), e))?;
        let mut records = Vec::new();
        let mut dropped = 0;
        for line in BufReader::new(&file).split(b'\n') {
            let line =
                line.map_err(|e| EngineError::io(format!("reading {}", self.path.display()), e))?;
            match serde_json::from_slice::<Spooled>(&line) {
                Ok(record) => records.push(record),
                Err(_) if line.iter().all(u8::is_ascii_whitespace) => {}
                Err(_) => dropped += 1,
            }
        }
        if records.is_empty() && dropped == 0 {
            self.pending.store(false, Ordering::Relaxed);
            return Ok((0, 0));
        }
        store_all(&records)?;
        file.set_len(0)
            .map_err(|e| EngineError::io(format!("emptying {}", self.path.display()), e))?;
        self.pending.store(false, Ordering::Relaxed);
        Ok((records.len(), dropped))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_survive_until_replayed_successfully() {
        let tmp = tempfile::tempdir().unwrap();
        let spool = Spool::beside(Some(&tmp.path().join("ledger.sqlite"))).unwrap();
        assert!(!spool.is_pending());
        let record = |id: &str| Spooled {
            source: "gateway:x".into(),
            payload: json!({"messageId": id}),
        };
        spool.append(&record("a")).unwrap();
        spool.append(&record("b")).unwrap();
        // A torn line, as a crash mid-append would leave.
        std::fs::OpenOptions::new()
            .append(true)
            .open(tmp.path().join(SPOOL_FILE))
            .unwrap()
            .write_all(b"{\"sour")
            .unwrap();
        assert!(spool.is_pending());
        let failed = spool.replay(|_| Err(EngineError::InvalidInput("disk full".into())));
        assert!(failed.is_err());
        assert!(spool.is_pending(), "kept when the replay failed");
        let mut seen = Vec::new();
        let (replayed, dropped) = spool
            .replay(|records| {
                seen.extend(records.iter().map(|r| r.payload["messageId"].clone()));
                Ok(())
            })
            .unwrap();
        assert_eq!((replayed, dropped), (2, 1));
        assert_eq!(seen, vec![json!("a"), json!("b")]);
        assert!(!spool.is_pending());
        assert_eq!(Spool::beside(None).map(|s| s.path), None);
    }

    #[test]
    fn an_append_after_a_torn_tail_starts_on_a_fresh_line() {
        let tmp = tempfile::tempdir().unwrap();
        let spool = Spool::beside(Some(&tmp.path().join("ledger.sqlite"))).unwrap();
        let record = |id: &str| Spooled {
            source: "gateway:x".into(),
            payload: json!({"messageId": id}),
        };
        spool.append(&record("a")).unwrap();
        // A previous append cut short: no newline at the end of the file.
        std::fs::OpenOptions::new()
            .append(true)
            .open(tmp.path().join(SPOOL_FILE))
            .unwrap()
            .write_all(b"{\"source\":\"gatew")
            .unwrap();
        spool.append(&record("b")).unwrap();
        let mut seen = Vec::new();
        let (replayed, dropped) = spool
            .replay(|records| {
                seen.extend(records.iter().map(|r| r.payload["messageId"].clone()));
                Ok(())
            })
            .unwrap();
        assert_eq!(seen, vec![json!("a"), json!("b")], "b is not lost");
        assert_eq!((replayed, dropped), (2, 1));
    }
}
