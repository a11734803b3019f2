//! `/api/settings`: the team's settings (the naming template), read by anyone signed in and
//! changed by admins.

use app::backend::AppState;
use app::models::settings::{TeamSettings, TeamSettingsInput};
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::api_error::{ApiActor, ApiError, ApiJson};
use super::docs::{SettingsErrors, SettingsReadErrors};

#[derive(Serialize, ToSchema)]
pub struct SettingsAnswer {
    pub success: bool,
    pub settings: TeamSettings,
}

/// The team's settings.
#[utoipa::path(operation_id = "get_settings", get, path = "/api/settings", tag = "settings",
    responses((status = 200, description = "The settings", body = SettingsAnswer), SettingsReadErrors))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<SettingsAnswer>, ApiError> {
    Ok(Json(SettingsAnswer { success: true, settings: state.settings.team(&actor).await? }))
}

/// Changes the team's settings (admins). The naming template applies to every download and ZIP
/// from then on; a request may still bring its own (`name_template`).
#[utoipa::path(operation_id = "set_settings", put, path = "/api/settings", tag = "settings",
    request_body = TeamSettingsInput,
    responses((status = 200, description = "The settings, after the change", body = SettingsAnswer), SettingsErrors))]
pub async fn change(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(input): ApiJson<TeamSettingsInput>,
) -> Result<Json<SettingsAnswer>, ApiError> {
    Ok(Json(SettingsAnswer { success: true, settings: state.settings.set_team(&input, &actor).await? }))
}
