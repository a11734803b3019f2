//! Facts about the running instance.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::context::state;
use crate::error::AppError;
use crate::models::instance::InstanceInfo;

/// Whether this instance runs against the simulator, for which AppID, and where share links point.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn get_instance_info() -> Result<InstanceInfo, AppError> {
    Ok(state()?.instance)
}
