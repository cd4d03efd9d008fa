//! The client's address, for per-client rate limits. Behind proxies the
//! hub runs, `X-Forwarded-For` (or RFC 7239 `Forwarded: for=`) lists the hops;
//! only the right-hand end of that list was written by our proxies, since a
//! client can put anything on the left. So the address is the right-most one
//! that is not a trusted proxy, and the headers count only when the
//! connection itself comes from a trusted proxy.

use std::net::IpAddr;

use actix_web::HttpRequest;
use ipnet::IpNet;

fn trusted(address: &IpAddr, proxies: &[IpNet]) -> bool {
    proxies.iter().any(|net| net.contains(address))
}

/// One hop as a proxy writes it: `1.2.3.4`, `1.2.3.4:5678`, `[2001:db8::1]:80`
/// or `"[2001:db8::1]"`; `None` for what is no address (`unknown`, an
/// obfuscated `_hidden`).
fn parse_hop(raw: &str) -> Option<IpAddr> {
    let hop = raw.trim().trim_matches('"');
    if let Ok(address) = hop.parse() {
        return Some(address);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next().and_then(|inside| inside.parse().ok());
    }
    hop.rsplit_once(':').and_then(|(host, _port)| host.parse().ok())
}

/// The hops of `X-Forwarded-For`, or else of `Forwarded`, left to right. A
/// hop that is no address stands as `None`: it stops the walk, since what is
/// left of it cannot be trusted either.
fn forwarded_hops(req: &HttpRequest) -> Vec<Option<IpAddr>> {
    let headers = req.headers();
    let x_forwarded_for: Vec<&str> =
        headers.get_all("x-forwarded-for").filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).collect();
    if !x_forwarded_for.is_empty() {
        return x_forwarded_for.into_iter().map(parse_hop).collect();
    }
    headers
        .get_all("forwarded")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                key.trim().eq_ignore_ascii_case("for").then(|| parse_hop(value))
            })
        })
        .collect()
}

/// The client's address as far as the trusted proxies vouch for it.
pub fn client_address(peer: Option<IpAddr>, hops: &[Option<IpAddr>], proxies: &[IpNet]) -> Option<IpAddr> {
    let mut address = peer?;
    if !trusted(&address, proxies) {
        return Some(address);
    }
    for hop in hops.iter().rev() {
        match hop {
            Some(hop) => {
                address = *hop;
                if !trusted(hop, proxies) {
                    break;
                }
            }
            None => break,
        }
    }
    Some(address)
}

pub fn of_request(req: &HttpRequest, proxies: &[IpNet]) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    if proxies.is_empty() {
        return peer;
    }
    client_address(peer, &forwarded_hops(req), proxies)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn a_forged_left_hand_entry_is_ignored() {
        let proxies = nets(&["10.0.0.0/8"]);
        let hops = [Some(ip("1.2.3.4")), Some(ip("203.0.113.9"))];
        assert_eq!(client_address(Some(ip("10.0.0.5")), &hops, &proxies), Some(ip("203.0.113.9")));
    }

    #[test]
    fn several_trusted_proxies_are_walked_past() {
        let proxies = nets(&["10.0.0.0/8", "192.168.1.1/32"]);
        let hops = [Some(ip("6.6.6.6")), Some(ip("203.0.113.9")), Some(ip("192.168.1.1"))];
        assert_eq!(client_address(Some(ip("10.0.0.5")), &hops, &proxies), Some(ip("203.0.113.9")));
    }

    #[test]
    fn headers_from_an_untrusted_peer_count_for_nothing() {
        let proxies = nets(&["10.0.0.0/8"]);
        let hops = [Some(ip("1.2.3.4"))];
        assert_eq!(client_address(Some(ip("198.51.100.7")), &hops, &proxies), Some(ip("198.51.100.7")));
    }

    #[test]
    fn an_unparseable_hop_stops_the_walk_at_the_last_proxy() {
        let proxies = nets(&["10.0.0.0/8"]);
        let hops = [Some(ip("1.2.3.4")), None, Some(ip("10.1.1.1"))];
        assert_eq!(client_address(Some(ip("10.0.0.5")), &hops, &proxies), Some(ip("10.1.1.1")));
    }

    #[test]
    fn hops_are_read_in_every_spelling_proxies_use() {
        assert_eq!(parse_hop(" 203.0.113.9 "), Some(ip("203.0.113.9")));
        assert_eq!(parse_hop("203.0.113.9:4711"), Some(ip("203.0.113.9")));
        assert_eq!(parse_hop("\"[2001:db8::1]:80\""), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("2001:db8::1"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("unknown"), None);
    }
}
