//! One TLS stack for every outgoing connection — HTTP clients (the router's upstreams, alert
//! webhooks, the doctor), SMTP and the gateway's `wss://` — and for `serve`'s HTTPS: rustls with
//! the *ring* provider, certificates checked against the system's store. No OpenSSL is loaded.

/// Makes *ring* the process's rustls provider, before an HTTP client is built (a client panics
/// without one). Once per process; a provider installed before stays.
pub fn install_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
