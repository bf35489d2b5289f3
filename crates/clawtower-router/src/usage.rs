//! What a provider says a call used, read from its answer: a JSON body, or a stream of server-sent
//! events read as it passes through. Counted the way OpenClaw counts (input excludes cached
//! tokens), each stream's usage taken once: OpenAI's last chunk, Anthropic's `message_start`
//! overwritten field by field by its cumulative `message_delta`s, the Responses API's
//! `response.completed`.

use serde::Deserialize;

/// Which answer shape to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `/chat/completions` (and `/embeddings`: the same usage fields).
    OpenAiChat,
    /// `/responses`.
    OpenAiResponses,
    /// `/messages`.
    Anthropic,
}

/// A call's usage as the ledger counts it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metered {
    /// Prompt tokens not read from cache.
    pub input: u64,
    /// Completion tokens (reasoning included).
    pub output: u64,
    /// Prompt tokens read from cache.
    pub cache_read: u64,
    /// Prompt tokens written to cache.
    pub cache_write: u64,
    /// Reasoning tokens (a part of `output`).
    pub reasoning: u64,
    /// What the provider said it charged, in USD (OpenRouter's `usage.cost`).
    pub billed_usd: Option<f64>,
    /// The provider's id for the answer (`chatcmpl-…`, `msg_…`, `resp_…`).
    pub response_id: Option<String>,
    /// Whether any usage was read at all.
    pub seen: bool,
}

/// The usage fields of every protocol; absent ones are `None`.
#[derive(Debug, Default, Deserialize)]
struct WireUsage {
    prompt_tokens: Option<u64>,
    completion_tokens: Option<u64>,
    input_tokens: Option<u64>,
    output_tokens: Option<u64>,
    cache_creation_input_tokens: Option<u64>,
    cache_read_input_tokens: Option<u64>,
    prompt_tokens_details: Option<Details>,
    completion_tokens_details: Option<Details>,
    input_tokens_details: Option<Details>,
    output_tokens_details: Option<Details>,
    cost: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
struct Details {
    cached_tokens: Option<u64>,
    cache_write_tokens: Option<u64>,
    reasoning_tokens: Option<u64>,
}

/// An answer (or one event) with its usage where each protocol puts it.
#[derive(Debug, Default, Deserialize)]
struct Answer {
    id: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    usage: Option<WireUsage>,
    /// Anthropic's `message_start`, the Responses API's `response.*` events.
    message: Option<Box<Answer>>,
    response: Option<Box<Answer>>,
}

impl Metered {
    /// Overwrites what `usage` states (Anthropic's deltas are cumulative: later wins, never adds).
    fn take(&mut self, protocol: Protocol, usage: &WireUsage) {
        self.seen = true;
        let cached = |d: &Option<Details>| d.as_ref().and_then(|d| d.cached_tokens);
        let reasoning = |d: &Option<Details>| d.as_ref().and_then(|d| d.reasoning_tokens);
        match protocol {
            Protocol::Anthropic => {
                set(&mut self.input, usage.input_tokens);
                set(&mut self.output, usage.output_tokens);
                set(&mut self.cache_read, usage.cache_read_input_tokens);
                set(&mut self.cache_write, usage.cache_creation_input_tokens);
            }
            Protocol::OpenAiChat => {
                let read = cached(&usage.prompt_tokens_details).unwrap_or(0);
                let written = usage
                    .prompt_tokens_details
                    .as_ref()
                    .and_then(|d| d.cache_write_tokens)
                    .unwrap_or(0);
                if let Some(prompt) = usage.prompt_tokens {
                    self.input = prompt.saturating_sub(read).saturating_sub(written);
                    self.cache_read = read;
                    self.cache_write = written;
                }
                set(&mut self.output, usage.completion_tokens);
                set(
                    &mut self.reasoning,
                    reasoning(&usage.completion_tokens_details),
                );
            }
            Protocol::OpenAiResponses => {
                let read = cached(&usage.input_tokens_details).unwrap_or(0);
                if let Some(input) = usage.input_tokens {
                    self.input = input.saturating_sub(read);
                    self.cache_read = read;
                }
                set(&mut self.output, usage.output_tokens);
                set(&mut self.reasoning, reasoning(&usage.output_tokens_details));
            }
        }
        if usage.cost.is_some() {
            self.billed_usd = usage.cost.filter(|c| c.is_finite() && *c >= 0.0);
        }
    }

