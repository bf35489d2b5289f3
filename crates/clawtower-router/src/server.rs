//! The router's HTTP surface: OpenAI- and Anthropic-compatible endpoints behind virtual keys,
//! each request routed to its targets in order (falling back on connection errors, timeouts, 408,
//! 429 and 5xx, never on a client's own error) and metered into the ledger.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::StreamExt;
use serde_json::json;

use crate::attachments::{self, Attachment, KEY_HEADER, ROUTE_PREFIX};
use crate::body::JsonObject;
use crate::breaker::{retry_after, Breakers};
use crate::catalog::{resolve, RouteError};
use crate::config::{Config, Provider, ProviderKey, ProviderKind};
use crate::errors::too_many;
use crate::errors::{answer, Shape};
use crate::keys::{self, KeyRefusal, KeyTable, KeyView};
use crate::limits::KeyUse;
use crate::meter::{session_key, Meter, RoutedCall};
use crate::rules::{Facts, HINT_HEADER};
use crate::sessions::{session_id, without_session_headers, SessionOwners};
use crate::stream::MeteredStream;
use crate::usage::{from_json, Metered, Protocol, StreamMeter};
use crate::worst_case::worst_case;
use clawtower_core::gate::{Admission, Gate, Refusal, Ticket};
use clawtower_core::period::now_ms;
use clawtower_ledger::pricing::PriceBook;
use clawtower_ledger::transcript::SessionContext;
use clawtower_store::routed::RouterRequest;
use clawtower_store::router_refusals::RefusedCall;
use clawtower_store::{PolicyCache, Store};

/// The most of a refusal's reason the request log keeps, in characters.
const REFUSAL_REASON_CHARS: usize = 500;

/// The client calls go upstream with: pooled connections, the config's connect timeout.
fn http_client(connect_timeout: std::time::Duration) -> reqwest::Client {
    clawtower_core::tls::install_provider();
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .pool_idle_timeout(std::time::Duration::from_secs(90))
        // Upstreams are the ones in the config; a system proxy is not silently put between.
        .no_proxy()
        .build()
        .expect("the HTTP client builds")
}

/// What the handlers share.
pub struct RouterState {
    /// Replaced whole when it is read again ([`RouterState::replace_config`]).
    config: std::sync::RwLock<Arc<Config>>,
    /// Built beside the listener (loading the system's CA certificates is most of a cold start):
    /// the first call waits for it if it is not ready yet.
    http: Arc<OnceLock<reqwest::Client>>,
    store: Arc<Store>,
    /// The keys, kept in memory while they do not change.
    keys: PolicyCache<KeyTable>,
    /// The routed OpenClaw providers by id, kept the same way.
    attachments: PolicyCache<HashMap<String, Attachment>>,
    meter: Meter,
    book: PriceBook,
    gate: Option<Arc<dyn Gate>>,
    breakers: Breakers,
    limits: Arc<KeyUse>,
    /// The OpenClaw sessions attached providers' calls came from.
    sessions: SessionOwners,
}

impl RouterState {
    /// The state for `config`, storing calls in `store` through `meter`, worst cases priced by
    /// `book`. No budget gate until [`RouterState::with_gate`].
    pub fn new(config: Config, store: Arc<Store>, meter: Meter, book: PriceBook) -> Self {
        let http = Arc::new(OnceLock::new());
        let (warming, timeout) = (http.clone(), config.settings.connect_timeout);
        let warm = move || {
            warming.get_or_init(|| http_client(timeout));
        };
        if std::thread::Builder::new()
            .name("router-http".into())
            .spawn(warm)
            .is_err()
        {
            tracing::warn!("the HTTP client is built on the first call instead");
        }
        let (config_breaker, store_for_breakers) = (config.settings.breaker, store.clone());
        let state = RouterState {
            config: std::sync::RwLock::new(Arc::new(config)),
            http,
            keys: PolicyCache::new(store.clone(), keys::table),
            attachments: PolicyCache::new(store.clone(), attachments::by_provider),
            store,
            meter,
            book,
            gate: None,
            breakers: Breakers::load(config_breaker, store_for_breakers),
            limits: Arc::default(),
            sessions: SessionOwners::default(),
        };
        // The keys and attachments are read now, before calls come: else the first calls,
        // arriving together, would each read them (each handing its worker's tasks to a new
        // thread, with a database connection of its own). A failed read is tried again by the
        // first call.
        let _ = (state.keys.get(), state.attachments.get());
        state
    }

