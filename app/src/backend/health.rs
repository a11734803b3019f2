//! Whether the instance can serve: whether its database answers, and whether its schema is
//! the one this build expects.

use sqlx::SqlitePool;

use super::db;

pub struct Health {
    pool: SqlitePool,
}

/// The database pool's connections now.
#[derive(Clone, Copy, Debug)]
pub struct PoolUsage {
    pub in_use: u32,
    pub idle: u32,
    pub max: u32,
}

impl Health {
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }

    /// Which engine stores the data.
    pub fn backend(&self) -> &'static str {
        "sqlite"
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
        let size = self.pool.size();
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(size);
        PoolUsage { in_use: size.saturating_sub(idle), idle, max: self.pool.options().get_max_connections() }
    }
}
