//! Fuzzes the transcript line parser: any bytes must yield an entry or a skip reason, never a
//! panic, and a parsed model call must have sane token sums.
#![no_main]

use clawtower_engine::ledger::entry::{parse_line, EntryKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(entry) = parse_line(data) {
        if let EntryKind::Assistant(msg) = entry.kind {
            if let Some(usage) = msg.usage {
                let _ = usage.input.checked_add(usage.output);
            }
        }
    }
});
