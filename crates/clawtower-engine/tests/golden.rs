//! Golden tests on a real OpenClaw 2026.9.6 run (tests/fixtures/openclaw-2026.9.6): the ledger's
//! totals must equal OpenClaw's own `usage.cost` answer exactly, in both storage layouts.

use std::path::{Path, PathBuf};

use clawtower_core::NanoUsd;
use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::record::ingest_state_dir;
use clawtower_openclaw::OpenClawConfig;
use clawtower_store::testing::copy_dir;
use clawtower_store::Store;
use rusqlite::{params, Connection};
use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/openclaw-2026.9.6")
}

fn book(state: &Path) -> PriceBook {
    let config = OpenClawConfig::load(&state.join("openclaw.json"))
        .unwrap()
        .unwrap();
    PriceBook::bundled().with_openclaw_config(&config).0
}

fn ingest(store: &Store, state: &Path) -> clawtower_ledger::record::IngestReport {
    ingest_state_dir(store, state, &book(state), &mut |_| {}).unwrap()
}

/// Sums of the ledger up to an instant: calls, input, output, cache read, cache write, cost, reported.
fn sums_until(store: &Store, until_ms: i64) -> (i64, i64, i64, i64, i64, NanoUsd, NanoUsd) {
    store
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens),
                        SUM(cache_write_tokens), SUM(cost_nanousd), SUM(reported_cost_nanousd)
                 FROM model_calls WHERE ts_ms <= ?1",
                [until_ms],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        NanoUsd(r.get(5)?),
                        NanoUsd(r.get(6)?),
                    ))
                },
            )?)
        })
        .unwrap()
}

/// Asserts the ledger equals OpenClaw's own usage.cost answer for what it had seen.
fn assert_matches_openclaw(store: &Store) {
    let answer: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture().join("usage-cost.answer.json")).unwrap(),
    )
    .unwrap();
    let totals = &answer["payload"]["totals"];
    let seen_until = answer["payload"]["cacheStatus"]["refreshedAt"]
        .as_i64()
        .unwrap();
    let (calls, input, output, cache_read, cache_write, cost, reported) =
        sums_until(store, seen_until);
    assert_eq!(
        calls, 13,
        "billed calls OpenClaw had seen (its zero-usage messages are not calls)"
    );
    assert_eq!(input, totals["input"].as_i64().unwrap());
    assert_eq!(output, totals["output"].as_i64().unwrap());
    assert_eq!(cache_read, totals["cacheRead"].as_i64().unwrap());
    assert_eq!(cache_write, totals["cacheWrite"].as_i64().unwrap());
    let openclaw = NanoUsd::from_usd(totals["totalCost"].as_f64().unwrap());
    assert_eq!(
        reported, openclaw,
        "reported cost differs from OpenClaw's usage.cost"
    );
    assert_eq!(
        cost, openclaw,
        "price-book cost differs from OpenClaw's usage.cost"
    );
}

fn assert_whole_run(store: &Store) {
    let (calls, .., cost, reported) = sums_until(store, i64::MAX);
    assert_eq!(
        calls, 15,
        "every billed model call of the run, deleted sessions included"
    );
    assert_eq!(cost, reported);
    assert_eq!(cost, NanoUsd::from_usd(0.3119532));
    store
        .with_conn(|c| {
            let unbilled: Vec<(String, String, String)> = c
                .prepare("SELECT outcome, provider, model FROM unbilled_calls ORDER BY outcome, provider")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let row = |o: &str, p: &str| (o.to_string(), p.to_string(), if p.is_empty() { String::new() } else { "stub-model".to_string() });
            assert_eq!(
                unbilled,
                vec![row("aborted", ""), row("failed", "stub"), row("failed", "stub"), row("failed", "stub2"), row("failed", "stub3")],
                "the run's abort and its four provider errors, never under a made-up model"
            );
            let spawned: String = c.query_row(
                "SELECT spawned_by FROM sessions WHERE kind = 'subagent'",
                [],
                |r| r.get(0),
            )?;
            assert_eq!(spawned, "agent:main:spawner");
            let unpaired: i64 = c.query_row(
                "SELECT COUNT(*) FROM events r WHERE r.kind = 'tool_result' AND NOT EXISTS
                   (SELECT 1 FROM events a WHERE a.kind = 'assistant' AND a.detail LIKE '%' || r.tool_call_id || '%')",
                [],
                |r| r.get(0),
            )?;
            assert_eq!(unpaired, 0, "every tool result pairs with its tool call");
            let thinking: i64 = c.query_row(
                "SELECT COUNT(*) FROM events WHERE detail LIKE '%\"thinkingBlocks\":1%'",
                [],
                |r| r.get(0),
            )?;
            assert!(thinking > 0, "thinking blocks are kept");
            let skipped: i64 = c.query_row("SELECT COALESCE(SUM(count), 0) FROM skipped_lines", [], |r| r.get(0))?;
            assert_eq!(skipped, 0);
            Ok(())
        })
        .unwrap();
}

#[test]
fn jsonl_layout_equals_openclaws_usage_cost_and_rereading_adds_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    copy_dir(&fixture().join("state"), &state);
    let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
    let first = ingest(&store, &state);
    assert_eq!(
        first.new_calls, 15,
        "billed calls: one abort and four provider errors are not"
    );
    assert!(first.unreadable.is_empty(), "{:?}", first.unreadable);
    assert_matches_openclaw(&store);
    assert_whole_run(&store);
    let again = ingest(&store, &state);
    assert_eq!(
        (again.new_calls, again.sources_read),
        (0, 0),
        "nothing new on a second pass"
    );
}

