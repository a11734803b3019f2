//! SQL for team settings: one row per setting.

use crate::backend::row::from_row;

use crate::backend::db::{on_db, Db, Instant, StoreError};

/// The key of the naming template.
pub const NAME_TEMPLATE: &str = "name_template";

#[derive(Clone, Debug)]
pub struct StoredSetting {
    pub value: String,
    pub updated_by: String,
    pub updated_at: String,
}

from_row!(StoredSetting { value, updated_by, updated_at });

pub async fn get(db: &Db, key: &str) -> Result<Option<StoredSetting>, StoreError> {
    let sql = "SELECT value, updated_by, updated_at FROM team_settings WHERE key = $1";
    Ok(on_db!(db, |pool| sqlx::query_as(sql).bind(key).fetch_optional(pool).await)?)
}

pub async fn put(db: &Db, key: &str, value: &str, updated_by: &str) -> Result<(), StoreError> {
    let now = Instant::now();
    on_db!(db, |pool| sqlx::query(
        "INSERT INTO team_settings (key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(updated_by)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}