    /// The client calls go upstream with.
    fn http(&self) -> &reqwest::Client {
        self.http
            .get_or_init(|| http_client(self.config().settings.connect_timeout))
    }

    /// Every call passes `gate` first (the budgets' hard limit).
    pub fn with_gate(mut self, gate: Arc<dyn Gate>) -> Self {
        self.gate = Some(gate);
        self
    }

    /// Keeps a call of `key` for `model` that the router refused with `status` for the request
    /// log, and answers it.
    fn refuse(
        &self,
        shape: Shape,
        key: &KeyView,
        model: &str,
        status: StatusCode,
        why: &str,
    ) -> Response {
        self.log_refusal(key, model, status, why);
        answer(shape, status, why)
    }

    /// Keeps a refused call for the request log (the model and the reason cut short: both may
    /// quote what the client sent).
    fn log_refusal(&self, key: &KeyView, model: &str, status: StatusCode, why: &str) {
        self.meter.refused(RefusedCall {
            ts_ms: now_ms(),
            key_id: key.id,
            agent_id: key.agent_id.clone(),
            model: ascii(model),
            status: status.as_u16(),
            reason: clawtower_core::text::at_most(why, REFUSAL_REASON_CHARS),
        });
    }

    /// Stores a finished call, and counts its tokens against its key's per-minute limit.
    fn record(&self, call: RoutedCall) {
        self.limits
            .used_tokens(call.key_id, call.ts_ms, call.usage.total());
        self.meter.record(call);
    }

    /// The configuration it runs with.
    pub fn config(&self) -> Arc<Config> {
        self.config
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Runs with `config` from the next request on (calls in progress finish with the one they
    /// started with). Its listening address and its upstream client's connect timeout are not
    /// changed: those need a restart.
    pub fn replace_config(&self, config: Config) {
        *self.config.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(config);
    }

    /// The providers' circuit breakers.
    pub fn breakers(&self) -> &Breakers {
        &self.breakers
    }

    /// The meter (tests wait on it).
    pub fn meter(&self) -> &Meter {
        &self.meter
    }
}

/// One endpoint the router serves.
#[derive(Debug, Clone, Copy)]
struct Endpoint {
    /// After the provider's base URL.
    path: &'static str,
    kind: ProviderKind,
    /// How to read its usage; `None`: not a model call (token counting).
    protocol: Option<Protocol>,
}

const CHAT: Endpoint = Endpoint {
    path: "chat/completions",
    kind: ProviderKind::OpenAi,
    protocol: Some(Protocol::OpenAiChat),
};
const RESPONSES: Endpoint = Endpoint {
    path: "responses",
    kind: ProviderKind::OpenAi,
    protocol: Some(Protocol::OpenAiResponses),
};
const EMBEDDINGS: Endpoint = Endpoint {
    path: "embeddings",
    kind: ProviderKind::OpenAi,
    protocol: Some(Protocol::OpenAiChat),
};
const MESSAGES: Endpoint = Endpoint {
    path: "messages",
    kind: ProviderKind::Anthropic,
    protocol: Some(Protocol::Anthropic),
};
const COUNT_TOKENS: Endpoint = Endpoint {
    path: "messages/count_tokens",
    kind: ProviderKind::Anthropic,
    protocol: None,
};

impl Endpoint {
    fn shape(self) -> Shape {
        match self.kind {
            ProviderKind::OpenAi => Shape::OpenAi,
            ProviderKind::Anthropic => Shape::Anthropic,
        }
    }
}

/// The router's routes over `state`: each endpoint at `/v1/…`, and again at
/// `/openclaw/<provider>/v1/…` for an OpenClaw provider routed through the router (the call goes
/// to that provider alone, with OpenClaw's own credential; see [`crate::attachments`]).
pub fn app(state: Arc<RouterState>) -> axum::Router {
    let route = |endpoint: Endpoint| {
        post(
            move |State(state): State<Arc<RouterState>>, headers: HeaderMap, body: Body| {
                forward(state, endpoint, None, headers, body)
            },
        )
    };
    let attached = |endpoint: Endpoint| {
        post(
            move |State(state): State<Arc<RouterState>>,
                  Path(provider): Path<String>,
                  headers: HeaderMap,
                  body: Body| {
                forward(state, endpoint, Some(provider), headers, body)
            },
        )
    };
    let mut router = axum::Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/v1/models", get(models))
        .route(
            &format!("{ROUTE_PREFIX}/{{provider}}/v1/models"),
            get(attached_models),
        );
    for endpoint in [CHAT, RESPONSES, EMBEDDINGS, MESSAGES, COUNT_TOKENS] {
        let path = endpoint.path;
        router = router.route(&format!("/v1/{path}"), route(endpoint)).route(
            &format!("{ROUTE_PREFIX}/{{provider}}/v1/{path}"),
            attached(endpoint),
        );
    }
    router.with_state(state)
}

/// The key a client presented: `Authorization: Bearer …` (OpenAI SDKs) or `x-api-key`
/// (Anthropic's).
fn presented_key(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        });
    bearer.or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
}

