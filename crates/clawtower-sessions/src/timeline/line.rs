//! One transcript line as the timeline shows it: a user turn, an assistant message split into its
//! thinking, text and tool calls, a tool result, a turning point (model change, compaction,
//! reset), an error, or a custom entry kept as written. The ledger's parser reads only what
//! counts money; this one keeps the words.

use serde::Serialize;
use serde_json::Value;

use clawtower_ledger::transcript::{timestamp_ms, SkipReason, MAX_LINE_BYTES};

/// What a timeline entry is (`sessions show --json`'s `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum EntryKind {
    /// A user message (also a channel's inbound message or a sub-agent's task).
    User,
    /// An assistant message's text; it carries the model call's usage and cost.
    Assistant,
    /// A thinking block of an assistant message.
    Thinking,
    /// A tool call of an assistant message, paired with its result.
    ToolCall,
    /// A tool's result.
    ToolResult,
    /// The session's model changed.
    ModelChange,
    /// The thinking level changed.
    ThinkingLevelChange,
    /// The context was compacted.
    Compaction,
    /// The session was reset.
    Reset,
    /// A failed model call (`stopReason: "error"`).
    Error,
    /// Anything else OpenClaw wrote (custom entries, entry types this version does not know).
    Custom,
}

impl EntryKind {
    /// How the kind reads for people ("Tool call", "Model change"…).
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::User => "User",
            EntryKind::Assistant => "Assistant",
            EntryKind::Thinking => "Thinking",
            EntryKind::ToolCall => "Tool call",
            EntryKind::ToolResult => "Tool result",
            EntryKind::ModelChange => "Model change",
            EntryKind::ThinkingLevelChange => "Thinking level",
            EntryKind::Compaction => "Compaction",
            EntryKind::Reset => "Reset",
            EntryKind::Error => "Error",
            EntryKind::Custom => "Custom",
        }
    }
}

/// A model call, as the transcript records it (the cost the ledger counted is added later).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CallDetail {
    /// `provider/model`.
    pub model: String,
    /// Input tokens (not cached).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub input_tokens: u64,
    /// Output tokens.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub output_tokens: u64,
    /// Tokens read from the cache.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub cache_read_tokens: u64,
    /// Tokens written to the cache.
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Number))]
    pub cache_write_tokens: u64,
    /// What the ledger counted for this call, USD; `None` when the ledger did not bill it here
    /// (no usage, aborted or failed, or counted in another session it was copied from).
    pub cost_usd: Option<f64>,
    /// `stop`, `toolUse`, `error`, `aborted`…
    pub stop_reason: Option<String>,
    /// Aborted by an operator or a budget.
    pub aborted: bool,
}

/// A tool call or result, and its other half.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ToolDetail {
    /// `toolCallId`.
    pub call_id: String,
    /// Tool name.
    pub name: String,
    /// The timeline id of the other half (the result of a call, the call of a result).
    pub paired_id: Option<String>,
    /// The tool reported an error (on both halves once paired).
    pub is_error: bool,
    /// From the call to its result, ms (on both halves once paired).
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub duration_ms: Option<i64>,
    /// The sub-agent session this call spawned (`sessions_spawn`'s `childSessionKey`).
    pub child_session_key: Option<String>,
}

/// One entry of a session's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    /// Stable id within the session: the transcript entry id, with `:thinking:<n>` or
    /// `:tool:<toolCallId>` for the parts of an assistant message; `<generation>#<position>`
    /// when the entry has none (as the ledger names it).
    pub id: String,
    /// What it is.
    pub kind: EntryKind,
    /// When, Unix ms.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub ts: Option<i64>,
    /// The transcript generation (session id) it is from.
    pub generation: String,
    /// What to show: markdown text (user, assistant), thinking, a tool call's arguments or a
    /// result as JSON or text, an error message, the model or level changed to, a custom
    /// entry's JSON. Cut at [`PREVIEW_CHARS`] characters in a timeline (see `full_chars`).
    pub text: String,
    /// The whole text's length in characters when `text` was cut, else `None`.
    #[cfg_attr(feature = "specta", specta(type = Option<specta_typescript::Number>))]
    pub full_chars: Option<u64>,
    /// The model call of an assistant message or error.
    pub call: Option<CallDetail>,
    /// A tool call or result.
    pub tool: Option<ToolDetail>,
    /// A custom entry's `customType` (or the unknown entry type).
    pub custom_type: Option<String>,
    /// The run it belongs to.
    pub run_id: Option<String>,
}

