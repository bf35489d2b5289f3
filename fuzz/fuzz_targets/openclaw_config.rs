//! Fuzzes `openclaw.json` parsing (JSON5, read from the user's disk): any text is parsed or
//! refused with a message, never a panic or a stack overflow (deep nesting is refused before the
//! recursive parser sees it), and what parses answers every question Clawtower asks of it.
#![no_main]

use clawtower_openclaw::{OpenClawConfig, OpenClawEnv};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match OpenClawConfig::parse(text) {
        Ok(config) => {
            let _ = config.gateway(&OpenClawEnv::default());
            let _ = config.model_costs();
            let _ = config.agent_ids();
            let _ = format!("{config:?}");
        }
        Err(message) => assert!(!message.is_empty()),
    }
});
