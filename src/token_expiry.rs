//! When a cached access_token must be replaced.

use std::time::Duration;

/// WeChat tokens are renewed this long before they expire, so a token is never
/// used in the last moments of its life.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// How long a token that WeChat says lives `expires_in` seconds may be used.
///
/// Normally `expires_in − 300 s`; for lifetimes of 10 minutes or less (test
/// setups, the simulator) half the lifetime, so such tokens are still reused.
pub fn usable_for(expires_in_secs: u64) -> Duration {
    let lifetime = Duration::from_secs(expires_in_secs);
    if lifetime > REFRESH_MARGIN * 2 {
        lifetime - REFRESH_MARGIN
    } else {
        lifetime / 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_two_hour_token_is_used_for_115_minutes() {
        assert_eq!(usable_for(7200), Duration::from_secs(6900));
    }

    #[test]
    fn short_lived_tokens_are_used_for_half_their_life() {
        assert_eq!(usable_for(600), Duration::from_secs(300));
        assert_eq!(usable_for(601), Duration::from_secs(301));
        assert_eq!(usable_for(60), Duration::from_secs(30));
        assert_eq!(usable_for(1), Duration::from_millis(500));
        assert_eq!(usable_for(0), Duration::ZERO);
    }
}
