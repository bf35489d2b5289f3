//! The router end to end over real sockets: a stub upstream on loopback (OpenAI- and
//! Anthropic-shaped, JSON and streams, and one that fails), the router in front of it, a client
//! with a virtual key; the ledger must hold each call with exactly the usage the stub sent.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use clawtower_control::BudgetGate;
use clawtower_core::period::now_local;
use clawtower_ledger::pricing::PriceBook;
use clawtower_router::keys::{create, KeyDraft, KeyView};
use clawtower_router::meter::Meter;
use clawtower_router::{app, Config, RouterState};
use clawtower_store::model_calls::ModelCall;
use clawtower_store::Store;
use serde_json::{json, Value};

/// What the stub saw: (path, headers, body).
type Seen = Arc<Mutex<Vec<(String, HeaderMap, Value)>>>;

const OPENAI_USAGE: &str = r#"{"prompt_tokens":120,"completion_tokens":30,"total_tokens":150,"prompt_tokens_details":{"cached_tokens":20}}"#;

async fn stub_chat(State(seen): State<Seen>, headers: HeaderMap, body: Bytes) -> Response {
    let request: Value = serde_json::from_slice(&body).unwrap();
    seen.lock()
        .unwrap()
        .push(("chat".into(), headers, request.clone()));
    if request["stream"] == true {
        let usage_chunk = format!(r#"{{"id":"chatcmpl-s","choices":[],"usage":{OPENAI_USAGE}}}"#);
        let sse = format!(
            "data: {{\"id\":\"chatcmpl-s\",\"choices\":[{{\"delta\":{{\"content\":\"hel\"}}}}]}}\n\ndata: {{\"id\":\"chatcmpl-s\",\"choices\":[{{\"delta\":{{\"content\":\"lo\"}}}}]}}\n\ndata: {usage_chunk}\n\ndata: [DONE]\n\n"
        );
        return ([("content-type", "text/event-stream")], sse).into_response();
    }
    let usage: Value = serde_json::from_str(OPENAI_USAGE).unwrap();
    axum::Json(json!({"id": "chatcmpl-j", "object": "chat.completion", "model": request["model"],
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "hello"}, "finish_reason": "stop"}],
        "usage": usage}))
    .into_response()
}

async fn stub_messages(State(seen): State<Seen>, headers: HeaderMap, body: Bytes) -> Response {
    let request: Value = serde_json::from_slice(&body).unwrap();
    seen.lock()
        .unwrap()
        .push(("messages".into(), headers, request.clone()));
    if request["stream"] == true {
        let sse = concat!(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-x\",\"stop_reason\":null,\"usage\":{\"input_tokens\":11,\"cache_creation_input_tokens\":300,\"cache_read_input_tokens\":4000,\"output_tokens\":1}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n",
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":25}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
        );
        return ([("content-type", "text/event-stream")], sse).into_response();
    }
    axum::Json(json!({"id": "msg_j", "type": "message", "role": "assistant", "model": request["model"],
        "content": [{"type": "text", "text": "hi"}], "stop_reason": "end_turn",
        "usage": {"input_tokens": 7, "output_tokens": 3, "cache_read_input_tokens": 50, "cache_creation_input_tokens": 0}}))
    .into_response()
}

/// An Anthropic stream that reports its input usage, then breaks off (`hang`: never ends).
fn cut_stream(hang: bool) -> Response {
    use futures_util::StreamExt;
    let start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_cut\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"usage\":{\"input_tokens\":11,\"cache_read_input_tokens\":400,\"output_tokens\":1}}}\n\n";
    let first = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from(start))]);
    let body = if hang {
        axum::body::Body::from_stream(first.chain(futures_util::stream::pending()))
    } else {
        // (After a moment: the status and the first event reach the router first.)
        let cut = futures_util::stream::once(async {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            Err(std::io::Error::other("cut"))
        });
        axum::body::Body::from_stream(first.chain(cut))
    };
    ([("content-type", "text/event-stream")], body).into_response()
}

