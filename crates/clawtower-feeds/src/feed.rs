//! Keeps a gateway connection alive and writes every model call it announces into the ledger:
//! `sessions.subscribe`, then each `session.message` with usage becomes a ledger call keyed by
//! its `messageId` (the transcript entry id), so a call the file watcher also sees counts once.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::sync::{broadcast, watch};

use crate::last_seen::LastSeen;
use crate::live::Activity;
use crate::roster::GatewayEntry;
use crate::spool::{Spool, Spooled};
use clawtower_core::session_key::agent_of_key;
use clawtower_gateway::DeviceIdentity;
use clawtower_gateway::{GatewayClient, Target};
use clawtower_gateway::{GatewayError, GatewayErrorCode};
use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::record::{apply_batch, event_id, model_call};
use clawtower_ledger::transcript::{parse_line, Batch, Cursor, ParsedLine, SessionContext};
use clawtower_store::model_calls::ModelCall;
use clawtower_store::Store;

/// Connection state, for the UI, the tray and `clawtower gateway status`.
#[derive(Debug, Clone, PartialEq)]
pub enum FeedState {
    /// Connecting (or waiting to retry after `last_error`).
    Connecting {
        /// Why the previous attempt failed.
        last_error: Option<GatewayError>,
    },
    /// Connected and subscribed.
    Live {
        /// Gateway version.
        server_version: String,
        /// Scopes Clawtower asked for and did not get (empty: full control).
        missing_scopes: Vec<String>,
    },
}

impl FeedState {
    /// Whether Clawtower may control the gateway now (live, with the admin scope pausing needs).
    pub fn can_control(&self) -> bool {
        matches!(self, FeedState::Live { missing_scopes, .. } if !missing_scopes.iter().any(|s| s == ADMIN_SCOPE))
    }
}

/// The scope pausing needs (config.patch, set-heartbeats, channels.stop, cron.update).
const ADMIN_SCOPE: &str = "operator.admin";

/// Where a gateway connection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ConnectionState {
    /// Connecting (first attempt, or again after a clean close).
    Connecting,
    /// Connected and subscribed.
    Live,
    /// The last attempt failed (`errorCode` and `errorMessage` say why); retrying.
    Error,
}

/// A gateway and its connection state, as the UI, the tray and the CLI see it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct GatewayStatus {
    /// Which gateway.
    pub gateway: GatewayEntry,
    /// Where the connection stands.
    pub state: ConnectionState,
    /// Gateway version, when live.
    pub server_version: Option<String>,
    /// Stable error code (`UNREACHABLE`, `TOKEN_MISMATCH`, `PAIRING_REQUIRED`…), when failing.
    pub error_code: Option<GatewayErrorCode>,
    /// What to tell the user, when failing.
    pub error_message: Option<String>,
    /// Scopes the gateway did not grant: without `operator.admin` Clawtower only watches.
    pub missing_scopes: Vec<String>,
    /// Whether Clawtower may pause this gateway now.
    pub can_control: bool,
}

impl GatewayStatus {
    /// The status of `gateway` in feed state `state`.
    pub fn of(gateway: &GatewayEntry, state: &FeedState) -> Self {
        let mut status = GatewayStatus {
            gateway: gateway.clone(),
            state: ConnectionState::Connecting,
            server_version: None,
            error_code: None,
            error_message: None,
            missing_scopes: Vec::new(),
            can_control: false,
        };
        match state {
            FeedState::Live {
                server_version,
                missing_scopes,
            } => {
                status.state = ConnectionState::Live;
                status.server_version = Some(server_version.clone());
                status.missing_scopes = missing_scopes.clone();
                status.can_control = state.can_control();
                if !status.can_control {
                    status.error_message = Some(format!(
                        "connected read-only: the gateway did not grant {ADMIN_SCOPE}, so Clawtower can watch but not pause it; approve this device with the admin scope on the gateway host (`openclaw devices list`)"
                    ));
                }
            }
            FeedState::Connecting { last_error: None } => {}
            FeedState::Connecting {
                last_error: Some(error),
            } => {
                status.state = ConnectionState::Error;
                status.error_code = Some(error.code());
                status.error_message = Some(error.to_string());
            }
        }
        status
    }
}

