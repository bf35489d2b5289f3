//! A connection to one gateway: the authenticated handshake (token + Ed25519 device proof), then
//! requests matched to responses by id (in any order) and events fanned out to subscribers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

use super::device::{DeviceIdentity, SignedConnect};
use super::error::GatewayError;
use super::frame::{self, Event, Incoming, Request, PRE_AUTH_MAX_BYTES};
use super::transport;

/// Scopes Clawtower asks for (read to observe, write/admin/approvals to control).
pub const SCOPES: [&str; 4] = [
    "operator.read",
    "operator.write",
    "operator.admin",
    "operator.approvals",
];
/// How Clawtower identifies itself. The gateway accepts a fixed set of ids and modes; with
/// `gateway-client`/`backend` it skips device auth altogether (verified on 2026.9.6), while `cli`
/// gets the device proof checked, the device paired and a device token issued.
const CLIENT_ID: &str = "cli";
const CLIENT_MODE: &str = "cli";
const ROLE: &str = "operator";
/// The gateway's frame limit until `hello-ok` says otherwise (`policy.maxPayload`: a constant
/// 25 MiB in OpenClaw's gateway server).
const DEFAULT_MAX_PAYLOAD: usize = 25 * 1024 * 1024;
/// Queue bounds: outgoing frames and undelivered events per subscriber.
const OUTGOING_QUEUE: usize = 256;
const EVENT_QUEUE: usize = 1024;

/// Where and how to connect. The token and password are secrets: they are never printed.
#[derive(Clone, Default, PartialEq)]
pub struct Target {
    /// `ws://host:port/` (or `wss://`).
    pub url: String,
    /// The shared gateway token, if any.
    pub token: Option<String>,
    /// The gateway password (`gateway.auth.mode = password`), if any.
    pub password: Option<String>,
}

/// A URL for `Debug` and logs: user info and query (where a token may hide) are `<redacted>`;
/// text that is not a URL is redacted whole.
pub fn redact_url(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return "<redacted>".into();
    };
    let userinfo = !parsed.username().is_empty() || parsed.password().is_some();
    let query = parsed.query().is_some();
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    parsed.set_query(None);
    parsed.set_fragment(None);
    let mut out = parsed.to_string();
    if userinfo {
        if let Some(at) = out.find("://").map(|i| i + 3) {
            out.insert_str(at, "<redacted>@");
        }
    }
    if query {
        out.push_str("?<redacted>");
    }
    out
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |secret: &Option<String>| secret.as_ref().map(|_| "<redacted>");
        f.debug_struct("Target")
            .field("url", &redact_url(&self.url))
            .field("token", &set(&self.token))
            .field("password", &set(&self.password))
            .finish()
    }
}

impl Target {
    /// A gateway at `url` with an optional shared token (no password).
    pub fn new(url: impl Into<String>, token: Option<String>) -> Target {
        Target {
            url: url.into(),
            token,
            password: None,
        }
    }

    /// The local gateway of the OpenClaw install OpenClaw itself would use (or `explicit`):
    /// `ws://127.0.0.1:<port>/` from openclaw.json, the token from OPENCLAW_GATEWAY_TOKEN or the
    /// config, and in password mode the password from OPENCLAW_GATEWAY_PASSWORD or the config
    /// (as OpenClaw's own CLI finds them). OpenClaw's defaults apply when there is no config.
    pub fn detect(
        env: &clawtower_openclaw::OpenClawEnv,
        explicit: Option<&std::path::Path>,
    ) -> Target {
        use clawtower_openclaw::{locate, OpenClawConfig};
        let config =
            locate(env, explicit).and_then(|l| OpenClawConfig::load(&l.config_path).ok().flatten());
        Target::from_config(env, config.as_ref())
    }

    /// The local gateway as `config` (openclaw.json, if there is one) and the environment name
    /// it; see [`Target::detect`].
    pub fn from_config(
        env: &clawtower_openclaw::OpenClawEnv,
        config: Option<&clawtower_openclaw::OpenClawConfig>,
    ) -> Target {
        use clawtower_openclaw::config::{default_gateway, AuthMode};
        use clawtower_openclaw::OpenClawConfig;
        let settings = config
            .map(|c| c.gateway(env))
            .unwrap_or_else(|| default_gateway(env));
        let password = match settings.auth_mode {
            AuthMode::Password => config.and_then(OpenClawConfig::gateway_password),
            _ => None,
        };
        Target {
            url: format!("ws://127.0.0.1:{}/", settings.port),
            token: config.and_then(OpenClawConfig::gateway_token),
            password,
        }
    }
}

