//! What the WeChat client counts, through the `metrics` facade: nothing is recorded until
//! the server installs an exporter (`WXACODE_METRICS_ADDR`), so the calls cost next to
//! nothing when metrics are off.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::client::WeChatError;

/// WeChat calls by endpoint and outcome (`errcode` is `0`, WeChat's errcode, or what went
/// wrong before one arrived), with their latency.
pub const CALLS: &str = "wxacode_wechat_calls_total";
pub const CALL_SECONDS: &str = "wxacode_wechat_call_duration_seconds";
/// Tokens fetched (each one a WeChat call, counted in [`CALLS`] too), by outcome.
pub const TOKEN_FETCHES: &str = "wxacode_wechat_token_fetches_total";
/// Time spent waiting for the rate limiter before a code call; waits that were not free.
pub const LIMITER_WAIT_SECONDS: &str = "wxacode_wechat_limiter_wait_seconds";
pub const LIMITER_WAITS: &str = "wxacode_wechat_limiter_waits_total";

/// Runs one call to `endpoint` and records its outcome and duration.
pub async fn observe_call<T>(
    endpoint: &'static str,
    call: impl Future<Output = Result<T, WeChatError>>,
) -> Result<T, WeChatError> {
    let started = Instant::now();
    let result = call.await;
    let errcode = match &result {
        Ok(_) => "0".to_owned(),
        Err(error) => outcome(error),
    };
    metrics::counter!(CALLS, "endpoint" => endpoint, "errcode" => errcode).increment(1);
    metrics::histogram!(CALL_SECONDS, "endpoint" => endpoint).record(started.elapsed());
    result
}

pub fn token_fetched(ok: bool) {
    metrics::counter!(TOKEN_FETCHES, "outcome" => if ok { "ok" } else { "error" }).increment(1);
}

/// `endpoint` tells the code budget from the links' one.
pub fn limiter_waited(endpoint: &'static str, waited: Duration) {
    metrics::histogram!(LIMITER_WAIT_SECONDS, "endpoint" => endpoint).record(waited);
    // A ready limiter answers in microseconds; anything longer was a real wait.
    if waited >= Duration::from_millis(1) {
        metrics::counter!(LIMITER_WAITS, "endpoint" => endpoint).increment(1);
    }
}

/// The `errcode` label: WeChat's number, or a word for failures that carry none.
fn outcome(error: &WeChatError) -> String {
    match error {
        WeChatError::Api { errcode, .. } => errcode.to_string(),
        WeChatError::Unreachable(_) => "unreachable".into(),
        WeChatError::Timeout(_) => "timeout".into(),
        WeChatError::HttpStatus { status } => format!("http_{status}"),
        WeChatError::InvalidResponse { .. } => "invalid_response".into(),
        WeChatError::Setup(_) => "setup".into(),
    }
}