/// Characters of text a timeline carries per entry; the rest is one `session_entry` away. Measured
/// on a realistic 25,000-entry session: 26 MB of text at 4,000 characters, 20 MB at 2,000 (7,920
/// entries cut at 1,000 — too many "show all"s).
pub const PREVIEW_CHARS: usize = 2_000;

/// A transcript line: its entries (none for a session header), or the session header's id.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// The first line of a transcript generation.
    Header {
        /// Its session id.
        session_id: String,
        /// When it started, Unix ms.
        ts: Option<i64>,
    },
    /// Entries to show (an assistant message gives several).
    Entries(Vec<TimelineEntry>),
}

/// Parses one line for display (never panics; a bad line yields why it is skipped). Entries
/// get their ids and generation here; text is kept whole ([`cut`] shortens it for a timeline).
pub fn parse_display_line(line: &[u8]) -> Result<Line, SkipReason> {
    if line.len() > MAX_LINE_BYTES {
        return Err(SkipReason::LineTooLong);
    }
    let value: Value = serde_json::from_slice(line).map_err(|e| {
        if std::str::from_utf8(line).is_err() {
            SkipReason::InvalidUtf8
        } else if e.is_data() {
            SkipReason::NotAnEntry
        } else {
            SkipReason::MalformedJson
        }
    })?;
    let Some(entry_type) = value.get("type").and_then(Value::as_str) else {
        return Err(SkipReason::NotAnEntry);
    };
    let id = str_at(&value, "/id").unwrap_or_default();
    let ts = value.get("timestamp").and_then(timestamp_ms);
    let base = |kind: EntryKind, text: String| TimelineEntry {
        id: id.clone(),
        kind,
        ts,
        generation: String::new(),
        text,
        full_chars: None,
        call: None,
        tool: None,
        custom_type: None,
        run_id: None,
    };
    let custom = |custom_type: Option<String>| TimelineEntry {
        custom_type,
        ..base(EntryKind::Custom, pretty(&value))
    };
    let entries = match entry_type {
        "session" => {
            return Ok(Line::Header {
                session_id: id.clone(),
                ts,
            })
        }
        "model_change" => vec![base(
            EntryKind::ModelChange,
            join_model(&str_at(&value, "/provider"), &str_at(&value, "/modelId")),
        )],
        "thinking_level_change" => vec![base(
            EntryKind::ThinkingLevelChange,
            str_at(&value, "/thinkingLevel").unwrap_or_default(),
        )],
        "compaction" => vec![base(EntryKind::Compaction, compaction_text(&value))],
        "reset" => vec![base(EntryKind::Reset, String::new())],
        "message" => match value.pointer("/message/role").and_then(Value::as_str) {
            Some("user") => vec![base(
                EntryKind::User,
                content_text(value.pointer("/message/content")),
            )],
            Some("assistant") => {
                assistant_entries(&value, base(EntryKind::Assistant, String::new()))
            }
            Some("toolResult") => vec![tool_result(
                &value,
                base(EntryKind::ToolResult, String::new()),
            )],
            Some("custom") => vec![custom(str_at(&value, "/message/customType"))],
            _ => vec![custom(Some("message".into()))],
        },
        "custom" | "custom_message" => vec![custom(str_at(&value, "/customType"))],
        other => vec![custom(Some(other.to_string()))],
    };
    Ok(Line::Entries(entries))
}