/// The key the request presents (for an attached OpenClaw provider, in [`KEY_HEADER`]: its
/// `Authorization` is OpenClaw's credential for the provider), checked.
async fn admit(
    state: &RouterState,
    headers: &HeaderMap,
    shape: Shape,
    attached: bool,
) -> Result<KeyView, Response> {
    let presented = if attached {
        headers.get(KEY_HEADER).and_then(|v| v.to_str().ok())
    } else {
        presented_key(headers)
    };
    match key_for(state, presented) {
        Ok(Ok(key)) => Ok(key),
        Ok(Err(refusal)) => Err(answer(
            shape,
            StatusCode::UNAUTHORIZED,
            &refusal.to_string(),
        )),
        Err(e) => Err(answer(
            shape,
            StatusCode::SERVICE_UNAVAILABLE,
            &format!("the router cannot read its keys: {e}"),
        )),
    }
}

/// The key behind what a client presented, from the keys kept in memory; one the kept keys do
/// not know is looked up in the database (another process may have made it within the last
/// [`clawtower_store::POLICY_POLL`]).
fn key_for(
    state: &RouterState,
    presented: Option<&str>,
) -> clawtower_core::Result<Result<KeyView, KeyRefusal>> {
    let now = now_ms();
    let hash = match keys::presented_digest(presented) {
        Ok(hash) => hash,
        Err(refusal) => return Ok(Err(refusal)),
    };
    if let Some(key) = state.keys.get()?.get(&hash) {
        return Ok(keys::judge(Some(key), now));
    }
    state.store.read(|c| keys::authenticate(c, presented, now))
}

/// Whom a model list is for: an Anthropic client (it sends `anthropic-version`) or an OpenAI one.
fn list_shape(headers: &HeaderMap) -> Shape {
    if headers.contains_key("anthropic-version") {
        Shape::Anthropic
    } else {
        Shape::OpenAi
    }
}

