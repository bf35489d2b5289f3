//! The ledger on the file shapes OpenClaw really leaves behind: reset archives, fork copies,
//! legacy checkpoint copies, aborts, failures and provider bills (see `ledger::sources::jsonl`).

use std::path::Path;

use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::record::{ingest_state_dir, CORRECTION_PENDING};
use clawtower_ledger::report::{self, scan_report, Report, ReportKind, ReportQuery};
use clawtower_store::{preferences, Store};
use jiff::tz::TimeZone;
use serde_json::json;

const HEADER: &str =
    r#"{"type":"session","version":3,"id":"SID","timestamp":"2026-11-21T03:06:23.093Z"}"#;

/// An assistant line: `id`, tokens in and out, OpenClaw's recorded cost and its origin.
fn call(id: &str, input: u64, output: u64, cost: f64, origin: Option<&str>) -> String {
    let mut usage = json!({"input": input, "output": output, "cacheRead": 0, "cacheWrite": 0,
        "totalTokens": input + output, "cost": {"total": cost}});
    if let Some(origin) = origin {
        usage["cost"]["totalOrigin"] = json!(origin);
    }
    json!({"type": "message", "id": id, "timestamp": "2026-11-21T03:07:00.000Z",
        "message": {"role": "assistant", "content": [], "provider": "anthropic",
            "model": "claude-sonnet-4-5", "usage": usage, "stopReason": "stop"}})
    .to_string()
}

fn write(dir: &Path, name: &str, lines: &[String]) {
    std::fs::write(dir.join(name), lines.join("\n") + "\n").unwrap();
}

fn query(kind: ReportKind) -> ReportQuery {
    ReportQuery {
        kind,
        since: None,
        until: None,
        tz: TimeZone::UTC,
    }
}

fn rows(report: &Report) -> Vec<(String, u64, f64)> {
    report
        .rows
        .iter()
        .map(|r| (r.key.clone(), r.totals.calls, r.totals.cost_usd))
        .collect()
}

/// A legacy home: a session reset once (its old transcript renamed), a sub-agent forked from
/// it (the parent's calls copied with their ids), a legacy checkpoint copy, a provider bill.
fn home(state: &Path) -> std::path::PathBuf {
    let dir = state.join("agents/main/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("sessions.json"),
        r#"{"agent:main:main":{"sessionId":"new"},"agent:main:subagent:f":{"sessionId":"2026-11-21T03-06-30-000Z_fork","spawnedBy":"agent:main:main"}}"#,
    )
    .unwrap();
    write(
        &dir,
        "old.jsonl.reset.2026-11-21T03-08-00.000Z",
        &[
            HEADER.replace("SID", "old"),
            call("a", 1000, 10, 0.01, None),
            call("b", 2000, 20, 0.02, None),
        ],
    );
    write(
        &dir,
        "new.jsonl",
        &[
            HEADER.replace("SID", "new"),
            call("c", 3000, 30, 0.5, Some("provider-billed")),
        ],
    );
    write(
        &dir,
        "2026-11-21T03-06-30-000Z_fork.jsonl",
        &[
            HEADER.replace("SID", "fork"),
            call("a", 1000, 10, 0.01, None),
            call("d", 500, 5, 0.0, None),
        ],
    );
    write(
        &dir,
        "new.checkpoint.0b7c3f0e-1a2b-4c3d-8e9f-0123456789ab.jsonl",
        &[HEADER.replace("SID", "new"), call("x", 9999, 9, 9.0, None)],
    );
    dir
}

#[test]
fn every_call_once_under_the_session_openclaw_gives_it_and_scan_agrees_every_run() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    home(&state);
    let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
    let book = PriceBook::bundled();
    ingest_state_dir(&store, &state, &book, &mut |_| {}).unwrap();
    let by_session = report::build(&store, &query(ReportKind::Session)).unwrap();
    // claude-sonnet-4-5 lists at $3/$15 per 1M: call d (recorded $0) is priced by the book.
    assert_eq!(
        rows(&by_session),
        vec![
            ("agent:main:main".into(), 1, 0.5),
            ("agent:main:old".into(), 2, 0.03),
            ("agent:main:subagent:f".into(), 1, 0.001575),
        ],
        "reset archive keyed as sessions.usage keys it, the fork's copy of a counted once, the checkpoint not at all"
    );
    assert_eq!(by_session.totals.calls, 4);
    assert_eq!(by_session.totals.reported_cost_usd, 0.53);
    for _ in 0..3 {
        let (scanned, stats) = scan_report(&state, &book, &query(ReportKind::Session)).unwrap();
        assert_eq!(scanned, by_session, "scan equals ingest, every run");
        assert_eq!(stats.duplicates, 1);
    }
}

