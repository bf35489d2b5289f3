//! The live feed across a dropped connection, against a scripted gateway: what was said while
//! disconnected is backfilled from `chat.history`, and a call seen both ways counts once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clawtower_feeds::feed::{run_feed, FeedOutput, FeedState};
use clawtower_gateway::Target;
use clawtower_ledger::pricing::PriceBook;
use clawtower_store::model_calls::ModelCall;
use clawtower_store::Store;
use serde_json::{json, Value};

use clawtower_testkit as common;

use common::{identity, recv, send, server, Socket};

fn assistant(id: &str, cost: f64) -> Value {
    json!({"role": "assistant", "provider": "stub", "model": "m", "timestamp": 1_795_230_393_971i64,
           "usage": {"input": 10, "output": 1, "cost": {"total": cost}}, "__openclaw": {"id": id, "seq": 2}})
}

/// What the feed asks of a gateway with one session (`history`: its messages).
fn answer(method: &str, history: impl FnOnce() -> Vec<Value>) -> Value {
    match method {
        "sessions.subscribe" => json!({"subscribed": true}),
        "sessions.list" => json!({"sessions": [{"key": "agent:main:main", "agentId": "main",
            "sessionId": "s1", "updatedAt": 9_999_999_999_999i64}]}),
        "chat.history" => json!({"sessionId": "s1", "messages": history()}),
        other => panic!("unexpected {other}"),
    }
}

/// The `session.message` event that announces `id`'s call.
fn announced(id: &str, cost: f64) -> Value {
    json!({"type": "event", "event": "session.message", "payload": {"messageId": id,
        "sessionKey": "agent:main:main", "agentId": "main", "sessionId": "s1",
        "message": assistant(id, cost)}})
}

async fn serve(mut ws: Socket, round: usize) {
    loop {
        let request = recv(&mut ws).await;
        // Both calls: one the feed saw live before the drop, one it missed.
        let payload = answer(request["method"].as_str().unwrap_or_default(), || {
            vec![assistant("seen-live", 0.25), assistant("missed", 0.5)]
        });
        send(
            &mut ws,
            json!({"type": "res", "id": request["id"], "ok": true, "payload": payload}),
        )
        .await;
        if round == 0 && request["method"] == "sessions.subscribe" {
            // A run starts (activity) and the session row changes, as OpenClaw tells it.
            send(&mut ws, json!({"type": "event", "event": "agent", "payload": {"runId": "r1", "sessionKey": "agent:main:main", "agentId": "main", "stream": "lifecycle", "data": {"phase": "start"}, "ts": 1}})).await;
            send(&mut ws, json!({"type": "event", "event": "sessions.changed", "payload": {"sessionKey": "agent:main:main", "agentId": "main", "reason": "agent.run.started", "ts": 2, "session": {"status": "running", "hasActiveRun": true}}})).await;
            send(&mut ws, announced("seen-live", 0.25)).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
            return; // the connection drops
        }
    }
}

