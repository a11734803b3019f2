//! What the benchmarks share.

use app::backend::accounts::AccountService;
use app::backend::actor::{Actor, Source};
use app::backend::audit::AuditService;
use wxacode::Role;

/// A member's API key, made as the keys page makes one.
pub async fn member_key(database_url: &str) -> anyhow::Result<String> {
    let pool = app::backend::db::connect(database_url).await?;
    let accounts = AccountService::new(
        pool.clone(),
        std::sync::Arc::new(AuditService::new(pool.clone())),
        Default::default(),
        Default::default(),
    );
    let admin = Actor { source: Source::Api, ip: None, name: "bench".into(), role: Some(Role::Admin) };
    let key = accounts.create_key("bench", Role::Member, &admin).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    pool.close().await;
    Ok(key.secret)
}
