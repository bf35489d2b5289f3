//! How much of a transcript the first entries of a timeline need: a window shows a long
//! session's first entries at once, read from the head of its transcripts only.

use std::collections::HashSet;

use super::line::{EntryKind, Line};
use clawtower_ledger::transcript::ParsedLine;

/// Lines read past the entries wanted while a tool call among them still waits for its result
/// (a result follows its call within a few lines; a call that never got one stops here).
const LINES_TO_PAIR: usize = 256;

/// What one transcript generation is read for: all of it, or its head.
#[derive(Debug, Clone)]
pub(crate) enum Need {
    /// Every line.
    All,
    /// Lines until `entries` entries are read and their tool calls have their results.
    Head {
        /// Entries wanted.
        entries: usize,
        /// Entries read so far.
        read: usize,
        /// Tool calls read whose result was not yet.
        open: HashSet<String>,
        /// Lines read since `entries` were.
        past: usize,
    },
}

impl Need {
    /// The first `entries` entries of a generation.
    pub(crate) fn head(entries: usize) -> Need {
        Need::Head {
            entries,
            read: 0,
            open: HashSet::new(),
            past: 0,
        }
    }

    /// Takes `line` in; whether the lines after it are still needed.
    pub(crate) fn more(&mut self, line: &ParsedLine<Line>) -> bool {
        let Need::Head {
            entries,
            read,
            open,
            past,
        } = self
        else {
            return true;
        };
        if *read >= *entries {
            *past += 1;
        }
        if let Ok(Line::Entries(list)) = &line.result {
            for entry in list {
                match (entry.kind, &entry.tool) {
                    (EntryKind::ToolCall, Some(tool)) if *read < *entries => {
                        open.insert(tool.call_id.clone());
                    }
                    (EntryKind::ToolResult, Some(tool)) => {
                        open.remove(&tool.call_id);
                    }
                    _ => {}
                }
                *read += 1;
            }
        }
        *read < *entries || (!open.is_empty() && *past < LINES_TO_PAIR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::line::parse_display_line;

    fn line(json: &str) -> ParsedLine<Line> {
        ParsedLine {
            position: 0,
            result: parse_display_line(json.as_bytes()),
        }
    }

    const CALL: &str = r#"{"type":"message","id":"a1","message":{"role":"assistant","content":[{"type":"toolCall","id":"t1","name":"exec","arguments":{}}]}}"#;
    const RESULT: &str = r#"{"type":"message","id":"r1","message":{"role":"toolResult","toolCallId":"t1","toolName":"exec","content":[{"type":"text","text":"ok"}]}}"#;
    const USER: &str = r#"{"type":"message","id":"u1","message":{"role":"user","content":"hi"}}"#;

    #[test]
    fn a_head_reads_on_until_its_tool_calls_have_their_results() {
        // The call message is two entries: the assistant's, then its tool call.
        let mut need = Need::head(2);
        assert!(need.more(&line(CALL)), "the call's result is still to come");
        assert!(need.more(&line(USER)));
        assert!(!need.more(&line(RESULT)), "paired: enough");
    }

    #[test]
    fn a_call_without_a_result_stops_the_head_after_a_bounded_number_of_lines() {
        let mut need = Need::head(2);
        assert!(need.more(&line(CALL)));
        let mut more = 0;
        while need.more(&line(USER)) {
            more += 1;
        }
        assert_eq!(more, LINES_TO_PAIR - 1);
    }

    #[test]
    fn a_whole_read_always_wants_more() {
        let mut need = Need::All;
        assert!(need.more(&line(USER)));
        assert!(need.more(&line(RESULT)));
    }

    #[test]
    fn a_call_past_the_entries_wanted_need_not_wait_for_its_result() {
        let mut need = Need::head(1);
        assert!(!need.more(&line(CALL)));
    }
}