/// An assistant message: one `assistant` (or `error`) entry with the call, then its thinking
/// blocks and tool calls in the order written.
fn assistant_entries(value: &Value, mut head: TimelineEntry) -> Vec<TimelineEntry> {
    let message = value.get("message").unwrap_or(&Value::Null);
    let stop_reason = str_at(message, "/stopReason");
    let usage = message.get("usage");
    let tokens = |key: &str| {
        usage
            .and_then(|u| u.get(key))
            .and_then(Value::as_u64)
            .unwrap_or(0)
    };
    head.call = Some(CallDetail {
        model: join_model(&str_at(message, "/provider"), &str_at(message, "/model")),
        input_tokens: tokens("input"),
        output_tokens: tokens("output"),
        cache_read_tokens: tokens("cacheRead"),
        cache_write_tokens: tokens("cacheWrite"),
        cost_usd: None,
        aborted: message.get("openclawAbort").is_some()
            || stop_reason.as_deref() == Some("aborted"),
        stop_reason: stop_reason.clone(),
    });
    head.run_id = str_at(message, "/__openclaw/runId");
    if let Some(ts) = message.get("timestamp").and_then(timestamp_ms) {
        head.ts = Some(ts);
    }
    let blocks: &[Value] = match message.get("content") {
        Some(Value::Array(blocks)) => blocks,
        _ => &[],
    };
    let mut parts = Vec::new();
    let mut texts = Vec::new();
    for block in blocks {
        match block.get("type").and_then(Value::as_str) {
            Some("text") => texts.push(str_at(block, "/text").unwrap_or_default()),
            Some("thinking") => parts.push(TimelineEntry {
                id: format!("{}:thinking:{}", head.id, parts.len()),
                kind: EntryKind::Thinking,
                text: str_at(block, "/thinking").unwrap_or_default(),
                call: None,
                ..head.clone()
            }),
            Some("toolCall") => {
                let call_id = str_at(block, "/id").unwrap_or_default();
                let (name, arguments) = called_tool(block);
                parts.push(TimelineEntry {
                    id: format!("{}:tool:{call_id}", head.id),
                    kind: EntryKind::ToolCall,
                    text: arguments.map(pretty).unwrap_or_default(),
                    call: None,
                    tool: Some(ToolDetail {
                        call_id,
                        name,
                        ..ToolDetail::default()
                    }),
                    ..head.clone()
                })
            }
            _ => {}
        }
    }
    head.text = texts.join("\n\n");
    if stop_reason.as_deref() == Some("error") {
        head.kind = EntryKind::Error;
        let error = str_at(message, "/errorMessage").unwrap_or_else(|| "model call failed".into());
        head.text = if head.text.is_empty() {
            error
        } else {
            format!("{error}\n\n{}", head.text)
        };
    }
    let mut entries = vec![head];
    entries.extend(parts);
    entries
}

/// The tool a `toolCall` block calls and its arguments. OpenClaw ≥ 2026.9 may call tools
/// through its `tool_call` meta-tool (`{"id": <tool>, "args": {…}}`): the tool meant is shown.
fn called_tool(block: &Value) -> (String, Option<&Value>) {
    let name = str_at(block, "/name").unwrap_or_default();
    let arguments = block.get("arguments");
    if name == "tool_call" {
        if let (Some(inner), Some(args)) = (
            arguments.and_then(|a| a.get("id")).and_then(Value::as_str),
            arguments.and_then(|a| a.get("args")),
        ) {
            return (inner.to_string(), Some(args));
        }
    }
    (name, arguments)
}

/// A tool result: its text, whether it failed, and the sub-agent a spawn started. A result of
/// OpenClaw's `tool_call` meta-tool (`{"tool": {"name"}, "result": {"content"}}`) is shown as the
/// inner tool's.
fn tool_result(value: &Value, mut entry: TimelineEntry) -> TimelineEntry {
    let message = value.get("message").unwrap_or(&Value::Null);
    entry.text = content_text(message.get("content"));
    if let Some(ts) = message.get("timestamp").and_then(timestamp_ms) {
        entry.ts = entry.ts.or(Some(ts));
    }
    let mut name = str_at(message, "/toolName").unwrap_or_default();
    let parsed = serde_json::from_str::<Value>(&entry.text).ok();
    if name == "tool_call" {
        if let Some(wrapped) = &parsed {
            if let (Some(inner), Some(content)) = (
                str_at(wrapped, "/tool/name"),
                wrapped.pointer("/result/content"),
            ) {
                name = inner;
                entry.text = content_text(Some(content));
            }
        }
    }
    let child_session_key = message
        .get("details")
        .and_then(|d| child_key(d, 4))
        .or_else(|| parsed.as_ref().and_then(|p| child_key(p, 4)));
    entry.tool = Some(ToolDetail {
        call_id: str_at(message, "/toolCallId").unwrap_or_default(),
        name,
        is_error: message
            .get("isError")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        child_session_key,
        ..ToolDetail::default()
    });
    entry
}