async fn models(State(state): State<Arc<RouterState>>, headers: HeaderMap) -> Response {
    let shape = list_shape(&headers);
    let anthropic = shape == Shape::Anthropic;
    if let Err(refused) = admit(&state, &headers, shape, false).await {
        return refused;
    }
    let config = state.config();
    let mut ids: Vec<(String, &str)> = Vec::new();
    for provider in config.providers.iter().filter(|p| p.disabled().is_none()) {
        for model in &provider.models {
            ids.push((format!("{}/{model}", provider.id), &provider.id));
        }
    }
    for alias in &config.aliases {
        ids.push((alias.name.clone(), "clawtower"));
    }
    let body = if anthropic {
        let data: Vec<_> = ids
            .iter()
            .map(|(id, _)| json!({"type": "model", "id": id, "display_name": id, "created_at": "1970-01-01T00:00:00Z"}))
            .collect();
        json!({"data": data, "has_more": false, "first_id": ids.first().map(|i| &i.0), "last_id": ids.last().map(|i| &i.0)})
    } else {
        let data: Vec<_> = ids
            .iter()
            .map(
                |(id, owner)| json!({"id": id, "object": "model", "created": 0, "owned_by": owner}),
            )
            .collect();
        json!({"object": "list", "data": data})
    };
    axum::Json(body).into_response()
}

/// An attached OpenClaw provider's own model list (`GET …/v1/models` on its routed base URL, as
/// model discovery asks for it), from its upstream with OpenClaw's credential; not a model
/// call, so not metered.
async fn attached_models(
    State(state): State<Arc<RouterState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let started = Instant::now();
    let shape = list_shape(&headers);
    if let Err(refused) = admit(&state, &headers, shape, true).await {
        return refused;
    }
    let provider = match attached_provider(&state, &id, None) {
        Ok(attachment) => attachment.as_provider(),
        Err((status, why)) => return answer(shape, status, &why),
    };
    let sent = Instant::now();
    let response = match send(&state, &provider, "models", &headers, None).await {
        Ok(response) => response,
        Err(why) => {
            let why = format!(
                "the OpenClaw provider \"{}\" did not answer: {why}",
                ascii(&id)
            );
            return answer(shape, StatusCode::BAD_GATEWAY, &why);
        }
    };
    let (status, upstream) = (response.status(), response.headers().clone());
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(e) => {
            let why = format!("the model list broke off: {e}");
            return answer(shape, StatusCode::BAD_GATEWAY, &why);
        }
    };
    let overhead = started.elapsed().saturating_sub(sent.elapsed());
    let route = format!("openclaw provider {} -> models", ascii(&id));
    reply(
        status,
        &upstream,
        Body::from(body),
        &route,
        &provider.id,
        overhead,
    )
}

/// Request headers not passed upstream: the client's credentials (replaced by the provider's),
/// hop-by-hop headers, and encodings the router would have to undo to read usage.
const DROPPED_REQUEST: &[&str] = &[
    "host",
    "authorization",
    "x-api-key",
    "content-length",
    "connection",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "accept-encoding",
    "cookie",
];

/// Response headers not passed back: hop-by-hop ones and the length (the body is re-framed).
const DROPPED_RESPONSE: &[&str] = &[
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "trailer",
    "upgrade",
];

/// Whether a failed attempt should go on to the next target.
fn falls_back(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429) || status.is_server_error()
}

/// Printable ASCII only: header values must be, and a model name comes from the client.
fn ascii(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .take(200)
        .collect()
}

/// A new call's id: `router:` then the time in ms and 8 random bytes, in hex. Time first, so
/// the ledger's indexes on call ids take each new call at their end instead of anywhere (under
/// load, random ids made every insert touch a page of its own, and the meter fell behind).
fn call_id() -> String {
    use rand_core::RngCore;
    let mut bytes = [0u8; 8];
    rand_core::OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("router:{:012x}{hex}", now_ms().max(0))
}

