//! Alert sinks over real sockets: a webhook and an ntfy server on loopback (allowed explicitly),
//! the SSRF guard refusing loopback by default (email too), cooldowns (used up only by a delivery),
//! and email through a minimal SMTP peer.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::sync::Arc;

use clawtower_control::alerts::sinks::{self, store, SinkConfig, SinkDraft};
use clawtower_control::alerts::{raise, AlertKind, Notification, RecordingNotifier};
use clawtower_store::Store;

/// One HTTP request as received: request line, headers (lowercased names), body.
struct Received {
    line: String,
    headers: Vec<(String, String)>,
    body: String,
}

/// An HTTP server answering `status` to every request; each request is sent on the channel.
fn http_server(status: u16) -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut headers = Vec::new();
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                let header = header.trim_end();
                if header.is_empty() {
                    break;
                }
                let (name, value) = header.split_once(':').unwrap();
                headers.push((name.to_lowercase(), value.trim().to_string()));
            }
            let length: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .map(|(_, v)| v.parse().unwrap())
                .unwrap_or(0);
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let _ = tx.send(Received {
                line: line.trim_end().into(),
                headers,
                body: String::from_utf8(body).unwrap(),
            });
        }
    });
    (url, rx)
}

fn add(store: &Store, config: SinkConfig, cooldown_secs: u32) -> i64 {
    store
        .with_conn(|c| {
            store::add(
                c,
                &SinkDraft {
                    name: "test".into(),
                    config,
                    cooldown_secs,
                    proxy: None,
                },
            )
        })
        .unwrap()
        .id
}

fn alert(store: &Arc<Store>, title: &str, ts_ms: i64) {
    let note = Notification {
        title: title.into(),
        body: "$8.00 of $10 today".into(),
    };
    raise(
        store,
        &RecordingNotifier::default(),
        AlertKind::Threshold,
        Some(3),
        note,
        ts_ms,
    )
    .unwrap();
}

fn last_error(store: &Store, id: i64) -> Option<String> {
    store.with_conn(|c| store::get(c, id)).unwrap().0.last_error
}

const WAIT: std::time::Duration = std::time::Duration::from_secs(10);

#[test]
fn a_webhook_gets_the_alert_as_json_once_per_cooldown() {
    let (url, requests) = http_server(200);
    let store = Arc::new(Store::open_in_memory().unwrap());
    let id = add(
        &store,
        SinkConfig::Webhook {
            url: format!("{url}/hook"),
            allow_private: true,
        },
        60,
    );
    alert(&store, "Budget “Daily” at 80%", 1_000_000);
    let got = requests.recv_timeout(WAIT).expect("the webhook was called");
    assert_eq!(got.line, "POST /hook HTTP/1.1");
    let json: serde_json::Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(json["source"], "clawtower");
    assert_eq!(json["alert"]["title"], "Budget “Daily” at 80%");
    assert_eq!(json["alert"]["budgetId"], 3);
    // 30 s later: still cooling down. 61 s later: sent.
    alert(&store, "second", 1_030_000);
    alert(&store, "third", 1_061_000);
    let next = requests.recv_timeout(WAIT).unwrap();
    assert!(next.body.contains("third"), "{}", next.body);
    assert!(requests
        .recv_timeout(std::time::Duration::from_millis(500))
        .is_err());
    assert_eq!(last_error(&store, id), None);
}

#[test]
fn loopback_is_refused_unless_allowed_and_failures_are_recorded() {
    let (url, requests) = http_server(500);
    let store = Arc::new(Store::open_in_memory().unwrap());
    let guarded = add(
        &store,
        SinkConfig::Webhook {
            url: format!("{url}/x"),
            allow_private: false,
        },
        0,
    );
    let outcome = sinks::send_test(&store, guarded, 1).unwrap();
    let error = outcome.unwrap_err().0;
    assert!(error.contains("private address 127.0.0.1"), "{error}");
    assert!(requests.try_recv().is_err(), "nothing was sent");
    assert_eq!(last_error(&store, guarded).as_deref(), Some(error.as_str()));

    let allowed = add(
        &store,
        SinkConfig::Webhook {
            url: format!("{url}/x"),
            allow_private: true,
        },
        0,
    );
    let error = sinks::send_test(&store, allowed, 2).unwrap().unwrap_err().0;
    assert!(error.ends_with("answered HTTP 500"), "{error}");
    assert!(requests
        .recv_timeout(WAIT)
        .unwrap()
        .body
        .contains("Clawtower test alert"));
}

