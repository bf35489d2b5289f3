//! The SSRF guard: outgoing alert URLs must not reach private, loopback or link-local
//! addresses unless the user allowed it for that sink (a webhook to a LAN service).

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

/// Why a destination is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Not a usable URL.
    #[error("not a valid URL")]
    BadUrl,
    /// The host did not resolve.
    #[error("{host} does not resolve: {reason}")]
    Unresolved {
        /// Host name.
        host: String,
        /// Resolver message.
        reason: String,
    },
    /// The host resolves to a private address.
    #[error("{host} resolves to the private address {ip}; allow private addresses for this sink if that is intended")]
    Private {
        /// Host name.
        host: String,
        /// The address.
        ip: IpAddr,
    },
}

/// Whether `ip` is loopback, private, link-local, unique-local, site-local, unspecified or
/// otherwise not a public internet address. IPv4-mapped addresses (`::ffff:a.b.c.d`) are the
/// IPv4 address itself and are judged by it; the ranges that translate to or tunnel into IPv4 —
/// IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96` and `64:ff9b:1::/48`, 6to4 `2002::/16` — are
/// refused whatever they embed (the translator or relay they go through may sit on the local
/// network, and no alert service needs them).
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
                || (a == 198 && (b == 18 || b == 19)) // benchmarking
                || a >= 240
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link local
                || (s[0] & 0xffc0) == 0xfec0 // site local (deprecated)
                || s[..6] == [0; 6] // IPv4-compatible ::a.b.c.d (deprecated)
                || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] // NAT64, well-known prefix (RFC 6052)
                || s[..3] == [0x64, 0xff9b, 1] // NAT64, local-use prefix (RFC 8215)
                || s[0] == 0x2002 // 6to4 (RFC 3056)
        }
    }
}

/// Resolves `host:port` and checks every address; returns them, so the connection can be pinned
/// to exactly what was checked (no DNS rebinding between check and connect).
pub fn check_host(
    host: &str,
    port: u16,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, AddressError> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| AddressError::Unresolved {
            host: host.to_string(),
            reason: e.to_string(),
        })?
        .collect();
    if !allow_private {
        if let Some(addr) = addrs.iter().find(|a| is_private(a.ip())) {
            return Err(AddressError::Private {
                host: host.to_string(),
                ip: addr.ip(),
            });
        }
    }
    Ok(addrs)
}

/// Checks a URL's host; returns the host and its checked addresses.
pub fn check_url(
    url: &str,
    allow_private: bool,
) -> Result<(String, Vec<SocketAddr>), AddressError> {
    let parsed = url::Url::parse(url).map_err(|_| AddressError::BadUrl)?;
    let host = parsed.host_str().ok_or(AddressError::BadUrl)?.to_string();
    let port = parsed.port_or_known_default().ok_or(AddressError::BadUrl)?;
    let addrs = check_host(&host, port, allow_private)?;
    Ok((host, addrs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_refused_unless_allowed() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "1.1.1.1", "2606:4700::1111"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
        assert!(matches!(
            check_url("http://127.0.0.1:8080/x", false),
            Err(AddressError::Private { .. })
        ));
        assert!(matches!(
            check_url("http://localhost/x", false),
            Err(AddressError::Private { .. })
        ));
        assert!(matches!(
            check_url("http://[::1]/x", false),
            Err(AddressError::Private { .. })
        ));
        assert_eq!(
            check_url("http://127.0.0.1:8080/x", true).unwrap().1,
            vec!["127.0.0.1:8080".parse().unwrap()]
        );
        assert_eq!(check_url("not a url", false), Err(AddressError::BadUrl));
    }

    #[test]
    fn ipv6_ranges_that_translate_or_tunnel_to_ipv4_are_refused() {
        for ip in [
            // NAT64 (64:ff9b::/96, 64:ff9b:1::/48), whatever IPv4 it names.
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::10.0.0.1",
            "64:ff9b::808:808",
            "64:ff9b:1::808:808",
            // IPv4-compatible (::a.b.c.d).
            "::127.0.0.1",
            "::169.254.169.254",
            "::8.8.8.8",
            // 6to4 (2002::/16).
            "2002:7f00:1::",
            "2002:c0a8:0101:1::5",
            "2002:808:808::1",
            // Site-local (deprecated, fec0::/10).
            "fec0::1",
            "feff::1",
            // IPv4-mapped: the IPv4 address itself.
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["::ffff:8.8.8.8", "2001:4860:4860::8888", "2606:4700::1111"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }
}