/// The `childSessionKey` a spawn's result names, however deep its wrapping (up to `depth`).
fn child_key(value: &Value, depth: u32) -> Option<String> {
    let found = value.get("childSessionKey").and_then(Value::as_str);
    if let Some(key) = found {
        return Some(key.to_string());
    }
    if depth == 0 {
        return None;
    }
    match value {
        Value::Object(map) => map.values().find_map(|v| child_key(v, depth - 1)),
        Value::Array(items) => items.iter().find_map(|v| child_key(v, depth - 1)),
        Value::String(text) if text.contains("childSessionKey") => {
            serde_json::from_str::<Value>(text)
                .ok()
                .and_then(|v| child_key(&v, depth - 1))
        }
        _ => None,
    }
}

fn compaction_text(value: &Value) -> String {
    let summary = str_at(value, "/summary").unwrap_or_default();
    match value.get("tokensBefore").and_then(Value::as_u64) {
        Some(tokens) if summary.is_empty() => format!("{tokens} tokens before"),
        Some(tokens) => format!("{tokens} tokens before\n\n{summary}"),
        None => summary,
    }
}

/// The text of message content: a string, or its text blocks joined (images named, not shown).
fn content_text(content: Option<&Value>) -> String {
    match content {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(blocks)) => blocks
            .iter()
            .filter_map(|b| match b.get("type").and_then(Value::as_str) {
                Some("text") => str_at(b, "/text"),
                Some("image") => Some(format!(
                    "[image{}]",
                    str_at(b, "/mimeType")
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default()
                )),
                Some(other) => Some(format!("[{other}]")),
                None => None,
            })
            .collect::<Vec<_>>()
            .join("\n\n"),
        Some(Value::Null) | None => String::new(),
        Some(other) => pretty(other),
    }
}

fn join_model(provider: &Option<String>, model: &Option<String>) -> String {
    match (provider.as_deref(), model.as_deref()) {
        (Some(p), Some(m)) if !p.is_empty() => format!("{p}/{m}"),
        (_, Some(m)) => m.to_string(),
        (Some(p), None) => p.to_string(),
        (None, None) => String::new(),
    }
}

