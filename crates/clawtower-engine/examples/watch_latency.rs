//! How fast a transcript line written by OpenClaw is in the ledger, through the real watcher:
//! (1) 200 calls appended one by one, 20 ms apart: write-to-stored latency p50/p99;
//! (2) a 20,000-line transcript written at once: time until every call is stored.
//!
//!     cargo run --release --example watch_latency

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::record::LedgerWatcher;
use clawtower_store::Store;

fn call_line(i: usize) -> String {
    format!(
        r#"{{"type":"message","id":"lat-{i}","message":{{"role":"assistant","content":[{{"type":"text","text":"ok"}}],"provider":"stub","model":"m","timestamp":{},"usage":{{"input":100,"output":10,"cacheRead":50,"cacheWrite":0,"cost":{{"total":0.001}}}}}}}}"#,
        jiff::Timestamp::now().as_millisecond()
    )
}

fn stored(reader: &rusqlite::Connection) -> usize {
    reader
        .query_row("SELECT COUNT(*) FROM model_calls", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap_or(0) as usize
}

fn main() {
    let tmp = std::env::temp_dir().join(format!("clawtower-latency-{}", std::process::id()));
    let sessions = tmp.join("state/agents/main/sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let live = sessions.join("live.jsonl");
    std::fs::write(&live, "{\"type\":\"session\",\"id\":\"live\"}\n").unwrap();
    let store = Arc::new(Store::open(&tmp.join("ledger.sqlite")).unwrap());
    let reader = rusqlite::Connection::open(tmp.join("ledger.sqlite")).unwrap();
    let _watcher = LedgerWatcher::start(
        store,
        tmp.join("state"),
        PriceBook::bundled(),
        Box::new(|_| {}),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let mut latencies = Vec::new();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&live)
        .unwrap();
    for i in 0..200 {
        let before = stored(&reader);
        let written = Instant::now();
        writeln!(file, "{}", call_line(i)).unwrap();
        file.flush().unwrap();
        while stored(&reader) == before {
            assert!(
                written.elapsed() < Duration::from_secs(5),
                "call {i} never stored"
            );
            std::thread::sleep(Duration::from_micros(500));
        }
        latencies.push(written.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(20));
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "appended line → stored: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (200 calls; includes the {} ms debounce)",
        pct(0.50),
        pct(0.99),
        latencies[latencies.len() - 1],
        clawtower_ledger::record::DEBOUNCE.as_millis()
    );

    let before = stored(&reader);
    let big: String = (0..20_000)
        .map(|i| call_line(1_000_000 + i) + "\n")
        .collect();
    let written = Instant::now();
    std::fs::write(sessions.join("big.jsonl"), big).unwrap();
    while stored(&reader) < before + 20_000 {
        assert!(
            written.elapsed() < Duration::from_secs(30),
            "20,000 lines not stored in 30 s"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    println!(
        "20,000-line transcript → all stored: {:.0} ms",
        written.elapsed().as_secs_f64() * 1000.0
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
