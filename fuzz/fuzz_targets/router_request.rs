//! Fuzzes what the model router reads from outside: a request body (the top-level object the
//! router edits) and an upstream's answer, whole or as a stream split anywhere. Nothing panics;
//! an edited body is still JSON with the new model and every other member unchanged; a stream's
//! usage does not depend on where its bytes were split.
#![no_main]

use clawtower_router::body::JsonObject;
use clawtower_router::usage::{from_json, Protocol, StreamMeter};
use libfuzzer_sys::fuzz_target;

const PROTOCOLS: [Protocol; 3] = [Protocol::OpenAiChat, Protocol::OpenAiResponses, Protocol::Anthropic];

fuzz_target!(|data: &[u8]| {
    if let Ok(mut body) = JsonObject::parse(data) {
        body.set_str("model", "stub-model");
        body.include_stream_usage();
        let edited: serde_json::Value = serde_json::from_slice(&body.to_vec()).expect("still JSON");
        assert_eq!(edited["model"], "stub-model");
        assert_eq!(edited["stream_options"]["include_usage"], true);
    }
    let split = data.first().map_or(1, |b| *b as usize % 61 + 1);
    for protocol in PROTOCOLS {
        let _ = from_json(protocol, data);
        let mut whole = StreamMeter::new(protocol);
        whole.feed(data);
        whole.end();
        let mut pieces = StreamMeter::new(protocol);
        for chunk in data.chunks(split) {
            pieces.feed(chunk);
        }
        pieces.end();
        assert_eq!(whole.metered, pieces.metered, "split every {split} bytes");
        assert_eq!(whole.finished, pieces.finished);
    }
});
