//! Crash safety: `clawtower ingest` killed with SIGKILL at many points of a large import, then run
//! to completion, reports exactly the totals that were written — nothing lost, nothing doubled.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use clawtower_synth::{generate, Expected, Layout, Spec};
use common::clawtower;

fn ingest(state: &Path, data: &Path) -> Command {
    let mut cmd = clawtower();
    cmd.args(["ingest", "--openclaw-home"])
        .arg(state)
        .arg("--data-dir")
        .arg(data);
    cmd
}

fn totals(data: &Path) -> serde_json::Value {
    let out = clawtower()
        .args(["report", "agent", "--json", "--data-dir"])
        .arg(data)
        .output()
        .unwrap();
    common::json_of(&out)["totals"].clone()
}

fn assert_exact(data: &Path, expected: &Expected) {
    let t = totals(data);
    assert_eq!(t["calls"], expected.calls);
    assert_eq!(t["inputTokens"], expected.input_tokens);
    assert_eq!(t["outputTokens"], expected.output_tokens);
    assert_eq!(t["cacheReadTokens"], expected.cache_read_tokens);
    assert_eq!(t["cacheWriteTokens"], expected.cache_write_tokens);
    assert_eq!(t["abortedCalls"], expected.aborted_calls);
    assert_eq!(t["failedCalls"], expected.failed_calls);
    let nanos = |v: &serde_json::Value| (v.as_f64().unwrap() * 1e9).round() as i64;
    assert_eq!(nanos(&t["costUsd"]), expected.cost_nanousd);
    assert_eq!(nanos(&t["reportedCostUsd"]), expected.reported_cost_nanousd);
}

fn crash_and_recover(layout: Layout) {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let data = tmp.path().join("data");
    let spec = Spec {
        layout,
        agents: 2,
        sessions_per_agent: 60,
        turns_per_session: 8,
        seed: 99,
        start_ms: 1_795_230_000_000,
    };
    let expected = generate(&state, &spec).unwrap();
    // Kill at spread-out points: from during start-up to well into the import.
    let mut killed_mid_import = 0;
    for delay_ms in [15u64, 60, 120, 200, 320, 450, 700, 900] {
        let mut child = ingest(&state, &data)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_none() {
            killed_mid_import += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
    }
    assert!(
        killed_mid_import > 0,
        "the import always finished before the kill: make it bigger"
    );
    let out = ingest(&state, &data).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_exact(&data, &expected);
    // And a further pass finds nothing new.
    let again = String::from_utf8(ingest(&state, &data).output().unwrap().stdout).unwrap();
    assert!(again.contains(" 0 new model calls"), "{again}");
}

#[test]
fn killed_during_a_jsonl_import_the_totals_are_exact() {
    crash_and_recover(Layout::Jsonl);
}

#[test]
fn killed_during_a_sqlite_import_the_totals_are_exact() {
    crash_and_recover(Layout::Sqlite);
}
