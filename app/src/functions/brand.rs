//! Centre logos: which one a code is drawn with, and removing one. Uploads go to the REST API
//! (`PUT /api/codes/{id}/logo`, `PUT /api/apps/{appid}/logo`), which takes the file as it is.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::context::{actor, state, with_status};
use crate::error::AppError;
use crate::models::brand::{LogoOwner, LogoView};

/// The logo a code is drawn with (its own, else its app's), if any.
#[server(prefix = "/rpc")]
pub async fn logo_for_code(id: i64) -> Result<Option<LogoView>, AppError> {
    with_status(state()?.brand.logo_view_for(id, &actor()).await)
}

/// The logo set on exactly this app, if any.
#[server(prefix = "/rpc")]
pub async fn logo_of_app(appid: String) -> Result<Option<LogoView>, AppError> {
    let result = match state()?.brand.logo(&LogoOwner::App(appid), &actor()).await {
        Ok((view, _)) => Ok(Some(view)),
        Err(AppError::Missing { .. }) => Ok(None),
        Err(other) => Err(other),
    };
    with_status(result)
}

#[server(prefix = "/rpc", input = server_fn::codec::Json)]
pub async fn remove_logo(owner: LogoOwner) -> Result<(), AppError> {
    with_status(state()?.brand.remove_logo(&owner, &actor()).await)
}
