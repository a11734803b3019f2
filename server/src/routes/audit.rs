//! `GET /api/audit`: the audit trail, newest first (admins).

use app::backend::audit::{Action, AuditEvent, Filter};
use app::backend::AppState;
use app::error::AppError;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::api_error::{ApiActor, ApiError, ApiQuery};
use super::docs::AdminReadErrors;

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// One kind of event: generate, regenerate, bulk_download, share_reissue, share_revoke,
    /// share_expiry, delete, restore, batch_create, batch_pause, batch_resume, batch_cancel,
    /// sign_in, sign_in_failed, sign_out, user_create, user_change, api_key_create, api_key_revoke,
    /// living_create…, link_create, link_renew, link_revoke, app_create, app_change, app_secret, app_access, print_sheet, logo_set, logo_remove, settings_change.
    pub action: Option<String>,
    /// Events about this code.
    pub code: Option<i64>,
    /// Events of this account (its email) or key (`API key: name`).
    pub actor: Option<String>,
    /// Events about this mini program (AppID).
    pub app: Option<String>,
    /// The `next_before` of the previous page.
    pub before: Option<i64>,
    /// Events per page, 1–200 (default 50).
    pub limit: Option<u32>,
}

/// A page of the trail, newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AuditList {
    pub success: bool,
    pub events: Vec<AuditEvent>,
    /// Pass it as `before` for the next page; `null` on the last one.
    pub next_before: Option<i64>,
}

/// The audit trail: who generated, downloaded, shared, deleted, signed in…, from where, when.
#[utoipa::path(operation_id = "list_audit_events", get, path = "/api/audit", tag = "audit", params(AuditParams),
    responses((status = 200, description = "A page of events", body = AuditList), AdminReadErrors))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(reader): ApiActor,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> Result<Json<AuditList>, ApiError> {
    let action = match params.action.as_deref().filter(|a| !a.is_empty()) {
        Some(raw) => Some(Action::parse(raw).ok_or_else(|| {
            let known: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
            AppError::malformed(format!("unknown action {raw:?}; one of {}", known.join(", ")))
        })?),
        None => None,
    };
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let filter = Filter { action, code_id: params.code, actor: params.actor, app: params.app };
    let page = state.audit.page(&reader, &filter, params.before, limit).await?;
    Ok(Json(AuditList { success: true, events: page.events, next_before: page.next_before }))
}
