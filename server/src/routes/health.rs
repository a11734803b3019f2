use app::backend::{store, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

/// `GET /api/health`: liveness plus whether the database answers.
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database_ok = match store::ping(&state.pool).await {
        Ok(()) => true,
        Err(error) => {
            tracing::error!(?error, "health check: database does not answer");
            false
        }
    };
    let status = if database_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = json!({
        "status": if database_ok { "ok" } else { "degraded" },
        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "database": if database_ok { "ok" } else { "error" },
        "sandbox": state.instance.sandbox,
        "version": env!("CARGO_PKG_VERSION"),
    });
    (status, Json(body))
}
