//! After a reconnect, what the feed missed while disconnected: every session updated since the
//! connection was lost is read back with `chat.history` (page by page, as far back as the gap),
//! and its model calls go through the same path as live ones (keyed by message id, so nothing
//! counts twice).

use std::time::Duration;

use serde_json::{json, Value};

use super::client::GatewayClient;
use super::error::GatewayError;

/// Sessions updated this long before the last event seen are re-read too (clock skew, events
/// in flight when the connection dropped).
const MARGIN_MS: i64 = 60_000;
/// Sessions and messages asked for per page.
const PAGE: u64 = 500;
/// Pages read at most per list (500 × 200: 100,000 sessions, or messages of one session).
const MAX_PAGES: usize = 200;
const TIMEOUT: Duration = Duration::from_secs(20);

/// The `session.message`-shaped payloads of every model call in sessions updated since
/// `since_ms`, oldest session first. Both lists are read page by page where the gateway pages
/// them (`hasMore` / `nextOffset`, OpenClaw ≥ 2026.9): every session, and each session's history
/// back to before `since_ms`, not only the newest 500.
pub async fn missed_calls(
    client: &GatewayClient,
    since_ms: i64,
) -> Result<Vec<Value>, GatewayError> {
    let from_ms = since_ms - MARGIN_MS;
    let mut rows = Vec::new();
    let mut offset = None;
    for _ in 0..MAX_PAGES {
        let mut params = json!({"limit": PAGE});
        if let Some(offset) = offset {
            params["offset"] = json!(offset);
        }
        let page = client.request("sessions.list", params, TIMEOUT).await?;
        rows.extend(
            page.get("sessions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        );
        match next_offset(&page, offset) {
            Some(next) => offset = Some(next),
            None => break,
        }
    }
    let mut payloads = Vec::new();
    for row in rows {
        let updated = row
            .get("updatedAt")
            .and_then(Value::as_i64)
            .unwrap_or(i64::MAX);
        let Some(key) = row.get("key").and_then(Value::as_str) else {
            continue;
        };
        if updated < from_ms {
            continue;
        }
        match history_since(client, key, from_ms).await {
            Ok(pages) => {
                for history in pages {
                    payloads.extend(calls_in(&row, &history));
                }
            }
            // A lost connection ends the backfill; one unreadable session (deleted meanwhile, too
            // slow) must not keep the feed from going live again and again.
            Err(e @ GatewayError::Closed { .. }) => return Err(e),
            Err(e) => tracing::warn!(
                %e,
                session = key,
                "session not backfilled: a local gateway's transcripts are still read from its \
                 files; for a remote gateway, the calls it made in this gap are missing"
            ),
        }
    }
    Ok(payloads)
}

/// A session's `chat.history` answers, newest page first, until a page reaches back before
/// `from_ms` or there is no older one.
async fn history_since(
    client: &GatewayClient,
    key: &str,
    from_ms: i64,
) -> Result<Vec<Value>, GatewayError> {
    let mut pages = Vec::new();
    let mut offset = None;
    for _ in 0..MAX_PAGES {
        let mut params = json!({"sessionKey": key, "limit": PAGE});
        if let Some(offset) = offset {
            params["offset"] = json!(offset);
        }
        let page = client.request("chat.history", params, TIMEOUT).await?;
        let oldest = page
            .get("messages")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|m| m.get("timestamp").and_then(Value::as_i64))
            .min();
        let next = next_offset(&page, offset);
        pages.push(page);
        match next {
            Some(next) if oldest.is_none_or(|t| t >= from_ms) => offset = Some(next),
            _ => break,
        }
    }
    Ok(pages)
}

/// The offset of the next page when the gateway says there is one and it moves forward.
fn next_offset(page: &Value, offset: Option<u64>) -> Option<u64> {
    if page.get("hasMore").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    let next = page.get("nextOffset").and_then(Value::as_u64)?;
    (next > offset.unwrap_or(0)).then_some(next)
}

/// The model calls of one `chat.history` answer (for the session `row`), shaped like
/// `session.message` payloads. Any JSON is accepted.
pub fn calls_in(row: &Value, history: &Value) -> Vec<Value> {
    let key = row.get("key").cloned().unwrap_or(Value::Null);
    let agent = row.get("agentId").cloned().unwrap_or(Value::Null);
    let session_id = history
        .get("sessionId")
        .or_else(|| row.get("sessionId"))
        .cloned()
        .unwrap_or(Value::Null);
    history
        .get("messages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|m| m.get("role").and_then(Value::as_str) == Some("assistant") && m.get("usage").is_some())
        .filter_map(|m| {
            let id = m.pointer("/__openclaw/id")?.as_str()?;
            let seq = m.pointer("/__openclaw/seq").cloned().unwrap_or(Value::Null);
            Some(json!({"messageId": id, "messageSeq": seq, "sessionKey": key, "agentId": agent, "sessionId": session_id, "message": m}))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_messages_become_session_message_payloads() {
        let row =
            json!({"key": "agent:main:main", "agentId": "main", "sessionId": "s1", "updatedAt": 5});
        let history = json!({"sessionId": "s1", "messages": [
            {"role": "user", "content": "hi", "__openclaw": {"id": "u1", "seq": 1}},
            {"role": "assistant", "usage": {"input": 1, "cost": {"total": 0.5}}, "__openclaw": {"id": "a1", "seq": 2}},
            {"role": "assistant", "content": "no usage", "__openclaw": {"id": "a2", "seq": 3}},
            {"role": "assistant", "usage": {"input": 1}}
        ]});
        let calls = calls_in(&row, &history);
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0]["messageId"], "a1");
        assert_eq!(calls[0]["sessionKey"], "agent:main:main");
        assert_eq!(calls[0]["sessionId"], "s1");
        assert_eq!(calls[0]["message"]["usage"]["cost"]["total"], 0.5);
    }
}
