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
