//! Fuzzes the reading of an OpenClaw cold transcript archive (a zstd JSONL stream kept in the
//! agent store): arbitrary bytes as the stream, and arbitrary lines compressed into a valid one.
//! Reading never panics, never returns more than asked, and every event keeps its order.
#![no_main]

use clawtower_ledger::sources::cold::{read_events, ColdArchive};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let blob = if mode % 2 == 0 {
        rest.to_vec()
    } else {
        zstd::encode_all(rest, 1).expect("compressing in memory cannot fail")
    };
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE session_transcript_cold_archives (session_id TEXT PRIMARY KEY,
           archive_blob BLOB)",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO session_transcript_cold_archives VALUES ('s', ?1)",
        [&blob],
    )
    .unwrap();
    let archive = ColdArchive {
        name: String::from("s.jsonl.zst"),
        last_seq: 0,
        in_database: true,
    };
    let from = u64::from(mode / 2);
    if let Ok(lines) = read_events(&conn, std::path::Path::new("db"), "s", &archive, from, 64) {
        assert!(lines.len() <= 64);
        let mut last = from;
        for line in &lines {
            assert!(line.position >= last, "events come in seq order from the cursor");
            last = line.position;
        }
    }
});
