//! Fuzzes the alert sinks' SSRF guard: `is_private` never panics, judges an IPv6 address that
//! embeds an IPv4 one (mapped, compatible, NAT64, 6to4) as it judges that IPv4 address, and
//! `check_url` on an IP-literal URL refuses exactly the private addresses (no DNS: only literals).
#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use clawtower_core::net::{check_url, is_private, AddressError};
use libfuzzer_sys::fuzz_target;

fn embeddings(v4: Ipv4Addr) -> [Ipv6Addr; 3] {
    let [a, b, c, d] = v4.octets();
    let (hi, lo) = (u16::from_be_bytes([a, b]), u16::from_be_bytes([c, d]));
    [
        v4.to_ipv6_mapped(),
        Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, hi, lo),
        Ipv6Addr::new(0x2002, hi, lo, 0, 0, 0, 0, 1),
    ]
}

fn check(ip: IpAddr, port: u16) {
    let private = is_private(ip);
    let url = match ip {
        IpAddr::V4(v4) => format!("http://{v4}:{port}/x"),
        IpAddr::V6(v6) => format!("http://[{v6}]:{port}/x"),
    };
    match check_url(&url, false) {
        Ok((_, addrs)) => {
            assert!(!private, "{url} passed the guard");
            assert!(addrs.iter().all(|a| a.ip() == ip), "{url}: {addrs:?}");
        }
        Err(AddressError::Private { ip: refused, .. }) => {
            assert!(private, "{url} refused as private");
            assert_eq!(refused, ip);
        }
        Err(e) => panic!("{url}: {e}"),
    }
    if let Ok((_, addrs)) = check_url(&url, true) {
        assert!(addrs.iter().all(|a| a.ip() == ip), "{url}: {addrs:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let port = data
        .get(..2)
        .map_or(80, |p| u16::from_be_bytes([p[0], p[1]]).max(1));
    match data.len() {
        6 => {
            let v4 = Ipv4Addr::new(data[2], data[3], data[4], data[5]);
            for v6 in embeddings(v4) {
                assert_eq!(is_private(IpAddr::V6(v6)), is_private(IpAddr::V4(v4)), "{v6}");
            }
            check(IpAddr::V4(v4), port);
        }
        18 => {
            let octets: [u8; 16] = data[2..].try_into().unwrap();
            check(IpAddr::V6(Ipv6Addr::from(octets)), port);
        }
        _ => {
            if let Some(ip) = std::str::from_utf8(data)
                .ok()
                .and_then(|t| t.trim().parse::<IpAddr>().ok())
            {
                check(ip, 443);
            }
        }
    }
});
