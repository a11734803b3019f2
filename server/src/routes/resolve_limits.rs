//! How often the public resolve API answers: per client address (generous, since
//! phones behind one carrier NAT share an address) and in total.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::ResolveLimits;

pub struct ResolveLimiter {
    per_client: DefaultKeyedRateLimiter<IpAddr>,
    total: DefaultDirectRateLimiter,
    clock: DefaultClock,
    checks: AtomicU64,
}

/// Every so many checks, addresses that have been quiet long enough are forgotten.
const CLEANUP_EVERY: u64 = 10_000;

impl ResolveLimiter {
    pub fn new(limits: ResolveLimits) -> Self {
        Self {
            per_client: RateLimiter::keyed(Quota::per_minute(limits.per_client_per_minute)),
            total: RateLimiter::direct(Quota::per_second(limits.total_per_second)),
            clock: DefaultClock::default(),
            checks: AtomicU64::new(0),
        }
    }

    /// `Err(wait)` when this client (or everyone together) has to slow down.
    pub fn check(&self, client: Option<&str>) -> Result<(), Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % CLEANUP_EVERY == CLEANUP_EVERY - 1 {
            self.per_client.retain_recent();
        }
        if let Some(ip) = client.and_then(|c| c.parse::<IpAddr>().ok()) {
            self.per_client.check_key(&ip).map_err(|not_until| not_until.wait_time_from(self.clock.now()))?;
        }
        self.total.check().map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::num::NonZeroU32;

    #[test]
    fn one_address_is_held_back_while_others_go_on() {
        let limits = ResolveLimits {
            per_client_per_minute: NonZeroU32::new(2).unwrap(),
            total_per_second: NonZeroU32::new(1000).unwrap(),
        };
        let limiter = ResolveLimiter::new(limits);
        assert!(limiter.check(Some("203.0.113.1")).is_ok());
        assert!(limiter.check(Some("203.0.113.1")).is_ok());
        let wait = limiter.check(Some("203.0.113.1")).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(30), "{wait:?}");
        assert!(limiter.check(Some("203.0.113.2")).is_ok());
    }
}