/// Retry delays: from 500 ms doubling to 10 s, with ±20 % jitter. A restarted gateway is back
/// within seconds (9 s measured for 2026.9.6); a 30 s cap left the app dark for up to 15 s after
/// it was ready, and one loopback connection attempt every 10 s costs nothing.
const FIRST_RETRY: Duration = Duration::from_millis(500);
const LAST_RETRY: Duration = Duration::from_secs(10);
const CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// Where the feed's findings go.
pub struct FeedOutput<F> {
    /// The ledger the calls go into.
    pub store: Arc<Store>,
    /// Prices for the calls.
    pub book: PriceBook,
    /// Told about each new call, after it is stored (wakes the budget loop).
    pub on_call: F,
    /// The live activity stream (runs, tools, cron runs, sub-agents), for whoever listens.
    pub activity: Option<broadcast::Sender<Activity>>,
}

/// Runs until `stop` turns true: connect, subscribe, store calls, keep session rows current,
/// publish activity, reconnect on any failure.
pub async fn run_feed<F: Fn(&ModelCall) + Send + Sync>(
    target: Target,
    identity: DeviceIdentity,
    output: FeedOutput<F>,
    state: watch::Sender<FeedState>,
    mut stop: watch::Receiver<bool>,
) {
    let mut delay = FIRST_RETRY;
    let mut seed = std::process::id() as u64;
    // Stored: the time the app was closed is backfilled like a lost connection.
    let mut last_seen = LastSeen::load(&output.store, &target.url);
    loop {
        let outcome = tokio::select! {
            outcome = follow_once(&target, &identity, &output, &state, &mut delay, &mut last_seen) => outcome,
            _ = stop.wait_for(|s| *s) => {
                last_seen.save(&output.store);
                return;
            }
        };
        let _ = state.send(FeedState::Connecting {
            last_error: Some(outcome),
        });
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let jitter = 0.8 + (seed >> 33) as f64 / (1u64 << 31) as f64 * 0.4;
        let wait = delay.mul_f64(jitter);
        delay = (delay * 2).min(LAST_RETRY);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.wait_for(|s| *s) => {
                last_seen.save(&output.store);
                return;
            }
        }
    }
}

/// One connection's life; returns why it ended. `last_seen` is when the gateway was last heard
/// from (by a previous connection, or before the app was closed): what happened since is
/// backfilled, and so is what events dropped on the way (the feed fell behind) said.
async fn follow_once<F: Fn(&ModelCall) + Send + Sync>(
    target: &Target,
    identity: &DeviceIdentity,
    output: &FeedOutput<F>,
    state: &watch::Sender<FeedState>,
    delay: &mut Duration,
    last_seen: &mut LastSeen,
) -> GatewayError {
    let (store, book, on_call) = (&*output.store, &output.book, &output.on_call);
    let client = match GatewayClient::connect(target, identity, CALL_TIMEOUT).await {
        Ok(client) => client,
        Err(e) => return e,
    };
    let mut events = client.subscribe();
    if let Err(e) = client
        .request("sessions.subscribe", json!({}), CALL_TIMEOUT)
        .await
    {
        return e;
    }
    *delay = FIRST_RETRY;
    let spool = Spool::beside(store.path());
    let source = format!("gateway:{}", client.url());
    if let Some(spool) = spool.as_ref().filter(|s| s.is_pending()) {
        replay(store, book, spool, &source, on_call);
    }
    let backfill = async |since: i64, why: &str| -> Result<(), GatewayError> {
        // Subscribed first, then read back: a call in between arrives both ways and counts once.
        let missed = clawtower_gateway::missed_calls(&client, since).await?;
        tracing::info!(
            calls = missed.len(),
            "backfilled what the gateway said {why}"
        );
        for payload in &missed {
            store_message(store, book, spool.as_ref(), &source, payload, on_call);
        }
        Ok(())
    };
    if let Some(since) = last_seen.at() {
        if let Err(e) = backfill(since, "while not connected").await {
            return e;
        }
    }
    last_seen.heard(store, jiff::Timestamp::now().as_millisecond());
    let granted = &client.hello().scopes;
    let missing_scopes = clawtower_gateway::SCOPES
        .iter()
        .filter(|s| !granted.iter().any(|g| g == *s))
        .map(|s| s.to_string())
        .collect();
    let _ = state.send(FeedState::Live {
        missing_scopes,
        server_version: client.hello().server_version.clone(),
    });
    // Silence longer than two tick intervals means the connection is dead.
    let silence =
        Duration::from_millis(client.hello().tick_interval_ms.saturating_mul(2).max(1000));
    loop {
        let next = tokio::select! {
            biased;
            next = tokio::time::timeout(silence, events.recv()) => next,
            reason = client.closed() => return GatewayError::Closed { reason },
        };
        let event = match next {
            Err(_) => {
                return GatewayError::Closed {
                    reason: format!("no tick for {} s", silence.as_secs()),
                }
            }
            Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) => {
                return GatewayError::Closed {
                    reason: "connection lost".into(),
                }
            }
            Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(n))) => {
                // The feed fell behind and the oldest events were dropped: what they said is
                // read back from the gateway, since the last event that came through.
                tracing::warn!(n, "gateway events dropped; reading back what they said");
                if let Some(since) = last_seen.at() {
                    if let Err(e) = backfill(since, "in the events dropped").await {
                        return e;
                    }
                }
                continue;
            }
            Ok(Ok(event)) => event,
        };
        let now_ms = jiff::Timestamp::now().as_millisecond();
        last_seen.heard(store, now_ms);
        if let Some(activity) = &output.activity {
            if let Some(item) = crate::live::activity_of(&event, now_ms) {
                // Nobody listening is fine: the stream is for live views.
                let _ = activity.send(item);
            }
        }
        match event.event.as_str() {
            "session.message" => {
                store_message(
                    store,
                    book,
                    spool.as_ref(),
                    &source,
                    &event.payload,
                    on_call,
                );
            }
            "sessions.changed" | "task" => {
                if let Some(update) = crate::live::session_update_of(&event, now_ms) {
                    if let Err(e) =
                        store.with_conn(|c| crate::live::apply_session_update(c, &update))
                    {
                        tracing::warn!(%e, "could not store a session update");
                    }
                }
            }
            "shutdown" => {
                return GatewayError::Closed {
                    reason: "the gateway is restarting".into(),
                }
            }
            _ => {}
        }
    }
}

