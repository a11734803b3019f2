//! Whether the instance can serve: today, whether its database answers.

use sqlx::SqlitePool;

use super::db;

pub struct Health {
    pool: SqlitePool,
}

impl Health {
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
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
}
