//! A gateway behind `wss://` (TLS, as a remote gateway on a server is reached): the client
//! trusts what the system trusts — here a certificate made for the test, named by SSL_CERT_FILE
//! as an administrator would add a self-hosted CA — and speaks the protocol over it.

use std::sync::Arc;
use std::time::Duration;

use clawtower_gateway::{GatewayClient, GatewayError, Target};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

use clawtower_testkit as common;

#[tokio::test]
async fn a_wss_gateway_is_reached_over_tls() {
    let tmp = tempfile::tempdir().unwrap();
    let made = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let cert_file = tmp.path().join("ca.pem");
    std::fs::write(&cert_file, made.cert.pem()).unwrap();
    // Read once, when the first wss:// connection is made (this file is a process of its own).
    unsafe { std::env::set_var("SSL_CERT_FILE", &cert_file) };

    let port = serve_tls(&made).await;

    let (_dir, identity) = common::identity();
    let url = format!("wss://localhost:{port}/");
    let err = GatewayClient::connect(&Target::new(url, None), &identity, Duration::from_secs(5))
        .await
        .map(|_| ())
        .unwrap_err();
    // The gateway's own answer came back through TLS: the handshake, the challenge and the
    // connect request all went through.
    assert!(err.to_string().contains("spoken to over TLS"), "{err:?}");
    assert!(!matches!(err, GatewayError::Unreachable { .. }), "{err:?}");

    // A gateway whose certificate nothing trusts is not spoken to.
    let stranger = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let port = serve_tls(&stranger).await;
    let url = format!("wss://localhost:{port}/");
    let err = GatewayClient::connect(&Target::new(url, None), &identity, Duration::from_secs(5))
        .await
        .map(|_| ())
        .unwrap_err();
    assert!(
        matches!(err, GatewayError::Unreachable { ref reason, .. } if reason.contains("certificate")),
        "{err:?}"
    );
}

/// Serves one connection over TLS with `made`'s certificate: the challenge, then a refusal of the
/// connect request that names TLS; returns the port.
async fn serve_tls(made: &rcgen::CertifiedKey) -> u16 {
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let key =
        tokio_rustls::rustls::pki_types::PrivateKeyDer::try_from(made.key_pair.serialize_der())
            .unwrap();
    let config = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![made.cert.der().clone()], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let tls = acceptor.accept(tcp).await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tls).await.unwrap();
        let challenge =
            json!({"type":"event","event":"connect.challenge","payload":{"nonce":"n-1","ts":1}});
        ws.send(Message::text(challenge.to_string())).await.unwrap();
        let connect: Value = loop {
            if let Message::Text(text) = ws.next().await.unwrap().unwrap() {
                break serde_json::from_str(&text).unwrap();
            }
        };
        assert_eq!(connect["method"], "connect");
        let refused = json!({"type":"res","id":connect["id"],"ok":false,
            "error":{"code":"INVALID_REQUEST","message":"spoken to over TLS"}});
        ws.send(Message::text(refused.to_string())).await.unwrap();
        tokio::time::sleep(Duration::from_secs(1)).await;
    });

    port
}
