//! `GET /metrics` in Prometheus' text format, served on its own address
//! (`WXACODE_METRICS_ADDR`) so it is never public by accident. The services and the WeChat
//! client count through the `metrics` facade; this installs the exporter behind it.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use app::backend::health::Health;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const HTTP_REQUESTS: &str = "wxacode_http_requests_total";
pub const HTTP_SECONDS: &str = "wxacode_http_request_duration_seconds";
pub const POOL_CONNECTIONS: &str = "wxacode_db_pool_connections";
pub const POOL_MAX: &str = "wxacode_db_pool_max_connections";

/// Latency buckets (seconds) for every `*_seconds` histogram: a page in milliseconds,
/// a WeChat call or a rate-limit wait in seconds.
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

/// The process-wide exporter: the facade takes one recorder per process, so every
/// application built in it (tests build many) shares the first one.
pub fn recorder() -> anyhow::Result<PrometheusHandle> {
    static RECORDER: OnceLock<Result<PrometheusHandle, String>> = OnceLock::new();
    RECORDER
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
                .and_then(PrometheusBuilder::install_recorder)
                .map_err(|error| error.to_string())
        })
        .clone()
        .map_err(|error| anyhow::anyhow!("cannot start the metrics exporter: {error}"))
}

/// The metrics address's router: `/metrics` and nothing else.
pub fn router(handle: PrometheusHandle, health: Arc<Health>) -> Router {
    Router::new().route("/metrics", get(render)).with_state((handle, health))
}

async fn render(State((handle, health)): State<(PrometheusHandle, Arc<Health>)>) -> Response {
    // Pool usage is read when asked for, not tracked on every checkout.
    let usage = health.pool_usage();
    metrics::gauge!(POOL_CONNECTIONS, "state" => "in_use").set(f64::from(usage.in_use));
    metrics::gauge!(POOL_CONNECTIONS, "state" => "idle").set(f64::from(usage.idle));
    metrics::gauge!(POOL_MAX).set(f64::from(usage.max));
    handle.run_upkeep();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], handle.render()).into_response()
}

/// Histograms are drained into their buckets here too, so memory stays flat between scrapes.
pub async fn upkeep(handle: PrometheusHandle) {
    let mut every = tokio::time::interval(Duration::from_secs(5));
    loop {
        every.tick().await;
        handle.run_upkeep();
    }
}

/// Counts each request by method, route template (never the raw path: one series per
/// route, not per code id) and status, with its time to the response head.
pub async fn track_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(HTTP_REQUESTS, "method" => method, "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!(HTTP_SECONDS, "method" => method, "route" => route).record(started.elapsed());
    response
}

/// Made-up methods all count as `other`, so a client cannot mint series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}