async fn forward(
    state: Arc<RouterState>,
    endpoint: Endpoint,
    attached: Option<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let shape = endpoint.shape();
    let key = match admit(&state, &headers, shape, attached.is_some()).await {
        Ok(key) => key,
        Err(refused) => return refused,
    };
    let config = state.config();
    let limit = config.settings.max_body_bytes;
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        let why = format!(
            "the request body is over the router's limit of {} MiB (or was cut off)",
            limit >> 20
        );
        return state.refuse(shape, &key, "", StatusCode::PAYLOAD_TOO_LARGE, &why);
    };
    let mut request = match JsonObject::parse(&bytes) {
        Ok(request) => request,
        Err(e) => return state.refuse(shape, &key, "", StatusCode::BAD_REQUEST, &e.to_string()),
    };
    let requested = request.str("model").unwrap_or_default();
    let hint = headers.get(HINT_HEADER).and_then(|v| v.to_str().ok());
    let facts = if requested.trim() == "auto" {
        Facts::of(&bytes, request.has("tools"), &key.agent_id, &key.name, hint)
    } else {
        Facts::default()
    };
    let from_openclaw = attached.is_some();
    let attachment = match attached.map(|id| attached_provider(&state, &id, Some(endpoint.kind))) {
        None => None,
        Some(Ok(attachment)) => Some(attachment),
        Some(Err((status, why))) => return state.refuse(shape, &key, &requested, status, &why),
    };
    let attached = attachment.as_ref().map(Attachment::as_provider);
    // The OpenClaw session the call comes from: its agent is the call's, from admission on.
    // (The header value, copied: the headers may be replaced below.)
    let named = session_id(&headers).map(str::to_string);
    let session = match (&attachment, &named) {
        (Some(a), Some(value)) => openclaw_session(&state, a, value).await,
        _ => None,
    };
    let key = match &session {
        Some(s) => KeyView {
            agent_id: s.agent_id.clone(),
            ..key
        },
        None => key,
    };
    let headers = match (&attachment, &named) {
        (Some(a), Some(value)) if a.added_session_headers(&requested) => {
            without_session_headers(&headers, value)
        }
        _ => headers,
    };
    let route = match &attached {
        Some(provider) => Route {
            requested: requested.clone(),
            explanation: format!("openclaw provider {}", provider.id),
            targets: vec![(provider, requested.clone())],
        },
        None => match resolve(&config, &requested, endpoint.kind, &facts) {
            Ok(route) => Route {
                targets: route
                    .targets
                    .iter()
                    .map(|(index, model)| (&config.providers[*index], model.clone()))
                    .collect(),
                requested: route.requested,
                explanation: route.explanation,
            },
            Err(e) => {
                let status = match e {
                    RouteError::Unknown(_) => StatusCode::NOT_FOUND,
                    _ => StatusCode::BAD_REQUEST,
                };
                return state.refuse(shape, &key, &requested, status, &e.to_string());
            }
        },
    };
    if !key.allows(&route.requested) {
        let why = format!(
            "the key \"{}\" may not call \"{}\"",
            key.name,
            ascii(&route.requested)
        );
        return state.refuse(shape, &key, &requested, StatusCode::FORBIDDEN, &why);
    }
    // Held until the call ends (for a stream, until its last byte): the parallel limit.
    let slot = match state.limits.admit(&key, now_ms()) {
        Ok(slot) => slot,
        Err(limited) => {
            state.log_refusal(
                &key,
                &requested,
                StatusCode::TOO_MANY_REQUESTS,
                &limited.message,
            );
            return too_many(shape, limited.retry_after_s, &limited.message);
        }
    };
    let streaming = request.flag("stream");
    let mut tried: Vec<String> = Vec::new();
    let mut last_refusal: Option<Response> = None;
    let mut refused: Vec<String> = Vec::new();
    let routed = |provider: &str, model: &str, usage: Metered, error: Option<String>| RoutedCall {
        from_openclaw,
        session: session.clone(),
        ..routed(&key, provider, model, usage, error)
    };
    let failed = |provider: &Provider, model: &str, why: &str| {
        routed(&provider.id, model, Metered::default(), Some(why.into()))
    };
    // How the call was handled, for the request log.
    let handled = |call: RoutedCall,
                   status: Option<StatusCode>,
                   route: &str,
                   upstream: Duration,
                   overhead: Option<Duration>| RoutedCall {
        request: RouterRequest {
            status: status.map(|s| s.as_u16()),
            route: route.to_string(),
            upstream_ms: Some(upstream.as_secs_f64() * 1000.0),
            overhead_ms: overhead.map(|o| o.as_secs_f64() * 1000.0),
        },
        ..call
    };
    for (i, (provider, model)) in route.targets.iter().enumerate() {
        let provider: &Provider = provider;
        let more = i + 1 < route.targets.len();
        if let Some(why) = provider.disabled() {
            tried.push(format!("{}: disabled ({why})", provider.id));
            continue;
        }
        let call = Call {
            key: &key,
            session: session.as_ref(),
            provider,
            model,
        };
        let ticket = match admit_call(&state, &call, bytes.len(), &request) {
            Ok(ticket) => ticket,
            Err(Refusal(why)) => {
                tried.push(format!("{}: {why}", provider.id));
                refused.push(why);
                continue;
            }
        };
        if let Err(until) = state.breakers.admit(&provider.id, now_ms()) {
            let wait = (until - now_ms()).max(0) / 1000 + 1;
            tried.push(format!(
                "{}: skipped for {wait} s more (circuit open)",
                provider.id
            ));
            continue;
        }
        request.set_str("model", model);
        if streaming
            && endpoint.protocol == Some(Protocol::OpenAiChat)
            && endpoint.path == CHAT.path
        {
            request.include_stream_usage();
        }
        let sent = Instant::now();
        let attempt = send(
            &state,
            provider,
            endpoint.path,
            &headers,
            Some(request.to_vec()),
        )
        .await;
        let explain = |tried: &[String]| {
            let mut route_header =
                format!("{} -> {}/{}", route.explanation, provider.id, ascii(model));
            if !tried.is_empty() {
                route_header.push_str(&format!(" after {}", ascii(&tried.join("; "))));
            }
            route_header
        };
        // A failed attempt at this target, as the request log keeps it.
        let failed_here = |why: &str, status: Option<StatusCode>, tried: &[String]| {
            let call = failed(provider, model, why);
            handled(call, status, &explain(tried), sent.elapsed(), None)
        };
        let response = match attempt {
            Ok(response) => response,
            Err(why) => {
                attempt_failed(&state, failed_here(&why, None, &tried), why, &mut tried);
                continue;
            }
        };
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            let wait = retry_after(
                response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok()),
            );
            state.breakers.cool_down(&provider.id, now_ms(), wait);
        } else if falls_back(status) {
            state.breakers.failure(&provider.id, now_ms());
        } else {
            state.breakers.success(&provider.id);
        }
        if falls_back(status) && more {
            let why = format!("HTTP {}", status.as_u16());
            state.meter.record(failed_here(&why, Some(status), &tried));
            tried.push(format!("{}: {why}", provider.id));
            continue;
        }
        let upstream_headers = response.headers().clone();
        let is_stream = upstream_headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
        if is_stream && status.is_success() {
            let mut upstream = response.bytes_stream().boxed();
            let first =
                tokio::time::timeout(state.config().settings.first_byte_timeout, upstream.next())
                    .await;
            let first = match first {
                Ok(Some(Ok(first))) => first,
                other => {
                    let why = match other {
                        Err(_) => "no first byte in time".to_string(),
                        Ok(Some(Err(e))) => e.to_string(),
                        _ => "an empty stream".to_string(),
                    };
                    let call = failed_here(&why, Some(status), &tried);
                    attempt_failed(&state, call, why, &mut tried);
                    if more {
                        continue;
                    }
                    return all_failed(shape, &tried);
                }
            };
            let first_byte = sent.elapsed();
            let overhead = started.elapsed().saturating_sub(first_byte);
            let route = explain(&tried);
            let meter = StreamMeter::new(endpoint.protocol.unwrap_or(Protocol::OpenAiChat));
            let on_end = {
                let state = state.clone();
                let metered = endpoint.protocol.is_some();
                let call = routed(&provider.id, model, Metered::default(), None);
                let call = handled(call, Some(status), &route, first_byte, Some(overhead));
                Box::new(move |meter: &StreamMeter, error: Option<String>| {
                    if metered {
                        let call = RoutedCall {
                            usage: meter.metered.clone(),
                            error,
                            ts_ms: now_ms(),
                            ..call
                        };
                        state.record(call.holding(ticket));
                    }
                    drop(slot);
                }) as crate::stream::OnEnd
            };
            let body = Body::from_stream(MeteredStream::new(first, upstream, meter, shape, on_end));
            return reply(
                status,
                &upstream_headers,
                body,
                &route,
                &provider.id,
                overhead,
            );
        }
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(e) => {
                let why = format!("the answer broke off: {e}");
                let call = failed_here(&why, Some(status), &tried);
                attempt_failed(&state, call, why, &mut tried);
                if more {
                    continue;
                }
                return all_failed(shape, &tried);
            }
        };
        let upstream_time = sent.elapsed();
        let overhead = started.elapsed().saturating_sub(upstream_time);
        let route = explain(&tried);
        if let Some(protocol) = endpoint.protocol {
            if status.is_success() {
                let usage = from_json(protocol, &body).unwrap_or_default();
                let call = routed(&provider.id, model, usage, None);
                let call = handled(call, Some(status), &route, upstream_time, Some(overhead));
                state.record(call.holding(ticket));
            } else {
                let why = format!("HTTP {}", status.as_u16());
                state.meter.record(failed_here(&why, Some(status), &tried));
            }
        }
        let reply = reply(
            status,
            &upstream_headers,
            Body::from(body),
            &route,
            &provider.id,
            overhead,
        );
        if status.is_success() || !falls_back(status) {
            return reply;
        }
        last_refusal = Some(reply);
    }
    if let Some(reply) = last_refusal {
        return reply;
    }
    if !refused.is_empty() && refused.len() == tried.len() {
        // Refused by the budgets everywhere: 400 with plain words (402, "billing" or "quota"
        // would make OpenClaw disable the credential).
        let why = refused.join("; ");
        return state.refuse(shape, &key, &requested, StatusCode::BAD_REQUEST, &why);
    }
    all_failed(shape, &tried)
}

