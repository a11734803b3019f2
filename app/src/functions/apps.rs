//! Mini programs: what a person may pick, and (admins) adding, changing, testing them and
//! saying who may use which.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::context::{actor, state, with_status};
use crate::error::AppError;
use crate::models::apps::{AccessHolder, AppChoices, AppInput, AppScope, AppView, ConnectionReport};

/// The apps the signed-in person may use, and the one their forms start with.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "get_app_choices", input = server_fn::codec::Json)]
pub async fn get_app_choices() -> Result<AppChoices, AppError> {
    with_status(state()?.apps.choices(&actor()).await)
}

/// Remembers the app a person picked, so their forms start with it next time.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "remember_app", input = server_fn::codec::Json)]
pub async fn remember_app(appid: String) -> Result<(), AppError> {
    with_status(
        async {
            let (state, actor) = (state()?, actor());
            let app = state.apps.usable(Some(&appid), &actor).await?;
            state.apps.remember(&actor, &app.view.appid).await;
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "create_app", input = server_fn::codec::Json)]
pub async fn create_app(input: AppInput) -> Result<AppView, AppError> {
    with_status(state()?.apps.create(&input, &actor()).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "update_app", input = server_fn::codec::Json)]
pub async fn update_app(appid: String, input: AppInput) -> Result<AppView, AppError> {
    with_status(state()?.apps.update(&appid, &input, &actor()).await)
}

/// Stores a new AppSecret; it is never sent back.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "replace_app_secret", input = server_fn::codec::Json)]
pub async fn replace_app_secret(appid: String, secret: String) -> Result<AppView, AppError> {
    with_status(state()?.apps.replace_secret(&appid, &secret, &actor()).await)
}

/// Fetches an access_token with the app's credentials and says how it went.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "test_app_connection", input = server_fn::codec::Json)]
pub async fn test_app_connection(appid: String) -> Result<ConnectionReport, AppError> {
    with_status(state()?.apps.test_connection(&appid, &actor()).await)
}

/// Every account and live API key with the apps it may use (admins).
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "list_app_access", input = server_fn::codec::Json)]
pub async fn list_app_access() -> Result<Vec<AccessHolder>, AppError> {
    use crate::backend::accounts::{account_subject, key_subject};
    with_status(
        async {
            let state = state()?;
            let actor = actor();
            let mut holders = Vec::new();
            for user in state.accounts.list_users(&actor).await? {
                let scope = state.apps.scope(&account_subject(user.id)).await?;
                holders.push(AccessHolder {
                    kind: "account".into(),
                    id: user.id,
                    name: user.email,
                    role: user.role.0,
                    scope,
                });
            }
            for key in state.accounts.list_keys(&actor).await?.into_iter().filter(|k| k.revoked_at.is_none())
            {
                let scope = state.apps.scope(&key_subject(key.id)).await?;
                holders.push(AccessHolder {
                    kind: "key".into(),
                    id: key.id,
                    name: key.name,
                    role: key.role.0,
                    scope,
                });
            }
            Ok(holders)
        }
        .await,
    )
}

/// Limits an account (`kind` = `account`) or API key (`key`) to `appids`; none: every app.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, endpoint = "set_app_access", input = server_fn::codec::Json)]
pub async fn set_app_access(kind: String, id: i64, appids: Vec<String>) -> Result<AppScope, AppError> {
    use crate::backend::accounts::{account_subject, key_subject};
    with_status(
        async {
            let state = state()?;
            let actor = actor();
            let holders = list_app_access().await?;
            let holder = holders
                .iter()
                .find(|h| h.kind == kind && h.id == id)
                .ok_or_else(|| AppError::rejected("找不到该账号或密钥", "No such account or API key"))?;
            let subject = if kind == "account" { account_subject(id) } else { key_subject(id) };
            let who = match kind.as_str() {
                "account" => holder.name.clone(),
                _ => crate::backend::accounts::key_actor_name(&holder.name),
            };
            state.apps.set_scope(&subject, &who, &appids, &actor).await
        }
        .await,
    )
}
