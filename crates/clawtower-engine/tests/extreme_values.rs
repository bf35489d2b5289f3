//! One absurd line never switches off the ledger or the budgets: extreme token counts and costs
//! go through parse → price → store → report → budget status; the implausible ones are skipped
//! with their reason, the plausible ones are counted exactly, and nothing fails.

use clawtower_control::budget::{
    measure, store as budgets, BudgetAction, BudgetDraft, BudgetScope, BudgetWindow,
};
use clawtower_core::NanoUsd;
use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::record::{ingest_state_dir, skipped_totals};
use clawtower_ledger::report::{self, scan_report, ReportKind, ReportQuery};
use clawtower_store::model_calls::{insert, CostOrigin, ModelCall};
use clawtower_store::Store;
use jiff::tz::TimeZone;
use serde_json::json;

/// The values tried in every token field and as the recorded cost.
const EXTREMES: [&str; 9] = [
    "0",
    "1",
    "9007199254740992",    // 2^53
    "9223372036854775807", // 2^63 − 1
    "18446744073709551615",
    "-1",
    "1e308",
    "100000000",
    "100000001",
];

fn line(id: usize, usage: serde_json::Value, ts_ms: i64) -> String {
    json!({"type": "message", "id": format!("m{id}"), "timestamp": ts_ms,
        "message": {"role": "assistant", "content": [], "provider": "anthropic",
            "model": "claude-sonnet-4-5", "usage": usage, "timestamp": ts_ms}})
    .to_string()
}

fn query() -> ReportQuery {
    ReportQuery {
        kind: ReportKind::Daily,
        since: None,
        until: None,
        tz: TimeZone::UTC,
    }
}

/// What a $10 budget over `scope` and `window`, added at `now_ms`, measures as spent now.
fn spent_under(
    c: &rusqlite::Connection,
    scope: BudgetScope,
    window: BudgetWindow,
    now_ms: i64,
) -> clawtower_core::Result<NanoUsd> {
    let draft = BudgetDraft {
        name: "Cap".into(),
        scope,
        window,
        limit_usd: 10.0,
        thresholds: vec![100],
        action: BudgetAction::Alert,
        auto_resume: false,
    };
    let budget = budgets::add(c, draft, now_ms)?;
    Ok(measure(c, &budget, &jiff::Zoned::now())?.spent)
}

