//! Generating codes, the history, one code's actions and the public share view.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::context::{actor, state, with_status};
use crate::error::AppError;
use crate::models::codes::{
    CodeSummary, GenerateForm, GeneratedCode, HistoryFilter, HistoryPage, SharedCode,
};

pub const HISTORY_PAGE_SIZE: u32 = 20;

/// Generates (or reuses) the code for `form`; `force` always asks WeChat.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, input = server_fn::codec::Json)]
pub async fn generate_code(form: GenerateForm, force: bool) -> Result<GeneratedCode, AppError> {
    with_status(
        async {
            let (request, label) = form.parse().map_err(|problems| AppError::Invalid { problems })?;
            let app = form.app.as_deref();
            let generated = state()?.codes.generate(&request, &label, force, app, &actor()).await?;
            Ok(generated.into())
        }
        .await,
    )
}

/// One page of history, newest first.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, input = server_fn::codec::Json)]
pub async fn list_codes(filter: HistoryFilter, before: Option<i64>) -> Result<HistoryPage, AppError> {
    with_status(state()?.codes.list(&filter, HISTORY_PAGE_SIZE, before, &actor()).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, input = server_fn::codec::Json)]
pub async fn get_code(id: i64) -> Result<CodeSummary, AppError> {
    with_status(state()?.codes.get(id, &actor()).await)
}

/// Soft delete (`deleted = true`) or restore.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn set_code_deleted(id: i64, deleted: bool) -> Result<CodeSummary, AppError> {
    with_status(state()?.codes.set_deleted(id, deleted, &actor()).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn revoke_share_link(id: i64) -> Result<CodeSummary, AppError> {
    with_status(state()?.codes.revoke_share(id, &actor()).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn reissue_share_link(id: i64) -> Result<CodeSummary, AppError> {
    with_status(state()?.codes.reissue_share(id, &actor()).await)
}

/// Ends the share link at `expires_at` (RFC 3339), or never when `None`.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn set_share_expiry(id: i64, expires_at: Option<String>) -> Result<CodeSummary, AppError> {
    with_status(
        async {
            let end = crate::backend::codes::parse_expiry(expires_at.as_deref())?;
            state()?.codes.set_share_expiry(id, end, &actor()).await
        }
        .await,
    )
}

/// Shows or hides the label and page on the public share page.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn set_share_shows_label(id: i64, shown: bool) -> Result<CodeSummary, AppError> {
    with_status(state()?.codes.set_share_shows_label(id, shown, &actor()).await)
}

/// The public view of a shared code (callable signed out, like the share page itself).
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "get_shared_code")]
pub async fn get_shared_code(token: String) -> Result<SharedCode, AppError> {
    with_status(state()?.codes.shared_view(&token).await)
}
