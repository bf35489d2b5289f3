//! One OpenClaw transcript entry (a JSONL line, or an SQLite `transcript_events` row), parsed into
//! a normalized event. Unknown entry types are kept raw; bad lines are reported, never fatal.

use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::Value;

/// Lines longer than this are skipped (and counted), never buffered whole.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// The most tokens of one kind a single model call can plausibly report: 100 million, fifty
/// times the largest context window offered today. A count above it (a buggy provider, a
/// corrupted line) skips the line as `implausible-usage`, so it can never overflow a sum.
pub const MAX_TOKENS_PER_CALL: u64 = 100_000_000;

/// The most a single model call can plausibly cost: $100,000 (100 million tokens at the dearest
/// list price is below it). A recorded cost above it, negative or not finite skips the line as
/// `implausible-usage`.
pub const MAX_COST_PER_CALL_USD: f64 = 100_000.0;

/// Why a line was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// Not valid JSON.
    MalformedJson,
    /// Not valid UTF-8.
    InvalidUtf8,
    /// Valid JSON, but not an object with a string `type`.
    NotAnEntry,
    /// Longer than [`MAX_LINE_BYTES`].
    LineTooLong,
    /// Token counts or a cost outside what any single call can have (see
    /// [`MAX_TOKENS_PER_CALL`], [`MAX_COST_PER_CALL_USD`]).
    ImplausibleUsage,
}

impl SkipReason {
    /// Stable name, as stored and shown by `doctor`.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::MalformedJson => "malformed-json",
            SkipReason::InvalidUtf8 => "invalid-utf8",
            SkipReason::NotAnEntry => "not-an-entry",
            SkipReason::LineTooLong => "line-too-long",
            SkipReason::ImplausibleUsage => "implausible-usage",
        }
    }
}

/// Token usage of one model call, as OpenClaw normalized it (`input` excludes cached tokens).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Usage {
    /// Prompt tokens that were not served from cache.
    #[serde(deserialize_with = "token_count")]
    pub input: u64,
    /// Completion tokens (reasoning included, for the providers OpenClaw supports).
    #[serde(deserialize_with = "token_count")]
    pub output: u64,
    /// Prompt tokens read from cache.
    #[serde(deserialize_with = "token_count")]
    pub cache_read: u64,
    /// Prompt tokens written to cache.
    #[serde(deserialize_with = "token_count")]
    pub cache_write: u64,
    /// Reasoning tokens (a part of `output`).
    #[serde(deserialize_with = "token_count")]
    pub reasoning_tokens: u64,
    /// OpenClaw's `totalTokens`.
    #[serde(deserialize_with = "token_count")]
    pub total_tokens: u64,
    /// The cost OpenClaw computed from its config prices.
    pub cost: Option<ReportedCost>,
}

impl Usage {
    /// Whether every count and the cost are within what one call can have.
    pub fn is_plausible(&self) -> bool {
        let tokens = [
            self.input,
            self.output,
            self.cache_read,
            self.cache_write,
            self.reasoning_tokens,
            self.total_tokens,
        ];
        tokens.iter().all(|&n| n <= MAX_TOKENS_PER_CALL)
            && self.cost.as_ref().is_none_or(|c| {
                c.total.is_finite() && (0.0..=MAX_COST_PER_CALL_USD).contains(&c.total)
            })
    }

    /// Whether the call used tokens or cost money: only such calls are billed model calls (an
    /// aborted run or a failed provider call is booked with all-zero usage).
    pub fn is_billed(&self) -> bool {
        self.billed_tokens() > 0
            || self
                .cost
                .as_ref()
                .is_some_and(|c| c.total > 0.0 || c.provider_billed)
    }

    /// Every token billed: input + output + cache read + cache write (reasoning is inside output).
    pub fn billed_tokens(&self) -> u64 {
        // Saturating: a line with absurd counts must not overflow (and panic in debug builds).
        self.input
            .saturating_add(self.output)
            .saturating_add(self.cache_read)
            .saturating_add(self.cache_write)
    }
}