#[test]
fn ntfy_gets_a_title_header_and_the_token() {
    let (url, requests) = http_server(200);
    let store = Arc::new(Store::open_in_memory().unwrap());
    let id = add(
        &store,
        SinkConfig::Ntfy {
            server: url,
            topic: "spend".into(),
            token: Some("tk_secret".into()),
            allow_private: true,
        },
        0,
    );
    sinks::send_test(&store, id, 5).unwrap().unwrap();
    let got = requests.recv_timeout(WAIT).unwrap();
    assert_eq!(got.line, "POST /spend HTTP/1.1");
    let header = |name: &str| {
        got.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(header("title").as_deref(), Some("Clawtower test alert"));
    assert_eq!(header("authorization").as_deref(), Some("Bearer tk_secret"));
    assert!(got.body.contains("alerts reach"));
}

#[test]
fn a_failed_delivery_never_shows_the_secret_in_its_url() {
    // A port nothing listens on: the connection is refused after the address checks, the path
    // where an HTTP client error would carry the URL (and its token).
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let id = add(
        &store,
        SinkConfig::Webhook {
            url: format!("http://{closed}/hooks/TOKEN_SECRET?key=TOKEN_SECRET"),
            allow_private: true,
        },
        0,
    );
    let error = sinks::send_test(&store, id, 1).unwrap().unwrap_err().0;
    assert!(error.starts_with("127.0.0.1: "), "{error}");
    assert!(!error.contains("TOKEN_SECRET"), "{error}");
    let listed = store.with_conn(|c| store::list(c)).unwrap();
    assert!(!serde_json::to_string(&listed[0].0)
        .unwrap()
        .contains("TOKEN_SECRET"));
    assert_eq!(
        store
            .with_conn(|c| store::get(c, id))
            .unwrap()
            .0
            .last_error
            .as_deref(),
        Some(error.as_str())
    );
}

#[test]
fn plain_smtp_to_a_public_server_is_refused() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    let id = add(
        &store,
        SinkConfig::Email {
            host: "8.8.8.8".into(),
            port: 25,
            security: "none".into(),
            username: Some("me".into()),
            password: Some("PASSWORD".into()),
            from: "a@example.com".into(),
            to: "b@example.com".into(),
            allow_private: false,
        },
        0,
    );
    let error = sinks::send_test(&store, id, 1).unwrap().unwrap_err().0;
    assert!(
        error.contains("is a public address: use starttls or tls"),
        "{error}"
    );
}

/// A minimal SMTP peer (no TLS): accepts one message and sends its DATA on the channel.
fn smtp_server() -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        stream.write_all(b"220 test ESMTP\r\n").unwrap();
        let mut data = String::new();
        let mut in_data = false;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap() == 0 {
                return;
            }
            if in_data {
                if line == ".\r\n" {
                    in_data = false;
                    stream.write_all(b"250 queued\r\n").unwrap();
                    let _ = tx.send(std::mem::take(&mut data));
                } else {
                    data.push_str(&line);
                }
                continue;
            }
            let reply: &[u8] = match line.get(..4).unwrap_or("").to_uppercase().as_str() {
                "EHLO" => b"250-test\r\n250 8BITMIME\r\n",
                "DATA" => {
                    in_data = true;
                    b"354 go on\r\n"
                }
                "QUIT" => {
                    stream.write_all(b"221 bye\r\n").unwrap();
                    return;
                }
                _ => b"250 ok\r\n",
            };
            stream.write_all(reply).unwrap();
        }
    });
    (port, rx)
}

#[test]
fn email_goes_out_over_smtp() {
    let (port, messages) = smtp_server();
    let store = Arc::new(Store::open_in_memory().unwrap());
    let id = add(
        &store,
        SinkConfig::Email {
            host: "127.0.0.1".into(),
            port,
            security: "none".into(),
            username: None,
            password: None,
            from: "clawtower@example.com".into(),
            to: "me@example.com".into(),
            allow_private: true,
        },
        0,
    );
    sinks::send_test(&store, id, 1).unwrap().unwrap();
    let message = messages.recv_timeout(WAIT).unwrap();
    assert!(
        message.contains("Subject: Clawtower test alert"),
        "{message}"
    );
    assert!(message.contains("To: me@example.com"), "{message}");
}

