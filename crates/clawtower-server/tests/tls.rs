//! `--tls-cert/--tls-key`: the API over HTTPS (HTTP/1.1 and HTTP/2), with the session cookie
//! marked Secure, against a certificate made for the test.

use std::sync::Arc;

use clawtower_core::DataDir;
use clawtower_runtime::{GatewaySource, Runtime, RuntimeOptions};
use clawtower_server::{ApiToken, ServeHost, ServeOptions, Server, TlsFiles};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_https_with_a_secure_cookie() {
    let tmp = tempfile::tempdir().unwrap();
    let cert =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()]).unwrap();
    let (cert_pem, key_pem) = (cert.cert.pem(), cert.key_pair.serialize_pem());
    std::fs::write(tmp.path().join("cert.pem"), &cert_pem).unwrap();
    std::fs::write(tmp.path().join("key.pem"), &key_pem).unwrap();
    let host = Arc::new(ServeHost::new());
    let runtime = Runtime::start(
        RuntimeOptions {
            data_dir: DataDir::at(tmp.path().join("data")),
            openclaw_home: Some(tmp.path().join("openclaw")),
            gateways: GatewaySource::Only(vec![]),
            transcripts: true,
            tokio: tokio::runtime::Handle::current(),
        },
        host.clone(),
    )
    .unwrap();
    let token = ApiToken::load_or_create(&tmp.path().join("data")).unwrap();
    let options = ServeOptions {
        bind: "127.0.0.1:0".parse().unwrap(),
        allow_remote: false,
        tls: Some(TlsFiles {
            cert: tmp.path().join("cert.pem"),
            key: tmp.path().join("key.pem"),
        }),
        names: vec![],
    };
    let listening = Server::new(runtime, &host, token.clone(), options)
        .unwrap()
        .bind()
        .await
        .unwrap();
    let base = format!("https://{}", listening.addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(listening.run(async {
        let _ = stopped.await;
    }));

    clawtower_core::tls::install_provider();
    let root = reqwest::Certificate::from_pem(cert_pem.as_bytes()).unwrap();
    for http2 in [false, true] {
        let mut client = reqwest::Client::builder().add_root_certificate(root.clone());
        client = if http2 {
            client.http2_prior_knowledge()
        } else {
            client.http1_only()
        };
        let client = client.build().unwrap();
        let answer = client
            .post(format!("{base}/api/v1/rpc/spend_summary"))
            .bearer_auth(token.reveal())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "http2: {http2}");
        assert!(answer.text().await.unwrap().contains("\"trayLabel\""));
        let signed_in = client
            .post(format!("{base}/api/v1/session"))
            .bearer_auth(token.reveal())
            .send()
            .await
            .unwrap();
        let cookie = signed_in.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(cookie.contains("; Secure"), "{cookie}");
    }
    let plain = reqwest::Client::new()
        .get(format!(
            "http://{}/healthz",
            base.trim_start_matches("https://")
        ))
        .send()
        .await;
    assert!(
        plain.is_err() || !plain.unwrap().status().is_success(),
        "plain HTTP must not be served"
    );
    let _ = stop.send(());
    let _ = server.await;
}
