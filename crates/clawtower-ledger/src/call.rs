//! What an assistant message is to the ledger: a billed model call (it used tokens or cost
//! money), an aborted or failed call (OpenClaw books those with all-zero usage: counted apart,
//! never as calls and never under a made-up model), or nothing.

use super::entry::{AssistantMessage, Entry, EntryKind, Usage};
use super::pricing::PriceBook;
use super::source::SessionContext;
use clawtower_store::model_calls::{ModelCall, Unbilled, UnbilledCall};

/// The provider and model OpenClaw writes on a message it injected itself (an aborted run).
const INJECTED: (&str, &str) = ("openclaw", "gateway-injected");

/// An assistant message, as the ledger records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallRecord {
    /// A model call that used tokens or cost money.
    Billed(ModelCall),
    /// An aborted or failed call: no tokens, no cost.
    Unbilled(UnbilledCall),
}

impl CallRecord {
    /// The billed call, if it is one.
    pub fn billed(self) -> Option<ModelCall> {
        match self {
            CallRecord::Billed(call) => Some(call),
            CallRecord::Unbilled(_) => None,
        }
    }

    /// The identity every source names the message by.
    pub fn call_id(&self) -> &str {
        match self {
            CallRecord::Billed(call) => &call.call_id,
            CallRecord::Unbilled(call) => &call.call_id,
        }
    }
}

/// The identity a call is stored under: its entry id and its time. OpenClaw's entry ids are
/// eight hex digits, so two calls in different sessions share one now and then (on a home with
/// 100,000 calls, about once); a copy of a call in a forked session keeps both the id and the
/// time, so it is still the same call, counted once.
pub fn call_key(event_id: &str, ts_ms: i64) -> String {
    format!("{event_id}@{ts_ms}")
}

/// What `entry` (stored under `event_id`) records, priced; `None` unless it is an assistant
/// message that is a billed, aborted or failed model call.
pub fn record_of(
    context: &SessionContext,
    event_id: &str,
    entry: &Entry,
    book: &PriceBook,
) -> Option<CallRecord> {
    let EntryKind::Assistant(msg) = &entry.kind else {
        return None;
    };
    let ts_ms = entry.ts_ms().unwrap_or(0);
    let call_id = call_key(event_id, ts_ms);
    match &msg.usage {
        Some(usage) if usage.is_billed() => Some(CallRecord::Billed(ModelCall {
            response_id: msg.response_id.clone(),
            announces: msg.run_id.as_deref().and_then(announced_session),
            ..billed_call(
                context,
                call_id,
                ts_ms,
                (&msg.provider, &msg.model),
                usage,
                book,
            )
        })),
        _ => {
            let outcome = unbilled_outcome(msg)?;
            let injected = (msg.provider.as_str(), msg.model.as_str()) == INJECTED;
            let name = |s: &str| {
                if injected {
                    String::new()
                } else {
                    s.to_string()
                }
            };
            Some(CallRecord::Unbilled(unbilled_call(
                context,
                call_id,
                ts_ms,
                (&name(&msg.provider), &name(&msg.model)),
                outcome,
                msg.error_message.clone(),
            )))
        }
    }
}

/// The sub-agent an announce run reports, from the run's id
/// (`announce:v1:<sub-agent session key>:<its run id>`); `None` for any other run.
pub fn announced_session(run_id: &str) -> Option<String> {
    let rest = run_id.strip_prefix("announce:v1:")?;
    let (key, _run) = rest.rsplit_once(':')?;
    key.starts_with("agent:").then(|| key.to_string())
}

/// A call that used tokens or cost money, priced by `book` (what was recorded wins over it).
pub fn billed_call(
    context: &SessionContext,
    call_id: String,
    ts_ms: i64,
    (provider, model): (&str, &str),
    usage: &Usage,
    book: &PriceBook,
) -> ModelCall {
    let priced = book.cost(provider, model, usage);
    ModelCall {
        call_id,
        agent_id: context.agent_id.clone(),
        session_key: context.session_key.clone(),
        session_id: context.session_id.clone(),
        ts_ms,
        provider: provider.to_string(),
        model: model.to_string(),
        input_tokens: usage.input,
        output_tokens: usage.output,
        cache_read_tokens: usage.cache_read,
        cache_write_tokens: usage.cache_write,
        reasoning_tokens: usage.reasoning_tokens,
        cost: priced.cost,
        reported_cost: priced.reported,
        book_cost: priced.book,
        cost_origin: priced.origin,
        unpriced_tokens: priced.unpriced_tokens,
        response_id: None,
        announces: None,
    }
}

