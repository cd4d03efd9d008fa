//! The rules of webhook delivery (Standard Webhooks, with a retry schedule
//! like Svix's): when to try again, when to give up on an endpoint, and
//! which addresses a hub in production must never call (SSRF).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use chrono::{Duration, NaiveDateTime};

/// The waits before each attempt: at once, then 5 s, 5 min, 30 min, 2 h,
/// 5 h, 10 h and 10 h; after the eighth failure the delivery has failed.
pub const SCHEDULE_SECONDS: [i64; 8] = [0, 5, 300, 1800, 7200, 18_000, 36_000, 36_000];

/// A 2xx within this long counts as delivered.
pub const TIMEOUT_SECONDS: u64 = 15;

/// An endpoint failing this long without a success is disabled.
pub const DISABLE_AFTER_DAYS: i64 = 5;

/// When to try again after `attempts` attempts have failed; `None` once the
/// schedule has run out.
pub fn retry_after(attempts: i32) -> Option<Duration> {
    let index = usize::try_from(attempts).ok()?;
    SCHEDULE_SECONDS.get(index).map(|s| Duration::seconds(*s))
}

/// Whether an endpoint failing since `failing_since` is now disabled.
pub fn should_disable(failing_since: NaiveDateTime, now: NaiveDateTime) -> bool {
    now - failing_since >= Duration::days(DISABLE_AFTER_DAYS)
}

/// Whether a status counts as delivered.
pub fn delivered(status: u16) -> bool {
    (200..300).contains(&status)
}

/// An address the internet can reach: not loopback, private, link-local,
/// shared (carrier-grade NAT), unspecified, multicast, broadcast or for
/// documentation; IPv4 inside IPv6 is judged as IPv4.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => public_v4(v4),
            None => public_v6(v6),
        },
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, _, _] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b);
    let benchmarking = a == 198 && (18..20).contains(&b);
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || shared
        || benchmarking
        || a == 0
        || a >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = (first & 0xfe00) == 0xfc00;
    let link_local = (first & 0xffc0) == 0xfe80;
    let documentation = first == 0x2001 && ip.segments()[1] == 0x0db8;
    !(ip.is_loopback() || ip.is_unspecified() || ip.is_multicast() || unique_local || link_local || documentation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_runs_eight_attempts_then_stops() {
        let waits: Vec<i64> = (0..8).map(|n| retry_after(n).unwrap().num_seconds()).collect();
        assert_eq!(waits, vec![0, 5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
        assert_eq!(retry_after(8), None);
        assert_eq!(retry_after(-1), None);
    }

    #[test]
    fn five_days_of_failure_disable_an_endpoint() {
        let since = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap().and_hms_opt(9, 0, 0).unwrap();
        assert!(!should_disable(since, since + Duration::days(5) - Duration::seconds(1)));
        assert!(should_disable(since, since + Duration::days(5)));
    }

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
            "192.0.2.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["81.2.69.160", "2a00:1450:4009:81f::200e", "::ffff:81.2.69.160"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
        assert!(delivered(204) && !delivered(301) && !delivered(500));
    }
}
