//! Fuzzes gateway frame decoding: any text must decode or be refused, never panic, and a frame
//! over the limit must be refused before it is parsed.
#![no_main]

use clawtower_gateway::frame::{decode, FrameError};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limit = 4096;
    match decode(text, limit) {
        Err(FrameError::TooLarge { size, .. }) => assert!(size > limit),
        _ => assert!(text.len() <= limit),
    }
});
