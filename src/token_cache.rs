//! The cached access_token: one fetch in flight at a time, shared by all callers.

use std::future::Future;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::token_expiry::usable_for;

/// An access_token. Its `Debug` hides the value so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn new(value: String) -> Self {
        Self(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

struct Cached {
    token: AccessToken,
    usable_until: Instant,
}

#[derive(Default)]
pub struct TokenCache {
    // Held across the fetch: concurrent callers queue behind the one fetching
    // and then find the fresh token, so a cold start costs exactly one fetch.
    slot: Mutex<Option<Cached>>,
}

impl TokenCache {
    /// Returns the cached token while it is usable, otherwise fetches one.
    /// `fetch` yields the token and its `expires_in` in seconds.
    pub async fn get_or_fetch<F, Fut, E>(&self, fetch: F) -> Result<AccessToken, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(AccessToken, u64), E>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_ref() {
            if Instant::now() < cached.usable_until {
                return Ok(cached.token.clone());
            }
        }
        let (token, expires_in) = fetch().await?;
        let usable: Duration = usable_for(expires_in);
        *slot = Some(Cached { token: token.clone(), usable_until: Instant::now() + usable });
        Ok(token)
    }

    /// Forgets `rejected` if it is still the cached token; a token another
    /// caller already replaced is left alone, so one rejection causes one fetch.
    pub async fn invalidate(&self, rejected: &AccessToken) {
        let mut slot = self.slot.lock().await;
        if slot.as_ref().is_some_and(|c| &c.token == rejected) {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    fn counting_fetch(
        counter: &Arc<AtomicUsize>,
        expires_in: u64,
    ) -> impl Future<Output = Result<(AccessToken, u64), ()>> {
        let counter = Arc::clone(counter);
        async move {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(10)).await;
            Ok((AccessToken::new(format!("token-{n}")), expires_in))
        }
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_share_one_fetch() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let (cache, fetches) = (Arc::clone(&cache), Arc::clone(&fetches));
                tokio::spawn(async move { cache.get_or_fetch(|| counting_fetch(&fetches, 7200)).await })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap().expose(), "token-1");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_token_is_refetched_after_its_usable_life() {
        let cache = TokenCache::default();
        let fetches = Arc::new(AtomicUsize::new(0));
        cache.get_or_fetch(|| counting_fetch(&fetches, 7200)).await.unwrap();
        tokio::time::advance(Duration::from_secs(6899)).await;
        assert_eq!(cache.get_or_fetch(|| counting_fetch(&fetches, 7200)).await.unwrap().expose(), "token-1");
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(cache.get_or_fetch(|| counting_fetch(&fetches, 7200)).await.unwrap().expose(), "token-2");
    }

    #[tokio::test(start_paused = true)]
    async fn invalidating_a_stale_token_keeps_the_newer_one() {
        let cache = TokenCache::default();
        let fetches = Arc::new(AtomicUsize::new(0));
        let first = cache.get_or_fetch(|| counting_fetch(&fetches, 7200)).await.unwrap();
        cache.invalidate(&first).await;
        let second = cache.get_or_fetch(|| counting_fetch(&fetches, 7200)).await.unwrap();
        cache.invalidate(&first).await;
        assert_eq!(cache.get_or_fetch(|| counting_fetch(&fetches, 7200)).await.unwrap(), second);
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_fetch_is_reported_and_not_cached() {
        let cache = TokenCache::default();
        let failed: Result<AccessToken, &str> = cache.get_or_fetch(|| async { Err("down") }).await;
        assert_eq!(failed, Err("down"));
        let fetches = Arc::new(AtomicUsize::new(0));
        assert!(cache.get_or_fetch(|| counting_fetch(&fetches, 7200)).await.is_ok());
    }

    #[test]
    fn debug_never_shows_the_token() {
        assert_eq!(format!("{:?}", AccessToken::new("secret-value".into())), "AccessToken(***)");
    }
}