/// OpenClaw's `usage.cost`, USD.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ReportedCost {
    /// Total USD (not finite when the line's value was not a number).
    #[serde(deserialize_with = "usd")]
    pub total: f64,
    /// The total is what the provider billed (`totalOrigin: "provider-billed"`, which OpenClaw
    /// writes when an OpenAI-compatible provider such as OpenRouter reports `usage.cost`), not an
    /// estimate from prices.
    #[serde(rename = "totalOrigin", deserialize_with = "provider_billed")]
    pub provider_billed: bool,
}

/// A token count as any JSON value: a negative, fractional, huge or non-numeric count becomes
/// `u64::MAX`, which [`Usage::is_plausible`] refuses (the line is then skipped with its reason,
/// never misread); `null` is 0.
fn token_count<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Null => 0,
        Value::Number(n) => n.as_u64().unwrap_or(u64::MAX),
        _ => u64::MAX,
    })
}

/// A cost as any JSON value: a non-number is NaN (refused as implausible), `null` is 0.
fn usd<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Null => 0.0,
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        _ => f64::NAN,
    })
}

/// `totalOrigin` names a provider's bill; any other value (or shape) is an estimate.
fn provider_billed<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(matches!(
        Value::deserialize(deserializer)?,
        Value::String(origin) if origin == "provider-billed"
    ))
}

/// A tool call the assistant made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCall {
    /// `toolCallId`, pairs with the tool result.
    pub id: String,
    /// Tool name.
    pub name: String,
    /// Fingerprint of the arguments exactly as written (of the raw JSON): the same tool
    /// with the same arguments again and again is a runaway loop.
    pub args_fingerprint: u64,
}

/// An assistant message: a model call when it carries usage.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AssistantMessage {
    /// Provider id.
    pub provider: String,
    /// Model id.
    pub model: String,
    /// Usage; `None` when the message did not come from a model call.
    pub usage: Option<Usage>,
    /// `stop`, `toolUse`, `error`, `aborted`…
    pub stop_reason: Option<String>,
    /// The error text of a failed call.
    pub error_message: Option<String>,
    /// Tool calls in the content.
    pub tool_calls: Vec<ToolCall>,
    /// Number of thinking blocks.
    pub thinking_blocks: u32,
    /// The run it belongs to (`__openclaw.runId`).
    pub run_id: Option<String>,
    /// Provider response id.
    pub response_id: Option<String>,
    /// Aborted by an operator (`openclawAbort`).
    pub aborted: bool,
    /// Message timestamp (Unix ms), more precise than the entry's.
    pub timestamp_ms: Option<i64>,
}

/// What an entry is.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryKind {
    /// The session header (first line).
    SessionHeader {
        /// Transcript generation id.
        session_id: String,
    },
    /// `model_change`.
    ModelChange {
        /// Provider id.
        provider: String,
        /// Model id.
        model: String,
    },
    /// `thinking_level_change`.
    ThinkingLevelChange,
    /// A user message.
    UserMessage,
    /// An assistant message.
    Assistant(Box<AssistantMessage>),
    /// A tool result.
    ToolResult {
        /// Pairs with [`ToolCall::id`].
        tool_call_id: String,
        /// Tool name.
        tool_name: String,
        /// The tool reported an error.
        is_error: bool,
    },
    /// `compaction`.
    Compaction {
        /// Context size before.
        tokens_before: Option<u64>,
    },
    /// `reset` boundary.
    Reset,
    /// `custom` / `custom_message` / a `custom` role message: kept raw.
    Custom {
        /// `customType`.
        custom_type: String,
        /// The whole entry, as written (valid JSON).
        raw: String,
    },
    /// An entry type this version does not know: kept raw.
    Unknown {
        /// Its `type`.
        entry_type: String,
        /// The whole entry, as written (valid JSON).
        raw: String,
    },
}

impl EntryKind {
    /// Whether the ledger keeps an `events` row for it: model messages and tool results (calls,
    /// tool pairing, anomaly rules, copies across sessions) and the session's turning points
    /// (model changes, compactions, resets). User turns, headers and custom entries are read
    /// from the transcript itself when shown: storing a row for each cost a third of an import.
    pub fn is_kept_as_event(&self) -> bool {
        matches!(
            self,
            EntryKind::Assistant(_)
                | EntryKind::ToolResult { .. }
                | EntryKind::ModelChange { .. }
                | EntryKind::Compaction { .. }
                | EntryKind::Reset
        )
    }