/// An aborted or failed call: no tokens, no cost.
pub fn unbilled_call(
    context: &SessionContext,
    call_id: String,
    ts_ms: i64,
    (provider, model): (&str, &str),
    outcome: Unbilled,
    error: Option<String>,
) -> UnbilledCall {
    UnbilledCall {
        call_id,
        agent_id: context.agent_id.clone(),
        session_key: context.session_key.clone(),
        session_id: context.session_id.clone(),
        ts_ms,
        provider: provider.to_string(),
        model: model.to_string(),
        outcome,
        error,
    }
}

/// Why a message without billed usage was still a call: an abort or a provider failure.
/// Other zero-usage assistant messages (OpenClaw's own notices) are not calls at all.
fn unbilled_outcome(msg: &AssistantMessage) -> Option<Unbilled> {
    let stop = msg.stop_reason.as_deref();
    if msg.aborted || stop == Some("aborted") {
        Some(Unbilled::Aborted)
    } else if stop == Some("error") {
        Some(Unbilled::Failed)
    } else {
        None
    }
}

/// The billed model call `entry` records, priced (`None` for anything else).
pub fn model_call(
    context: &SessionContext,
    event_id: &str,
    entry: &Entry,
    book: &PriceBook,
) -> Option<ModelCall> {
    record_of(context, event_id, entry, book)?.billed()
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_announce_run_names_the_sub_agent_it_reports() {
        assert_eq!(
            super::announced_session("announce:v1:agent:main:subagent:42329070-f02f:a2098e8a-0ec3")
                .as_deref(),
            Some("agent:main:subagent:42329070-f02f")
        );
        for other in [
            "a2098e8a-0ec3",
            "announce:v1:",
            "announce:v1:nokey",
            "announce:v2:agent:a:b:c",
        ] {
            assert_eq!(super::announced_session(other), None, "{other}");
        }
    }

    use super::*;
    use crate::entry::parse_line;
    use clawtower_core::money::NanoUsd;
    use clawtower_store::model_calls::CostOrigin;

    fn context() -> SessionContext {
        SessionContext {
            agent_id: "main".into(),
            session_key: "agent:main:main".into(),
            session_id: "s1".into(),
        }
    }

    fn record(line: &str) -> Option<CallRecord> {
        let entry = parse_line(line.as_bytes()).unwrap();
        record_of(&context(), "m", &entry, &PriceBook::bundled())
    }

    #[test]
    fn zero_usage_aborts_and_failures_are_not_billed_calls() {
        let aborted = r#"{"type":"message","id":"a","timestamp":1000,"message":{"role":"assistant","content":[],"provider":"openclaw","model":"gateway-injected","usage":{"input":0,"output":0,"cacheRead":0,"cacheWrite":0,"totalTokens":0,"cost":{"total":0}},"stopReason":"stop","openclawAbort":{"aborted":true,"origin":"rpc"}}}"#;
        let Some(CallRecord::Unbilled(call)) = record(aborted) else {
            panic!("an abort is an unbilled call")
        };
        assert_eq!(call.outcome, Unbilled::Aborted);
        assert_eq!(
            (call.provider.as_str(), call.model.as_str()),
            ("", ""),
            "never a fake model"
        );
        let failed = r#"{"type":"message","id":"f","message":{"role":"assistant","content":[],"provider":"stub","model":"m","usage":{"input":0,"output":0},"stopReason":"error","errorMessage":"500 upstream"}}"#;
        let Some(CallRecord::Unbilled(call)) = record(failed) else {
            panic!("a failure is an unbilled call")
        };
        assert_eq!(call.outcome, Unbilled::Failed);
        assert_eq!(call.model, "m");
        assert_eq!(call.error.as_deref(), Some("500 upstream"));
        let without_usage = r#"{"type":"message","id":"f","message":{"role":"assistant","provider":"stub","model":"m","stopReason":"error"}}"#;
        assert!(matches!(
            record(without_usage),
            Some(CallRecord::Unbilled(_))
        ));
        let notice = r#"{"type":"message","id":"n","message":{"role":"assistant","provider":"openclaw","model":"delivery-mirror","usage":{"input":0,"output":0},"stopReason":"stop"}}"#;
        assert_eq!(record(notice), None, "a zero-usage notice is no call");
    }

    #[test]
    fn a_call_that_used_tokens_is_billed_even_when_it_failed_or_was_aborted() {
        let partial = r#"{"type":"message","id":"p","message":{"role":"assistant","provider":"stub","model":"m","usage":{"input":100,"output":3,"cost":{"total":0.001}},"stopReason":"aborted"}}"#;
        let Some(CallRecord::Billed(call)) = record(partial) else {
            panic!("tokens were used")
        };
        assert_eq!((call.input_tokens, call.output_tokens), (100, 3));
        assert_eq!(call.call_id, "m@0", "the entry id and the time");
        assert_eq!(call.cost, NanoUsd::from_usd(0.001));
        assert_eq!(call.cost_origin, CostOrigin::OpenClaw);
    }
}
