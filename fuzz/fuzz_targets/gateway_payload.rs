//! Fuzzes what the live feed makes of gateway payloads: any JSON as a `session.message` payload
//! or a `chat.history` answer must yield a batch (or nothing), never panic; and every call
//! backfilled from history must be accepted by the live path.
#![no_main]

use clawtower_gateway::calls_in;
use clawtower_feeds::feed::batch_of;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let _ = batch_of("gateway:fuzz", &value);
    let row = serde_json::json!({"key": "agent:main:main", "agentId": "main"});
    for payload in calls_in(&row, &value) {
        assert!(batch_of("gateway:fuzz", &payload).is_some(), "a backfilled call the live path refuses");
    }
});