async fn listen(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

struct Fixture {
    router: String,
    key: String,
    seen: Seen,
    state: Arc<RouterState>,
    store: Arc<Store>,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    fixture_priced(PriceBook::bundled()).await
}

async fn fixture_priced(book: PriceBook) -> Fixture {
    clawtower_core::tls::install_provider();
    let seen: Seen = Arc::default();
    let stub = listen(
        axum::Router::new()
            .route("/v1/chat/completions", post(stub_chat))
            .route(
                "/v1/models",
                get(|State(seen): State<Seen>, headers: HeaderMap| async move {
                    seen.lock()
                        .unwrap()
                        .push(("models".into(), headers, Value::Null));
                    axum::Json(json!({"object": "list", "data": [{"id": "stub-model", "object": "model"}]}))
                }),
            )
            .route("/anthropic/v1/messages", post(stub_messages))
            .route("/cut/v1/messages", post(|| async { cut_stream(false) }))
            .route("/hang/v1/messages", post(|| async { cut_stream(true) }))
            .route(
                "/down/v1/chat/completions",
                post(|| async { StatusCode::SERVICE_UNAVAILABLE }),
            )
            .route(
                "/limited/v1/chat/completions",
                post(|State(seen): State<Seen>| async move {
                    seen.lock()
                        .unwrap()
                        .push(("limited".into(), HeaderMap::new(), Value::Null));
                    (
                        StatusCode::TOO_MANY_REQUESTS,
                        [("retry-after", "30")],
                        "slow down",
                    )
                }),
            )
            .with_state(seen.clone()),
    )
    .await;
    let config = Config::parse(
        &format!(
            r#"
            [[providers]]
            id = "stub"
            kind = "openai"
            base_url = "http://{stub}/v1"
            api_key = "${{STUB_KEY}}"
            models = ["stub-model"]
            [[providers]]
            id = "down"
            kind = "openai"
            base_url = "http://{stub}/down/v1"
            models = ["down-model"]
            [[providers]]
            id = "limited"
            kind = "openai"
            base_url = "http://{stub}/limited/v1"
            models = ["limited-model"]
            [[providers]]
            id = "claude"
            kind = "anthropic"
            base_url = "http://{stub}/anthropic/v1"
            api_key = "${{STUB_KEY}}"
            models = ["claude-x"]
            [[providers]]
            id = "cutter"
            kind = "anthropic"
            base_url = "http://{stub}/cut/v1"
            models = ["cut-model"]
            [[providers]]
            id = "hanger"
            kind = "anthropic"
            base_url = "http://{stub}/hang/v1"
            models = ["hang-model"]
            [[aliases]]
            name = "fast"
            targets = ["down/down-model", "stub/stub-model"]
            [[aliases]]
            name = "careful"
            targets = ["limited/limited-model", "stub/stub-model"]
            "#
        ),
        &|name| (name == "STUB_KEY").then(|| "sk-upstream".to_string()),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("ledger.sqlite3")).unwrap());
    let key = store.with_conn(|c| Ok(coder_key(c)?.1)).unwrap();
    let meter = Meter::start(store.clone(), book.clone());
    let gate = Arc::new(BudgetGate::new(store.clone(), now_local));
    let state = Arc::new(RouterState::new(config, store.clone(), meter, book).with_gate(gate));
    let router = listen(app(state.clone())).await;
    Fixture {
        router: format!("http://{router}"),
        key,
        seen,
        state,
        store,
        _dir: dir,
    }
}

/// A key for the agent "coder": how lists show it, and the key.
fn coder_key(conn: &mut rusqlite::Connection) -> clawtower_core::Result<(KeyView, String)> {
    let draft = KeyDraft {
        agent_id: "coder".into(),
        ..KeyDraft::default()
    };
    create(conn, &draft, 1)
}

impl Fixture {
    async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        reqwest::Client::new()
            .post(format!("{}{path}", self.router))
            .bearer_auth(&self.key)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    fn calls(&self) -> Vec<ModelCall> {
        self.state.meter().flush();
        self.store
            .read(|c| {
                let mut stmt = c.prepare("SELECT call_id FROM model_calls ORDER BY rowid")?;
                let ids: Vec<String> = stmt
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                Ok(ids
                    .iter()
                    .map(|id| clawtower_store::model_calls::get(c, id).unwrap().unwrap())
                    .collect())
            })
            .unwrap()
    }
}