/// An attempt that got no usable answer: the `failed` call in the ledger, a failure on the
/// provider's breaker, and a line in the route's explanation.
fn attempt_failed(state: &RouterState, failed: RoutedCall, why: String, tried: &mut Vec<String>) {
    state.breakers.failure(&failed.provider, now_ms());
    tried.push(format!("{}: {why}", failed.provider));
    state.meter.record(failed);
}

/// Where a request goes, resolved: the targets in order.
struct Route<'a> {
    requested: String,
    explanation: String,
    targets: Vec<(&'a Provider, String)>,
}

/// The attached OpenClaw provider `id` as the router calls it, or the status and reason to
/// refuse with (not attached: 404, so OpenClaw says so; another protocol's endpoint: 400).
fn attached_provider(
    state: &RouterState,
    id: &str,
    kind: Option<ProviderKind>,
) -> Result<Attachment, (StatusCode, String)> {
    let found = state.attachments.get();
    match found.as_ref().map(|all| all.get(id)) {
        Ok(Some(a)) if kind.is_none_or(|k| k == a.kind) => Ok(a.clone()),
        Ok(Some(_)) => Err((
            StatusCode::BAD_REQUEST,
            format!(
                "the OpenClaw provider \"{}\" speaks another protocol",
                ascii(id)
            ),
        )),
        Ok(None) => Err((
            StatusCode::NOT_FOUND,
            format!(
                "the OpenClaw provider \"{}\" is not routed through Clawtower (detached?)",
                ascii(id)
            ),
        )),
        Err(e) => Err((
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the router cannot read its attachments: {e}"),
        )),
    }
}

