//! Server functions: thin wrappers that take state from context and call the
//! backend service, so the logic is testable without Leptos.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::{
    AuditPage, BatchAction, BatchSummary, CodeSummary, GenerateForm, GeneratedCode, HistoryFilter,
    HistoryPage, InstanceInfo, SharedCode,
};

pub const HISTORY_PAGE_SIZE: u32 = 20;

#[cfg(feature = "ssr")]
mod ssr {
    use leptos::prelude::*;

    use crate::backend::AppState;
    use crate::error::AppError;

    /// The browser session asking, for the audit trail.
    pub fn actor() -> crate::backend::audit::Actor {
        use crate::backend::audit::{Actor, Source};
        match use_context::<axum::http::request::Parts>() {
            Some(parts) => Actor::from_parts(&parts, Source::Web),
            None => Actor { source: Source::Web, ip: None },
        }
    }

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            AppError::Internal
        })
    }

    /// Gives the HTTP response the error's status, so failures are visible in logs and tools.
    pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(error) = &result {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                let status = axum::http::StatusCode::from_u16(error.status_code())
                    .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
                response.set_status(status);
            }
        }
        result
    }
}

/// Generates (or reuses) the code for `form`; `force` always asks WeChat.
#[server(prefix = "/rpc", input = server_fn::codec::Json)]
pub async fn generate_code(form: GenerateForm, force: bool) -> Result<GeneratedCode, AppError> {
    ssr::with_status(
        async {
            let (request, label) = form.parse().map_err(|problems| AppError::Invalid { problems })?;
            ssr::state()?.codes.generate(&request, &label, force, &ssr::actor()).await
        }
        .await,
    )
}

/// Whether this instance runs against the simulator, for which AppID, and where share links point.
#[server(prefix = "/rpc")]
pub async fn get_instance_info() -> Result<InstanceInfo, AppError> {
    Ok(ssr::state()?.instance)
}

/// One page of history, newest first.
#[server(prefix = "/rpc", input = server_fn::codec::Json)]
pub async fn list_codes(filter: HistoryFilter, before: Option<i64>) -> Result<HistoryPage, AppError> {
    ssr::with_status(ssr::state()?.codes.list(&filter, HISTORY_PAGE_SIZE, before).await)
}

#[server(prefix = "/rpc")]
pub async fn get_code(id: i64) -> Result<CodeSummary, AppError> {
    ssr::with_status(ssr::state()?.codes.get(id).await)
}

/// Soft delete (`deleted = true`) or restore.
#[server(prefix = "/rpc")]
pub async fn set_code_deleted(id: i64, deleted: bool) -> Result<CodeSummary, AppError> {
    ssr::with_status(ssr::state()?.codes.set_deleted(id, deleted, &ssr::actor()).await)
}

#[server(prefix = "/rpc")]
pub async fn revoke_share_link(id: i64) -> Result<CodeSummary, AppError> {
    ssr::with_status(ssr::state()?.codes.revoke_share(id, &ssr::actor()).await)
}

#[server(prefix = "/rpc")]
pub async fn reissue_share_link(id: i64) -> Result<CodeSummary, AppError> {
    ssr::with_status(ssr::state()?.codes.reissue_share(id, &ssr::actor()).await)
}

/// Ends the share link at `expires_at` (RFC 3339), or never when `None`.
#[server(prefix = "/rpc")]
pub async fn set_share_expiry(id: i64, expires_at: Option<String>) -> Result<CodeSummary, AppError> {
    ssr::with_status(
        async {
            let end = crate::models::parse_expiry(expires_at.as_deref())?;
            ssr::state()?.codes.set_share_expiry(id, end, &ssr::actor()).await
        }
        .await,
    )
}

/// The public view of a shared code.
#[server(prefix = "/rpc")]
pub async fn get_shared_code(token: String) -> Result<SharedCode, AppError> {
    ssr::with_status(ssr::state()?.codes.shared(&token).await.map(|(code, _)| SharedCode {
        label: code.label.as_str().to_owned(),
        page: code.request.page.as_str().to_owned(),
        image_type: code.image_type,
        width: code.request.width.get(),
    }))
}

/// Batch jobs, newest first.
#[server(prefix = "/rpc")]
pub async fn list_batches() -> Result<Vec<BatchSummary>, AppError> {
    ssr::with_status(ssr::state()?.batches.list().await)
}

/// Pauses, resumes or cancels a batch job.
#[server(prefix = "/rpc", input = server_fn::codec::Json)]
pub async fn change_batch(id: i64, action: BatchAction) -> Result<BatchSummary, AppError> {
    let batches = ssr::state()?.batches;
    let actor = ssr::actor();
    ssr::with_status(match action {
        BatchAction::Pause => batches.pause(id, &actor).await,
        BatchAction::Resume => batches.resume(id, &actor).await,
        BatchAction::Cancel => batches.cancel(id, &actor).await,
    })
}

/// One page of the audit trail, newest first; `action` keeps one kind of event.
#[server(prefix = "/rpc")]
pub async fn list_audit(action: Option<String>, before: Option<i64>) -> Result<AuditPage, AppError> {
    use crate::backend::audit;
    let action = action.as_deref().and_then(audit::Action::parse);
    let page = audit::page(&ssr::state()?.pool, action, None, before, AUDIT_PAGE_SIZE).await;
    ssr::with_status(page.map_err(crate::backend::service::internal))
}

pub const AUDIT_PAGE_SIZE: u32 = 50;
