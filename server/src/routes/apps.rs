//! `/api/apps`: the mini programs a key may use, to pass as `app` when generating.

use app::backend::AppState;
use app::models::apps::AppView;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::api_error::{ApiActor, ApiError};
use super::docs::ReadErrors;

/// The apps this key (or session) may use, the default one first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AppList {
    pub success: bool,
    /// The AppID used when a request names none (for a key limited to other apps: the first of them).
    pub default_app: String,
    pub apps: Vec<AppView>,
}

/// Mini programs this key may use: pass one's `appid` as `app` to generate, upload a batch or make
/// a link for it; without `app`, requests use `default_app`. The AppSecret is never shown.
#[utoipa::path(operation_id = "list_apps", get, path = "/api/apps", tag = "apps",
    responses((status = 200, description = "The apps", body = AppList), ReadErrors))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<AppList>, ApiError> {
    let apps = state.apps.list(&actor).await?;
    Ok(Json(AppList { success: true, default_app: state.apps.default_for(&actor).to_owned(), apps }))
}
