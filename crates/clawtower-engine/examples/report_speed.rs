//! Fills a fresh ledger with N model calls (90 days, 50 agents, 2,000 sessions, 5 models), then
//! times the reports the CLI and the tray run over it, and the usage views of the app.
//!
//!     cargo run --release --example report_speed -- 10000000 [DIR]

use std::time::Instant;

use clawtower_core::NanoUsd;
use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::report::{build, summarize, ReportKind, ReportQuery};
use clawtower_store::model_calls::{insert, CostOrigin, ModelCall};
use clawtower_store::Store;
use clawtower_usage::{usage, Granularity, UsageDimension, UsageQuery};
use jiff::tz::TimeZone;

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let dir = std::env::args()
        .nth(2)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let path = dir.join(format!("report-speed-{n}.sqlite"));
    let fresh = !path.exists();
    let store = Store::open(&path).expect("store");
    let now = jiff::Timestamp::now().to_zoned(TimeZone::system());
    if fresh {
        let start = Instant::now();
        let span_ms: u64 = 90 * 86_400_000;
        let t0 = now.timestamp().as_millisecond() - span_ms as i64;
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for chunk in 0..n.div_ceil(100_000) {
            store
                .with_conn(|c| {
                    let tx = c.transaction()?;
                    for i in chunk * 100_000..((chunk + 1) * 100_000).min(n) {
                        let r = next();
                        let agent = r % 50;
                        let call = ModelCall {
                            call_id: format!("call-{i}"),
                            agent_id: format!("agent{agent}"),
                            session_key: format!("agent:agent{agent}:s{}", (r >> 8) % 40),
                            session_id: format!("sid-{}", (r >> 8) % 2000),
                            ts_ms: t0 + (i * span_ms / n) as i64,
                            provider: "anthropic".into(),
                            model: format!("claude-{}", (r >> 20) % 5),
                            input_tokens: 1000 + (r >> 24) % 5000,
                            output_tokens: 100 + (r >> 32) % 900,
                            cache_read_tokens: (r >> 40) % 20000,
                            cache_write_tokens: 0,
                            reasoning_tokens: 0,
                            cost: NanoUsd(((r >> 12) % 50_000_000) as i64),
                            reported_cost: NanoUsd(((r >> 12) % 50_000_000) as i64),
                            unpriced_tokens: 0,
                            response_id: None,
                            announces: None,
                            book_cost: None,
                            cost_origin: CostOrigin::OpenClaw,
                        };
                        insert(&tx, &call)?;
                    }
                    tx.commit()?;
                    Ok(())
                })
                .expect("insert");
        }
        println!("filled {n} calls in {:.1} s", start.elapsed().as_secs_f64());
    }
    let tz = TimeZone::system();
    let best_ms = |f: &mut dyn FnMut()| {
        (0..5)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .fold(f64::MAX, f64::min)
    };
    let today = now.date();
    let windows: [(&str, Option<jiff::civil::Date>); 3] = [
        ("all time", None),
        (
            "90 days",
            today.checked_sub(jiff::Span::new().days(89)).ok(),
        ),
        ("7 days", today.checked_sub(jiff::Span::new().days(6)).ok()),
    ];
    for kind in [
        ReportKind::Daily,
        ReportKind::Monthly,
        ReportKind::Session,
        ReportKind::Agent,
        ReportKind::Model,
    ] {
        for (name, since) in windows {
            let query = ReportQuery {
                kind,
                since,
                until: since.map(|_| today),
                tz: tz.clone(),
            };
            let best = best_ms(&mut || {
                let report = build(&store, &query).expect("report");
                assert!(since.is_some() || report.totals.calls == n);
            });
            println!(
                "report {:<8} {name:>8} over {n} calls: {best:8.1} ms",
                kind.name()
            );
        }
    }
    let book = PriceBook::bundled();
    let views = [
        (
            "today by hour, by model",
            Some(1),
            Granularity::Hour,
            UsageDimension::Model,
        ),
        (
            "7 days by day, by model",
            Some(7),
            Granularity::Day,
            UsageDimension::Model,
        ),
        (
            "30 days by day, by agent",
            Some(30),
            Granularity::Day,
            UsageDimension::Agent,
        ),
        (
            "90 days by week, by channel",
            Some(90),
            Granularity::Week,
            UsageDimension::Channel,
        ),
        (
            "all time by month, by provider",
            None,
            Granularity::Month,
            UsageDimension::Provider,
        ),
    ];
    for (name, days, granularity, stack) in views {
        let query = UsageQuery {
            days,
            granularity,
            stack,
            what_if: Some("openai/gpt-4o".into()),
            ..UsageQuery::default()
        };
        let best = best_ms(&mut || {
            usage(&store, &book, &query, &now).expect("usage");
        });
        println!("usage view {name:<31} over {n} calls: {best:8.1} ms");
    }
    let t = Instant::now();
    summarize(&store, &now).expect("summary");
    println!(
        "spend summary (tray): {:.2} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
}
