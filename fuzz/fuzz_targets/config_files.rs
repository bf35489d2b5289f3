//! Fuzzes the other configuration files Clawtower reads from disk: the price overrides
//! (`prices.json`, JSON5) and the router's `router.toml`. Any text is read or refused with a
//! message, never a panic or a stack overflow; a price book that was read prices the largest
//! plausible call without overflowing, and a router config that was read is complete.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use clawtower_ledger::transcript::{Usage, MAX_TOKENS_PER_CALL};
use clawtower_ledger::pricing::PriceBook;
use clawtower_router::config::Config;
use libfuzzer_sys::fuzz_target;

fn prices_path() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("clawtower-fuzz-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("prices.json")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if which % 2 == 0 {
        std::fs::write(prices_path(), text).unwrap();
        match PriceBook::bundled().with_overrides_file(prices_path()) {
            Ok(book) => {
                let n = MAX_TOKENS_PER_CALL;
                let usage = Usage {
                    input: n,
                    output: n,
                    cache_read: n,
                    cache_write: n,
                    reasoning_tokens: n,
                    total_tokens: 4 * n,
                    cost: None,
                };
                // Each model the file prices (it was read, so it is an object of them).
                let parsed = clawtower_openclaw::config::parse_json5(text).unwrap();
                for name in parsed.as_object().into_iter().flat_map(|o| o.keys()) {
                    let (provider, model) = name.split_once('/').unwrap();
                    let cost = book.cost(provider, model, &usage);
                    assert!(cost.cost.0 >= 0, "a plausible price never costs less than nothing");
                }
            }
            Err(message) => assert!(!message.is_empty()),
        }
    } else {
        match Config::parse(text, &|_| None) {
            Ok(config) => {
                let _ = format!("{config:?}");
            }
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
});
