//! Splits a byte stream into lines with bounded memory: a line longer than
//! [`MAX_LINE_BYTES`] is skipped (reported), never buffered whole.

use std::io::{self, BufRead};
use std::ops::ControlFlow;

use super::entry::{SkipReason, MAX_LINE_BYTES};

/// Reads lines from `reader` (whose first byte is at `start`), calling `each(offset, end, line)`
/// for every complete line (`end`: the position after its newline). Blank lines are skipped silently. An unterminated last line is passed
/// on only when `take_tail` (a finished file); otherwise it waits for its newline.
///
/// Returns the position after the last line passed on: where the next read starts.
pub fn split_lines<R: BufRead>(
    reader: R,
    start: u64,
    take_tail: bool,
    mut each: impl FnMut(u64, u64, Result<&[u8], SkipReason>),
) -> io::Result<u64> {
    split_lines_while(reader, start, take_tail, |offset, end, line| {
        each(offset, end, line);
        ControlFlow::Continue(())
    })
}

/// [`split_lines`], stopping after the line for which `each` breaks (a reader that wants only a
/// file's head): returns the position after that line.
pub fn split_lines_while<R: BufRead>(
    mut reader: R,
    start: u64,
    take_tail: bool,
    mut each: impl FnMut(u64, u64, Result<&[u8], SkipReason>) -> ControlFlow<()>,
) -> io::Result<u64> {
    let mut line = Vec::new();
    let mut line_start = start;
    let mut too_long = false;
    let mut pos = start;
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            if take_tail && (!line.is_empty() || too_long) {
                let _ = emit(&mut each, line_start, pos, &line, too_long);
                return Ok(pos);
            }
            return Ok(line_start);
        }
        let (chunk, found) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..i], Some(i)),
            None => (buf, None),
        };
        // The common case: a whole line inside the buffer is passed on without a copy.
        if let (Some(i), true, false) = (found, line.is_empty(), too_long) {
            let end = pos + i as u64 + 1;
            let flow = if chunk.len() <= MAX_LINE_BYTES {
                emit(&mut each, line_start, end, chunk, false)
            } else {
                emit(&mut each, line_start, end, &[], true)
            };
            reader.consume(i + 1);
            pos = end;
            line_start = pos;
            if flow.is_break() {
                return Ok(pos);
            }
            continue;
        }
        if !too_long {
            if line.len() + chunk.len() > MAX_LINE_BYTES {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(chunk);
            }
        }
        let used = found.map_or(buf.len(), |i| i + 1);
        reader.consume(used);
        pos += used as u64;
        if found.is_some() {
            let flow = emit(&mut each, line_start, pos, &line, too_long);
            line.clear();
            too_long = false;
            line_start = pos;
            if flow.is_break() {
                return Ok(pos);
            }
        }
    }
}

fn emit(
    each: &mut impl FnMut(u64, u64, Result<&[u8], SkipReason>) -> ControlFlow<()>,
    offset: u64,
    end: u64,
    line: &[u8],
    too_long: bool,
) -> ControlFlow<()> {
    if too_long {
        return each(offset, end, Err(SkipReason::LineTooLong));
    }
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return ControlFlow::Continue(());
    }
    each(offset, end, Ok(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Seen = Vec<(u64, Result<Vec<u8>, SkipReason>)>;

    fn collect(data: &[u8], take_tail: bool) -> (Seen, u64) {
        let mut out = Vec::new();
        let next = split_lines(
            std::io::BufReader::with_capacity(7, data),
            100,
            take_tail,
            |off, _, l| out.push((off, l.map(<[u8]>::to_vec))),
        )
        .unwrap();
        (out, next)
    }

    #[test]
    fn complete_lines_pass_and_a_partial_tail_waits() {
        let (lines, next) = collect(b"{\"a\":1}\n\n{\"b\":22}\r\n{\"c\":", false);
        assert_eq!(
            lines,
            vec![
                (100, Ok(b"{\"a\":1}".to_vec())),
                (109, Ok(b"{\"b\":22}".to_vec()))
            ]
        );
        assert_eq!(
            next, 119,
            "the partial line starts at 119 and is read again later"
        );
        let (lines, next) = collect(b"{\"a\":1}\n{\"c\":", true);
        assert_eq!(lines.len(), 2);
        assert_eq!(next, 113);
    }

    #[test]
    fn a_reader_that_has_enough_stops_after_its_last_line() {
        let data = b"{\"a\":1}\n\n{\"b\":22}\n{\"c\":3}\n";
        // Lines cut across buffer fills, and whole lines inside one.
        for capacity in [5, 64] {
            let mut seen = Vec::new();
            let reader = std::io::BufReader::with_capacity(capacity, &data[..]);
            let next = split_lines_while(reader, 0, true, |off, _, _| {
                seen.push(off);
                if seen.len() == 2 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })
            .unwrap();
            assert_eq!(seen, [0, 9], "buffer of {capacity}");
            assert_eq!(
                next, 18,
                "the next read starts after the last line passed on"
            );
        }
    }

    #[test]
    fn an_overlong_line_is_reported_and_its_neighbours_survive() {
        let mut data = b"{\"ok\":1}\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 10));
        data.extend_from_slice(b"\n{\"ok\":2}\n");
        let (mut seen, mut ends) = (Vec::new(), Vec::new());
        split_lines(
            std::io::BufReader::new(&data[..]),
            0,
            false,
            |off, end, l| {
                seen.push((off, l.map(<[u8]>::to_vec)));
                ends.push(end);
            },
        )
        .unwrap();
        assert_eq!(seen.len(), 3);
        assert_eq!(seen[1], (9, Err(SkipReason::LineTooLong)));
        assert_eq!(seen[2].1, Ok(b"{\"ok\":2}".to_vec()));
        assert_eq!(ends, [9, 9 + MAX_LINE_BYTES as u64 + 11, data.len() as u64]);
    }
}
