//! Server functions: thin wrappers that take state from context and call the
//! backend service, so the logic is testable without Leptos.

use leptos::prelude::*;

use crate::error::AppError;
use crate::models::{
    ApiKeySummary, AuditPage, BatchAction, BatchSummary, CodeSummary, CurrentUser, GenerateForm,
    GeneratedCode, HistoryFilter, HistoryPage, InstanceInfo, NewApiKey, SharedCode, UserSummary,
};
use wxacode::Role;

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
            None => Actor { source: Source::Web, ip: None, name: String::new(), role: None },
        }
    }

    /// Adds a `Set-Cookie` header to the server function's response.
    pub fn set_cookie(value: &str) {
        let response = use_context::<leptos_axum::ResponseOptions>();
        match (response, axum::http::HeaderValue::from_str(value)) {
            (Some(response), Ok(value)) => response.append_header(axum::http::header::SET_COOKIE, value),
            _ => tracing::error!("cannot set the session cookie"),
        }
    }

    /// The session token the browser sent, if any.
    pub fn session_token() -> Option<String> {
        let parts = use_context::<axum::http::request::Parts>()?;
        let header = parts.headers.get(axum::http::header::COOKIE)?.to_str().ok()?;
        crate::backend::accounts::cookie::session_token(header)
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

/// The public view of a shared code (callable signed out, like the share page itself).
#[server(prefix = "/rpc", endpoint = "get_shared_code")]
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

/// One page of the audit trail, newest first; `action` keeps one kind of event, `actor` one account or key.
#[server(prefix = "/rpc")]
pub async fn list_audit(
    action: Option<String>,
    actor: Option<String>,
    before: Option<i64>,
) -> Result<AuditPage, AppError> {
    use crate::backend::audit;
    let filter =
        audit::Filter { action: action.as_deref().and_then(audit::Action::parse), code_id: None, actor };
    ssr::with_status(audit::page(&ssr::state()?.pool, &ssr::actor(), &filter, before, AUDIT_PAGE_SIZE).await)
}

pub const AUDIT_PAGE_SIZE: u32 = 50;

/// Signs in with email and password; the session cookie comes with the answer.
#[server(prefix = "/rpc", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<CurrentUser, AppError> {
    ssr::with_status(
        async {
            let signed_in = ssr::state()?.accounts.sign_in(&email, password, &ssr::actor()).await?;
            ssr::set_cookie(&signed_in.set_cookie);
            Ok(signed_in.user)
        }
        .await,
    )
}

/// Ends this browser's session.
#[server(prefix = "/rpc", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = ssr::state()?;
    let cleared = match ssr::session_token() {
        Some(token) => ssr::with_status(state.accounts.sign_out(&token, &ssr::actor()).await)?,
        None => crate::backend::accounts::cookie::cleared(state.accounts.session_policy()),
    };
    ssr::set_cookie(&cleared);
    Ok(())
}

/// Whether no account exists yet, so the sign-in page can point to the setup link.
#[server(prefix = "/rpc", endpoint = "setup_needed")]
pub async fn setup_needed() -> Result<bool, AppError> {
    ssr::with_status(ssr::state()?.accounts.needs_setup().await)
}

/// Creates the first admin with the one-time token from the server log, and signs them in.
#[server(prefix = "/rpc", endpoint = "complete_setup")]
pub async fn complete_setup(token: String, email: String, password: String) -> Result<CurrentUser, AppError> {
    ssr::with_status(
        async {
            let signed_in =
                ssr::state()?.accounts.complete_setup(&token, &email, password, &ssr::actor()).await?;
            ssr::set_cookie(&signed_in.set_cookie);
            Ok(signed_in.user)
        }
        .await,
    )
}

/// Changes the signed-in person's password; their other sessions end.
#[server(prefix = "/rpc", endpoint = "change_password")]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let token = ssr::session_token();
    ssr::with_status(
        ssr::state()?.accounts.change_own_password(current, new, token.as_deref(), &ssr::actor()).await,
    )
}

#[server(prefix = "/rpc", endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    ssr::with_status(ssr::state()?.accounts.list_users(&ssr::actor()).await)
}

#[server(prefix = "/rpc", endpoint = "create_user")]
pub async fn create_user(email: String, password: String, role: Role) -> Result<UserSummary, AppError> {
    ssr::with_status(ssr::state()?.accounts.create_user(&email, password, role, &ssr::actor()).await)
}

/// Changes a role, disables or enables an account, or sets a new password (which signs it out everywhere).
#[server(prefix = "/rpc", endpoint = "change_user", input = server_fn::codec::Json)]
pub async fn change_user(
    id: i64,
    role: Option<Role>,
    disabled: Option<bool>,
    password: Option<String>,
) -> Result<UserSummary, AppError> {
    use crate::backend::accounts::UserChange;
    let change = UserChange { role, disabled, password };
    ssr::with_status(ssr::state()?.accounts.change_user(id, change, &ssr::actor()).await)
}

#[server(prefix = "/rpc", endpoint = "list_api_keys")]
pub async fn list_api_keys() -> Result<Vec<ApiKeySummary>, AppError> {
    ssr::with_status(ssr::state()?.accounts.list_keys(&ssr::actor()).await)
}

/// A new API key; the answer is the only place its secret ever appears.
#[server(prefix = "/rpc", endpoint = "create_api_key")]
pub async fn create_api_key(name: String, role: Role) -> Result<NewApiKey, AppError> {
    ssr::with_status(ssr::state()?.accounts.create_key(&name, role, &ssr::actor()).await)
}

#[server(prefix = "/rpc", endpoint = "revoke_api_key")]
pub async fn revoke_api_key(id: i64) -> Result<ApiKeySummary, AppError> {
    ssr::with_status(ssr::state()?.accounts.revoke_key(id, &ssr::actor()).await)
}