#[test]
fn extreme_values_are_skipped_or_counted_and_reports_and_budgets_keep_working() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let dir = state.join("agents/main/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    let now_ms = jiff::Timestamp::now().as_millisecond();
    let mut lines = vec![line(
        0,
        json!({"input": 1000, "output": 10, "cost": {"total": 0.5}}),
        now_ms,
    )];
    let mut expected_skips = 0;
    let mut id = 1;
    for field in ["input", "output", "cacheRead", "cacheWrite", "totalTokens"] {
        for value in EXTREMES {
            let usage: serde_json::Value =
                serde_json::from_str(&format!(r#"{{"{field}": {value}}}"#)).unwrap();
            let n: f64 = value.parse().unwrap();
            if !(0.0..=1e8).contains(&n) {
                expected_skips += 1;
            }
            lines.push(line(id, usage, now_ms));
            id += 1;
        }
    }
    for value in EXTREMES {
        let usage: serde_json::Value =
            serde_json::from_str(&format!(r#"{{"input": 1, "cost": {{"total": {value}}}}}"#))
                .unwrap();
        let n: f64 = value.parse().unwrap();
        if !(0.0..=100_000.0).contains(&n) {
            expected_skips += 1;
        }
        lines.push(line(id, usage, now_ms));
        id += 1;
    }
    std::fs::write(dir.join("s1.jsonl"), lines.join("\n") + "\n").unwrap();

    let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
    let book = PriceBook::bundled();
    let pass = ingest_state_dir(&store, &state, &book, &mut |_| {}).unwrap();
    assert_eq!(pass.skipped, expected_skips);
    let skipped = store.with_conn(|c| skipped_totals(c)).unwrap();
    assert_eq!(
        skipped,
        vec![("implausible-usage".to_string(), expected_skips)],
        "doctor shows why"
    );

    let daily = report::build(&store, &query()).unwrap();
    let (scanned, _) = scan_report(&state, &book, &query()).unwrap();
    assert_eq!(scanned, daily, "scan and ledger agree on extreme input");
    assert!(
        daily.totals.total_tokens < 1_000_000_000,
        "{:?}",
        daily.totals
    );
    assert!(daily.totals.cost_usd < 1e6, "{:?}", daily.totals);

    store
        .with_conn(|c| {
            let spent = spent_under(c, BudgetScope::All, BudgetWindow::Day, now_ms)?;
            assert!(spent >= NanoUsd::from_usd(0.5));
            Ok(())
        })
        .unwrap();
}

#[test]
fn sums_that_overflow_saturate_instead_of_failing() {
    let store = Store::open_in_memory().unwrap();
    let now_ms = jiff::Timestamp::now().as_millisecond();
    store
        .with_conn(|c| {
            for i in 0..3 {
                let call = ModelCall {
                    call_id: format!("c{i}"),
                    agent_id: "main".into(),
                    session_key: "agent:main:main".into(),
                    session_id: "s".into(),
                    ts_ms: now_ms,
                    provider: "p".into(),
                    model: "m".into(),
                    input_tokens: u64::MAX,
                    output_tokens: 0,
                    cache_read_tokens: 0,
                    cache_write_tokens: 0,
                    reasoning_tokens: 0,
                    cost: NanoUsd(i64::MAX / 2),
                    reported_cost: NanoUsd(i64::MAX / 2),
                    book_cost: None,
                    cost_origin: CostOrigin::OpenClaw,
                    unpriced_tokens: 0,
                    response_id: None,
                    announces: None,
                };
                insert(c, &call)?;
            }
            let spent = spent_under(
                c,
                BudgetScope::Agent("main".into()),
                BudgetWindow::Rolling(24),
                now_ms,
            )?;
            assert_eq!(spent, NanoUsd(i64::MAX), "saturated, not an error");
            Ok(())
        })
        .unwrap();
    let daily = report::build(&store, &query()).unwrap();
    assert_eq!(daily.totals.calls, 3);
    assert_eq!(daily.totals.cost_usd, NanoUsd(i64::MAX).as_usd());
}

#[test]
fn an_archive_that_asks_for_a_huge_zstd_window_is_refused_not_allocated() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let dir = state.join("agents/main/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    let mut encoder = zstd::stream::Encoder::new(Vec::new(), 1).unwrap();
    encoder.window_log(30).unwrap(); // the frame asks the reader for a 1 GiB window
    encoder.include_contentsize(false).unwrap();
    std::io::Write::write_all(&mut encoder, line(1, json!({"input": 1}), 0).as_bytes()).unwrap();
    let bomb = encoder.finish().unwrap();
    std::fs::write(dir.join("s1.jsonl.deleted.2026-11-21T03-08-56Z.zst"), bomb).unwrap();
    let book = PriceBook::bundled();
    let (_, stats) = scan_report(&state, &book, &query()).unwrap();
    assert_eq!(stats.unreadable.len(), 1, "{stats:?}");
    let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
    let pass = ingest_state_dir(&store, &state, &book, &mut |_| {}).unwrap();
    assert_eq!(pass.unreadable.len(), 1, "{pass:?}");
}

#[test]
fn the_dearest_plausible_price_on_the_largest_plausible_calls_saturates_the_sums() {
    // Every kind of token at the most a call may use, priced by the book (no recorded cost) at
    // the dearest price it accepts: $4M a call, and 3,000 of them are past what i64 nano-dollars
    // hold. Each call is exact; the totals saturate; reports and budgets keep working.
    use clawtower_ledger::pricing::MAX_USD_PER_MILLION_TOKENS;
    use clawtower_ledger::transcript::MAX_TOKENS_PER_CALL;
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state");
    let dir = state.join("agents/main/sessions");
    std::fs::create_dir_all(&dir).unwrap();
    let prices = tmp.path().join("prices.json");
    let max = MAX_USD_PER_MILLION_TOKENS;
    std::fs::write(
        &prices,
        format!(r#"{{"acme/dear": {{"input": {max}, "output": {max}, "cacheRead": {max}, "cacheWrite": {max}}}}}"#),
    )
    .unwrap();
    let book = PriceBook::bundled().with_overrides_file(&prices).unwrap();
    let now_ms = jiff::Timestamp::now().as_millisecond();
    let n = MAX_TOKENS_PER_CALL;
    let lines: Vec<String> = (0..3000)
        .map(|i| {
            json!({"type": "message", "id": format!("m{i}"), "timestamp": now_ms,
                "message": {"role": "assistant", "content": [], "provider": "acme", "model": "dear",
                    "usage": {"input": n, "output": n, "cacheRead": n, "cacheWrite": n},
                    "timestamp": now_ms}})
            .to_string()
        })
        .collect();
    std::fs::write(dir.join("s1.jsonl"), lines.join("\n") + "\n").unwrap();
    let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
    let pass = ingest_state_dir(&store, &state, &book, &mut |_| {}).unwrap();
    assert_eq!(pass.skipped, 0);
    let one: i64 = store
        .with_conn(|c| {
            Ok(
                c.query_row("SELECT cost_nanousd FROM model_calls LIMIT 1", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap();
    assert_eq!(NanoUsd(one), NanoUsd::from_usd(4.0 * max * n as f64 / 1e6));
    let daily = report::build(&store, &query()).unwrap();
    assert_eq!(daily.totals.calls, 3000);
    assert_eq!(daily.totals.cost_usd, NanoUsd(i64::MAX).as_usd());
    store
        .with_conn(|c| {
            for window in [BudgetWindow::Day, BudgetWindow::Rolling(24)] {
                let spent = spent_under(c, BudgetScope::All, window, now_ms)?;
                assert_eq!(spent, NanoUsd(i64::MAX), "saturated, not an error");
            }
            Ok(())
        })
        .unwrap();
}
