//! The team's settings: reading them (anyone signed in) and changing them (admins).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::context::{actor, state, with_status};
use crate::error::AppError;
use crate::models::settings::{TeamSettings, TeamSettingsInput};

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "get_team_settings")]
pub async fn get_team_settings() -> Result<TeamSettings, AppError> {
    with_status(state()?.settings.team(&actor()).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "set_team_settings", input = server_fn::codec::Json)]
pub async fn set_team_settings(input: TeamSettingsInput) -> Result<TeamSettings, AppError> {
    with_status(state()?.settings.set_team(&input, &actor()).await)
}