/// Stores the model call a `session.message` carries (if any) and tells `on_call`. When the
/// store cannot take it, the message is spooled and replayed after the next successful write.
fn store_message(
    store: &Store,
    book: &PriceBook,
    spool: Option<&Spool>,
    source: &str,
    payload: &Value,
    on_call: &(impl Fn(&ModelCall) + Send + Sync),
) {
    let Some(batch) = batch_of(source, payload) else {
        return;
    };
    match store.with_conn(|c| apply_batch(c, book, &batch)) {
        Ok(outcome) => {
            if outcome.new_calls > 0 {
                if let Some(call) = call_of(&batch, book) {
                    on_call(&call);
                }
            }
            if let Some(spool) = spool.filter(|s| s.is_pending()) {
                replay(store, book, spool, source, on_call);
            }
        }
        Err(e) => {
            let record = Spooled {
                source: source.to_string(),
                payload: payload.clone(),
            };
            match spool.map(|s| s.append(&record)) {
                Some(Ok(())) => {
                    tracing::warn!(%e, "could not store a gateway call; spooled for replay")
                }
                Some(Err(spool_error)) => {
                    tracing::error!(%e, %spool_error, "could not store or spool a gateway call")
                }
                None => tracing::error!(%e, "could not store a gateway call"),
            }
        }
    }
}

/// Replays the spool into the ledger. The spool is shared by the feeds of every gateway: all
/// its calls are stored, but only those that came from `own_source` (this feed's gateway) are
/// told to `on_call` — it acts on this gateway (aborting a run there while paused), and a session
/// key of another gateway may name a different session here.
fn replay(
    store: &Store,
    book: &PriceBook,
    spool: &Spool,
    own_source: &str,
    on_call: &(impl Fn(&ModelCall) + Send + Sync),
) {
    // Each record in its own transaction (idempotent), so only calls new to the ledger are
    // reported; the spool is emptied once all are stored.
    let mut fresh = Vec::new();
    let outcome = spool.replay(|records| {
        for batch in records
            .iter()
            .filter_map(|r| batch_of(&r.source, &r.payload))
        {
            let stored = store.with_conn(|c| apply_batch(c, book, &batch))?;
            if stored.new_calls > 0 && batch.source == own_source {
                fresh.extend(call_of(&batch, book));
            }
        }
        Ok(())
    });
    match outcome {
        Ok((replayed, dropped)) => {
            tracing::info!(replayed, dropped, "replayed spooled gateway calls");
            fresh.iter().for_each(on_call);
        }
        Err(e) => tracing::warn!(%e, "spool replay failed; will retry"),
    }
}