/// The session an attached provider's call names in its session-id header `value` (see
/// [`crate::sessions`]), when its OpenClaw state dir is known and has it.
async fn openclaw_session(
    state: &RouterState,
    attachment: &Attachment,
    value: &str,
) -> Option<SessionContext> {
    let dir = attachment.state_dir.as_deref()?;
    state.sessions.find(dir, value).await
}

/// One target of a call, as the gate sees it.
struct Call<'a> {
    key: &'a KeyView,
    /// The OpenClaw session it comes from, when known.
    session: Option<&'a SessionContext>,
    provider: &'a Provider,
    model: &'a str,
}

/// The budget gate's answer for one target (no gate: always admitted).
fn admit_call(
    state: &RouterState,
    call: &Call<'_>,
    body_len: usize,
    request: &JsonObject,
) -> Result<Ticket, Refusal> {
    let Some(gate) = &state.gate else {
        return Ok(Ticket::free());
    };
    let (provider, model) = (&call.provider.id, call.model);
    gate.admit(&Admission {
        agent_id: call.key.agent_id.clone(),
        session_key: call
            .session
            .map_or_else(|| session_key(call.key.id), |s| s.session_key.clone()),
        provider: provider.clone(),
        model: model.to_string(),
        worst_case: worst_case(&state.book, provider, model, body_len, request),
        budget_id: call.key.limits.budget_id,
    })
}

