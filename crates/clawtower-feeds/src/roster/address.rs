//! Gateway URLs: what may be added, in one canonical spelling.

use std::net::IpAddr;

use clawtower_core::error::{EngineError, Result};
use clawtower_core::net::is_private;

/// The canonical form of a gateway URL (`ws://host:port/`), or why it cannot be used.
/// Plain `ws://` sends the token or password unencrypted, so it is refused for hosts that are not
/// loopback or private addresses unless `allow_unencrypted` is set (a VPN, say).
pub fn canonical_url(text: &str, allow_unencrypted: bool) -> Result<String> {
    // The text itself is not repeated: it may hold a token or password (`ws://u:pw@…`, `?token=`).
    let invalid = |why: &str| EngineError::InvalidInput(format!("gateway URL: {why}"));
    let url = url::Url::parse(text.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "ws" | "wss") {
        return Err(invalid("use ws:// or wss://"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "do not put credentials in the URL; enter the token or password",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("no query or fragment, please"));
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| invalid("no host"))?;
    let port = url
        .port_or_known_default()
        .ok_or_else(|| invalid("no port"))?;
    if url.scheme() == "ws" && !allow_unencrypted && !is_local_host(host) {
        return Err(invalid(
            "plain ws:// would send the token unencrypted over the network; use wss://, or allow unencrypted connections to this host",
        ));
    }
    let path = url.path().trim_end_matches('/');
    Ok(format!(
        "{}://{}:{port}{path}/",
        url.scheme(),
        host.to_ascii_lowercase()
    ))
}

/// Whether `host` is this machine or an address on a private network.
fn is_local_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(is_private)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_get_one_spelling() {
        for (typed, canonical) in [
            ("ws://127.0.0.1:18789", "ws://127.0.0.1:18789/"),
            (" wss://GW.example.com/ ", "wss://gw.example.com:443/"),
            ("ws://[::1]:9/", "ws://[::1]:9/"),
            ("wss://h.example/openclaw/", "wss://h.example:443/openclaw/"),
            ("ws://10.0.0.5:18789", "ws://10.0.0.5:18789/"),
        ] {
            assert_eq!(canonical_url(typed, false).unwrap(), canonical, "{typed}");
        }
    }

    #[test]
    fn unsafe_or_malformed_urls_are_refused_with_the_reason() {
        let refused = |url: &str| canonical_url(url, false).unwrap_err().to_string();
        assert!(refused("http://127.0.0.1:1/").contains("ws:// or wss://"));
        let userinfo = refused("ws://user:hunter2@127.0.0.1:1/");
        assert!(userinfo.contains("credentials") && !userinfo.contains("hunter2"));
        let query = refused("ws://127.0.0.1:1/?token=hunter2");
        assert!(query.contains("query") && !query.contains("hunter2"));
        assert!(refused("not a url").contains("gateway URL"));
        assert!(refused("ws://gw.example.com:18789/").contains("unencrypted"));
        assert!(refused("ws://8.8.8.8:18789/").contains("unencrypted"));
        assert_eq!(
            canonical_url("ws://gw.example.com:18789", true).unwrap(),
            "ws://gw.example.com:18789/"
        );
    }
}
