//! Fuzzes the whole ledger path of outside input, not only the parser: arbitrary transcript
//! lines are parsed, stored with `apply_batch` (twice: re-reading counts nothing twice), and then
//! read by every report over them — the daily report, a budget's status, the usage view and the
//! sessions list. None of them may fail or panic, whatever the numbers in the lines; what is
//! skipped is counted.
#![no_main]

use clawtower_control::budget::{measure, store as budgets, BudgetAction, BudgetDraft, BudgetScope, BudgetWindow};
use clawtower_ledger::transcript::{parse_line, Batch, Cursor, ParsedLine, SessionContext};
use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::report::{self, ReportKind, ReportQuery};
use clawtower_ledger::record::{apply_batch, skipped_totals};
use clawtower_sessions::list::{list_sessions, SessionQuery};
use clawtower_store::Store;
use clawtower_usage::{usage, UsageQuery};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines: Vec<ParsedLine> = data
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, line)| ParsedLine {
            position: i as u64,
            result: parse_line(line),
        })
        .collect();
    let skipped = lines.iter().filter(|l| l.result.is_err()).count() as u64;
    let batch = Batch {
        source: "jsonl:fuzz".into(),
        context: SessionContext {
            agent_id: "main".into(),
            session_key: "agent:main:main".into(),
            session_id: "s".into(),
        },
        lines,
        cursor: Cursor {
            position: data.len() as u64,
            fingerprint: String::new(),
        },
        from_archive: false,
    };
    let store = Store::open_in_memory().unwrap();
    let book = PriceBook::bundled();
    store.with_conn(|c| apply_batch(c, &book, &batch)).expect("storing never fails");
    let calls = |store: &Store| -> i64 {
        store
            .with_conn(|c| Ok(c.query_row("SELECT COUNT(*) FROM model_calls", [], |r| r.get(0))?))
            .unwrap()
    };
    let once = calls(&store);
    store.with_conn(|c| apply_batch(c, &book, &batch)).expect("storing again never fails");
    assert_eq!(calls(&store), once, "a line read twice counts once");
    let counted: u64 = store.with_conn(|c| skipped_totals(c)).unwrap().iter().map(|(_, n)| n).sum();
    assert!(counted >= skipped, "every skipped line is counted");

    let tz = jiff::tz::TimeZone::UTC;
    let now = jiff::Timestamp::now().to_zoned(tz.clone());
    for kind in [ReportKind::Daily, ReportKind::Monthly, ReportKind::Session] {
        let query = ReportQuery { kind, since: None, until: None, tz: tz.clone() };
        report::build(&store, &query).expect("reports never fail");
    }
    store
        .with_conn(|c| {
            for window in [BudgetWindow::Day, BudgetWindow::Rolling(24), BudgetWindow::Month] {
                let draft = BudgetDraft {
                    name: "Cap".into(),
                    scope: BudgetScope::All,
                    window,
                    limit_usd: 10.0,
                    thresholds: vec![100],
                    action: BudgetAction::Alert,
                    auto_resume: false,
                };
                let budget = budgets::add(c, draft, now.timestamp().as_millisecond())?;
                measure(c, &budget, &now)?;
            }
            Ok(())
        })
        .expect("budget status never fails");
    usage(&store, &book, &UsageQuery::default(), &now).expect("the usage view never fails");
    list_sessions(&store, &SessionQuery::default()).expect("the sessions list never fails");
});
