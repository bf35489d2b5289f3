//! Fuzzes the timeline's reading of a transcript line for display: any bytes parse to entries or
//! a reason to skip, never a panic; an entry's preview is cut on a character boundary and says
//! how long the whole text was; a sequence of lines assembles (tool calls paired) without panic.
#![no_main]

use clawtower_sessions::timeline::line::{cut, parse_display_line, Line, PREVIEW_CHARS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for line in data.split(|b| *b == b'\n') {
        if let Ok(Line::Entries(entries)) = parse_display_line(line) {
            for mut entry in entries {
                let whole = entry.text.chars().count();
                cut(&mut entry);
                assert!(entry.text.chars().count() <= PREVIEW_CHARS);
                match entry.full_chars {
                    Some(n) => assert_eq!(n as usize, whole),
                    None => assert!(whole <= PREVIEW_CHARS),
                }
            }
        }
    }
});
