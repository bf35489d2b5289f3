//! The gateway client against a scripted peer on loopback (the real gateway is exercised by
//! tests/openclaw): handshake and signature, out-of-order answers, events, timeouts, limits.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use clawtower_engine::gateway::{DeviceIdentity, GatewayClient, GatewayError, Target};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// Starts a peer that runs `script` on the first connection; returns its URL.
async fn peer<F, Fut>(script: F) -> String
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

async fn recv(ws: &mut Socket) -> Value {
    loop {
        match ws.next().await.unwrap().unwrap() {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            _ => continue,
        }
    }
}

async fn send(ws: &mut Socket, frame: Value) {
    ws.send(Message::text(frame.to_string())).await.unwrap();
}

/// Challenge, check the connect request's signature, answer hello-ok with `max_payload`.
async fn handshake(ws: &mut Socket, max_payload: u64) -> Value {
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

fn identity() -> (tempfile::TempDir, DeviceIdentity) {
    let dir = tempfile::tempdir().unwrap();
    let identity = DeviceIdentity::load_or_create(&dir.path().join("device.json")).unwrap();
    (dir, identity)
}

const T: Duration = Duration::from_secs(5);

#[tokio::test]
async fn answers_are_matched_by_id_in_any_order_and_events_are_delivered() {
    let url = peer(|mut ws| async move {
        handshake(&mut ws, 1 << 20).await;
        let first = recv(&mut ws).await;
        let second = recv(&mut ws).await;
        send(&mut ws, json!({"type":"event","event":"tick","payload":{"ts":1}})).await;
        send(&mut ws, json!({"type":"res","id":second["id"],"ok":true,"payload":{"method":second["method"]}})).await;
        send(&mut ws, json!({"type":"res","id":first["id"],"ok":false,"error":{"code":"FORBIDDEN","message":"no","details":{"code":"MISSING_SCOPE","scope":"operator.admin"}}})).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    })
    .await;
    let (_dir, identity) = identity();
    let client = GatewayClient::connect(
        &Target {
            url,
            token: Some("tok".into()),
        },
        &identity,
        T,
    )
    .await
    .unwrap();
    assert_eq!(client.hello().server_version, "2026.9.6");
    assert_eq!(
        client.hello().device_token.as_deref(),
        Some("secret-device-token")
    );
    let mut events = client.subscribe();
    let (a, b) = tokio::join!(
        client.request("config.patch", json!({}), T),
        client.request("status", json!({}), T)
    );
    assert_eq!(b.unwrap()["method"], "status");
    assert_eq!(
        a.unwrap_err(),
        GatewayError::MissingScope {
            method: "config.patch".into(),
            scope: "operator.admin".into()
        }
    );
    assert_eq!(events.recv().await.unwrap().event, "tick");
}

#[tokio::test]
async fn timeouts_limits_and_a_closing_peer_are_clear_errors() {
    let url = peer(|mut ws| async move {
        handshake(&mut ws, 300).await;
        let _silent = recv(&mut ws).await; // never answered
        let _after = recv(&mut ws).await;
        ws.close(None).await.unwrap();
    })
    .await;
    let (_dir, identity) = identity();
    let client = GatewayClient::connect(&Target { url, token: None }, &identity, T)
        .await
        .unwrap();
    let timeout = client
        .request("health", json!({}), Duration::from_millis(200))
        .await
        .unwrap_err();
    assert_eq!(
        timeout,
        GatewayError::Timeout {
            method: "health".into(),
            after_ms: 200
        }
    );
    let big = client
        .request("chat.send", json!({"message": "x".repeat(400)}), T)
        .await
        .unwrap_err();
    assert!(
        matches!(big, GatewayError::Protocol(ref m) if m.contains("exceeds")),
        "{big:?}"
    );
    let closed = client.request("status", json!({}), T).await.unwrap_err();
    assert!(matches!(closed, GatewayError::Closed { .. }), "{closed:?}");
}

#[tokio::test]
async fn a_peer_that_never_challenges_times_out_and_nothing_is_unreachable() {
    let url = peer(|ws| async move {
        let _keep = ws;
        tokio::time::sleep(Duration::from_secs(3)).await;
    })
    .await;
    let (_dir, identity) = identity();
    let err = GatewayClient::connect(
        &Target { url, token: None },
        &identity,
        Duration::from_millis(300),
    )
    .await
    .err()
    .unwrap();
    assert_eq!(
        err,
        GatewayError::Timeout {
            method: "connect.challenge".into(),
            after_ms: 300
        }
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let err = GatewayClient::connect(
        &Target {
            url: format!("ws://127.0.0.1:{port}/"),
            token: None,
        },
        &identity,
        T,
    )
    .await
    .err()
    .unwrap();
    assert!(matches!(err, GatewayError::Unreachable { .. }), "{err:?}");
}
