//! The pacers the WeChat client uses when replicas share a database.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use wxacode::client::{Budget, LocalPacer, Pacer};

use super::store;
use crate::backend::db::Db;

/// Pacers for code and link calls of `appid` through `db`, when several replicas may share
/// it (PostgreSQL); `None` for a database only one process uses.
pub fn shared_pacers(
    db: &Db,
    appid: &str,
    codes: Budget,
    links: Budget,
) -> Option<(Arc<dyn Pacer>, Arc<dyn Pacer>)> {
    if !db.backend().serves_replicas() {
        return None;
    }
    let pacer = |kind: &str, budget: Budget| -> Arc<dyn Pacer> {
        Arc::new(SharedPacer::new(db.clone(), format!("{kind}:{appid}"), budget))
    };
    Some((pacer("codes", codes), pacer("links", links)))
}

/// A budget booked in the database, shared by every replica.
struct SharedPacer {
    db: Db,
    name: String,
    interval: i64,
    tolerance: i64,
    /// Paces alone while the database does not answer (its calls would fail anyway).
    fallback: LocalPacer,
    warned: AtomicBool,
}

impl SharedPacer {
    fn new(db: Db, name: String, budget: Budget) -> Self {
        let interval = i64::try_from(budget.interval.as_micros()).unwrap_or(i64::MAX).max(1);
        let tolerance = interval.saturating_mul(i64::from(budget.burst.get()));
        Self {
            db,
            name,
            interval,
            tolerance,
            fallback: LocalPacer::new(budget),
            warned: AtomicBool::new(false),
        }
    }

    async fn wait_turn(&self) {
        loop {
            let now = chrono::Utc::now().timestamp_micros();
            match store::take(&self.db, &self.name, now, self.interval, self.tolerance).await {
                Ok(None) => return,
                Ok(Some(wait)) => tokio::time::sleep(Duration::from_micros(wait.unsigned_abs())).await,
                Err(error) => {
                    if !self.warned.swap(true, Ordering::Relaxed) {
                        tracing::warn!(budget = %self.name, ?error, "shared WeChat budget unavailable; pacing alone");
                    }
                    self.fallback.until_ready().await;
                    return;
                }
            }
        }
    }
}

impl Pacer for SharedPacer {
    fn until_ready(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(self.wait_turn())
    }
}
