//! Whether the instance can serve: whether its database answers, and whether its schema is
//! the one this build expects.

use super::db::{self, Db};

pub struct Health {
    pool: Db,
}

/// The database pool's connections now.
#[derive(Clone, Copy, Debug)]
pub struct PoolUsage {
    pub in_use: u32,
    pub idle: u32,
    pub max: u32,
}

impl Health {
    pub fn new(pool: Db) -> Self {
        Self { pool }
    }

    /// Which engine stores the data.
    pub fn backend(&self) -> &'static str {
        self.pool.backend().as_str()
    }

    /// True when the database answers; a failure is logged with its cause.
    pub async fn database_ok(&self) -> bool {
        match db::ping(&self.pool).await {
            Ok(()) => true,
            Err(error) => {
                tracing::error!(?error, "health check: database does not answer");
                false
            }
        }
    }

    /// True when the database answers and every migration of this build is applied
    /// (false while another replica is still migrating, or after a failed migration).
    pub async fn ready(&self) -> bool {
        match db::migrations_applied(&self.pool).await {
            Ok(applied) => applied,
            Err(error) => {
                tracing::error!(?error, "readiness check: database does not answer");
                false
            }
        }
    }

    pub fn pool_usage(&self) -> PoolUsage {
        let (size, idle, max) = self.pool.connections();
        PoolUsage { in_use: size.saturating_sub(idle), idle, max }
    }
}