#[test]
fn a_failed_delivery_does_not_use_up_the_cooldown() {
    let (url, requests) = http_server(500);
    let store = Arc::new(Store::open_in_memory().unwrap());
    let id = add(
        &store,
        SinkConfig::Webhook {
            url: format!("{url}/hook"),
            allow_private: true,
        },
        60,
    );
    alert(&store, "first", 1_000_000);
    assert!(requests.recv_timeout(WAIT).unwrap().body.contains("first"));
    let deadline = std::time::Instant::now() + WAIT;
    while last_error(&store, id).is_none() {
        assert!(std::time::Instant::now() < deadline, "outcome recorded");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let view = store.with_conn(|c| store::get(c, id)).unwrap().0;
    assert_eq!(view.last_sent_ms, None, "nothing was delivered yet");
    // 10 s later, well inside the cooldown: the failed alert did not start it.
    alert(&store, "second", 1_010_000);
    assert!(requests.recv_timeout(WAIT).unwrap().body.contains("second"));
    // A failed test send does not start it either.
    sinks::send_test(&store, id, 1_020_000)
        .unwrap()
        .unwrap_err();
    requests.recv_timeout(WAIT).unwrap();
    let view = store.with_conn(|c| store::get(c, id)).unwrap().0;
    assert_eq!(view.last_sent_ms, None);
}

#[test]
fn a_delivered_alert_starts_the_cooldown_and_a_test_send_records_it() {
    let (url, requests) = http_server(200);
    let store = Arc::new(Store::open_in_memory().unwrap());
    let id = add(
        &store,
        SinkConfig::Webhook {
            url: format!("{url}/hook"),
            allow_private: true,
        },
        60,
    );
    sinks::send_test(&store, id, 7).unwrap().unwrap();
    requests.recv_timeout(WAIT).unwrap();
    let view = store.with_conn(|c| store::get(c, id)).unwrap().0;
    assert_eq!((view.last_sent_ms, view.last_error), (Some(7), None));
}

#[test]
fn email_to_a_private_address_needs_the_same_opt_in() {
    // An SMTP server on loopback, with TLS: no plain-text excuse, only the address matters.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let store = Arc::new(Store::open_in_memory().unwrap());
    for (host, security) in [("127.0.0.1", "starttls"), ("localhost", "tls")] {
        // As stored before the setting existed: no `allowPrivate`, so it is off.
        let config: SinkConfig = serde_json::from_value(serde_json::json!({
            "kind": "email", "host": host, "port": port, "security": security,
            "from": "a@example.com", "to": "b@example.com",
        }))
        .unwrap();
        let id = add(&store, config, 0);
        let error = sinks::send_test(&store, id, 1).unwrap().unwrap_err().0;
        assert!(error.contains("private address"), "{error}");
        assert!(
            matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "no connection was made"
        );
    }
}

#[test]
fn a_sink_that_cannot_be_read_is_listed_as_such_and_the_others_still_get_alerts() {
    let (url, requests) = http_server(200);
    let store = Arc::new(Store::open_in_memory().unwrap());
    store
        .with_conn(|c| {
            c.execute(
                "INSERT INTO alert_sinks (name, definition, cooldown_secs) VALUES ('old', '{\"kind\":\"pager\"}', 0)",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    add(
        &store,
        SinkConfig::Webhook {
            url: format!("{url}/hook"),
            allow_private: true,
        },
        0,
    );
    let listed = store.with_conn(|c| store::list(c)).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].0.kind, "unreadable");
    assert!(listed[0].1.is_none());
    let why = listed[0].0.last_error.clone().unwrap_or_default();
    assert!(why.contains("cannot be read"), "{why}");
    alert(&store, "Budget “Daily” reached", 5_000_000);
    let got = requests
        .recv_timeout(WAIT)
        .expect("the readable sink got the alert");
    assert!(got.body.contains("Daily"), "{}", got.body);
    store
        .with_conn(|c| store::remove(c, listed[0].0.id))
        .unwrap();
}