fn str_at(value: &Value, pointer: &str) -> Option<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(String::from)
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// Shortens `entry.text` to [`PREVIEW_CHARS`] characters, noting the full length.
pub fn cut(entry: &mut TimelineEntry) {
    if let Some((at, _)) = entry.text.char_indices().nth(PREVIEW_CHARS) {
        entry.full_chars = Some(entry.text.chars().count() as u64);
        entry.text.truncate(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(line: &str) -> Vec<TimelineEntry> {
        match parse_display_line(line.as_bytes()).unwrap() {
            Line::Entries(e) => e,
            Line::Header { .. } => panic!("a header"),
        }
    }

    #[test]
    fn an_assistant_message_splits_into_text_thinking_and_tool_calls() {
        let line = r#"{"type":"message","id":"m1","timestamp":"2026-11-21T03:08:21.465Z","message":{"role":"assistant","content":[{"type":"thinking","thinking":"hmm"},{"type":"text","text":"Hello"},{"type":"toolCall","id":"call_1","name":"ls","arguments":{"path":"."}}],"provider":"stub","model":"m","usage":{"input":10,"output":2,"cacheRead":5,"cacheWrite":0},"stopReason":"toolUse","timestamp":1795230501466,"__openclaw":{"runId":"r1"}}}"#;
        let e = entries(line);
        let kinds: Vec<_> = e.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                EntryKind::Assistant,
                EntryKind::Thinking,
                EntryKind::ToolCall
            ]
        );
        assert_eq!(e[0].text, "Hello");
        assert_eq!(e[0].ts, Some(1795230501466));
        let call = e[0].call.as_ref().unwrap();
        assert_eq!(
            (
                call.model.as_str(),
                call.input_tokens,
                call.cache_read_tokens
            ),
            ("stub/m", 10, 5)
        );
        assert_eq!(e[1].id, "m1:thinking:0");
        assert_eq!(e[1].text, "hmm");
        assert_eq!(e[2].id, "m1:tool:call_1");
        assert_eq!(e[2].tool.as_ref().unwrap().name, "ls");
        assert!(e[2].text.contains("\"path\": \".\""));
        assert_eq!(e[2].run_id.as_deref(), Some("r1"));
    }

    #[test]
    fn a_call_through_the_tool_call_meta_tool_shows_the_tool_meant() {
        let line = r#"{"type":"message","id":"m","message":{"role":"assistant","content":[{"type":"toolCall","id":"c","name":"tool_call","arguments":{"id":"sessions_spawn","args":{"task":"t"}}}]}}"#;
        let call = entries(line).remove(1);
        assert_eq!(call.tool.unwrap().name, "sessions_spawn");
        assert_eq!(call.text, "{\n  \"task\": \"t\"\n}");
    }

    #[test]
    fn failed_calls_are_errors_and_results_name_their_sub_agent() {
        let failed = r#"{"type":"message","id":"e","message":{"role":"assistant","content":[],"provider":"p","model":"m","stopReason":"error","errorMessage":"429 rate limited","usage":{"input":0,"output":0}}}"#;
        let e = entries(failed);
        assert_eq!(
            (e[0].kind, e[0].text.as_str()),
            (EntryKind::Error, "429 rate limited")
        );
        let spawn = r#"{"type":"message","id":"r","message":{"role":"toolResult","toolCallId":"c","toolName":"sessions_spawn","content":[{"type":"text","text":"{\"status\":\"accepted\",\"childSessionKey\":\"agent:main:subagent:42\"}"}]}}"#;
        let tool = entries(spawn).remove(0).tool.unwrap();
        assert_eq!(
            tool.child_session_key.as_deref(),
            Some("agent:main:subagent:42")
        );
    }

    #[test]
    fn headers_turning_points_and_unknown_entries() {
        assert!(matches!(
            parse_display_line(br#"{"type":"session","id":"s1","timestamp":"2026-11-21T03:08:21Z"}"#).unwrap(),
            Line::Header { session_id, .. } if session_id == "s1"
        ));
        assert_eq!(
            entries(r#"{"type":"model_change","id":"a","provider":"p","modelId":"m"}"#)[0].text,
            "p/m"
        );
        assert_eq!(
            entries(r#"{"type":"thinking_level_change","id":"b","thinkingLevel":"high"}"#)[0].kind,
            EntryKind::ThinkingLevelChange
        );
        let unknown = entries(r#"{"type":"brand_new","id":"x"}"#).remove(0);
        assert_eq!(
            (unknown.kind, unknown.custom_type.as_deref()),
            (EntryKind::Custom, Some("brand_new"))
        );
        let user = entries(
            r#"{"type":"message","id":"u","message":{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image","mimeType":"image/png"}]}}"#,
        );
        assert_eq!(user[0].text, "hi\n\n[image: image/png]");
        assert_eq!(
            parse_display_line(b"{not json"),
            Err(SkipReason::MalformedJson)
        );
        assert_eq!(
            parse_display_line(br#"{"x":1}"#),
            Err(SkipReason::NotAnEntry)
        );
    }

    #[test]
    fn cut_keeps_whole_characters() {
        let mut e =
            entries(r#"{"type":"message","id":"u","message":{"role":"user","content":"x"}}"#)
                .remove(0);
        e.text = "日".repeat(PREVIEW_CHARS + 10);
        cut(&mut e);
        assert_eq!(e.text.chars().count(), PREVIEW_CHARS);
        assert_eq!(e.full_chars, Some(PREVIEW_CHARS as u64 + 10));
    }
}