fn tokens(call: &ModelCall) -> (u64, u64, u64, u64) {
    (
        call.input_tokens,
        call.output_tokens,
        call.cache_read_tokens,
        call.cache_write_tokens,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_chat_json_and_stream_land_in_the_ledger_exactly() {
    let f = fixture().await;
    let json = f
        .post(
            "/v1/chat/completions",
            json!({"model": "stub/stub-model", "messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(json.status(), 200);
    assert_eq!(json.headers()["x-clawtower-provider"], "stub");
    assert_eq!(
        json.headers()["x-clawtower-route"],
        "provider/model -> stub/stub-model"
    );
    let overhead: f64 = json.headers()["x-clawtower-overhead-ms"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let answer: Value = json.json().await.unwrap();
    // The request log holds what the response's headers said.
    f.state.meter().flush();
    let logged = f
        .store
        .read(|c| clawtower_router::activity::recent(c, 0, 10))
        .unwrap();
    assert_eq!(logged[0].status, Some(200));
    assert_eq!(
        logged[0].route.as_deref(),
        Some("provider/model -> stub/stub-model")
    );
    let stored = logged[0].overhead_ms.unwrap();
    assert!((stored - overhead).abs() < 0.001, "{stored} vs {overhead}");
    assert!(logged[0].upstream_ms.unwrap() > 0.0);
    assert_eq!(answer["choices"][0]["message"]["content"], "hello");

    let stream = f
        .post(
            "/v1/chat/completions",
            json!({"model": "stub-model", "stream": true, "messages": []}),
        )
        .await;
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let text = stream.text().await.unwrap();
    assert!(text.ends_with("data: [DONE]\n\n"), "{text}");

    let seen = f.seen.lock().unwrap().clone();
    assert_eq!(
        seen[0].2["model"], "stub-model",
        "the provider's own model id"
    );
    assert_eq!(
        seen[0].1["authorization"], "Bearer sk-upstream",
        "the provider's key, not the client's"
    );
    assert_eq!(
        seen[1].2["stream_options"],
        json!({"include_usage": true}),
        "usage asked for"
    );

    let calls = f.calls();
    assert_eq!(calls.len(), 2);
    for call in &calls {
        assert_eq!(
            tokens(call),
            (100, 30, 20, 0),
            "input excludes the 20 cached tokens"
        );
        assert_eq!(
            (
                call.agent_id.as_str(),
                call.provider.as_str(),
                call.model.as_str()
            ),
            ("coder", "stub", "stub-model")
        );
        assert!(call.call_id.starts_with("router:"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anthropic_messages_json_and_stream_with_cache_tokens() {
    let f = fixture().await;
    let client = reqwest::Client::new();
    for stream in [false, true] {
        let response = client
            .post(format!("{}/v1/messages", f.router))
            .header("x-api-key", &f.key)
            .header("anthropic-version", "2023-06-01")
            .json(&json!({"model": "claude-x", "max_tokens": 10, "stream": stream, "messages": [{"role": "user", "content": "hi"}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.bytes().await.unwrap();
    }
    let seen = f.seen.lock().unwrap().clone();
    assert_eq!(seen[0].1["x-api-key"], "sk-upstream");
    assert!(seen[0].1.get("authorization").is_none());
    let calls = f.calls();
    assert_eq!(tokens(&calls[0]), (7, 3, 50, 0));
    assert_eq!(
        tokens(&calls[1]),
        (11, 25, 4000, 300),
        "message_start, then the delta's output; never added twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_target_falls_back_and_is_counted_as_a_failed_call() {
    let f = fixture().await;
    let response = f
        .post(
            "/v1/chat/completions",
            json!({"model": "fast", "messages": []}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-clawtower-provider"], "stub");
    assert_eq!(
        response.headers()["x-clawtower-route"],
        "alias fast -> stub/stub-model after down: HTTP 503"
    );
    assert_eq!(f.calls().len(), 1, "one billed call");
    let failed: i64 = f
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM unbilled_calls WHERE outcome = 'failed'",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(failed, 1, "the 503 is a failed call, not a billed one");
    // The request log: the failed attempt and the call that answered, each with its route.
    let logged = f
        .store
        .read(|c| clawtower_router::activity::recent(c, 0, 10))
        .unwrap();
    let seen: Vec<_> = logged
        .iter()
        .map(|l| (l.outcome.as_str(), l.status, l.overhead_ms.is_some()))
        .collect();
    assert_eq!(
        seen,
        [("ok", Some(200), true), ("failed", Some(503), false)]
    );
    assert_eq!(
        logged[0].route.as_deref(),
        Some("alias fast -> stub/stub-model after down: HTTP 503")
    );
    assert!(
        logged[1]
            .route
            .as_deref()
            .unwrap()
            .starts_with("alias fast -> down/"),
        "{:?}",
        logged[1].route
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_say_why_in_the_clients_shape() {
    let f = fixture().await;
    let client = reqwest::Client::new();
    let no_key = client
        .post(format!("{}/v1/chat/completions", f.router))
        .json(&json!({"model": "stub-model"}))
        .send()
        .await
        .unwrap();
    assert_eq!(no_key.status(), 401);
    let body: Value = no_key.json().await.unwrap();
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no API key"));

    let anthropic = client
        .post(format!("{}/v1/messages", f.router))
        .header("x-api-key", "ctk-wrong")
        .json(&json!({"model": "claude-x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anthropic.status(), 401);
    let body: Value = anthropic.json().await.unwrap();
    assert_eq!(
        (body["type"].as_str(), body["error"]["message"].as_str()),
        (Some("error"), Some("unknown API key"))
    );

    let unknown = f
        .post("/v1/chat/completions", json!({"model": "nope"}))
        .await;
    assert_eq!(unknown.status(), 404);
    let broken = client
        .post(format!("{}/v1/chat/completions", f.router))
        .bearer_auth(&f.key)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), 400);
    let huge = client
        .post(format!("{}/v1/chat/completions", f.router))
        .bearer_auth(&f.key)
        .body(vec![b' '; 33 << 20])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
    assert!(f.calls().is_empty());

    // The request log shows each call refused with a key (newest first), nothing for the 401s:
    // no key, no one to show them to (and no log to fill for whoever guesses keys).
    f.state.meter().flush();
    let logged: Vec<_> = f
        .store
        .read(|c| clawtower_router::activity::recent(c, 0, 10))
        .unwrap()
        .into_iter()
        .map(|c| (c.outcome, c.status, c.model, c.agent_id, c.tokens))
        .collect();
    let refused = |status: u16, model: &str| {
        (
            "refused".to_string(),
            Some(status),
            model.to_string(),
            "coder".to_string(),
            0,
        )
    };
    assert_eq!(
        logged,
        [refused(413, ""), refused(400, ""), refused(404, "nope")]
    );

    // What the log keeps of a client's words is short, however long they were.
    let long = "m".repeat(100_000);
    let unknown = f.post("/v1/chat/completions", json!({"model": long})).await;
    assert_eq!(unknown.status(), 404);
    f.state.meter().flush();
    let newest = f
        .store
        .read(|c| clawtower_router::activity::recent(c, 0, 1))
        .unwrap()
        .remove(0);
    assert!(newest.model.len() <= 200, "{}", newest.model.len());
    let reason = newest.error.unwrap();
    assert!(
        reason.chars().count() <= 500 && reason.ends_with('…'),
        "{reason}"
    );
}

/// The hard gate: 64 calls at once against a budget with a cent left. Each call reserves the most
/// it can cost before it is sent; together they never pass the limit, and the refused ones hear
/// why in plain words (no "billing" or "quota", which would make OpenClaw drop the key).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_calls_at_once_cannot_overshoot_a_budget() {
    use clawtower_control::budget::{
        store as budgets, BudgetAction, BudgetDraft, BudgetScope, BudgetWindow,
    };
    use clawtower_ledger::pricing::{Price, Rates};
    let rates = Rates {
        input: 3e-6,
        output: 15e-6,
        cache_read: 0.3e-6,
        cache_write: 3.75e-6,
        reasoning: None,
    };
    let book = PriceBook::bundled().with_override(
        "stub",
        "stub-model",
        Price {
            base: rates,
            long_context: None,
        },
    );
    let f = fixture_priced(book).await;
    let limit = 1.0;
    f.store
        .with_conn(|c| {
            let now = now_local().timestamp().as_millisecond();
            clawtower_store::model_calls::insert(
                c,
                &clawtower_store::testing::sample("before", now - 1_000, 0.99),
            )?;
            let draft = BudgetDraft {
                name: "Hard cap".into(),
                scope: BudgetScope::All,
                window: BudgetWindow::Day,
                limit_usd: limit,
                thresholds: vec![],
                action: BudgetAction::Pause,
                auto_resume: false,
            };
            budgets::add(c, draft.validated()?, 1)?;
            Ok(())
        })
        .unwrap();
    let calls = (0..64).map(|_| {
        f.post("/v1/chat/completions", json!({"model": "stub/stub-model", "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}]}))
    });
    let answers = futures_util::future::join_all(calls).await;
    let mut refusals = Vec::new();
    let mut admitted = 0;
    for answer in answers {
        match answer.status().as_u16() {
            200 => admitted += 1,
            400 => refusals.push(
                answer.json::<Value>().await.unwrap()["error"]["message"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            ),
            other => panic!("unexpected {other}"),
        }
    }
    assert!(admitted > 0 && !refusals.is_empty(), "{admitted} admitted");
    for why in &refusals {
        assert!(why.contains("Clawtower budget \"Hard cap\""), "{why}");
        let lower = why.to_lowercase();
        assert!(
            !lower.contains("billing") && !lower.contains("quota"),
            "{why}"
        );
    }
    assert_eq!(f.calls().len(), admitted + 1);
    let spent: i64 = f
        .store
        .read(|c| {
            Ok(
                c.query_row("SELECT SUM(cost_nanousd) FROM model_calls", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap();
    assert!(
        spent <= 1_000_000_000,
        "spent {spent} nano-USD of a $1 limit"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_skips_the_provider_for_its_retry_after() {
    let f = fixture().await;
    let first = f
        .post(
            "/v1/chat/completions",
            json!({"model": "careful", "messages": []}),
        )
        .await;
    assert_eq!(first.status(), 200, "{:?}", first.headers());
    assert_eq!(
        first.headers()["x-clawtower-route"],
        "alias careful -> stub/stub-model after limited: HTTP 429"
    );
    let second = f
        .post(
            "/v1/chat/completions",
            json!({"model": "careful", "messages": []}),
        )
        .await;
    let route = second.headers()["x-clawtower-route"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        route.contains("limited: skipped for") && route.contains("circuit open"),
        "{route}"
    );
    let hits = f
        .seen
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _, _)| p == "limited")
        .count();
    assert_eq!(
        hits, 1,
        "the second call did not go to the provider that asked to wait"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_over_its_rate_limit_gets_429_with_retry_after() {
    use clawtower_router::keys::KeyLimits;
    let f = fixture().await;
    let limited = f
        .store
        .with_conn(|c| {
            let draft = KeyDraft {
                agent_id: "cron".into(),
                limits: KeyLimits {
                    rpm: Some(1),
                    ..KeyLimits::default()
                },
                ..KeyDraft::default()
            };
            Ok(create(c, &draft, 1)?.1)
        })
        .unwrap();
    let call = || {
        reqwest::Client::new()
            .post(format!("{}/v1/chat/completions", f.router))
            .bearer_auth(&limited)
            .json(&json!({"model": "stub/stub-model", "messages": []}))
            .send()
    };
    assert_eq!(call().await.unwrap().status(), 200);
    let held = call().await.unwrap();
    assert_eq!(held.status(), 429);
    let wait: u64 = held.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let body: Value = held.json().await.unwrap();
    assert_eq!(
        body["error"]["message"],
        "the key \"cron\" allows 1 requests a minute"
    );
    assert_eq!(
        f.post(
            "/v1/chat/completions",
            json!({"model": "stub/stub-model", "messages": []})
        )
        .await
        .status(),
        200,
        "other keys are not held back"
    );
}

/// OpenClaw's provider `oc-stub`, attached, its calls going to `upstream`.
fn oc_stub(upstream: String) -> clawtower_router::attachments::Attachment {
    clawtower_router::attachments::Attachment {
        provider: "oc-stub".into(),
        gateway_url: "ws://127.0.0.1:18789".into(),
        kind: clawtower_router::config::ProviderKind::OpenAi,
        upstream,
        original_base_url: "http://elsewhere/v1".into(),
        had_headers: false,
        key_id: 1,
        confirmed: true,
        since_ms: 1,
        knows_sessions: false,
        state_dir: None,
        affinity: Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attached_openclaw_provider_keeps_its_credential_and_counts_once() {
    use clawtower_router::attachments::{self, KEY_HEADER};
    use clawtower_store::model_calls::{write, OnExisting};
    use clawtower_store::rollups::RollupDeltas;
    let f = fixture().await;
    let stub = f.state.config().providers[0].base_url.clone(); // http://…/v1
    f.store
        .with_conn(|c| attachments::save(c, &oc_stub(stub)))
        .unwrap();
    let client = reqwest::Client::new();
    let call = |path: &str, key: &str| {
        client
            .post(format!("{}{path}", f.router))
            .bearer_auth("sk-openclaw-own")
            .header(KEY_HEADER, key)
            .json(&json!({"model": "stub-model", "messages": []}))
            .send()
    };
    let answer = call("/openclaw/oc-stub/v1/chat/completions", &f.key)
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.headers()["x-clawtower-route"],
        "openclaw provider oc-stub -> oc-stub/stub-model"
    );
    let seen = f.seen.lock().unwrap().clone();
    assert_eq!(
        seen[0].1["authorization"], "Bearer sk-openclaw-own",
        "OpenClaw's own credential"
    );
    assert!(
        !seen[0].1.contains_key(KEY_HEADER),
        "the router key stays with the router"
    );

    let refused = call("/openclaw/oc-stub/v1/chat/completions", "ctk-wrong")
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    // OpenClaw's model discovery: the provider's own list, with OpenClaw's credential.
    let models = |provider: &str, key: &str| {
        client
            .get(format!("{}/openclaw/{provider}/v1/models", f.router))
            .bearer_auth("sk-openclaw-own")
            .header(KEY_HEADER, key)
            .send()
    };
    let listed = models("oc-stub", &f.key).await.unwrap();
    assert_eq!(listed.status(), 200);
    assert_eq!(
        listed.headers()["x-clawtower-route"],
        "openclaw provider oc-stub -> models"
    );
    let list: Value = listed.json().await.unwrap();
    assert_eq!(list["data"][0]["id"], "stub-model");
    let asked = f.seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(asked.0, "models");
    assert_eq!(asked.1["authorization"], "Bearer sk-openclaw-own");
    assert_eq!(models("oc-stub", "ctk-wrong").await.unwrap().status(), 401);
    let unknown = models("not-attached", &f.key).await.unwrap();
    assert_eq!(unknown.status(), 404);
    let why: Value = unknown.json().await.unwrap();
    assert!(
        why["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not routed through Clawtower"),
        "{why}"
    );
    let detached = call("/openclaw/other/v1/chat/completions", &f.key)
        .await
        .unwrap();
    assert_eq!(detached.status(), 404);
    let body: Value = detached.json().await.unwrap();
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not routed through Clawtower"));

    // The router's copy counts until OpenClaw's transcript copy (same response id) is stored.
    let routed = f.calls();
    assert_eq!(routed.len(), 1);
    assert_eq!(routed[0].response_id.as_deref(), Some("chatcmpl-j"));
    assert_eq!(routed[0].provider, "oc-stub");
    let mut copy = routed[0].clone();
    copy.call_id = "e1@1".into();
    copy.agent_id = "main".into();
    f.store
        .with_conn(|c| {
            let mut rollups = RollupDeltas::default();
            write(c, &copy, OnExisting::Keep, &mut rollups)?;
            clawtower_store::routed::fold(c, copy.ts_ms, &mut rollups)?;
            rollups.apply(c)
        })
        .unwrap();
    let calls = f.calls();
    assert_eq!(calls.len(), 1, "one call, not two");
    assert_eq!(
        (calls[0].call_id.as_str(), calls[0].agent_id.as_str()),
        ("e1@1", "main")
    );
}

/// Attach made OpenClaw send each call's session id: the router finds the session's agent and key
/// in OpenClaw's store, so a pause of one cron job stops its calls before they are sent, the
/// agent's other sessions go on, and each call is booked to its agent and session at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attached_call_answers_to_the_agent_and_session_it_comes_from() {
    use clawtower_control::budget::BudgetScope;
    use clawtower_control::pause;
    use clawtower_router::attachments::{self, AffinityChange, Attachment, KEY_HEADER};

    let f = fixture().await;
    let home = tempfile::tempdir().unwrap();
    for (agent, key, id) in [
        ("ops", "agent:ops:cron:nightly:run:s-ops", "s-ops"),
        ("ops", "agent:ops:main", "s-ops-main"),
    ] {
        let dir = home.path().join(format!("agents/{agent}/sessions"));
        std::fs::create_dir_all(&dir).unwrap();
        let index = dir.join("sessions.json");
        let mut sessions: Value = std::fs::read(&index)
            .map(|t| serde_json::from_slice(&t).unwrap())
            .unwrap_or(json!({}));
        sessions[key] = json!({"sessionId": id});
        std::fs::write(&index, sessions.to_string()).unwrap();
        std::fs::write(dir.join(format!("{id}.jsonl")), "{}\n").unwrap();
    }
    let stub = f.state.config().providers[0].base_url.clone();
    let attachment = Attachment {
        knows_sessions: true,
        state_dir: Some(home.path().to_string_lossy().into_owned()),
        affinity: vec![AffinityChange {
            model: "stub-model".into(),
            had_compat: false,
            before: None,
        }],
        ..oc_stub(stub)
    };
    f.store
        .with_conn(|c| {
            attachments::save(c, &attachment)?;
            let scope = BudgetScope::CronJob("nightly".into());
            pause::begin(c, &scope, "nightly is over budget", None, "", 3).map(|_| ())
        })
        .unwrap();
    let call = |session: Option<&str>| {
        let mut request = reqwest::Client::new()
            .post(format!("{}/openclaw/oc-stub/v1/chat/completions", f.router))
            .bearer_auth("sk-openclaw-own")
            .header(KEY_HEADER, &f.key)
            .json(&json!({"model": "stub-model", "messages": []}));
        if let Some(id) = session {
            // As OpenClaw sends them to an OpenAI-style provider: its prompt cache key,
            // `<sessionId>:<compaction count>`.
            for name in ["session_id", "x-client-request-id", "x-session-affinity"] {
                request = request.header(name, format!("{id}:0"));
            }
        }
        async move {
            let answer = request.send().await.unwrap();
            (answer.status().as_u16(), answer.text().await.unwrap())
        }
    };
    let (status, body) = call(Some("s-ops")).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("nightly is over budget"), "{body}");
    assert!(f.seen.lock().unwrap().is_empty(), "not sent");
    f.state.meter().flush();
    let logged = f
        .store
        .read(|c| clawtower_router::activity::recent(c, 0, 10))
        .unwrap();
    assert_eq!(
        (logged.len(), logged[0].outcome.as_str(), logged[0].status),
        (1, "refused", Some(400)),
        "the refusal is in the request log"
    );
    assert_eq!(
        (logged[0].agent_id.as_str(), logged[0].model.as_str()),
        ("ops", "stub-model"),
        "as the session's agent"
    );
    assert!(logged[0]
        .error
        .as_deref()
        .is_some_and(|why| why.contains("nightly is over budget")));

    assert_eq!(
        call(Some("s-ops-main")).await.0,
        200,
        "the agent's other session goes on"
    );
    let seen = f.seen.lock().unwrap().clone();
    for name in ["session_id", "x-client-request-id", "x-session-affinity"] {
        assert!(
            !seen[0].1.contains_key(name),
            "{name}: the provider got none before attach"
        );
    }
    // Without a session id (or with one OpenClaw does not have): the attach key's agent.
    assert_eq!(call(None).await.0, 200);
    assert_eq!(call(Some("s-unknown")).await.0, 200);
    let booked: Vec<_> = f
        .calls()
        .into_iter()
        .map(|c| (c.agent_id, c.session_key, c.session_id))
        .collect();
    let key_session = format!("router:key-{}", 1);
    assert_eq!(
        booked,
        [
            ("ops".into(), "agent:ops:main".into(), "s-ops-main".into()),
            ("coder".into(), key_session.clone(), String::new()),
            ("coder".into(), key_session, String::new()),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_stream_keeps_what_arrived_and_is_marked_incomplete() {
    let f = fixture().await;
    let incomplete = |f: &Fixture| -> Vec<(u64, u64, Option<String>)> {
        f.state.meter().flush();
        f.store
            .read(|c| {
                let mut stmt = c.prepare("SELECT input_tokens, cache_read_tokens, incomplete FROM model_calls ORDER BY rowid")?;
                let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64, r.get(2)?)))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .unwrap()
    };
    // The provider breaks off: the client gets the protocol's error event.
    let cut = f
        .post(
            "/v1/messages",
            json!({"model": "cutter/cut-model", "stream": true, "max_tokens": 10, "messages": []}),
        )
        .await;
    let text = cut.text().await.unwrap();
    assert!(text.contains("event: error"), "{text}");
    let rows = incomplete(&f);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].0, rows[0].1),
        (11, 400),
        "the usage that arrived counts"
    );
    assert!(
        rows[0].2.as_deref().unwrap().contains("broke off"),
        "{rows:?}"
    );

    // The client goes away after the first event.
    let hang = f
        .post(
            "/v1/messages",
            json!({"model": "hanger/hang-model", "stream": true, "max_tokens": 10, "messages": []}),
        )
        .await;
    let mut body = hang.bytes_stream();
    use futures_util::StreamExt;
    assert!(body.next().await.is_some());
    drop(body);
    let rows = clawtower_core::blocking::run(|| {
        for _ in 0..100 {
            let rows = incomplete(&f);
            if rows.len() == 2 {
                return rows;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        incomplete(&f)
    });
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[1].2.as_deref().unwrap().contains("client went away"),
        "{rows:?}"
    );
    let activity = f
        .store
        .read(|c| clawtower_router::activity::recent(c, 0, 10))
        .unwrap();
    assert!(
        activity.iter().all(|a| a.outcome == "incomplete"),
        "{activity:?}"
    );
}

/// The router keeps its keys, the budgets and the pauses in memory: a change made in this
/// process counts from the very next call, one made by another process (the CLI, a second
/// Clawtower) within a few polls, and a key another process just made works at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_and_pauses_changed_here_or_elsewhere_are_honoured() {
    use clawtower_control::budget::BudgetScope;
    use clawtower_control::pause;
    use clawtower_router::keys::revoke;

    let f = fixture().await;
    let chat = json!({"model": "stub/stub-model", "messages": [{"role": "user", "content": "hi"}]});
    let call = |key: String| {
        let (url, chat) = (format!("{}/v1/chat/completions", f.router), chat.clone());
        async move {
            let answer = reqwest::Client::new()
                .post(url)
                .bearer_auth(key)
                .json(&chat)
                .send()
                .await
                .unwrap();
            let status = answer.status().as_u16();
            (status, answer.text().await.unwrap())
        }
    };
    assert_eq!(call(f.key.clone()).await.0, 200);

    // Another process: its own store on the same file.
    let other = Store::open(f.store.path().unwrap()).unwrap();
    let (view, second) = other.with_conn(coder_key).unwrap();
    assert_eq!(
        call(second.clone()).await.0,
        200,
        "made elsewhere: works at once"
    );

    // Revoked here: refused from the next call.
    let first_id = f.store.read(|c| clawtower_router::keys::list(c)).unwrap();
    let first_id = first_id.iter().find(|k| k.id != view.id).unwrap().id;
    f.store.with_conn(|c| revoke(c, first_id, 2)).unwrap();
    let (status, body) = call(f.key.clone()).await;
    assert_eq!((status, body.contains("revoked")), (401, true), "{body}");

    // Revoked elsewhere, then paused elsewhere: seen within a few polls.
    other.with_conn(|c| revoke(c, view.id, 2)).unwrap();
    let until = |want: u16, key: String| async move {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let (status, body) = call(key.clone()).await;
            if status == want {
                return body;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "still {status}: {body}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    until(401, second).await;
    let third = other.with_conn(|c| Ok(coder_key(c)?.1)).unwrap();
    assert_eq!(call(third.clone()).await.0, 200);
    other
        .with_conn(|c| {
            let scope = BudgetScope::Agent("coder".into());
            pause::begin(c, &scope, "a test pause", None, "", 3).map(|_| ())
        })
        .unwrap();
    let body = until(400, third).await;
    assert!(body.contains("paused these calls"), "{body}");
}
