//! Fuzzes the line splitter and parser together, as a transcript file is read: every line is
//! accounted for (parsed or skipped) and the returned position never passes the input.
#![no_main]

use clawtower_ledger::transcript::{parse_line, split_lines};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut last = 0u64;
    let next = split_lines(
        std::io::BufReader::with_capacity(64, data),
        0,
        false,
        |offset, end, line| {
            assert!(offset >= last, "lines come in order");
            assert!(end > offset && end <= data.len() as u64, "a line ends after it starts");
            last = offset;
            let _ = line.and_then(parse_line);
        },
    )
    .expect("reading from memory cannot fail");
    assert!(next <= data.len() as u64);
});