    /// Short stable name of the kind, as stored.
    pub fn name(&self) -> &'static str {
        match self {
            EntryKind::SessionHeader { .. } => "session",
            EntryKind::ModelChange { .. } => "model_change",
            EntryKind::ThinkingLevelChange => "thinking_level_change",
            EntryKind::UserMessage => "user",
            EntryKind::Assistant(_) => "assistant",
            EntryKind::ToolResult { .. } => "tool_result",
            EntryKind::Compaction { .. } => "compaction",
            EntryKind::Reset => "reset",
            EntryKind::Custom { .. } => "custom",
            EntryKind::Unknown { .. } => "unknown",
        }
    }
}

/// One parsed transcript entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The entry id (a UUID; for assistant messages, the gateway's `messageId`).
    pub id: Option<String>,
    /// Parent entry id.
    pub parent_id: Option<String>,
    /// Entry timestamp, Unix ms.
    pub timestamp_ms: Option<i64>,
    /// What it is.
    pub kind: EntryKind,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEntry {
    #[serde(rename = "type")]
    entry_type: String,
    id: Option<String>,
    parent_id: Option<String>,
    timestamp: Option<Value>,
    message: Option<RawMessage>,
    provider: Option<String>,
    model_id: Option<String>,
    custom_type: Option<String>,
    tokens_before: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMessage {
    role: Option<String>,
    #[serde(default)]
    content: Content,
    provider: Option<String>,
    model: Option<String>,
    usage: Option<Usage>,
    stop_reason: Option<String>,
    error_message: Option<String>,
    response_id: Option<String>,
    timestamp: Option<Value>,
    tool_call_id: Option<String>,
    tool_name: Option<String>,
    is_error: Option<bool>,
    custom_type: Option<String>,
    openclaw_abort: Option<IgnoredAny>,
    #[serde(rename = "__openclaw")]
    openclaw: Option<OpenClawMeta>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenClawMeta {
    run_id: Option<String>,
}

/// Message content: a list of blocks, or anything else (a plain string), which is skipped.
/// Deserialized by hand: an untagged enum would buffer the whole content (often many KB) first.
#[derive(Default)]
enum Content {
    Blocks(Vec<Block>),
    #[default]
    None,
}

impl<'de> Deserialize<'de> for Content {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ContentVisitor;
        impl<'de> serde::de::Visitor<'de> for ContentVisitor {
            type Value = Content;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("message content")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Content, A::Error> {
                let mut blocks = Vec::new();
                while let Some(block) = seq.next_element::<MaybeBlock>()? {
                    if let MaybeBlock::Block(block) = block {
                        blocks.push(block);
                    }
                }
                Ok(Content::Blocks(blocks))
            }
            fn visit_str<E>(self, _: &str) -> Result<Content, E> {
                Ok(Content::None)
            }
            fn visit_unit<E>(self) -> Result<Content, E> {
                Ok(Content::None)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Content, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Content::None)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Content, E> {
                Ok(Content::None)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Content, E> {
                Ok(Content::None)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Content, E> {
                Ok(Content::None)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Content, E> {
                Ok(Content::None)
            }
        }
        deserializer.deserialize_any(ContentVisitor)
    }
}

/// The keys of a content block Clawtower reads.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum BlockField {
    Type,
    Id,
    Name,
    Arguments,
    #[serde(other)]
    Other,
}

/// A content element: a block object, or something else that is skipped.
enum MaybeBlock {
    Block(Block),
    Other,
}

impl<'de> Deserialize<'de> for MaybeBlock {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BlockVisitor;
        impl<'de> serde::de::Visitor<'de> for BlockVisitor {
            type Value = MaybeBlock;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a content block")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<MaybeBlock, A::Error> {
                let mut block = Block {
                    block_type: None,
                    id: None,
                    name: None,
                    args_fingerprint: fingerprint(b""),
                };
                // Keys as a field identifier: matched without allocating a string per key.
                while let Some(key) = map.next_key::<BlockField>()? {
                    match key {
                        BlockField::Type => block.block_type = map.next_value()?,
                        BlockField::Id => block.id = map.next_value()?,
                        BlockField::Name => block.name = map.next_value()?,
                        BlockField::Arguments => {
                            let raw: &serde_json::value::RawValue = map.next_value()?;
                            block.args_fingerprint = fingerprint(raw.get().as_bytes());
                        }
                        BlockField::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(MaybeBlock::Block(block))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<MaybeBlock, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeBlock::Other)
            }
            fn visit_str<E>(self, _: &str) -> Result<MaybeBlock, E> {
                Ok(MaybeBlock::Other)
            }
            fn visit_unit<E>(self) -> Result<MaybeBlock, E> {
                Ok(MaybeBlock::Other)
            }
            fn visit_bool<E>(self, _: bool) -> Result<MaybeBlock, E> {
                Ok(MaybeBlock::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<MaybeBlock, E> {
                Ok(MaybeBlock::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<MaybeBlock, E> {
                Ok(MaybeBlock::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<MaybeBlock, E> {
                Ok(MaybeBlock::Other)
            }
        }
        deserializer.deserialize_any(BlockVisitor)
    }
}

struct Block {
    block_type: Option<String>,
    id: Option<String>,
    name: Option<String>,
    args_fingerprint: u64,
}

/// A stable 64-bit fingerprint (the same on every build and machine), eight bytes at a time
/// (FxHash's mixing): cheap enough to run on every tool call's arguments during an import.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mix = |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    let mut hash = chunks.by_ref().fold(bytes.len() as u64, |hash, chunk| {
        mix(
            hash,
            u64::from_le_bytes(chunk.try_into().unwrap_or_default()),
        )
    });
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        hash = mix(hash, u64::from_le_bytes(last));
    }
    hash
}

impl Entry {
    /// When it happened (Unix ms): an assistant message's own timestamp, else the entry's (a
    /// gateway `session.message` has only the former).
    pub fn ts_ms(&self) -> Option<i64> {
        match &self.kind {
            EntryKind::Assistant(msg) => msg.timestamp_ms.or(self.timestamp_ms),
            _ => self.timestamp_ms,
        }
    }
}

/// Parses one line. Never panics; a bad line yields the reason it is skipped.
pub fn parse_line(line: &[u8]) -> Result<Entry, SkipReason> {
    if line.len() > MAX_LINE_BYTES {
        return Err(SkipReason::LineTooLong);
    }
    let raw: RawEntry = match serde_json::from_slice(line) {
        Ok(raw) => raw,
        Err(err) => return Err(classify(line, &err)),
    };
    let timestamp_ms = raw.timestamp.as_ref().and_then(timestamp_ms);
    let kind = match raw.entry_type.as_str() {
        "session" => EntryKind::SessionHeader {
            session_id: raw.id.clone().unwrap_or_default(),
        },
        "model_change" => EntryKind::ModelChange {
            provider: raw.provider.unwrap_or_default(),
            model: raw.model_id.unwrap_or_default(),
        },
        "thinking_level_change" => EntryKind::ThinkingLevelChange,
        "compaction" => EntryKind::Compaction {
            tokens_before: raw.tokens_before,
        },
        "reset" => EntryKind::Reset,
        "message" => match raw.message {
            Some(message) => message_kind(message, line)?,
            None => return Err(SkipReason::NotAnEntry),
        },
        "custom" | "custom_message" => EntryKind::Custom {
            custom_type: raw.custom_type.unwrap_or_default(),
            raw: raw_text(line)?,
        },
        other => EntryKind::Unknown {
            entry_type: other.to_string(),
            raw: raw_text(line)?,
        },
    };
    Ok(Entry {
        id: raw.id,
        parent_id: raw.parent_id,
        timestamp_ms,
        kind,
    })
}

fn message_kind(message: RawMessage, line: &[u8]) -> Result<EntryKind, SkipReason> {
    Ok(match message.role.as_deref() {
        Some("assistant") => {
            if message.usage.as_ref().is_some_and(|u| !u.is_plausible()) {
                return Err(SkipReason::ImplausibleUsage);
            }
            let (tool_calls, thinking_blocks) = match message.content {
                Content::Blocks(blocks) => {
                    let thinking = blocks
                        .iter()
                        .filter(|b| b.block_type.as_deref() == Some("thinking"))
                        .count() as u32;
                    let calls = blocks
                        .into_iter()
                        .filter(|b| b.block_type.as_deref() == Some("toolCall"))
                        .map(|b| ToolCall {
                            id: b.id.unwrap_or_default(),
                            name: b.name.unwrap_or_default(),
                            args_fingerprint: b.args_fingerprint,
                        })
                        .collect();
                    (calls, thinking)
                }
                Content::None => (Vec::new(), 0),
            };
            EntryKind::Assistant(Box::new(AssistantMessage {
                provider: message.provider.unwrap_or_default(),
                model: message.model.unwrap_or_default(),
                usage: message.usage,
                stop_reason: message.stop_reason,
                error_message: message.error_message,
                tool_calls,
                thinking_blocks,
                run_id: message.openclaw.and_then(|m| m.run_id),
                response_id: message.response_id,
                aborted: message.openclaw_abort.is_some(),
                timestamp_ms: message.timestamp.as_ref().and_then(timestamp_ms),
            }))
        }
        Some("toolResult") => EntryKind::ToolResult {
            tool_call_id: message.tool_call_id.unwrap_or_default(),
            tool_name: message.tool_name.unwrap_or_default(),
            is_error: message.is_error.unwrap_or(false),
        },
        Some("custom") => EntryKind::Custom {
            custom_type: message.custom_type.unwrap_or_default(),
            raw: raw_text(line)?,
        },
        Some("user") => EntryKind::UserMessage,
        _ => EntryKind::Unknown {
            entry_type: "message".into(),
            raw: raw_text(line)?,
        },
    })
}

/// The line as text, kept as it was written (it already parsed as JSON).
fn raw_text(line: &[u8]) -> Result<String, SkipReason> {
    std::str::from_utf8(line)
        .map(str::to_string)
        .map_err(|_| SkipReason::InvalidUtf8)
}

fn classify(line: &[u8], err: &serde_json::Error) -> SkipReason {
    if std::str::from_utf8(line).is_err() {
        SkipReason::InvalidUtf8
    } else if err.is_data() {
        SkipReason::NotAnEntry
    } else {
        SkipReason::MalformedJson
    }
}

/// A transcript timestamp as Unix ms: a number of ms, or an RFC 3339 string.
pub fn timestamp_ms(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s
            .parse::<jiff::Timestamp>()
            .ok()
            .map(|t| t.as_millisecond()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASSISTANT: &str = r#"{"type":"message","id":"8ea2f4b3","parentId":"p1","timestamp":"2026-11-21T03:08:21.465Z","message":{"role":"assistant","content":[{"type":"thinking","thinking":"hmm","thinkingSignature":"reasoning_content"},{"type":"text","text":"Hello"},{"type":"toolCall","id":"call_75e6","name":"ls","arguments":{"path":"."}}],"api":"openai-completions","provider":"stub","model":"stub-model","usage":{"input":6445,"output":24,"cacheRead":6444,"cacheWrite":0,"reasoningTokens":3,"totalTokens":12913,"cost":{"input":0.019335,"output":0.00036,"cacheRead":0.0019332,"cacheWrite":0,"total":0.0216282}},"stopReason":"toolUse","timestamp":1795230501465,"responseId":"chatcmpl-1","__openclaw":{"runId":"run-1"}}}"#;

    #[test]
    fn parses_an_assistant_model_call_with_tools_and_thinking() {
        let entry = parse_line(ASSISTANT.as_bytes()).unwrap();
        assert_eq!(entry.id.as_deref(), Some("8ea2f4b3"));
        assert_eq!(entry.timestamp_ms, Some(1795230501465));
        let EntryKind::Assistant(msg) = entry.kind else {
            panic!("not assistant")
        };
        let usage = msg.usage.as_ref().unwrap();
        assert_eq!(
            (
                usage.input,
                usage.output,
                usage.cache_read,
                usage.reasoning_tokens
            ),
            (6445, 24, 6444, 3)
        );
        assert_eq!(usage.billed_tokens(), 12913);
        assert_eq!(usage.cost.as_ref().unwrap().total, 0.0216282);
        assert_eq!(
            msg.tool_calls,
            vec![ToolCall {
                id: "call_75e6".into(),
                name: "ls".into(),
                args_fingerprint: fingerprint(br#"{"path":"."}"#),
            }]
        );
        assert_eq!(msg.thinking_blocks, 1);
        assert_eq!(msg.run_id.as_deref(), Some("run-1"));
        assert_eq!(msg.timestamp_ms, Some(1795230501465));
        assert_eq!(msg.stop_reason.as_deref(), Some("toolUse"));
    }

    #[test]
    fn parses_the_other_entry_kinds() {
        let kind = |line: &str| parse_line(line.as_bytes()).unwrap().kind;
        assert_eq!(
            kind(
                r#"{"type":"session","version":4,"id":"s1","timestamp":"2026-11-21T03:06:23.093Z","cwd":"/w"}"#
            ),
            EntryKind::SessionHeader {
                session_id: "s1".into()
            }
        );
        assert_eq!(
            kind(r#"{"type":"model_change","provider":"stub","modelId":"m","id":"a"}"#),
            EntryKind::ModelChange {
                provider: "stub".into(),
                model: "m".into()
            }
        );
        assert_eq!(
            kind(r#"{"type":"message","id":"u","message":{"role":"user","content":"hi"}}"#),
            EntryKind::UserMessage
        );
        assert_eq!(
            kind(
                r#"{"type":"message","id":"t","message":{"role":"toolResult","toolCallId":"call_1","toolName":"ls","content":[{"type":"text","text":"a"}]}}"#
            ),
            EntryKind::ToolResult {
                tool_call_id: "call_1".into(),
                tool_name: "ls".into(),
                is_error: false
            }
        );
        assert_eq!(
            kind(r#"{"type":"compaction","id":"c","firstKeptEntryId":"x","tokensBefore":1200}"#),
            EntryKind::Compaction {
                tokens_before: Some(1200)
            }
        );
        assert!(
            matches!(kind(r#"{"type":"custom","customType":"model-snapshot","data":{}}"#), EntryKind::Custom { custom_type, .. } if custom_type == "model-snapshot")
        );
        assert!(
            matches!(kind(r#"{"type":"message","message":{"role":"custom","customType":"openclaw.nested-tool.v1"}}"#), EntryKind::Custom { custom_type, .. } if custom_type == "openclaw.nested-tool.v1")
        );
        assert!(
            matches!(kind(r#"{"type":"brand_new_thing","x":1}"#), EntryKind::Unknown { entry_type, .. } if entry_type == "brand_new_thing")
        );
    }

    #[test]
    fn a_provider_billed_cost_is_recognized() {
        let line = r#"{"type":"message","id":"b","message":{"role":"assistant","provider":"billing","model":"m","usage":{"input":100,"output":20,"cost":{"input":0.0003,"output":0.0003,"total":0.00123,"totalOrigin":"provider-billed"}}}}"#;
        let EntryKind::Assistant(msg) = parse_line(line.as_bytes()).unwrap().kind else {
            panic!()
        };
        let cost = msg.usage.unwrap().cost.unwrap();
        assert_eq!((cost.total, cost.provider_billed), (0.00123, true));
        let estimate = ASSISTANT.replace("\"total\":", "\"totalOrigin\":7,\"total\":");
        let EntryKind::Assistant(msg) = parse_line(estimate.as_bytes()).unwrap().kind else {
            panic!()
        };
        assert!(!msg.usage.unwrap().cost.unwrap().provider_billed);
    }

    #[test]
    fn aborted_and_failed_calls_are_recognized() {
        let aborted = r#"{"type":"message","id":"a","message":{"role":"assistant","content":[],"provider":"openclaw","model":"gateway-injected","usage":{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"totalTokens":0,"cost":{"total":0}},"stopReason":"stop","openclawAbort":{"aborted":true,"origin":"rpc"}}}"#;
        let EntryKind::Assistant(msg) = parse_line(aborted.as_bytes()).unwrap().kind else {
            panic!()
        };
        assert!(msg.aborted);
        let failed = r#"{"type":"message","id":"f","message":{"role":"assistant","content":[],"provider":"stub","model":"m","stopReason":"error","errorMessage":"402 Budget exceeded"}}"#;
        let EntryKind::Assistant(msg) = parse_line(failed.as_bytes()).unwrap().kind else {
            panic!()
        };
        assert_eq!(msg.error_message.as_deref(), Some("402 Budget exceeded"));
        assert!(msg.usage.is_none());
    }

    #[test]
    fn bad_lines_are_classified_not_fatal() {
        assert_eq!(parse_line(b"{not json"), Err(SkipReason::MalformedJson));
        assert_eq!(parse_line(b"[1,2,3]"), Err(SkipReason::NotAnEntry));
        assert_eq!(parse_line(b"{\"no_type\":1}"), Err(SkipReason::NotAnEntry));
        assert_eq!(
            parse_line(b"{\"type\":\"message\"}"),
            Err(SkipReason::NotAnEntry)
        );
        assert_eq!(
            parse_line(b"{\"type\":\"x\",\"v\":\"\xff\xfe\"}"),
            Err(SkipReason::InvalidUtf8)
        );
        assert_eq!(parse_line(b""), Err(SkipReason::MalformedJson));
        let long = vec![b' '; MAX_LINE_BYTES + 1];
        assert_eq!(parse_line(&long), Err(SkipReason::LineTooLong));
    }

    #[test]
    fn content_of_any_shape_is_accepted() {
        for content in [
            r#""plain text""#,
            "null",
            "42",
            r#"{"odd":1}"#,
            r#"[1,"x",null,[2],{"type":"toolCall","id":"c","name":"n","extra":[1]}]"#,
        ] {
            let line = format!(
                r#"{{"type":"message","id":"m","message":{{"role":"assistant","provider":"p","model":"m","content":{content}}}}}"#
            );
            let EntryKind::Assistant(msg) = parse_line(line.as_bytes()).unwrap().kind else {
                panic!("{content}")
            };
            if content.starts_with('[') {
                assert_eq!(
                    msg.tool_calls,
                    vec![ToolCall {
                        id: "c".into(),
                        name: "n".into(),
                        args_fingerprint: fingerprint(b""),
                    }]
                );
            }
        }
    }

    #[test]
    fn absurd_usage_skips_the_line_with_its_reason() {
        let line = |usage: &str| {
            format!(
                r#"{{"type":"message","id":"m","message":{{"role":"assistant","provider":"p","model":"m","usage":{usage}}}}}"#
            )
        };
        for usage in [
            r#"{"input":10000000000000000}"#,
            r#"{"input":100000001}"#,
            r#"{"output":-5}"#,
            r#"{"cacheRead":2.5}"#,
            r#"{"input":18446744073709551615}"#,
            r#"{"input":"12"}"#,
            r#"{"input":1e308}"#,
            r#"{"input":1,"cost":{"total":-0.01}}"#,
            r#"{"input":1,"cost":{"total":1e308}}"#,
            r#"{"input":1,"cost":{"total":"free"}}"#,
            r#"{"input":1,"cost":{"total":100000.01}}"#,
        ] {
            assert_eq!(
                parse_line(line(usage).as_bytes()),
                Err(SkipReason::ImplausibleUsage),
                "{usage}"
            );
        }
        for usage in [
            r#"{"input":100000000,"output":0,"cost":{"total":100000}}"#,
            r#"{"input":null,"output":1}"#,
            r#"{"input":9007199254740992}"#,
        ] {
            let parsed = parse_line(line(usage).as_bytes());
            let plausible = !usage.contains("9007199254740992");
            assert_eq!(parsed.is_ok(), plausible, "{usage}");
        }
    }

    #[test]
    fn missing_usage_fields_default_to_zero() {
        let line = r#"{"type":"message","id":"m","message":{"role":"assistant","provider":"p","model":"m","usage":{"input":5}}}"#;
        let EntryKind::Assistant(msg) = parse_line(line.as_bytes()).unwrap().kind else {
            panic!()
        };
        let usage = msg.usage.unwrap();
        assert_eq!((usage.input, usage.output, usage.cost), (5, 0, None));
    }
}
