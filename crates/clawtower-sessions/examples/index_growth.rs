//! What the message indexer costs for a running session that grew by a few messages: read again
//! from where it was (`IndexedTo` kept, as the app's indexer keeps it) beside read whole (a new
//! `IndexedTo`, as every pass did before), on one transcript of N MB. Figures only.
//!
//! `cargo run --release -p clawtower-sessions --example index_growth -- [MB]` (default 100)

use std::io::Write;
use std::time::Instant;

use clawtower_sessions::search::{index_pending, IndexedTo};
use clawtower_store::Store;

fn message(i: usize, role: &str) -> String {
    format!(
        r#"{{"type":"message","id":"m{i}","timestamp":"2026-12-01T10:00:00Z","message":{{"role":"{role}","content":[{{"type":"text","text":"message {i}: the quick brown fox jumps over the lazy dog while the agent reads files and writes code, again and again, {i}"}}]}}}}"#
    )
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let sessions = state.join("agents/main/sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    std::fs::write(
        sessions.join("sessions.json"),
        r#"{"agent:main:main":{"sessionId":"s1","updatedAt":1}}"#,
    )
    .unwrap();
    let path = sessions.join("s1.jsonl");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(
        file,
        r#"{{"type":"session","version":3,"id":"s1","timestamp":"2026-12-01T10:00:00Z"}}"#
    )
    .unwrap();
    let (mut i, mut written) = (0, 0);
    while written < mb << 20 {
        let line = message(i, if i % 2 == 0 { "user" } else { "assistant" });
        written += line.len() + 1;
        writeln!(file, "{line}").unwrap();
        i += 1;
    }
    drop(file);
    let store = Store::open(&dir.path().join("c.sqlite")).unwrap();
    let pending = |n: i64| {
        store
            .with_conn(|c| {
                c.execute(
                    "INSERT OR REPLACE INTO search_pending VALUES ('agent:main:main', ?1)",
                    [n],
                )?;
                Ok(())
            })
            .unwrap()
    };
    let kept = IndexedTo::default();
    pending(1);
    let t = Instant::now();
    index_pending(&state, &store, None, &|_| false, &kept).unwrap();
    let first = t.elapsed();
    let (mut again, mut whole) = (Vec::new(), Vec::new());
    for round in 0..5 {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        for k in 0..10 {
            writeln!(file, "{}", message(i + round * 10 + k, "assistant")).unwrap();
        }
        drop(file);
        pending(2 + round as i64);
        let t = Instant::now();
        index_pending(&state, &store, None, &|_| false, &kept).unwrap();
        again.push(t.elapsed().as_secs_f64() * 1000.0);
        pending(100 + round as i64);
        let t = Instant::now();
        index_pending(&state, &store, None, &|_| false, &IndexedTo::default()).unwrap();
        whole.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (a, w) = (median(&mut again), median(&mut whole));
    println!(
        "one {mb} MB transcript ({i} messages): first index {:.0} ms; after 10 more messages, read again from where it was {a:.2} ms beside read whole {w:.0} ms (whole / incremental: {:.0}x)",
        first.as_secs_f64() * 1000.0,
        w / a
    );
}
