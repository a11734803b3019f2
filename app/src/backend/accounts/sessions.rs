//! SQL for browser sessions. A session ends after `idle` without a request or at
//! its absolute end, whichever comes first; ending the account ends its sessions.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use wxacode::Role;

use crate::backend::store::{rfc3339, StoreError};

/// Recording every request's time would write on every page view; a minute's precision is plenty.
const TOUCH_EVERY: chrono::Duration = chrono::Duration::minutes(1);

pub struct LiveSession {
    pub email: String,
    pub role: Role,
}

pub async fn insert(
    pool: &SqlitePool,
    token_hash: &str,
    user_id: i64,
    lifetime: Duration,
) -> Result<(), StoreError> {
    let now = Utc::now();
    let end = now + chrono::Duration::from_std(lifetime).unwrap_or(chrono::Duration::days(1));
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
         VALUES (?1, ?2, ?3, ?3, ?4)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(rfc3339(now))
    .bind(rfc3339(end))
    .execute(pool)
    .await?;
    Ok(())
}

/// The session's account if the session is still alive; an ended one is removed.
pub async fn resolve(
    pool: &SqlitePool,
    token_hash: &str,
    idle: Duration,
) -> Result<Option<LiveSession>, StoreError> {
    type Row = (DateTime<Utc>, DateTime<Utc>, String, String, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.last_seen_at, s.expires_at, u.email, u.role, u.disabled_at \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await?;
    let Some((last_seen, expires_at, email, role, disabled_at)) = row else { return Ok(None) };
    let now = Utc::now();
    let idle = chrono::Duration::from_std(idle).unwrap_or(chrono::Duration::hours(12));
    let role = Role::parse(&role);
    let alive = now < expires_at && now - last_seen < idle && disabled_at.is_none();
    let (true, Some(role)) = (alive, role) else {
        delete(pool, token_hash).await?;
        return Ok(None);
    };
    if now - last_seen >= TOUCH_EVERY {
        sqlx::query("UPDATE sessions SET last_seen_at = ?1 WHERE token_hash = ?2")
            .bind(rfc3339(now))
            .bind(token_hash)
            .execute(pool)
            .await?;
    }
    Ok(Some(LiveSession { email, role }))
}

pub async fn delete(pool: &SqlitePool, token_hash: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?1").bind(token_hash).execute(pool).await?;
    Ok(())
}

pub async fn delete_for_user(pool: &SqlitePool, user_id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = ?1").bind(user_id).execute(pool).await?;
    Ok(())
}

/// Ends every session of the account but `keep` (a token hash), e.g. after a password change.
pub async fn delete_for_user_except(
    pool: &SqlitePool,
    user_id: i64,
    keep: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2")
        .bind(user_id)
        .bind(keep)
        .execute(pool)
        .await?;
    Ok(())
}