/// Moves the fixture's live transcripts into an agent DB built from OpenClaw's real schema, the
/// way 2026.9.6 stores them (rows over 1 KiB zstd-compressed); deleted archives stay files.
fn to_sqlite_layout(state: &Path) {
    let sessions_dir = state.join("agents/main/sessions");
    let db_path = state.join("agents/main/agent/openclaw-agent.sqlite");
    std::fs::create_dir_all(db_path.parent().unwrap()).unwrap();
    let conn = Connection::open(&db_path).unwrap();
    // Only the three tables Clawtower reads exist here; their foreign keys point at others.
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=OFF;")
        .unwrap();
    conn.execute_batch(
        &std::fs::read_to_string(fixture().join("openclaw-agent.tables.sql")).unwrap(),
    )
    .unwrap();
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(sessions_dir.join("sessions.json")).unwrap())
            .unwrap();
    for (key, entry) in index.as_object().unwrap() {
        let sid = entry["sessionId"].as_str().unwrap();
        conn.execute(
            "INSERT INTO session_windows (session_id, session_key, created_at, updated_at) VALUES (?1, ?2, 0, 0)",
            params![sid, key],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO session_nodes (session_key, current_session_id, entry_json, updated_at, created_via, spawned_by, label)
             VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6)",
            params![key, sid, entry.to_string(), entry["createdVia"].as_str(), entry["spawnedBy"].as_str(), entry["label"].as_str()],
        )
        .unwrap();
        let path = sessions_dir.join(format!("{sid}.jsonl"));
        for (seq, line) in std::fs::read_to_string(&path).unwrap().lines().enumerate() {
            if line.len() > 1024 {
                let blob = zstd::encode_all(line.as_bytes(), 3).unwrap();
                // The schema requires navigation_json on compressed rows, in the shape its CHECK
                // constraint spells out; Clawtower never reads it.
                let n = line.len();
                let navigation = serde_json::json!({"version": 1, "report": {"kind": "canonical"},
                    "navigation": {}, "reset": {}, "model": {}, "modelBytes": n,
                    "modelWithoutCheckpointBytes": n, "withoutCustomDataBytes": n});
                conn.execute(
                    "INSERT INTO transcript_events (session_id, seq, event_zstd, event_utf8_bytes, navigation_json, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, 0)",
                    params![sid, seq as i64, blob, line.len() as i64, navigation.to_string()],
                )
                .unwrap();
            } else {
                conn.execute(
                    "INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES (?1, ?2, ?3, 0)",
                    params![sid, seq as i64, line],
                )
                .unwrap();
            }
        }
        std::fs::remove_file(path).unwrap();
    }
    std::fs::remove_file(sessions_dir.join("sessions.json")).unwrap();
}

#[test]
fn sqlite_layout_equals_openclaws_usage_cost() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    copy_dir(&fixture().join("state"), &state);
    to_sqlite_layout(&state);
    let compressed: i64 = Connection::open(state.join("agents/main/agent/openclaw-agent.sqlite"))
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM transcript_events WHERE event_zstd IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(compressed > 0, "the fixture must exercise compressed rows");
    let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
    let first = ingest(&store, &state);
    assert!(first.unreadable.is_empty(), "{:?}", first.unreadable);
    assert_eq!(
        first.new_calls, 15,
        "billed calls: one abort and four provider errors are not"
    );
    assert_matches_openclaw(&store);
    assert_whole_run(&store);
    assert_eq!(ingest(&store, &state).new_calls, 0);
}

#[test]
fn both_layouts_at_once_count_each_call_once() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    copy_dir(&fixture().join("state"), &state);
    to_sqlite_layout(&state);
    copy_dir(
        &fixture().join("state/agents/main/sessions"),
        &state.join("agents/main/sessions"),
    );
    let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
    ingest(&store, &state);
    assert_matches_openclaw(&store);
    assert_whole_run(&store);
}

/// Fixtures written by a real gateway through `tests/openclaw` (both storage layouts): the ledger
/// must equal OpenClaw's `usage.cost` answer of the same run exactly.
#[test]
fn real_gateway_runs_equal_openclaws_usage_cost_in_both_layouts() {
    for (version, layout_file) in [
        ("2026.7.1", "agents/main/sessions/sessions.json"),
        ("2026.9.6", "agents/main/agent/openclaw-agent.sqlite"),
    ] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/openclaw/fixtures")
            .join(version);
        let tmp = tempfile::tempdir().unwrap();
        let state = tmp.path().join("state");
        copy_dir(&dir.join("state"), &state);
        assert!(
            state.join(layout_file).is_file(),
            "{version}: not the expected layout"
        );
        let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
        let report = ingest(&store, &state);
        assert!(
            report.unreadable.is_empty(),
            "{version}: {:?}",
            report.unreadable
        );
        let answer: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("usage-cost.answer.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(answer["cacheStatus"]["status"], "fresh");
        let totals = &answer["totals"];
        let (calls, input, output, cache_read, cache_write, cost, reported) =
            sums_until(&store, i64::MAX);
        assert!(calls > 0);
        assert_eq!(input, totals["input"].as_i64().unwrap(), "{version} input");
        assert_eq!(
            output,
            totals["output"].as_i64().unwrap(),
            "{version} output"
        );
        assert_eq!(
            cache_read,
            totals["cacheRead"].as_i64().unwrap(),
            "{version} cacheRead"
        );
        assert_eq!(
            cache_write,
            totals["cacheWrite"].as_i64().unwrap(),
            "{version} cacheWrite"
        );
        let openclaw = NanoUsd::from_usd(totals["totalCost"].as_f64().unwrap());
        assert_eq!(reported, openclaw, "{version}: reported cost");
        assert_eq!(cost, openclaw, "{version}: price-book cost");
    }
}
