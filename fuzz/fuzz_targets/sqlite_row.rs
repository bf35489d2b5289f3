//! Fuzzes the decoding of an OpenClaw 2026.9 `transcript_events` row: arbitrary bytes as a
//! compressed `event_zstd` blob (frame headers that lie about their size included), and arbitrary
//! lines compressed into a valid one. Decoding never panics and never yields more than a line.
#![no_main]

use clawtower_ledger::transcript::sqlite::decode_row;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => {
            let _ = decode_row(None, Some(rest));
        }
        1 => {
            let blob = zstd::encode_all(rest, 1).expect("compressing in memory cannot fail");
            let _ = decode_row(None, Some(&blob));
        }
        _ => {
            let _ = decode_row(Some(rest), None);
        }
    }
});
