//! `GET /api/audit`: the audit trail, newest first.

use app::backend::audit::{self, Action};
use app::backend::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::api_error::{query_rejection, ApiActor, ApiError, ApiLang};

const MAX_LIMIT: u32 = 200;

#[derive(Deserialize)]
pub struct AuditQuery {
    action: Option<String>,
    code: Option<i64>,
    /// An account's email or "API key: name".
    actor: Option<String>,
    before: Option<i64>,
    limit: Option<u32>,
}

pub async fn list(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(reader): ApiActor,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(query) = query.map_err(|r| query_rejection(r, lang))?;
    let action = match query.action.as_deref().filter(|a| !a.is_empty()) {
        Some(raw) => Some(Action::parse(raw).ok_or_else(|| {
            let known: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
            ApiError::malformed(format!("unknown action {raw:?}; one of {}", known.join(", ")), lang)
        })?),
        None => None,
    };
    let limit = query.limit.unwrap_or(50).clamp(1, MAX_LIMIT);
    let filter = audit::Filter { action, code_id: query.code, actor: query.actor };
    let page = audit::page(&state.pool, &reader, &filter, query.before, limit)
        .await
        .map_err(|e| ApiError::new(e, lang))?;
    Ok(Json(json!({ "success": true, "events": page.events, "next_before": page.next_before })))
}
