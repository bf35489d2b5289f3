//! Fuzzes the transcript line parser: any bytes must yield an entry or a skip reason, never a
//! panic, and a parsed model call's usage must be exactly the token counts the line holds (a
//! count the line leaves out is 0).
#![no_main]

use clawtower_ledger::transcript::{parse_line, EntryKind};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(entry) = parse_line(data) else {
        return;
    };
    let EntryKind::Assistant(msg) = entry.kind else {
        return;
    };
    let Some(usage) = msg.usage else {
        return;
    };
    let _ = usage.billed_tokens(); // never overflows, whatever the counts
    let Ok(line) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let count = |field: &str| {
        line.pointer(&format!("/message/usage/{field}"))
            .and_then(Value::as_u64)
            .unwrap_or(0)
    };
    assert_eq!(
        [
            usage.input,
            usage.output,
            usage.cache_read,
            usage.cache_write,
            usage.reasoning_tokens,
            usage.total_tokens,
        ],
        [
            count("input"),
            count("output"),
            count("cacheRead"),
            count("cacheWrite"),
            count("reasoningTokens"),
            count("totalTokens"),
        ],
        "the parsed usage is not the line's"
    );
});
