//! Sign-in throttling: too many failures for one account, or from one address,
//! within the window and further attempts wait until the oldest failure ages out.
//! Counted in SQLite, so a restart does not reset it.

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use wxacode::Message;

use crate::backend::store::{rfc3339, StoreError};

#[derive(Clone, Debug)]
pub struct ThrottlePolicy {
    pub window: chrono::Duration,
    pub per_account: i64,
    pub per_ip: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self { window: chrono::Duration::minutes(15), per_account: 5, per_ip: 30 }
    }
}

impl ThrottlePolicy {
    /// `Some(message)` when this account or address must wait before trying again.
    pub async fn check(
        &self,
        pool: &SqlitePool,
        email: &str,
        ip: &str,
    ) -> Result<Option<Message>, StoreError> {
        let since = rfc3339(Utc::now() - self.window);
        let by_account = oldest_if_over(pool, "email", email, &since, self.per_account).await?;
        let by_ip = oldest_if_over(pool, "ip", ip, &since, self.per_ip).await?;
        let Some(oldest) = by_account.into_iter().chain(by_ip).max() else { return Ok(None) };
        let wait = (oldest + self.window - Utc::now()).num_seconds().max(1);
        let minutes = (wait + 59) / 60;
        Ok(Some(Message::new(
            format!("登录失败次数过多，请 {minutes} 分钟后再试"),
            format!(
                "Too many failed sign-ins; try again in {minutes} minute{}",
                if minutes == 1 { "" } else { "s" }
            ),
        )))
    }

    pub async fn record_failure(&self, pool: &SqlitePool, email: &str, ip: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sign_in_failures (email, ip, at) VALUES (?1, ?2, ?3)")
            .bind(email)
            .bind(ip)
            .bind(rfc3339(Utc::now()))
            .execute(pool)
            .await?;
        // Old failures matter no more.
        sqlx::query("DELETE FROM sign_in_failures WHERE at < ?1")
            .bind(rfc3339(Utc::now() - self.window))
            .execute(pool)
            .await?;
        Ok(())
    }

    /// A successful sign-in forgives the account's failures (not the address's).
    pub async fn clear_account(&self, pool: &SqlitePool, email: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sign_in_failures WHERE email = ?1").bind(email).execute(pool).await?;
        Ok(())
    }
}

/// The oldest failure in the window, when there are at least `limit` of them.
async fn oldest_if_over(
    pool: &SqlitePool,
    column: &'static str,
    value: &str,
    since: &str,
    limit: i64,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let sql = format!(
        "SELECT at FROM sign_in_failures WHERE {column} = ?1 AND at >= ?2 ORDER BY at DESC LIMIT 1 OFFSET ?3"
    );
    let nth: Option<DateTime<Utc>> =
        sqlx::query_scalar(&sql).bind(value).bind(since).bind(limit - 1).fetch_optional(pool).await?;
    Ok(nth)
}