#[tokio::test]
async fn what_was_missed_while_disconnected_is_backfilled_once() {
    let rounds = Arc::new(AtomicUsize::new(0));
    let counter = rounds.clone();
    let url = server(move |ws| {
        let round = counter.fetch_add(1, Ordering::SeqCst);
        serve(ws, round)
    })
    .await;
    let (_dir, identity) = identity();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let (state_tx, mut state) =
        tokio::sync::watch::channel(FeedState::Connecting { last_error: None });
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let (activity, mut activities) = tokio::sync::broadcast::channel(64);
    let output = FeedOutput {
        store: store.clone(),
        book: PriceBook::bundled(),
        on_call: |_: &ModelCall| {},
        activity: Some(activity),
    };
    let feed = tokio::spawn(run_feed(
        Target::new(url, None),
        identity,
        output,
        state_tx,
        stop,
    ));
    let cost = || -> (i64, i64) {
        store
            .with_conn(|c| {
                Ok(c.query_row(
                    "SELECT COUNT(*), COALESCE(SUM(reported_cost_nanousd), 0) FROM model_calls",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .unwrap()
    };
    // Live twice (the second time after the reconnect and its backfill).
    let mut lives = 0;
    tokio::time::timeout(Duration::from_secs(15), async {
        while lives < 2 {
            state.changed().await.unwrap();
            if matches!(*state.borrow_and_update(), FeedState::Live { .. }) {
                lives += 1;
            }
        }
    })
    .await
    .expect("the feed reconnected");
    assert_eq!(
        cost(),
        (2, 750_000_000),
        "the missed call is in, the live one not doubled"
    );
    let first = activities.recv().await.unwrap();
    assert_eq!(
        (first.kind.as_str(), first.session_key.as_deref()),
        ("run.started", Some("agent:main:main"))
    );
    let running: (String, bool) = store
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT status, has_active_run FROM sessions WHERE session_key = 'agent:main:main'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!(running, ("running".to_string(), true));
    stop_tx.send(true).unwrap();
    feed.await.unwrap();
}

/// A message with a timestamp, for the paging test.
fn call_at(id: &str, ts: i64) -> Value {
    json!({"role": "assistant", "provider": "stub", "model": "m", "timestamp": ts,
           "usage": {"input": 1, "output": 1}, "__openclaw": {"id": id, "seq": 1}})
}

#[tokio::test]
async fn the_backfill_pages_through_sessions_and_history_back_to_the_gap() {
    use clawtower_gateway::missed_calls;
    use clawtower_gateway::GatewayClient;
    let since = 1_000_000i64;
    let asked = Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
    let log = asked.clone();
    let url = server(move |mut ws| {
        let log = log.clone();
        async move {
            loop {
                let request = recv(&mut ws).await;
                log.lock().unwrap().push(request.clone());
                let params = &request["params"];
                let offset = params["offset"].as_u64().unwrap_or(0);
                let payload = match (request["method"].as_str().unwrap(), offset) {
                    ("sessions.list", 0) => json!({"sessions": [{"key": "a", "updatedAt": since}],
                                                   "hasMore": true, "nextOffset": 1}),
                    ("sessions.list", _) => json!({"sessions": [{"key": "b", "updatedAt": since}],
                                                   "hasMore": false}),
                    // Session a: newest page, then an older one reaching before the gap, then
                    // one that must not be asked for.
                    ("chat.history", 0) if params["sessionKey"] == "a" => json!({
                        "messages": [call_at("a3", since + 20), call_at("a2", since + 10)],
                        "hasMore": true, "nextOffset": 2}),
                    ("chat.history", 2) => json!({
                        "messages": [call_at("a1", since - 120_000)], "hasMore": true, "nextOffset": 3}),
                    ("chat.history", 3) => panic!("read past the gap"),
                    // Session b: a gateway that does not page (OpenClaw 2026.7.1).
                    ("chat.history", _) => json!({"messages": [call_at("b1", since + 5)]}),
                    other => panic!("unexpected {other:?}"),
                };
                send(&mut ws, json!({"type": "res", "id": request["id"], "ok": true, "payload": payload})).await;
            }
        }
    })
    .await;
    let (_dir, identity) = identity();
    let client = GatewayClient::connect(&Target::new(url, None), &identity, Duration::from_secs(5))
        .await
        .unwrap();
    let calls = missed_calls(&client, since).await.unwrap();
    let ids: Vec<&str> = calls
        .iter()
        .map(|c| c["messageId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a3", "a2", "a1", "b1"]);
    let asked = asked.lock().unwrap();
    let offsets: Vec<(String, Value)> = asked
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap().to_string(),
                r["params"]["offset"].clone(),
            )
        })
        .collect();
    assert_eq!(
        offsets,
        [
            ("sessions.list".to_string(), Value::Null),
            ("sessions.list".to_string(), json!(1)),
            ("chat.history".to_string(), Value::Null),
            ("chat.history".to_string(), json!(2)),
            ("chat.history".to_string(), Value::Null),
        ],
        "no offset is sent to a gateway that does not page"
    );
}

/// How many calls the store holds.
fn stored(store: &Store) -> i64 {
    store
        .with_conn(|c| Ok(c.query_row("SELECT COUNT(*) FROM model_calls", [], |r| r.get(0))?))
        .unwrap()
}

/// Waits until `done` holds (checked every 20 ms), at most 30 s.
async fn until(what: &str, done: impl Fn() -> bool) {
    tokio::time::timeout(Duration::from_secs(30), async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{what}"));
}

/// Starts a feed over `store` against `url`; stop it by sending `true`.
fn start_feed(
    url: &str,
    identity: &clawtower_gateway::DeviceIdentity,
    store: &Arc<Store>,
    on_call: fn(&ModelCall),
) -> (
    tokio::sync::watch::Sender<bool>,
    tokio::task::JoinHandle<()>,
) {
    let (state_tx, _state) =
        tokio::sync::watch::channel(FeedState::Connecting { last_error: None });
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let output = FeedOutput {
        store: store.clone(),
        book: PriceBook::bundled(),
        on_call,
        activity: None,
    };
    let feed = tokio::spawn(run_feed(
        Target::new(url.to_string(), None),
        identity.clone(),
        output,
        state_tx,
        stop,
    ));
    (stop_tx, feed)
}

#[tokio::test]
async fn what_was_said_while_the_app_was_closed_is_backfilled_at_the_next_start() {
    let rounds = Arc::new(AtomicUsize::new(0));
    let counter = rounds.clone();
    let url = server(move |mut ws| {
        let round = counter.fetch_add(1, Ordering::SeqCst);
        async move {
            loop {
                let request = recv(&mut ws).await;
                let payload = answer(request["method"].as_str().unwrap_or_default(), || {
                    vec![
                        assistant("seen-live", 0.25),
                        assistant("said-while-closed", 0.5),
                    ]
                });
                send(
                    &mut ws,
                    json!({"type": "res", "id": request["id"], "ok": true, "payload": payload}),
                )
                .await;
                if round == 0 && request["method"] == "sessions.subscribe" {
                    send(&mut ws, announced("seen-live", 0.25)).await;
                }
            }
        }
    })
    .await;
    let (_dir, identity) = identity();
    let store = Arc::new(Store::open_in_memory().unwrap());
    // The app runs, hears one call, and is closed.
    let (stop, feed) = start_feed(&url, &identity, &store, |_| {});
    until("the live call was stored", || stored(&store) == 1).await;
    stop.send(true).unwrap();
    feed.await.unwrap();
    // Started again: what the gateway said meanwhile is read back, the live call not doubled.
    let (stop, feed) = start_feed(&url, &identity, &store, |_| {});
    until("what was said while closed was backfilled", || {
        stored(&store) == 2
    })
    .await;
    stop.send(true).unwrap();
    feed.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_dropped_events_said_is_read_back_from_the_gateway() {
    // A burst of calls larger than the client's event queue while the feed is slow to store them:
    // the oldest events are dropped, and what they said is read back with chat.history.
    const BURST: usize = 1500;
    let histories = Arc::new(AtomicUsize::new(0));
    let asked = histories.clone();
    let url = server(move |mut ws| {
        let asked = asked.clone();
        async move {
            loop {
                let request = recv(&mut ws).await;
                let payload = answer(request["method"].as_str().unwrap_or_default(), || {
                    asked.fetch_add(1, Ordering::SeqCst);
                    (0..BURST)
                        .map(|i| assistant(&format!("burst-{i}"), 0.001))
                        .collect()
                });
                send(
                    &mut ws,
                    json!({"type": "res", "id": request["id"], "ok": true, "payload": payload}),
                )
                .await;
                if request["method"] == "sessions.subscribe" {
                    for i in 0..BURST {
                        send(&mut ws, announced(&format!("burst-{i}"), 0.001)).await;
                    }
                }
            }
        }
    })
    .await;
    let (_dir, identity) = identity();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let (stop, feed) = start_feed(&url, &identity, &store, |_| {
        std::thread::sleep(Duration::from_millis(2))
    });
    until("every call of the burst was stored", || {
        stored(&store) == BURST as i64
    })
    .await;
    assert!(
        histories.load(Ordering::SeqCst) > 0,
        "events were dropped and read back"
    );
    stop.send(true).unwrap();
    feed.await.unwrap();
}
