//! `GET /api/health`: liveness, which database answers; `GET /api/health/ready`: whether
//! this replica should get traffic (for a proxy or an orchestrator).

use app::backend::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HealthAnswer {
    /// `ok`, or `degraded` when the database does not answer.
    pub status: String,
    /// RFC 3339, UTC.
    pub timestamp: String,
    /// `ok` or `error`.
    pub database: String,
    /// The engine behind the data: `sqlite` (or `postgres`).
    pub backend: String,
    /// True when codes come from the built-in WeChat simulator.
    pub sandbox: bool,
    pub version: String,
}

/// Liveness plus whether the database answers (503 when it does not). Needs no key.
#[utoipa::path(operation_id = "health", get, path = "/api/health", tag = "health", security(()),
    responses((status = 200, description = "The instance serves", body = HealthAnswer), (status = 503, description = "The database does not answer", body = HealthAnswer)))]
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<HealthAnswer>) {
    let database_ok = state.health.database_ok().await;
    let status = if database_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let answer = HealthAnswer {
        status: if database_ok { "ok" } else { "degraded" }.to_owned(),
        timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        database: if database_ok { "ok" } else { "error" }.to_owned(),
        backend: state.health.backend().to_owned(),
        sandbox: state.instance.sandbox,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    (status, Json(answer))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReadyAnswer {
    /// `ready`, or `not_ready` while the database is away or its schema is not this build's.
    pub status: String,
}

/// 200 when this instance can serve: the database answers and every migration of this build
/// is applied; 503 otherwise. Needs no key.
#[utoipa::path(operation_id = "ready", get, path = "/api/health/ready", tag = "health", security(()),
    responses((status = 200, description = "Ready for traffic", body = ReadyAnswer), (status = 503, description = "The database does not answer or is not migrated", body = ReadyAnswer)))]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<ReadyAnswer>) {
    match state.health.ready().await {
        true => (StatusCode::OK, Json(ReadyAnswer { status: "ready".into() })),
        false => (StatusCode::SERVICE_UNAVAILABLE, Json(ReadyAnswer { status: "not_ready".into() })),
    }
}
