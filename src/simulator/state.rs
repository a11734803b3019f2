//! What the simulator remembers: tokens, counters, rate limit and fault knobs.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use super::links::LinkBook;
use super::SimulatorConfig;

/// Misbehaviour to inject into `getwxacodeunlimit`, for tests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Added before answering, in milliseconds.
    pub latency_ms: u64,
    /// Answer HTTP 500 with an HTML body.
    pub http_500: bool,
    /// Answer 200 with bytes that are neither JSON nor an image.
    pub garbage_body: bool,
    /// Break the connection instead of sending a body.
    pub drop_connection: bool,
    /// Answer this errcode instead of an image.
    pub errcode: Option<i64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Calls of `GET /cgi-bin/token`.
    pub token_calls: u64,
    /// Calls of `POST /cgi-bin/stable_token`.
    pub stable_token_calls: u64,
    /// Calls of `POST /wxa/getwxacodeunlimit`, whatever their outcome.
    pub code_calls: u64,
    /// Images actually returned.
    pub images_returned: u64,
    /// Calls of the three link-making endpoints, whatever their outcome.
    #[serde(default)]
    pub link_calls: u64,
    /// Code calls answered 45009 (over the per-minute limit).
    #[serde(default)]
    pub rate_limited: u64,
}

impl Counters {
    pub fn token_fetches(&self) -> u64 {
        self.token_calls + self.stable_token_calls
    }
}

#[derive(Default)]
struct AtomicCounters {
    token_calls: AtomicU64,
    stable_token_calls: AtomicU64,
    code_calls: AtomicU64,
    images_returned: AtomicU64,
    link_calls: AtomicU64,
    rate_limited: AtomicU64,
}

pub(super) struct IssuedToken {
    pub value: String,
    pub expires_at: Instant,
}

#[derive(Default)]
pub(super) struct Tokens {
    pub live: Option<IssuedToken>,
    /// Every token ever issued, so a superseded one gets 40001 rather than 40014.
    pub issued: std::collections::HashSet<String>,
    pub force_refreshes: Vec<Instant>,
}

pub(super) enum TokenCheck {
    Valid,
    Missing,
    Superseded,
    Expired,
    Unknown,
}

pub(super) struct SimState {
    pub config: SimulatorConfig,
    counters: AtomicCounters,
    /// Per AppID: WeChat issues and checks tokens per mini program.
    tokens: Mutex<HashMap<String, Tokens>>,
    faults: Mutex<Faults>,
    /// Per AppID (WeChat counts calls per mini program), made on first use at `per_minute`.
    limiters: Mutex<Limiters>,
    pub links: LinkBook,
}

struct Limiters {
    per_minute: u32,
    by_app: HashMap<String, Arc<DefaultDirectRateLimiter>>,
}

fn limiter(per_minute: u32, burst: Option<u32>) -> Arc<DefaultDirectRateLimiter> {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    let quota = Quota::per_minute(per_minute);
    let quota = match burst.and_then(NonZeroU32::new) {
        Some(burst) => quota.allow_burst(burst),
        None => quota,
    };
    Arc::new(RateLimiter::direct(quota))
}

