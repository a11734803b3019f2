//! `/__sim/*`: steering the simulator over HTTP (for browser tests and demos).

use std::sync::Arc;

use axum::extract::State;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;

use super::state::{Counters, Faults, SimState};

type Shared = Arc<SimState>;

pub(super) fn router(state: Shared) -> Router {
    Router::new()
        .route("/__sim/counters", get(counters))
        .route("/__sim/faults", get(faults).put(set_faults))
        .route("/__sim/rate-limit", put(set_rate_limit))
        .route("/__sim/expire-tokens", post(expire_tokens))
        .route("/__sim/reset", post(reset))
        .with_state(state)
}

async fn counters(State(state): State<Shared>) -> Json<Counters> {
    Json(state.counters())
}

async fn faults(State(state): State<Shared>) -> Json<Faults> {
    Json(state.faults())
}

async fn set_faults(State(state): State<Shared>, Json(faults): Json<Faults>) -> Json<Faults> {
    state.set_faults(faults);
    Json(state.faults())
}

#[derive(Deserialize)]
struct RateLimit {
    per_minute: u32,
}

async fn set_rate_limit(
    State(state): State<Shared>,
    Json(limit): Json<RateLimit>,
) -> Json<serde_json::Value> {
    state.set_rate_limit(limit.per_minute);
    Json(serde_json::json!({ "per_minute": limit.per_minute }))
}

async fn expire_tokens(State(state): State<Shared>) -> Json<serde_json::Value> {
    state.expire_tokens();
    Json(serde_json::json!({ "expired": true }))
}

async fn reset(State(state): State<Shared>) -> Json<Counters> {
    state.reset();
    Json(state.counters())
}