#[test]
fn two_calls_that_share_an_eight_digit_id_are_both_counted() {
    // OpenClaw's entry ids are 8 hex digits: across 100,000 calls, two will share one.
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let dir = state.join("agents/main/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    let at = |id: &str, time: &str| {
        call(id, 100, 1, 0.01, None).replace("2026-11-21T03:07:00.000Z", time)
    };
    write(
        &dir,
        "s1.jsonl",
        &[
            HEADER.replace("SID", "s1"),
            at("035ba097", "2026-11-21T03:07:00.000Z"),
        ],
    );
    write(
        &dir,
        "s2.jsonl",
        &[
            HEADER.replace("SID", "s2"),
            at("035ba097", "2026-11-22T09:00:00.000Z"),
        ],
    );
    let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
    let book = PriceBook::bundled();
    let pass = ingest_state_dir(&store, &state, &book, &mut |_| {}).unwrap();
    assert_eq!(pass.new_calls, 2);
    let (scanned, _) = scan_report(&state, &book, &query(ReportKind::Session)).unwrap();
    assert_eq!(scanned.totals.calls, 2);
}

#[test]
fn a_reset_moves_calls_already_stored_to_the_archived_session() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let dir = state.join("agents/main/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("sessions.json"),
        r#"{"agent:main:main":{"sessionId":"old"}}"#,
    )
    .unwrap();
    let lines = [
        HEADER.replace("SID", "old"),
        call("a", 1000, 10, 0.01, None),
    ];
    write(&dir, "old.jsonl", &lines);
    let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
    let book = PriceBook::bundled();
    ingest_state_dir(&store, &state, &book, &mut |_| {}).unwrap();
    let sessions = || rows(&report::build(&store, &query(ReportKind::Session)).unwrap());
    assert_eq!(sessions(), vec![("agent:main:main".into(), 1, 0.01)]);

    // OpenClaw 2026.7.1 resets: the transcript is renamed, the key gets a new session id.
    std::fs::rename(
        dir.join("old.jsonl"),
        dir.join("old.jsonl.reset.2026-11-21T03-08-00.000Z"),
    )
    .unwrap();
    std::fs::write(
        dir.join("sessions.json"),
        r#"{"agent:main:main":{"sessionId":"new"}}"#,
    )
    .unwrap();
    write(
        &dir,
        "new.jsonl",
        &[HEADER.replace("SID", "new"), call("b", 10, 1, 0.002, None)],
    );
    let pass = ingest_state_dir(&store, &state, &book, &mut |_| {}).unwrap();
    assert_eq!(pass.new_calls, 1, "the archived call is not counted again");
    assert_eq!(
        sessions(),
        vec![
            ("agent:main:old".into(), 1, 0.01),
            ("agent:main:main".into(), 1, 0.002),
        ],
        "the session row moved with the call"
    );
    let (scanned, _) = scan_report(&state, &book, &query(ReportKind::Session)).unwrap();
    assert_eq!(
        rows(&scanned),
        sessions(),
        "the live ledger equals a fresh read"
    );
}

#[test]
fn a_correction_pass_rewrites_what_older_rules_stored_and_then_stops() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    home(&state);
    let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
    let book = PriceBook::bundled();
    ingest_state_dir(&store, &state, &book, &mut |_| {}).unwrap();
    let fresh = report::build(&store, &query(ReportKind::Session)).unwrap();
    // What an older build left: a wrong cost and a wrong session, and the upgrade's flag.
    store
        .with_conn(|c| {
            c.execute_batch(
                "UPDATE model_calls SET cost_nanousd = 7, session_key = 'agent:main:bogus' WHERE call_id LIKE 'c@%';
                 DELETE FROM source_cursors;",
            )?;
            clawtower_store::rollups::rebuild_rollups(c)?;
            preferences::set(c, CORRECTION_PENDING, "1")
        })
        .unwrap();
    assert_ne!(
        report::build(&store, &query(ReportKind::Session)).unwrap(),
        fresh
    );
    let pass = ingest_state_dir(&store, &state, &book, &mut |_| {}).unwrap();
    assert_eq!(pass.new_calls, 0);
    assert_eq!(
        report::build(&store, &query(ReportKind::Session)).unwrap(),
        fresh
    );
    let pending = store
        .with_conn(|c| preferences::get(c, CORRECTION_PENDING))
        .unwrap();
    assert_eq!(pending, None, "one complete pass is enough");
}
