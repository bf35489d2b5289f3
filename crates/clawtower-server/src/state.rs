//! What every handler shares.

use std::net::SocketAddr;
use std::sync::Arc;

use clawtower_runtime::Runtime;
use tokio::sync::broadcast;

use crate::token::ApiToken;

/// One event for the browsers: its name and JSON payload.
pub(crate) type WireEvent = (&'static str, Arc<String>);

/// The server's shared state.
#[derive(Clone)]
pub(crate) struct ServerState {
    pub runtime: Runtime,
    pub token: Arc<ApiToken>,
    pub hosts: Arc<AllowedHosts>,
    pub events: broadcast::Sender<WireEvent>,
    /// Served over TLS (the session cookie is then `Secure`, origins `https://`).
    pub tls: bool,
}

/// The `Host` header values this server answers to.
#[derive(Debug)]
pub(crate) struct AllowedHosts(Vec<String>);

impl AllowedHosts {
    /// The bound address (and `localhost` when it is loopback) and each configured name, with
    /// the port.
    pub fn new(bound: SocketAddr, names: &[String]) -> Self {
        let port = bound.port();
        let mut hosts = vec![bound.to_string()];
        if bound.ip().is_loopback() {
            hosts.push(format!("localhost:{port}"));
        }
        for name in names {
            hosts.push(format!("{name}:{port}"));
            hosts.push(name.clone());
        }
        AllowedHosts(hosts)
    }

    /// Whether a request's `Host` header is one of them (names compare case-insensitively).
    pub fn allows(&self, host: &str) -> bool {
        self.0.iter().any(|h| h.eq_ignore_ascii_case(host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_address_localhost_and_names() {
        let hosts = AllowedHosts::new("127.0.0.1:8900".parse().unwrap(), &["pi.local".into()]);
        for ok in [
            "127.0.0.1:8900",
            "localhost:8900",
            "LOCALHOST:8900",
            "pi.local:8900",
            "pi.local",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for no in [
            "",
            "127.0.0.1",
            "evil.example:8900",
            "127.0.0.1:8901",
            "localhost",
        ] {
            assert!(!hosts.allows(no), "{no}");
        }
        let v6 = AllowedHosts::new("[::1]:8900".parse().unwrap(), &[]);
        assert!(v6.allows("[::1]:8900"));
    }
}
