//! Helpers for other crates' tests (the `test-support` feature; never in a build that ships).

use clawtower_core::NanoUsd;
use rusqlite::Connection;

use crate::model_calls::{CostOrigin, ModelCall};

/// Unix ms of a zoned time as tests write it: `2026-03-29T01:30[Europe/Berlin]`.
pub fn zoned_ms(text: &str) -> i64 {
    text.parse::<jiff::Zoned>()
        .unwrap()
        .timestamp()
        .as_millisecond()
}

/// Copies the directory `from` (a fixture's OpenClaw state dir) to `to`, recursively, so a test
/// may open its databases (SQLite writes `-shm` files beside them) without touching the fixture.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Whether `needle` is anywhere in the database file behind `conn`, once the WAL is checkpointed
/// into it: a secret that was deleted must not be found.
pub fn in_database_file(conn: &Connection, needle: &str) -> bool {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let path = conn.path().expect("an on-disk database");
    let bytes = std::fs::read(path).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// A plausible call of agent `main` (10 input, 5 output tokens) costing `usd`, priced by OpenClaw.
pub fn sample(call_id: &str, ts_ms: i64, usd: f64) -> ModelCall {
    ModelCall {
        call_id: call_id.into(),
        agent_id: "main".into(),
        session_key: "agent:main:main".into(),
        session_id: "s1".into(),
        ts_ms,
        provider: "stub".into(),
        model: "stub-model".into(),
        input_tokens: 10,
        output_tokens: 5,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        reasoning_tokens: 0,
        cost: NanoUsd::from_usd(usd),
        reported_cost: NanoUsd::from_usd(usd),
        book_cost: None,
        cost_origin: CostOrigin::OpenClaw,
        unpriced_tokens: 0,
        response_id: None,
        announces: None,
    }
}
