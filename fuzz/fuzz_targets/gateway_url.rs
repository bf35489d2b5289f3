//! Fuzzes the gateway URL a user types (Add gateway, `clawtower gateway add`): any text is
//! accepted in one canonical spelling or refused with a reason, never a panic; the canonical
//! spelling is a ws:// or wss:// URL that canonicalizes to itself.
#![no_main]

use clawtower_feeds::roster::address::canonical_url;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for allow_unencrypted in [false, true] {
        if let Ok(url) = canonical_url(text, allow_unencrypted) {
            assert!(url.starts_with("ws://") || url.starts_with("wss://"), "{url}");
            assert!(url.ends_with('/'), "{url}");
            let again = canonical_url(&url, allow_unencrypted).ok();
            assert_eq!(again.as_deref(), Some(url.as_str()));
        }
    }
});