    fn take_answer(&mut self, protocol: Protocol, answer: &Answer) {
        if self.response_id.is_none() {
            self.response_id = answer.id.clone();
        }
        if let Some(usage) = &answer.usage {
            self.take(protocol, usage);
        }
        for inner in [&answer.message, &answer.response].into_iter().flatten() {
            self.take_answer(protocol, inner);
        }
    }

    /// All the tokens, for limits and logs.
    pub fn total(&self) -> u64 {
        self.input
            .saturating_add(self.output)
            .saturating_add(self.cache_read)
            .saturating_add(self.cache_write)
    }
}

fn set(field: &mut u64, value: Option<u64>) {
    if let Some(v) = value {
        *field = v;
    }
}

/// The usage in a whole JSON answer (`None` when the body is not one).
pub fn from_json(protocol: Protocol, body: &[u8]) -> Option<Metered> {
    let answer: Answer = serde_json::from_slice(body).ok()?;
    let mut metered = Metered::default();
    metered.take_answer(protocol, &answer);
    Some(metered)
}

/// Reads a stream of server-sent events as its bytes pass, in chunks split anywhere.
#[derive(Debug)]
pub struct StreamMeter {
    protocol: Protocol,
    line: Vec<u8>,
    data: Vec<u8>,
    /// What was read so far.
    pub metered: Metered,
    /// Whether the stream's own end marker was seen (`[DONE]`, `message_stop`,
    /// `response.completed`): a stream cut before it is incomplete.
    pub finished: bool,
    /// Events whose data was not JSON (counted, skipped).
    pub unreadable: u64,
}

/// A line longer than this is not an event we read usage from (a huge delta): it is passed on
/// but not buffered.
const MAX_LINE: usize = 4 << 20;

impl StreamMeter {
    /// A meter for one stream.
    pub fn new(protocol: Protocol) -> Self {
        StreamMeter {
            protocol,
            line: Vec::new(),
            data: Vec::new(),
            metered: Metered::default(),
            finished: false,
            unreadable: 0,
        }
    }

    /// Reads the next bytes of the stream.
    pub fn feed(&mut self, mut chunk: &[u8]) {
        while let Some(end) = memchr::memchr(b'\n', chunk) {
            let (head, rest) = chunk.split_at(end);
            if self.line.len() + head.len() <= MAX_LINE {
                self.line.extend_from_slice(head);
                let line = std::mem::take(&mut self.line);
                self.on_line(&line);
                self.line = line;
            }
            self.line.clear();
            chunk = &rest[1..];
        }
        if self.line.len() + chunk.len() <= MAX_LINE {
            self.line.extend_from_slice(chunk);
        } else {
            self.line.clear();
        }
    }

    /// The stream ended: an event not yet closed by a blank line is read too.
    pub fn end(&mut self) {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.on_line(&line);
        }
        self.dispatch();
    }

