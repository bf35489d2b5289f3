//! Reads every transcript under a state dir with the ledger's splitter and parser, storing
//! nothing: the parse-only throughput that `make bench` compares with a full ingest.
//!
//!     cargo run --release --example parse_speed -- STATE_DIR

use std::io::BufReader;
use std::time::Instant;

use clawtower_ledger::transcript::{parse_line, split_lines};

fn main() {
    let state = std::env::args()
        .nth(1)
        .expect("usage: parse_speed STATE_DIR");
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(state)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "jsonl") {
                files.push(path);
            }
        }
    }
    let start = Instant::now();
    let (mut bytes, mut entries, mut skipped) = (0u64, 0u64, 0u64);
    for file in &files {
        let handle = std::fs::File::open(file).expect("readable file");
        bytes += handle.metadata().map(|m| m.len()).unwrap_or(0);
        split_lines(
            BufReader::with_capacity(1 << 16, handle),
            0,
            true,
            |_, _, line| match line.and_then(parse_line) {
                Ok(_) => entries += 1,
                Err(_) => skipped += 1,
            },
        )
        .expect("read");
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} files, {:.0} MB, {entries} entries, {skipped} skipped in {secs:.3} s: {:.0} MB/s",
        files.len(),
        bytes as f64 / 1048576.0,
        bytes as f64 / 1048576.0 / secs
    );
}