/// What the gateway said about itself and this connection (`hello-ok`). `Debug` leaves out the
/// device token.
#[derive(Clone, PartialEq)]
pub struct Hello {
    /// Protocol version (4).
    pub protocol: u64,
    /// Gateway version, e.g. `2026.9.6`.
    pub server_version: String,
    /// Auth method used (`token`, `device-token`…).
    pub auth_method: String,
    /// Scopes granted.
    pub scopes: Vec<String>,
    /// Methods the gateway advertises (not exhaustive).
    pub methods: Vec<String>,
    /// Largest frame the gateway accepts and sends.
    pub max_payload: usize,
    /// Tick interval: silence longer than twice this means the connection is dead.
    pub tick_interval_ms: u64,
    /// Whether a device token was issued (it is a secret; kept by the caller, never printed).
    pub device_token: Option<String>,
}

impl std::fmt::Debug for Hello {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hello")
            .field("protocol", &self.protocol)
            .field("server_version", &self.server_version)
            .field("auth_method", &self.auth_method)
            .field("scopes", &self.scopes)
            .field("methods", &self.methods)
            .field("max_payload", &self.max_payload)
            .field("tick_interval_ms", &self.tick_interval_ms)
            .field(
                "device_token",
                &self.device_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

type Pending = Arc<Mutex<HashMap<String, oneshot::Sender<Result<Value, GatewayError>>>>>;

/// An open, authenticated connection.
pub struct GatewayClient {
    url: String,
    hello: Hello,
    outgoing: mpsc::Sender<Message>,
    pending: Pending,
    events: broadcast::Sender<Event>,
    /// Why the connection closed, once it has.
    closed: watch::Receiver<Option<String>>,
    next_id: AtomicU64,
}

impl GatewayClient {
    /// Connects and authenticates, or says exactly why not. The shared token comes first; the
    /// device token this gateway issued earlier is offered when there is no shared token or the
    /// gateway refuses it (OpenClaw's `retry_with_device_token`). A newly issued device token is
    /// kept for next time.
    pub async fn connect(
        target: &Target,
        identity: &DeviceIdentity,
        timeout: Duration,
    ) -> Result<Self, GatewayError> {
        if target.password.is_some() {
            // Password auth: the password alone, as OpenClaw's own client sends it.
            return Self::connect_with(target, None, identity, timeout).await;
        }
        let kept = identity.device_token(&target.url);
        let first = target.token.clone().or_else(|| kept.clone());
        let outcome = match Self::connect_with(target, first.as_deref(), identity, timeout).await {
            Err(GatewayError::TokenMismatch) if kept.is_some() && kept != first => {
                Self::connect_with(target, kept.as_deref(), identity, timeout).await
            }
            outcome => outcome,
        };
        if let Ok(client) = &outcome {
            if let Some(issued) = &client.hello.device_token {
                identity.remember_device_token(&target.url, issued);
            }
        }
        outcome
    }

    async fn connect_with(
        target: &Target,
        token: Option<&str>,
        identity: &DeviceIdentity,
        timeout: Duration,
    ) -> Result<Self, GatewayError> {
        let unreachable = |reason: String| GatewayError::Unreachable {
            url: target.url.clone(),
            reason,
        };
        // tungstenite would otherwise buffer messages of up to 64 MiB before anything here can
        // refuse them: bounded at the gateway's own frame limit from the first byte, and until
        // the challenge is answered the socket reads no more than 64 KiB at all.
        let limits = WebSocketConfig::default()
            .max_message_size(Some(DEFAULT_MAX_PAYLOAD))
            .max_frame_size(Some(DEFAULT_MAX_PAYLOAD));
        let (socket, read_cap) =
            tokio::time::timeout(timeout, transport::open(&target.url, limits))
                .await
                .map_err(|_| unreachable("no answer".into()))?
                .map_err(unreachable)?;
        let (mut sink, mut stream) = socket.split();

        let challenge = first_frame(
            &mut stream,
            timeout,
            PRE_AUTH_MAX_BYTES,
            "connect.challenge",
            |frame| match frame {
                Incoming::Event(event) if event.event == "connect.challenge" => Some(event.payload),
                _ => None,
            },
        )
        .await?;
        let nonce = challenge
            .get("nonce")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let signed_at = challenge
            .get("ts")
            .and_then(Value::as_i64)
            .unwrap_or_default();

        let sent_token = token.unwrap_or_default();
        let platform = std::env::consts::OS;
        let signature = identity.sign(&SignedConnect {
            client_id: CLIENT_ID,
            client_mode: CLIENT_MODE,
            role: ROLE,
            scopes: &SCOPES,
            signed_at_ms: signed_at,
            token: sent_token,
            nonce: &nonce,
            platform,
            device_family: "",
        });
        let mut params = json!({
            "minProtocol": 4, "maxProtocol": 4,
            "client": {"id": CLIENT_ID, "version": clawtower_core::VERSION, "platform": platform, "mode": CLIENT_MODE, "displayName": "Clawtower"},
            "role": ROLE, "scopes": SCOPES, "caps": ["tool-events"],
            "userAgent": format!("clawtower/{}", clawtower_core::VERSION),
            "device": {"id": identity.id(), "publicKey": identity.public_key(), "signature": signature, "signedAt": signed_at, "nonce": nonce},
        });
        if let Some(password) = &target.password {
            params["auth"] = json!({"password": password});
        } else if let Some(token) = token {
            params["auth"] = json!({"token": token});
        }
        let id = "connect".to_string();
        let request = serde_json::to_string(&Request {
            kind: "req",
            id: &id,
            method: "connect",
            params: &params,
        })
        .map_err(|e| GatewayError::Protocol(e.to_string()))?;
        sink.send(Message::text(request))
            .await
            .map_err(|e| GatewayError::Closed {
                reason: e.to_string(),
            })?;
        // Answered: its hello may be as large as the gateway's frames.
        read_cap.lift();

        let answer = first_frame(
            &mut stream,
            timeout,
            DEFAULT_MAX_PAYLOAD,
            "connect",
            |frame| match frame {
                Incoming::Res(res) if res.id == id => Some(res),
                _ => None,
            },
        )
        .await?;
        if !answer.ok {
            let error = answer.error.unwrap_or(frame::RpcError {
                code: "UNKNOWN".into(),
                message: String::new(),
                details: Value::Null,
                retryable: false,
                retry_after_ms: None,
            });
            return Err(GatewayError::from_rpc("connect", &error));
        }
        let hello = parse_hello(&answer.payload);

        let (outgoing, mut to_send) = mpsc::channel::<Message>(OUTGOING_QUEUE);
        tokio::spawn(async move {
            while let Some(message) = to_send.recv().await {
                if sink.send(message).await.is_err() {
                    break;
                }
            }
            let _ = sink.close().await;
        });
        let pending: Pending = Arc::new(Mutex::new(HashMap::new()));
        let (events, _) = broadcast::channel(EVENT_QUEUE);
        let (reader_pending, reader_events, limit) =
            (pending.clone(), events.clone(), hello.max_payload);
        let (closed_tx, closed) = watch::channel(None);
        tokio::spawn(async move {
            let mut reason = String::from("closed by the gateway");
            while let Some(message) = stream.next().await {
                let text = match message
                    .map_err(|e| e.to_string())
                    .and_then(|m| text_of(m).map_err(|e| e.to_string()))
                {
                    Ok(Some(text)) => text,
                    Ok(None) => continue,
                    Err(e) => {
                        reason = e;
                        break;
                    }
                };
                match frame::decode(&text, limit) {
                    Ok(Incoming::Res(res)) => {
                        let waiter = reader_pending
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .remove(&res.id);
                        if let Some(waiter) = waiter {
                            let _ = waiter.send(match (res.ok, res.error) {
                                (true, _) => Ok(res.payload),
                                // The method name is filled in by `request`, which knows it.
                                (false, Some(error)) => Err(GatewayError::from_rpc("", &error)),
                                (false, None) => Err(GatewayError::Protocol(
                                    "error answer without an error".into(),
                                )),
                            });
                        }
                    }
                    Ok(Incoming::Event(event)) => {
                        let _ = reader_events.send(event);
                    }
                    Err(e) => tracing::warn!(%e, "ignoring a gateway frame"),
                }
            }
            for (_, waiter) in reader_pending
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .drain()
            {
                let _ = waiter.send(Err(GatewayError::Closed {
                    reason: reason.clone(),
                }));
            }
            let _ = closed_tx.send(Some(reason));
        });
        Ok(GatewayClient {
            url: target.url.clone(),
            hello,
            outgoing,
            pending,
            events,
            closed,
            next_id: AtomicU64::new(1),
        })
    }

    /// The gateway's `hello-ok`.
    pub fn hello(&self) -> &Hello {
        &self.hello
    }

    /// The URL connected to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Events from now on (`tick`, `session.message`, `shutdown`…). A subscriber that falls more
    /// than 1,024 events behind loses the oldest (bounded memory) and is told so by the receiver.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Waits until the connection closes (however it closes); returns why.
    pub async fn closed(&self) -> String {
        let mut closed = self.closed.clone();
        let reason = match closed.wait_for(Option::is_some).await {
            Ok(reason) => reason.clone(),
            Err(_) => None,
        };
        reason.unwrap_or_else(|| "connection lost".into())
    }

    /// Calls `method` and waits for its answer.
    pub async fn request(
        &self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, GatewayError> {
        let id = format!("r{}", self.next_id.fetch_add(1, Ordering::Relaxed));
        let (tx, rx) = oneshot::channel();
        self.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.clone(), tx);
        let text = serde_json::to_string(&Request {
            kind: "req",
            id: &id,
            method,
            params: &params,
        })
        .map_err(|e| GatewayError::Protocol(e.to_string()))?;
        if text.len() > self.hello.max_payload {
            self.pending
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&id);
            return Err(GatewayError::Protocol(format!(
                "{method}: request of {} bytes exceeds the gateway's {}-byte limit",
                text.len(),
                self.hello.max_payload
            )));
        }
        // The timeout covers queueing the request too: a stalled connection with a full send
        // queue must not hold the caller longer than an unanswered request would.
        let exchange = async {
            if self.outgoing.send(Message::text(text)).await.is_err() {
                return Err(GatewayError::Closed {
                    reason: "the connection is gone".into(),
                });
            }
            rx.await.unwrap_or_else(|_| {
                Err(GatewayError::Closed {
                    reason: "the connection is gone".into(),
                })
            })
        };
        // A connection that closes (or closed before) ends the wait at once: nobody would answer.
        let exchange = async {
            tokio::select! {
                answer = exchange => answer,
                reason = self.closed() => Err(GatewayError::Closed { reason }),
            }
        };
        let answer = tokio::time::timeout(timeout, exchange)
            .await
            .unwrap_or_else(|_| {
                Err(GatewayError::Timeout {
                    method: method.into(),
                    after_ms: timeout.as_millis() as u64,
                })
            });
        if answer.is_err() {
            self.pending
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(&id);
        }
        answer.map_err(|e| e.for_method(method))
    }
}

impl GatewayError {
    fn for_method(self, method: &str) -> Self {
        match self {
            GatewayError::Rpc { code, message, .. } => GatewayError::Rpc {
                method: method.into(),
                code,
                message,
            },
            GatewayError::MissingScope { scope, .. } => GatewayError::MissingScope {
                method: method.into(),
                scope,
            },
            other => other,
        }
    }
}

/// Reads frames during the handshake until `pick` accepts one (others are ignored), within
/// `timeout`, refusing frames over `limit` bytes.
async fn first_frame<S, T>(
    stream: &mut S,
    timeout: Duration,
    limit: usize,
    waiting_for: &str,
    pick: impl Fn(Incoming) -> Option<T>,
) -> Result<T, GatewayError>
where
    S: futures_util::Stream<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    let read = async {
        while let Some(message) = stream.next().await {
            let message = message.map_err(|e| GatewayError::Closed {
                reason: e.to_string(),
            })?;
            let Some(text) = text_of(message)? else {
                continue;
            };
            let frame =
                frame::decode(&text, limit).map_err(|e| GatewayError::Protocol(e.to_string()))?;
            if let Some(found) = pick(frame) {
                return Ok(found);
            }
        }
        Err(GatewayError::Closed {
            reason: format!("closed while waiting for {waiting_for}"),
        })
    };
    tokio::time::timeout(timeout, read)
        .await
        .map_err(|_| GatewayError::Timeout {
            method: waiting_for.into(),
            after_ms: timeout.as_millis() as u64,
        })?
}

/// The text of a message; `None` for pings, pongs and binary frames; an error for a close.
fn text_of(message: Message) -> Result<Option<String>, GatewayError> {
    match message {
        Message::Text(text) => Ok(Some(text.to_string())),
        Message::Close(frame) => Err(GatewayError::Closed {
            reason: frame
                .map(|f| format!("{} {}", u16::from(f.code), f.reason))
                .unwrap_or_else(|| "no reason".into()),
        }),
        _ => Ok(None),
    }
}

fn parse_hello(payload: &Value) -> Hello {
    let strings = |v: &Value| {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    Hello {
        protocol: payload["protocol"].as_u64().unwrap_or(0),
        server_version: payload["server"]["version"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        auth_method: payload["auth"]["method"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        scopes: strings(&payload["auth"]["scopes"]),
        methods: strings(&payload["features"]["methods"]),
        max_payload: payload["policy"]["maxPayload"]
            .as_u64()
            .map_or(DEFAULT_MAX_PAYLOAD, |n| n as usize),
        tick_interval_ms: payload["policy"]["tickIntervalMs"]
            .as_u64()
            .unwrap_or(30_000),
        device_token: payload["auth"]["deviceToken"].as_str().map(String::from),
    }
}
