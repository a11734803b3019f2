//! Sign-in throttling: too many failures for one account, or from one address,
//! within the window and further attempts wait until the oldest failure ages out.
//! Counted in the database, so a restart does not reset it.

use chrono::Utc;
use wxacode::Message;

use super::store::failures::{self, By};
use crate::backend::db::{Db, StoreError};

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
    pub async fn check(&self, pool: &Db, email: &str, ip: &str) -> Result<Option<Message>, StoreError> {
        let since = Utc::now() - self.window;
        let by_account = failures::oldest_if_over(pool, By::Email, email, since, self.per_account).await?;
        let by_ip = failures::oldest_if_over(pool, By::Ip, ip, since, self.per_ip).await?;
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

    pub async fn record_failure(&self, pool: &Db, email: &str, ip: &str) -> Result<(), StoreError> {
        failures::insert(pool, email, ip).await?;
        // Old failures matter no more.
        failures::delete_before(pool, Utc::now() - self.window).await
    }

    /// A successful sign-in forgives the account's failures (not the address's).
    pub async fn clear_account(&self, pool: &Db, email: &str) -> Result<(), StoreError> {
        failures::delete_for_account(pool, email).await
    }
}
