//! Fuzzes the reading of an OpenClaw cold transcript archive — a zstd JSONL stream kept in the
//! agent store (`session_transcript_cold_archives`) or as a `.jsonl.zst` file beside it:
//! arbitrary bytes as the stream, and arbitrary lines compressed into a valid one, from either
//! place. Reading never panics, never returns more than asked, and every event keeps its order.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use clawtower_ledger::transcript::parse_line;
use clawtower_ledger::transcript::cold::{archive_dir, read_events, ColdArchive};
use libfuzzer_sys::fuzz_target;

/// `agents/main/agent/openclaw-agent.sqlite` in a directory of this process's own (the file
/// archives go to `agents/main/sessions/cold/`).
fn db_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("clawtower-fuzz-cold-{}", std::process::id()));
        let db = root.join("agents/main/agent/openclaw-agent.sqlite");
        std::fs::create_dir_all(archive_dir(&db)).unwrap();
        db
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let blob = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        zstd::encode_all(rest, 1).expect("compressing in memory cannot fail")
    };
    let in_database = mode & 2 == 0;
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE session_transcript_cold_archives (session_id TEXT PRIMARY KEY,
           archive_blob BLOB)",
    )
    .unwrap();
    // A file archive is named by its sha256, as OpenClaw names them.
    let name = format!("{}.jsonl.zst", "a".repeat(64));
    if in_database {
        conn.execute(
            "INSERT INTO session_transcript_cold_archives VALUES ('s', ?1)",
            [&blob],
        )
        .unwrap();
    } else {
        std::fs::write(archive_dir(db_path()).join(&name), &blob).unwrap();
    }
    let archive = ColdArchive {
        name,
        last_seq: 0,
        in_database,
    };
    let from = u64::from(mode / 4);
    if let Ok(lines) = read_events(&conn, db_path(), "s", &archive, (from, 64), parse_line) {
        assert!(lines.len() <= 64);
        let mut last = from;
        for line in &lines {
            assert!(line.position >= last, "events come in seq order from the cursor");
            last = line.position;
        }
    }
});
