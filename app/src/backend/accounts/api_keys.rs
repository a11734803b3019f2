//! SQL for API keys. Only the key's SHA-256 and its first characters are stored.

use chrono::Utc;
use sqlx::SqlitePool;
use wxacode::Role;

use crate::backend::store::{rfc3339, StoreError};
use crate::models::ApiKeySummary;

const COLUMNS: &str = "id, name, prefix, role, created_by, created_at, last_used_at, revoked_at";

pub struct NewKey<'a> {
    pub name: &'a str,
    pub prefix: &'a str,
    pub key_hash: &'a str,
    pub role: Role,
    pub created_by: &'a str,
}

pub async fn insert(pool: &SqlitePool, new: NewKey<'_>) -> Result<ApiKeySummary, StoreError> {
    let sql = format!(
        "INSERT INTO api_keys (name, prefix, key_hash, role, created_by, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING {COLUMNS}"
    );
    Ok(sqlx::query_as(&sql)
        .bind(new.name)
        .bind(new.prefix)
        .bind(new.key_hash)
        .bind(new.role.as_str())
        .bind(new.created_by)
        .bind(rfc3339(Utc::now()))
        .fetch_one(pool)
        .await?)
}

/// The live (not revoked) key with this hash, noting that it was used.
pub async fn resolve(pool: &SqlitePool, key_hash: &str) -> Result<Option<ApiKeySummary>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE key_hash = ?1 AND revoked_at IS NULL");
    let key: Option<ApiKeySummary> = sqlx::query_as(&sql).bind(key_hash).fetch_optional(pool).await?;
    if let Some(key) = &key {
        let now = Utc::now();
        // At most one write a minute per key.
        sqlx::query("UPDATE api_keys SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?3)")
            .bind(rfc3339(now))
            .bind(key.id)
            .bind(rfc3339(now - chrono::Duration::minutes(1)))
            .execute(pool)
            .await?;
    }
    Ok(key)
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<ApiKeySummary>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM api_keys ORDER BY revoked_at IS NOT NULL, id DESC");
    Ok(sqlx::query_as(&sql).fetch_all(pool).await?)
}

/// Revokes a live key; `None` when there is no such key or it was already revoked.
pub async fn revoke(pool: &SqlitePool, id: i64) -> Result<Option<ApiKeySummary>, StoreError> {
    let sql = format!(
        "UPDATE api_keys SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL RETURNING {COLUMNS}"
    );
    Ok(sqlx::query_as(&sql).bind(rfc3339(Utc::now())).bind(id).fetch_optional(pool).await?)
}

pub async fn live_name_taken(pool: &SqlitePool, name: &str) -> Result<bool, StoreError> {
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM api_keys WHERE name = ?1 AND revoked_at IS NULL LIMIT 1")
            .bind(name)
            .fetch_optional(pool)
            .await?;
    Ok(taken.is_some())
}
