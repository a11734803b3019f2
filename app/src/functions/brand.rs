//! Centre logos: which one a code is drawn with, and removing one. Uploads go to the REST API
//! (`PUT /api/codes/{id}/logo`, `PUT /api/apps/{appid}/logo`), which takes the file as it is.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::context::{actor, state, with_status};
use crate::error::AppError;
use crate::models::brand::{LogoOwner, LogoView};

/// The logo a code is drawn with (its own, else its app's), if any.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn logo_for_code(id: i64) -> Result<Option<LogoView>, AppError> {
    with_status(state()?.brand.logo_view_for(id, &actor()).await)
}

/// The logos set on the apps the signed-in person may use; an app without one is not listed.
/// One call for the Mini programs page, made with the page rather than by each app's card.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn logos_of_apps() -> Result<Vec<LogoView>, AppError> {
    with_status(
        async {
            let (state, actor) = (state()?, actor());
            let mut logos = Vec::new();
            for app in state.apps.choices(&actor).await?.apps {
                logos.extend(state.brand.logo_view(&LogoOwner::App(app.appid), &actor).await?);
            }
            Ok(logos)
        }
        .await,
    )
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, input = server_fn::codec::Json)]
pub async fn remove_logo(owner: LogoOwner) -> Result<(), AppError> {
    with_status(state()?.brand.remove_logo(&owner, &actor()).await)
}