/// The model call of a one-line gateway batch.
fn call_of(batch: &Batch, book: &PriceBook) -> Option<ModelCall> {
    let line = batch.lines.first()?;
    let entry = line.result.as_ref().ok()?;
    let id = event_id(entry, &batch.context.session_id, line.position);
    model_call(&batch.context, &id, entry, book)
}

/// The ledger batch for a `session.message` payload, if it is an assistant message (a billed,
/// aborted or failed call; any JSON is accepted: anything else yields `None`).
pub fn batch_of(source: &str, p: &Value) -> Option<Batch> {
    let message = p.get("message")?;
    if message.get("role").and_then(Value::as_str) != Some("assistant") {
        return None;
    }
    let text = |key: &str| p.get(key).and_then(Value::as_str).map(String::from);
    let message_id = text("messageId")?;
    let session_key = text("sessionKey")?;
    let agent_id = text("agentId").unwrap_or_else(|| agent_of_key(&session_key));
    let session_id = text("sessionId")
        .or_else(|| {
            p.pointer("/session/sessionId")
                .and_then(Value::as_str)
                .map(String::from)
        })
        .unwrap_or_default();
    // The message has the transcript's shape: parse it exactly as a transcript line.
    let line = json!({"type": "message", "id": message_id, "message": message}).to_string();
    Some(Batch {
        source: source.to_string(),
        context: SessionContext {
            agent_id,
            session_key,
            session_id,
        },
        lines: vec![ParsedLine {
            position: p.get("messageSeq").and_then(Value::as_u64).unwrap_or(0),
            result: parse_line(line.as_bytes()),
        }],
        cursor: Cursor {
            position: 0,
            fingerprint: String::new(),
        },
        from_archive: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clawtower_gateway::frame::{decode, Event, Incoming};
    use clawtower_ledger::transcript::jsonl;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");

    /// The `session.message` of an assistant message recorded from a real gateway.
    fn real_assistant_message() -> Event {
        let frame = std::fs::read_to_string(format!(
            "{FIXTURES}/ws-frames/session-message.assistant.json"
        ))
        .unwrap();
        let Incoming::Event(event) = decode(&frame, usize::MAX).unwrap() else {
            panic!("not an event")
        };
        event
    }

    #[test]
    fn a_call_seen_by_the_gateway_and_in_the_transcript_counts_once() {
        // A real `session.message` frame, and the transcript of the same session, from one run.
        let event = real_assistant_message();
        let batch = batch_of("gateway:test", &event.payload).expect("a model call");
        assert_eq!(batch.context.session_key, "agent:main:think");
        let store = Store::open_in_memory().unwrap();
        let book = PriceBook::bundled();
        assert_eq!(
            store
                .with_conn(|c| apply_batch(c, &book, &batch))
                .unwrap()
                .new_calls,
            1
        );

        let sessions_dir =
            std::path::Path::new(FIXTURES).join("openclaw-2026.9.6/state/agents/main");
        let sessions = jsonl::sessions("main", &sessions_dir);
        let file = jsonl::transcript_files("main", &sessions_dir, &sessions, &|_| false)
            .into_iter()
            .find(|f| f.context.session_key == "agent:main:think")
            .unwrap();
        let from_file = jsonl::read_all_new(&file, None).unwrap().unwrap();
        let outcome = store
            .with_conn(|c| apply_batch(c, &book, &from_file))
            .unwrap();
        assert_eq!(
            outcome.new_calls, 0,
            "the transcript's copy of the call is the same call"
        );
        let (calls, cost): (i64, i64) = store
            .with_conn(|c| {
                Ok(c.query_row(
                    "SELECT COUNT(*), ssum(reported_cost_nanousd) FROM model_calls",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap();
        assert_eq!((calls, cost), (1, 21_628_200));
    }

    #[test]
    fn a_call_the_store_cannot_take_is_spooled_and_replayed_once_it_can() {
        let event = real_assistant_message();
        let mut second = event.payload.clone();
        second["messageId"] = json!("second-call");
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::open(&tmp.path().join("ledger.sqlite")).unwrap();
        let spool = Spool::beside(store.path());
        let book = PriceBook::bundled();
        let heard = std::sync::Mutex::new(Vec::new());
        let on_call = |call: &ModelCall| heard.lock().unwrap().push(call.call_id.clone());
        let calls = || -> i64 {
            store
                .with_conn(|c| {
                    Ok(c.query_row("SELECT COUNT(*) FROM model_calls", [], |r| r.get(0))?)
                })
                .unwrap()
        };
        let store_from = |source: &str, payload: &Value| {
            store_message(&store, &book, spool.as_ref(), source, payload, &on_call)
        };
        let store_one = |payload: &Value| store_from("gateway:t", payload);
        // As when the disk is full: the database refuses writes.
        let read_only = |on: bool| {
            store
                .with_conn(|c| Ok(c.pragma_update(None, "query_only", on)?))
                .unwrap()
        };
        // The database refuses writes: the call goes to the spool.
        read_only(true);
        store_one(&event.payload);
        assert_eq!(calls(), 0);
        assert!(spool.as_ref().unwrap().is_pending());
        // Writable again: the next call is stored and the spooled one replayed.
        read_only(false);
        store_one(&second);
        assert_eq!(calls(), 2);
        assert!(!spool.as_ref().unwrap().is_pending());
        assert_eq!(
            heard.lock().unwrap().len(),
            2,
            "both calls reach the budget loop"
        );
        // Replaying again (e.g. after a crash before the spool was emptied) adds nothing.
        store_one(&event.payload);
        assert_eq!(calls(), 2);

        // A call of another gateway spooled, then replayed by this gateway's feed: stored, but
        // not told as this gateway's call (its session key may name another session here).
        let mut other = event.payload.clone();
        other["messageId"] = json!("other-gateway-call");
        let mut third = event.payload.clone();
        third["messageId"] = json!("third-call");
        read_only(true);
        store_from("gateway:other", &other);
        read_only(false);
        store_one(&third);
        assert_eq!(calls(), 4);
        assert!(!spool.as_ref().unwrap().is_pending());
        let heard = heard.lock().unwrap();
        assert_eq!(
            heard.len(),
            3,
            "only this gateway's new call is told: {heard:?}"
        );
        assert!(heard[2].starts_with("third-call@"), "{heard:?}");
    }

    #[test]
    fn a_connection_without_the_admin_scope_is_read_only_and_says_so() {
        let full = FeedState::Live {
            server_version: "2026.9.6".into(),
            missing_scopes: vec![],
        };
        assert!(full.can_control());
        let gateway = GatewayEntry {
            id: 0,
            name: "Local gateway".into(),
            url: "ws://x/".into(),
            local: true,
            credential: None,
            credential_entered: false,
            controlled: true,
        };
        assert!(GatewayStatus::of(&gateway, &full).can_control);
        let read_only = FeedState::Live {
            server_version: "2026.9.6".into(),
            missing_scopes: vec!["operator.admin".into()],
        };
        let status = GatewayStatus::of(&gateway, &read_only);
        assert_eq!(
            (status.state, status.can_control),
            (ConnectionState::Live, false)
        );
        assert!(status
            .error_message
            .unwrap()
            .starts_with("connected read-only"));
        assert!(!FeedState::Connecting { last_error: None }.can_control());
    }

    #[test]
    fn calls_that_arrive_through_the_gateway_feed_the_anomaly_rules() {
        // A gateway `session.message` has no transcript-level timestamp, only the message's;
        // OpenClaw's tool call ids may contain ':'.
        let store = Store::open_in_memory().unwrap();
        let now = jiff::Timestamp::now().as_millisecond();
        for i in 0..10 {
            let payload = json!({
                "messageId": format!("m{i}"), "sessionKey": "agent:main:loop", "agentId": "main",
                "message": {"role": "assistant", "provider": "stub", "model": "m", "timestamp": now - i * 1000,
                    "content": [{"type": "toolCall", "id": format!("tool_search_code:call_{i}:exec:1"), "name": "exec", "arguments": {"cmd": "ls"}}],
                    "usage": {"input": 1, "output": 1, "cost": {"total": 0.01}}}
            });
            store_message(
                &store,
                &PriceBook::bundled(),
                None,
                "gateway:t",
                &payload,
                &|_: &ModelCall| {},
            );
        }
        let fired = store
            .with_conn(|c| clawtower_control::anomaly::new_findings(c, now))
            .unwrap();
        assert_eq!(fired.len(), 1, "the default runaway-loop rule fires");
        assert_eq!(fired[0].1.title, "Runaway loop");
    }

    #[test]
    fn messages_without_usage_are_not_calls() {
        let event = Event {
            event: "session.message".into(),
            payload: json!({"messageId": "u1", "sessionKey": "agent:main:main", "message": {"role": "user", "content": "hi"}}),
            seq: None,
        };
        assert!(batch_of("gateway:test", &event.payload).is_none());
    }
}
