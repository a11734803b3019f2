//! Signing in and out, the first admin, one's own password, and (admins) accounts and API keys.

use leptos::prelude::*;
use wxacode::Role;

#[cfg(feature = "ssr")]
use super::context::{actor, session_token, set_cookie, state, with_status};
use crate::error::AppError;
use crate::models::accounts::{ApiKeySummary, CurrentUser, NewApiKey, SetupStage, UserSummary};

/// Signs in with email and password; the session cookie comes with the answer.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<CurrentUser, AppError> {
    with_status(
        async {
            let signed_in = state()?.accounts.sign_in(&email, password, &actor()).await?;
            set_cookie(&signed_in.set_cookie);
            Ok(signed_in.user)
        }
        .await,
    )
}

/// Ends this browser's session.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let state = state()?;
    let cleared = match session_token() {
        Some(token) => with_status(state.accounts.sign_out(&token, &actor()).await)?,
        None => crate::backend::accounts::cookie::cleared(state.accounts.session_policy()),
    };
    set_cookie(&cleared);
    Ok(())
}

/// Whether an admin exists and, if not, whether `token` is the current setup link
/// (empty: the sign-in page asking whether to point to the setup link).
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "setup_state")]
pub async fn setup_state(token: String) -> Result<SetupStage, AppError> {
    with_status(state()?.accounts.setup_state(&token).await)
}

/// Creates the first admin with the one-time token from the server log, and signs them in.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "complete_setup")]
pub async fn complete_setup(token: String, email: String, password: String) -> Result<CurrentUser, AppError> {
    with_status(
        async {
            let signed_in = state()?.accounts.complete_setup(&token, &email, password, &actor()).await?;
            set_cookie(&signed_in.set_cookie);
            Ok(signed_in.user)
        }
        .await,
    )
}

/// Changes the signed-in person's password; their other sessions end.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "change_password")]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let token = session_token();
    with_status(state()?.accounts.change_own_password(current, new, token.as_deref(), &actor()).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "list_users")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    with_status(state()?.accounts.list_users(&actor()).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "create_user")]
pub async fn create_user(email: String, password: String, role: Role) -> Result<UserSummary, AppError> {
    with_status(state()?.accounts.create_user(&email, password, role, &actor()).await)
}

/// Changes a role, disables or enables an account, or sets a new password (which signs it out everywhere).
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "change_user", input = server_fn::codec::Json)]
pub async fn change_user(
    id: i64,
    role: Option<Role>,
    disabled: Option<bool>,
    password: Option<String>,
) -> Result<UserSummary, AppError> {
    use crate::backend::accounts::UserChange;
    let change = UserChange { role, disabled, password };
    with_status(state()?.accounts.change_user(id, change, &actor()).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "list_api_keys")]
pub async fn list_api_keys() -> Result<Vec<ApiKeySummary>, AppError> {
    with_status(state()?.accounts.list_keys(&actor()).await)
}

/// A new API key; the answer is the only place its secret ever appears.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "create_api_key")]
pub async fn create_api_key(name: String, role: Role) -> Result<NewApiKey, AppError> {
    with_status(state()?.accounts.create_key(&name, role, &actor()).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "revoke_api_key")]
pub async fn revoke_api_key(id: i64) -> Result<ApiKeySummary, AppError> {
    with_status(state()?.accounts.revoke_key(id, &actor()).await)
}