/// A poisoned lock only means another request panicked mid-update; the
/// simulator's state stays usable.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SimState {
    pub fn new(config: SimulatorConfig) -> Self {
        let limiters = Limiters { per_minute: config.rate_limit_per_minute, by_app: HashMap::new() };
        Self {
            links: LinkBook::new(config.link_calls_per_second),
            config,
            counters: AtomicCounters::default(),
            tokens: Mutex::new(HashMap::new()),
            faults: Mutex::new(Faults::default()),
            limiters: Mutex::new(limiters),
        }
    }

    /// The AppSecret of a mini program this simulator knows.
    pub fn secret_of(&self, appid: &str) -> Option<&str> {
        let config = &self.config;
        if appid == config.appid {
            return Some(&config.secret);
        }
        if let Some((_, secret)) = config.other_apps.iter().find(|(id, _)| id == appid) {
            return Some(secret);
        }
        let sandbox = appid.strip_prefix(crate::mini_program::SANDBOX_APPID_PREFIX);
        (config.sandbox_family
            && sandbox.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())))
        .then_some(super::SANDBOX_SECRET)
    }

    pub fn counters(&self) -> Counters {
        let c = &self.counters;
        Counters {
            token_calls: c.token_calls.load(Ordering::SeqCst),
            stable_token_calls: c.stable_token_calls.load(Ordering::SeqCst),
            code_calls: c.code_calls.load(Ordering::SeqCst),
            images_returned: c.images_returned.load(Ordering::SeqCst),
            link_calls: c.link_calls.load(Ordering::SeqCst),
            rate_limited: c.rate_limited.load(Ordering::SeqCst),
        }
    }

    pub fn count_token_call(&self) {
        self.counters.token_calls.fetch_add(1, Ordering::SeqCst);
    }

    pub fn count_stable_token_call(&self) {
        self.counters.stable_token_calls.fetch_add(1, Ordering::SeqCst);
    }

    pub fn count_code_call(&self) {
        self.counters.code_calls.fetch_add(1, Ordering::SeqCst);
    }

    pub fn count_link_call(&self) {
        self.counters.link_calls.fetch_add(1, Ordering::SeqCst);
    }

    pub fn count_image(&self) {
        self.counters.images_returned.fetch_add(1, Ordering::SeqCst);
    }

    pub fn faults(&self) -> Faults {
        lock(&self.faults).clone()
    }

    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.faults) = faults;
    }

    /// Every app's limit, from now on.
    pub fn set_rate_limit(&self, per_minute: u32) {
        let mut limiters = lock(&self.limiters);
        limiters.per_minute = per_minute;
        limiters.by_app.clear();
    }

    pub fn set_app_rate_limit(&self, appid: &str, per_minute: u32) {
        let fresh = limiter(per_minute, self.config.rate_limit_burst);
        lock(&self.limiters).by_app.insert(appid.to_owned(), fresh);
    }

    /// Takes one call from the app's per-minute budget; false (counted) when it is spent.
    pub fn admit_code_call(&self, appid: &str) -> bool {
        let limiter = {
            let mut limiters = lock(&self.limiters);
            let per_minute = limiters.per_minute;
            let burst = self.config.rate_limit_burst;
            Arc::clone(limiters.by_app.entry(appid.to_owned()).or_insert_with(|| limiter(per_minute, burst)))
        };
        let admitted = limiter.check().is_ok();
        if !admitted {
            self.counters.rate_limited.fetch_add(1, Ordering::SeqCst);
        }
        admitted
    }

    pub fn reset(&self) {
        self.links.reset(self.config.link_calls_per_second);
        self.set_faults(Faults::default());
        self.set_rate_limit(self.config.rate_limit_per_minute);
        let c = &self.counters;
        for counter in [
            &c.token_calls,
            &c.stable_token_calls,
            &c.code_calls,
            &c.images_returned,
            &c.link_calls,
            &c.rate_limited,
        ] {
            counter.store(0, Ordering::SeqCst);
        }
    }

    /// Every app's tokens, by AppID.
    pub fn tokens(&self) -> MutexGuard<'_, HashMap<String, Tokens>> {
        lock(&self.tokens)
    }

    /// Issues a new token for `appid` and makes it that app's only live one.
    pub fn issue_token(&self, appid: &str) -> String {
        let mut tokens = self.tokens();
        issue_into(tokens.entry(appid.to_owned()).or_default(), self.config.token_ttl)
    }

    pub fn expire_tokens(&self) {
        for live in self.tokens().values_mut().filter_map(|t| t.live.as_mut()) {
            live.expires_at = Instant::now();
        }
    }

    /// Whether a presented token is live, and for which app.
    pub fn check_token(&self, presented: Option<&str>) -> (TokenCheck, Option<String>) {
        let Some(presented) = presented.filter(|t| !t.is_empty()) else {
            return (TokenCheck::Missing, None);
        };
        let tokens = self.tokens();
        for (appid, app) in tokens.iter() {
            match app.live.as_ref() {
                Some(live) if live.value == presented => {
                    let check = if Instant::now() < live.expires_at {
                        TokenCheck::Valid
                    } else {
                        TokenCheck::Expired
                    };
                    return (check, Some(appid.clone()));
                }
                _ if app.issued.contains(presented) => return (TokenCheck::Superseded, Some(appid.clone())),
                _ => {}
            }
        }
        (TokenCheck::Unknown, None)
    }
}

pub(super) fn issue_into(tokens: &mut Tokens, ttl: Duration) -> String {
    let suffix: String = rand::thread_rng().sample_iter(&Alphanumeric).take(96).map(char::from).collect();
    let value = format!("SIM_{suffix}");
    tokens.issued.insert(value.clone());
    tokens.live = Some(IssuedToken { value: value.clone(), expires_at: Instant::now() + ttl });
    value
}
