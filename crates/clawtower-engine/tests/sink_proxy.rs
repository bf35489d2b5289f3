//! Alert sinks ignore the system proxy (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`): a proxy would
//! resolve and connect on its own, around the SSRF guard and the pinned addresses. Its own test
//! binary, as it sets process-wide environment variables.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use clawtower_control::alerts::sinks::{self, store, SinkConfig, SinkDraft};
use clawtower_store::Store;

/// An HTTP server answering 200; each request line is sent on the channel.
fn http_server() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut length = 0;
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                let header = header.trim_end().to_lowercase();
                if header.is_empty() {
                    break;
                }
                if let Some(v) = header.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let _ = tx.send(line.trim_end().to_string());
        }
    });
    (url, rx)
}

#[test]
fn the_system_proxy_is_not_used() {
    let (proxy, via_proxy) = http_server();
    let (target, direct) = http_server();
    for name in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        std::env::set_var(name, &proxy);
    }
    std::env::remove_var("NO_PROXY");
    std::env::remove_var("no_proxy");
    let store = Store::open_in_memory().unwrap();
    let id = store
        .with_conn(|c| {
            store::add(
                c,
                &SinkDraft {
                    name: "hook".into(),
                    config: SinkConfig::Webhook {
                        url: format!("{target}/hook"),
                        allow_private: true,
                    },
                    cooldown_secs: 0,
                    proxy: None,
                },
            )
        })
        .unwrap()
        .id;
    sinks::send_test(&store, id, 1).unwrap().unwrap();
    assert_eq!(
        direct.recv_timeout(Duration::from_secs(10)).unwrap(),
        "POST /hook HTTP/1.1"
    );
    assert!(
        via_proxy.try_recv().is_err(),
        "nothing went through the proxy"
    );
}

#[test]
fn a_sinks_own_proxy_carries_it_and_its_credentials_are_never_shown() {
    let (proxy, via_proxy) = http_server();
    let store = Store::open_in_memory().unwrap();
    let add = |url: &str, allow_private: bool, proxy: Option<String>| {
        store.with_conn(|c| {
            store::add(
                c,
                &SinkDraft {
                    name: "hook".into(),
                    config: SinkConfig::Webhook {
                        url: url.into(),
                        allow_private,
                    },
                    cooldown_secs: 0,
                    proxy,
                },
            )
        })
    };
    // A name this machine cannot resolve: the proxy resolves it (as on a network behind one).
    let with_credentials = proxy.replace("http://", "http://alice:s3cret@");
    let view = add(
        "http://alerts.example.invalid/hook",
        false,
        Some(with_credentials),
    )
    .unwrap();
    assert_eq!(
        view.proxy.as_deref(),
        Some(proxy.as_str()),
        "shown without credentials"
    );
    sinks::send_test(&store, view.id, 1).unwrap().unwrap();
    assert_eq!(
        via_proxy.recv_timeout(Duration::from_secs(10)).unwrap(),
        "POST http://alerts.example.invalid/hook HTTP/1.1"
    );
    // A private address written into the URL is still refused, unless allowed.
    let private = add("http://10.0.0.7/hook", false, Some(proxy.clone())).unwrap();
    let refused = sinks::send_test(&store, private.id, 2)
        .unwrap()
        .unwrap_err();
    assert!(
        refused.0.contains("10.0.0.7 is a private address"),
        "{refused}"
    );
    // What a proxy cannot be.
    for (bad, said) in [
        ("ftp://proxy:21", "http://host:port"),
        ("not a url", "http://host:port"),
    ] {
        let err = add("https://hooks.example.com/x", false, Some(bad.into())).unwrap_err();
        assert!(err.to_string().contains(said), "{bad}: {err}");
    }
    let email = store.with_conn(|c| {
        store::add(
            c,
            &SinkDraft {
                name: "mail".into(),
                config: SinkConfig::Email {
                    host: "smtp.example.com".into(),
                    port: 587,
                    security: "starttls".into(),
                    username: None,
                    password: None,
                    from: "a@example.com".into(),
                    to: "b@example.com".into(),
                    allow_private: false,
                },
                cooldown_secs: 0,
                proxy: Some(proxy.clone()),
            },
        )
    });
    assert!(email.unwrap_err().to_string().contains("SMTP"));
}
