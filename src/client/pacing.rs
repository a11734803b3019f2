//! What paces calls against a WeChat budget. WeChat counts per AppID, not per process: one
//! server paces in memory ([`LocalPacer`]); replicas sharing an AppID pace through their
//! database (the app supplies that [`Pacer`]).

use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// A budget: calls `interval` apart on average, at most `burst` at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    pub interval: Duration,
    pub burst: NonZeroU32,
}

impl Budget {
    /// A steady rate with at most one second's worth in a burst: WeChat counts per
    /// minute, and a full minute's burst followed by the steady rate would double it.
    pub fn per_minute(calls: NonZeroU32) -> Self {
        Self {
            interval: Duration::from_secs(60) / calls.get(),
            burst: NonZeroU32::new(calls.get() / 60).unwrap_or(NonZeroU32::MIN),
        }
    }

    /// `calls` a second, all of them at once at most.
    pub fn per_second(calls: NonZeroU32) -> Self {
        Self { interval: Duration::from_secs(1) / calls.get(), burst: calls }
    }

    fn quota(self) -> Quota {
        Quota::with_period(self.interval.max(Duration::from_nanos(1)))
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
            .allow_burst(self.burst)
    }
}

/// Waits until one more call fits a budget.
pub trait Pacer: Send + Sync {
    fn until_ready(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;
}

/// A budget kept in this process's memory.
pub struct LocalPacer(DefaultDirectRateLimiter);

impl LocalPacer {
    pub fn new(budget: Budget) -> Self {
        Self(RateLimiter::direct(budget.quota()))
    }
}

impl Pacer for LocalPacer {
    fn until_ready(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(self.0.until_ready())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(budget: Budget) -> DefaultDirectRateLimiter {
        RateLimiter::direct(budget.quota())
    }

    #[test]
    fn bursts_are_capped_at_one_seconds_worth_of_calls() {
        let limiter = limiter(Budget::per_minute(NonZeroU32::new(120).unwrap()));
        assert!(limiter.check().is_ok());
        assert!(limiter.check().is_ok());
        assert!(limiter.check().is_err(), "120 a minute is 2 a second: a third must wait");
    }

    #[test]
    fn a_rate_below_one_a_second_still_allows_a_call() {
        let limiter = limiter(Budget::per_minute(NonZeroU32::new(30).unwrap()));
        assert!(limiter.check().is_ok());
        assert!(limiter.check().is_err());
    }

    #[test]
    fn a_budget_says_its_spacing_and_burst() {
        let budget = Budget::per_minute(NonZeroU32::new(4_500).unwrap());
        assert_eq!((budget.interval, budget.burst.get()), (Duration::from_nanos(13_333_333), 75));
        let links = Budget::per_second(NonZeroU32::new(90).unwrap());
        assert_eq!((links.interval, links.burst.get()), (Duration::from_nanos(11_111_111), 90));
    }
}
