//! The gateway client against a scripted peer on loopback (the real gateway is exercised by
//! tests/openclaw): handshake and signature, out-of-order answers, events, timeouts, limits.

use std::time::Duration;

use clawtower_gateway::{GatewayClient, GatewayError, Target};
use serde_json::json;

use clawtower_testkit as common;

use common::{handshake, identity, peer, recv, send};

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
    let client = GatewayClient::connect(&Target::new(url, Some("tok".into())), &identity, T)
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
    let client = GatewayClient::connect(&Target::new(url, None), &identity, T)
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
        &Target::new(url, None),
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
        &Target::new(format!("ws://127.0.0.1:{port}/"), None),
        &identity,
        T,
    )
    .await
    .err()
    .unwrap();
    assert!(matches!(err, GatewayError::Unreachable { .. }), "{err:?}");
}

#[tokio::test]
async fn the_device_token_is_kept_and_offered_when_the_shared_token_is_refused() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/", listener.local_addr().unwrap());
    let (seen_tx, mut seen) = tokio::sync::mpsc::unbounded_channel::<String>();
    tokio::spawn(async move {
        for round in 0..3 {
            let (tcp, _) = listener.accept().await.unwrap();
            let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
            if round == 1 {
                // The refused shared token.
                send(&mut ws, json!({"type":"event","event":"connect.challenge","payload":{"nonce":"n","ts":1}})).await;
                let connect = recv(&mut ws).await;
                seen_tx
                    .send(
                        connect["params"]["auth"]["token"]
                            .as_str()
                            .unwrap_or("")
                            .into(),
                    )
                    .unwrap();
                send(&mut ws, json!({"type":"res","id":connect["id"],"ok":false,"error":{"code":"INVALID_REQUEST","message":"unauthorized: gateway token mismatch","details":{"code":"AUTH_TOKEN_MISMATCH","canRetryWithDeviceToken":true}}})).await;
                continue;
            }
            let connect = handshake(&mut ws, 1 << 20).await;
            seen_tx
                .send(
                    connect["params"]["auth"]["token"]
                        .as_str()
                        .unwrap_or("")
                        .into(),
                )
                .unwrap();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_secs(2)).await;
                drop(ws)
            });
        }
    });
    let (dir, identity) = identity();
    let target = |token: &str| Target::new(url.clone(), Some(token.into()));
    GatewayClient::connect(&target("tok"), &identity, T)
        .await
        .unwrap();
    assert_eq!(
        identity.device_token(&url).as_deref(),
        Some("secret-device-token")
    );
    assert!(dir.path().join("gateway-device-tokens.json").is_file());
    // The shared token changed on the gateway: the device token still gets in.
    GatewayClient::connect(&target("rotated"), &identity, T)
        .await
        .unwrap();
    let mut tokens = Vec::new();
    while let Ok(token) = seen.try_recv() {
        tokens.push(token);
    }
    assert_eq!(tokens, vec!["tok", "rotated", "secret-device-token"]);
}

#[tokio::test]
async fn password_auth_sends_the_password_alone_and_a_wrong_one_says_so() {
    let (seen_tx, mut seen) = tokio::sync::mpsc::unbounded_channel();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
            send(
                &mut ws,
                json!({"type":"event","event":"connect.challenge","payload":{"nonce":"n","ts":1}}),
            )
            .await;
            let connect = recv(&mut ws).await;
            let auth = connect["params"]["auth"].clone();
            seen_tx.send(auth.clone()).unwrap();
            let answer = if auth["password"] == "right" {
                json!({"type":"res","id":connect["id"],"ok":true,"payload":{"type":"hello-ok","protocol":4,
                    "server":{"version":"2026.9.6"},"auth":{"method":"password","scopes":["operator.read"]},
                    "policy":{"maxPayload":1 << 20,"tickIntervalMs":30000}}})
            } else {
                let code = if auth["password"].is_null() {
                    "AUTH_PASSWORD_MISSING"
                } else {
                    "AUTH_PASSWORD_MISMATCH"
                };
                json!({"type":"res","id":connect["id"],"ok":false,"error":{"code":"INVALID_REQUEST","message":"unauthorized","details":{"code":code}}})
            };
            send(&mut ws, answer).await;
        }
    });
    let (_dir, identity) = identity();
    // A device token kept from earlier must not be sent along with a password.
    identity.remember_device_token(&url, "kept-device-token");
    let target = |password: Option<&str>| Target {
        url: url.clone(),
        token: None,
        password: password.map(String::from),
    };
    let client = GatewayClient::connect(&target(Some("right")), &identity, T)
        .await
        .unwrap();
    assert_eq!(client.hello().auth_method, "password");
    assert_eq!(
        GatewayClient::connect(&target(Some("wrong")), &identity, T)
            .await
            .err(),
        Some(GatewayError::PasswordMismatch)
    );
    let without = Target {
        url: url.clone(),
        token: None,
        password: None,
    };
    // Without a password the kept device token is offered; this gateway wants a password.
    assert_eq!(
        GatewayClient::connect(&without, &identity, T).await.err(),
        Some(GatewayError::PasswordRequired)
    );
    let sent: Vec<serde_json::Value> = std::iter::from_fn(|| seen.try_recv().ok()).collect();
    assert_eq!(
        sent,
        vec![
            json!({"password": "right"}),
            json!({"password": "wrong"}),
            json!({"token": "kept-device-token"}),
        ]
    );
}