    fn on_line(&mut self, line: &[u8]) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            self.dispatch();
        } else if let Some(value) = line.strip_prefix(b"data:") {
            let value = value.strip_prefix(b" ").unwrap_or(value);
            if !self.data.is_empty() {
                self.data.push(b'\n');
            }
            self.data.extend_from_slice(value);
        }
    }

    fn dispatch(&mut self) {
        if self.data.is_empty() {
            return;
        }
        let data = std::mem::take(&mut self.data);
        if data == b"[DONE]" {
            self.finished = true;
        } else if self.worth_parsing(&data) {
            match serde_json::from_slice::<Answer>(&data) {
                Ok(answer) => {
                    if matches!(
                        answer.kind.as_deref(),
                        Some("message_stop" | "response.completed")
                    ) {
                        self.finished = true;
                    }
                    self.metered.take_answer(self.protocol, &answer);
                }
                Err(_) => self.unreadable += 1,
            }
        }
        self.data = data;
        self.data.clear();
    }

    /// Only events that can carry usage, an id not yet known, or an end marker are parsed: the
    /// many text deltas of a stream are not.
    fn worth_parsing(&self, data: &[u8]) -> bool {
        let has = |needle: &[u8]| memchr::memmem::find(data, needle).is_some();
        has(b"\"usage\"")
            || has(b"\"message_stop\"")
            || has(b"\"response.completed\"")
            || (self.metered.response_id.is_none() && has(b"\"id\""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openai_chat_json_counts_input_without_cached_tokens() {
        let body = br#"{"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,"prompt_tokens_details":{"cached_tokens":30},"completion_tokens_details":{"reasoning_tokens":5},"cost":0.0042}}"#;
        let m = from_json(Protocol::OpenAiChat, body).unwrap();
        assert_eq!(
            (m.input, m.cache_read, m.output, m.reasoning),
            (70, 30, 20, 5)
        );
        assert_eq!(m.billed_usd, Some(0.0042));
        assert_eq!(m.response_id.as_deref(), Some("chatcmpl-1"));
    }

    #[test]
    fn anthropic_stream_usage_is_taken_once_however_the_bytes_are_split() {
        let stream = concat!(
            "event: message_start\r\n",
            "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":2000,\"output_tokens\":1}}}\r\n\r\n",
            "event: content_block_delta\n",
            "data: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"hi\"}}\n\n",
            "event: message_delta\n",
            "data: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":40}}\n\n",
            "event: message_delta\n",
            "data: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":57,\"cache_read_input_tokens\":2000}}\n\n",
            "event: message_stop\n",
            "data: {\"type\":\"message_stop\"}\n\n",
        )
        .as_bytes();
        for split in [1, 2, 7, 64, stream.len()] {
            let mut meter = StreamMeter::new(Protocol::Anthropic);
            for chunk in stream.chunks(split) {
                meter.feed(chunk);
            }
            meter.end();
            let m = &meter.metered;
            assert_eq!(
                (m.input, m.cache_write, m.cache_read, m.output),
                (12, 100, 2000, 57),
                "split {split}: cumulative, never added twice"
            );
            assert!(meter.finished);
            assert_eq!(m.response_id.as_deref(), Some("msg_1"));
        }
    }

    #[test]
    fn openai_and_responses_streams_and_a_cut_stream() {
        let chat = "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\ndata: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}\n\ndata: [DONE]\n\n";
        let mut meter = StreamMeter::new(Protocol::OpenAiChat);
        meter.feed(chat.as_bytes());
        assert!(meter.finished);
        assert_eq!((meter.metered.input, meter.metered.output), (9, 3));

        let responses = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\"}}\n\nevent: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"usage\":{\"input_tokens\":50,\"output_tokens\":7,\"input_tokens_details\":{\"cached_tokens\":10},\"output_tokens_details\":{\"reasoning_tokens\":2}}}}\n\n";
        let mut meter = StreamMeter::new(Protocol::OpenAiResponses);
        meter.feed(responses.as_bytes());
        let m = &meter.metered;
        assert_eq!(
            (m.input, m.cache_read, m.output, m.reasoning),
            (40, 10, 7, 2)
        );
        assert_eq!(m.response_id.as_deref(), Some("resp_1"));

        let mut cut = StreamMeter::new(Protocol::Anthropic);
        cut.feed(b"data: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_to");
        cut.end();
        assert!(!cut.finished, "cut before message_stop");
        assert_eq!(
            (cut.metered.input, cut.metered.output),
            (5, 1),
            "what arrived is kept"
        );
        assert_eq!(cut.unreadable, 1);
    }

    #[test]
    fn absurd_or_broken_usage_is_not_taken() {
        assert_eq!(from_json(Protocol::OpenAiChat, b"not json"), None);
        let negative = from_json(Protocol::OpenAiChat, br#"{"usage":{"prompt_tokens":-5}}"#);
        assert_eq!(negative, None, "a negative count is not a usage");
        let nan_cost = from_json(
            Protocol::OpenAiChat,
            br#"{"usage":{"prompt_tokens":1,"cost":-1}}"#,
        )
        .unwrap();
        assert_eq!(nan_cost.billed_usd, None);
    }
}
