//! What the benchmarks share.

pub mod child;
pub mod load;
pub mod seed;

use app::backend::accounts::AccountService;
use app::backend::actor::{Actor, Source};
use app::backend::audit::AuditService;
use wxacode::Role;

/// The account service on the database at `database_url`, and its pool (to close after).
async fn accounts(database_url: &str) -> anyhow::Result<(AccountService, app::backend::db::Db)> {
    let pool = app::backend::db::connect(database_url).await?;
    let audit = std::sync::Arc::new(AuditService::new(pool.clone()));
    Ok((AccountService::new(pool.clone(), audit, Default::default(), Default::default()), pool))
}

/// A member's API key, made as the keys page makes one.
pub async fn member_key(database_url: &str) -> anyhow::Result<String> {
    let (accounts, pool) = accounts(database_url).await?;
    let admin = Actor { name: "bench".into(), role: Some(Role::Admin), ..Actor::anonymous(Source::Api) };
    let key = accounts.create_key("bench", Role::Member, &admin).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    pool.close().await;
    Ok(key.secret)
}

/// A signed-in session's cookie (`name=value`), made as the sign-in form makes one.
pub async fn session_cookie(database_url: &str, email: &str, password: &str) -> anyhow::Result<String> {
    let (accounts, pool) = accounts(database_url).await?;
    let visitor = Actor { ip: Some("127.0.0.1".into()), ..Actor::anonymous(Source::Web) };
    let signed_in =
        accounts.sign_in(email, password.to_owned(), &visitor).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    pool.close().await;
    let pair = signed_in.set_cookie.split(';').next().unwrap_or_default();
    Ok(pair.trim().to_owned())
}

/// A client that sends `Authorization: Bearer <key>` with every request.
pub fn client_with_key(key: &str) -> anyhow::Result<reqwest::Client> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {key}").parse()?);
    Ok(reqwest::Client::builder().default_headers(headers).build()?)
}

/// A whole-number setting from the environment (`BENCH_…`), or `default`.
pub fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}