#[tokio::test]
async fn a_peer_sending_more_than_64_kib_before_authentication_is_refused_unread() {
    // 26 MiB in one message of two 13 MiB frames, before any challenge: refused by the socket
    // once 64 KiB came in (an unauthenticated peer gets no more), not buffered up to
    // tungstenite's limit and only then refused by the frame decoder.
    let url = peer(|mut ws| async move {
        use futures_util::SinkExt;
        use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
        use tokio_tungstenite::tungstenite::protocol::frame::Frame;
        use tokio_tungstenite::tungstenite::Message;
        let half = "x".repeat(13 << 20);
        let first = Frame::message(half.clone(), OpCode::Data(Data::Text), false);
        let last = Frame::message(half, OpCode::Data(Data::Continue), true);
        let _ = ws.send(Message::Frame(first)).await;
        let _ = ws.send(Message::Frame(last)).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    })
    .await;
    let (_dir, identity) = identity();
    let err = GatewayClient::connect(&Target::new(url, None), &identity, T)
        .await
        .map(|_| ())
        .unwrap_err();
    // The transport refused it (a closed connection), not the frame decoder after buffering it.
    assert!(
        matches!(err, GatewayError::Closed { ref reason } if reason.contains("more than 64 KiB before Clawtower authenticated")),
        "{err:?}"
    );
}

#[tokio::test]
async fn once_authenticated_the_gateway_may_send_frames_up_to_its_limit() {
    // The same socket takes a 1 MiB event after the handshake (the cap is for the challenge).
    let url = peer(|mut ws| async move {
        handshake(&mut ws, 25 << 20).await;
        tokio::time::sleep(Duration::from_millis(300)).await; // the client subscribes first
        let big = "y".repeat(1 << 20);
        send(
            &mut ws,
            json!({"type": "event", "event": "big", "payload": {"text": big}}),
        )
        .await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    })
    .await;
    let (_dir, identity) = identity();
    let client = GatewayClient::connect(&Target::new(url, None), &identity, T)
        .await
        .unwrap();
    let mut events = client.subscribe();
    let event = tokio::time::timeout(T, events.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.event, "big");
    assert_eq!(event.payload["text"].as_str().map(str::len), Some(1 << 20));
}

#[tokio::test]
async fn a_stalled_peer_cannot_hold_a_request_past_its_timeout() {
    // After the handshake the peer stops reading: the socket's buffers and then the client's
    // send queue fill up. Every request still ends within its timeout.
    let url = peer(|mut ws| async move {
        handshake(&mut ws, 64 << 20).await;
        tokio::time::sleep(Duration::from_secs(60)).await;
    })
    .await;
    let (_dir, identity) = identity();
    let client = std::sync::Arc::new(
        GatewayClient::connect(&Target::new(url, None), &identity, T)
            .await
            .unwrap(),
    );
    let body = "y".repeat(256 << 10);
    let requests = (0..400).map(|_| {
        let (client, body) = (client.clone(), body.clone());
        tokio::spawn(async move {
            client
                .request(
                    "chat.send",
                    json!({ "message": body }),
                    Duration::from_millis(1500),
                )
                .await
        })
    });
    let all = tokio::time::timeout(
        Duration::from_secs(30),
        futures_util::future::join_all(requests),
    )
    .await
    .expect("every request ended within its own timeout");
    assert!(all
        .into_iter()
        .all(|r| matches!(r.unwrap(), Err(GatewayError::Timeout { .. }))));
}

#[tokio::test]
async fn a_request_on_a_connection_that_closed_fails_at_once() {
    // The peer goes away after the handshake; a request made afterwards is told so, rather than
    // waiting out its timeout for an answer nobody will send.
    let url = peer(|mut ws| async move {
        handshake(&mut ws, 1 << 20).await;
    })
    .await;
    let (_dir, identity) = identity();
    let client = GatewayClient::connect(&Target::new(url, None), &identity, T)
        .await
        .unwrap();
    client.closed().await;
    let err = client
        .request("health", json!({}), Duration::from_secs(60))
        .await
        .unwrap_err();
    assert!(matches!(err, GatewayError::Closed { .. }), "{err:?}");
}