fn all_failed(shape: Shape, tried: &[String]) -> Response {
    answer(
        shape,
        StatusCode::BAD_GATEWAY,
        &format!("every target failed: {}", tried.join("; ")),
    )
}

/// Sends a request to `provider` at `path` after its base URL (a POST of `body`, or a GET
/// without one), its credential replacing the client's unless the client's is the one to use.
async fn send(
    state: &RouterState,
    provider: &Provider,
    path: &str,
    headers: &HeaderMap,
    body: Option<Vec<u8>>,
) -> Result<reqwest::Response, String> {
    let url = format!("{}/{path}", provider.base_url);
    let mut request = match body {
        Some(body) => state.http().post(&url).body(body),
        None => state.http().get(&url),
    };
    let client_credential = matches!(provider.key, ProviderKey::FromClient);
    for (name, value) in headers {
        let name_str = name.as_str();
        let credential = matches!(name_str, "authorization" | "x-api-key");
        let dropped = (DROPPED_REQUEST.contains(&name_str) && !(credential && client_credential))
            || name_str.starts_with("x-clawtower-");
        if !dropped {
            request = request.header(name, value);
        }
    }
    if let ProviderKey::Ready(secret) = &provider.key {
        request = match provider.kind {
            ProviderKind::OpenAi => request.bearer_auth(secret),
            ProviderKind::Anthropic => request.header("x-api-key", secret),
        };
    }
    if provider.kind == ProviderKind::Anthropic && !headers.contains_key("anthropic-version") {
        request = request.header("anthropic-version", "2023-06-01");
    }
    match tokio::time::timeout(state.config().settings.first_byte_timeout, request.send()).await {
        Err(_) => Err("no answer in time".into()),
        Ok(Err(e)) if e.is_connect() => Err("cannot connect".into()),
        Ok(Err(e)) => Err(e.without_url().to_string()),
        Ok(Ok(response)) => Ok(response),
    }
}

fn reply(
    status: StatusCode,
    upstream: &reqwest::header::HeaderMap,
    body: Body,
    route: &str,
    provider: &str,
    overhead: std::time::Duration,
) -> Response {
    let mut response = Response::builder()
        .status(status)
        .body(body)
        .expect("a valid response");
    let headers = response.headers_mut();
    for (name, value) in upstream {
        if !DROPPED_RESPONSE.contains(&name.as_str()) {
            headers.append(name.clone(), value.clone());
        }
    }
    let mut set = |name: &'static str, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    };
    set("x-clawtower-route", route.to_string());
    set("x-clawtower-provider", provider.to_string());
    set(
        "x-clawtower-overhead-ms",
        format!("{:.3}", overhead.as_secs_f64() * 1000.0),
    );
    response
}

fn routed(
    key: &KeyView,
    provider: &str,
    model: &str,
    usage: Metered,
    error: Option<String>,
) -> RoutedCall {
    RoutedCall {
        call_id: call_id(),
        agent_id: key.agent_id.clone(),
        key_id: key.id,
        ts_ms: now_ms(),
        provider: provider.to_string(),
        model: model.to_string(),
        usage,
        error,
        ticket: None,
        from_openclaw: false,
        session: None,
        request: RouterRequest::default(),
    }
}
