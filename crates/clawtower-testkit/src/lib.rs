//! Test peers on loopback for the crates' tests (never shipped): a WebSocket peer that speaks
//! the gateway's handshake (challenge, checked device signature, hello) and a scripted gateway
//! with sessions, channels and cron jobs ([`scripted`]).

pub mod scripted;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use clawtower_gateway::DeviceIdentity;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

/// The peer side of a connection.
pub type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// Starts a peer that runs `script` on the first connection; returns its URL.
pub async fn peer<F, Fut>(script: F) -> String
where
    F: FnOnce(Socket) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        script(tokio_tungstenite::accept_async(tcp).await.unwrap()).await;
    });
    url
}

/// The next text frame as JSON.
pub async fn recv(ws: &mut Socket) -> Value {
    loop {
        match ws.next().await.unwrap().unwrap() {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            _ => continue,
        }
    }
}

/// Sends a JSON frame.
pub async fn send(ws: &mut Socket, frame: Value) {
    ws.send(Message::text(frame.to_string())).await.unwrap();
}

/// Challenge, check the connect request's signature, answer hello-ok with `max_payload`.
pub async fn handshake(ws: &mut Socket, max_payload: u64) -> Value {
    send(ws, json!({"type":"event","event":"connect.challenge","payload":{"nonce":"n-1","ts":1795230449912i64}})).await;
    let connect = recv(ws).await;
    let p = &connect["params"];
    let device = &p["device"];
    let scopes: Vec<&str> = p["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let payload = format!(
        "v3|{}|{}|{}|{}|{}|{}|{}|{}|{}|",
        device["id"].as_str().unwrap(),
        p["client"]["id"].as_str().unwrap(),
        p["client"]["mode"].as_str().unwrap(),
        p["role"].as_str().unwrap(),
        scopes.join(","),
        device["signedAt"],
        p["auth"]["token"].as_str().unwrap_or(""),
        device["nonce"].as_str().unwrap(),
        p["client"]["platform"].as_str().unwrap().to_lowercase(),
    );
    let key: [u8; 32] = URL_SAFE_NO_PAD
        .decode(device["publicKey"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let sig: [u8; 64] = URL_SAFE_NO_PAD
        .decode(device["signature"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    VerifyingKey::from_bytes(&key)
        .unwrap()
        .verify(payload.as_bytes(), &Signature::from_bytes(&sig))
        .expect("the device signature must verify");
    send(
        ws,
        json!({"type":"res","id":connect["id"],"ok":true,"payload":{"type":"hello-ok","protocol":4,
        "server":{"version":"2026.9.6"},"features":{"methods":["health","status"]},
        "auth":{"method":"token","scopes":scopes,"deviceToken":"secret-device-token"},
        "policy":{"maxPayload":max_payload,"tickIntervalMs":30000}}}),
    )
    .await;
    connect
}

/// A fresh device identity (and the dir holding it).
pub fn identity() -> (tempfile::TempDir, DeviceIdentity) {
    let dir = tempfile::tempdir().unwrap();
    let identity = DeviceIdentity::load_or_create(&dir.path().join("device.json")).unwrap();
    (dir, identity)
}

/// Starts a peer that serves every connection with `serve` (handshake done); returns its URL.
pub async fn server<F, Fut>(serve: F) -> String
where
    F: Fn(Socket) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
            handshake(&mut ws, 1 << 20).await;
            tokio::spawn(serve(ws));
        }
    });
    url
}
