//! SQL for accounts.

use chrono::Utc;
use sqlx::SqlitePool;
use wxacode::{Email, Role};

use crate::backend::store::{rfc3339, StoreError};
use crate::models::{RoleName, UserSummary};

const COLUMNS: &str = "id, email, role, created_at, last_sign_in, disabled_at";

/// What signing in needs to know of an account.
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    pub role: RoleName,
    pub disabled: bool,
}

pub async fn count(pool: &SqlitePool) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?)
}

/// Adds an account; `None` when the email is taken.
pub async fn insert(
    pool: &SqlitePool,
    email: &Email,
    password_hash: &str,
    role: Role,
) -> Result<Option<UserSummary>, StoreError> {
    let sql = format!(
        "INSERT INTO users (email, password_hash, role, created_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (email) DO NOTHING RETURNING {COLUMNS}"
    );
    Ok(sqlx::query_as(&sql)
        .bind(email.as_str())
        .bind(password_hash)
        .bind(role.as_str())
        .bind(rfc3339(Utc::now()))
        .fetch_optional(pool)
        .await?)
}

pub async fn credentials(pool: &SqlitePool, email: &Email) -> Result<Option<Credentials>, StoreError> {
    let row: Option<(i64, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, password_hash, role, disabled_at FROM users WHERE email = ?1")
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?;
    row.map(|(id, password_hash, role, disabled_at)| {
        let role = RoleName::try_from(role).map_err(|detail| StoreError::CorruptRow { id, detail })?;
        Ok(Credentials { id, password_hash, role, disabled: disabled_at.is_some() })
    })
    .transpose()
}

pub async fn get(pool: &SqlitePool, id: i64) -> Result<Option<UserSummary>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = ?1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?)
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<UserSummary>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users ORDER BY email");
    Ok(sqlx::query_as(&sql).fetch_all(pool).await?)
}

pub async fn signed_in(pool: &SqlitePool, id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET last_sign_in = ?1 WHERE id = ?2")
        .bind(rfc3339(Utc::now()))
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Enabled admins other than `except`.
pub async fn other_active_admins(pool: &SqlitePool, except: i64) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?1",
    )
    .bind(except)
    .fetch_one(pool)
    .await?)
}

pub async fn set_role(pool: &SqlitePool, id: i64, role: Role) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET role = ?1 WHERE id = ?2")
        .bind(role.as_str())
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn set_disabled(pool: &SqlitePool, id: i64, disabled: bool) -> Result<(), StoreError> {
    let at = disabled.then(|| rfc3339(Utc::now()));
    sqlx::query("UPDATE users SET disabled_at = ?1 WHERE id = ?2").bind(at).bind(id).execute(pool).await?;
    Ok(())
}

pub async fn set_password_hash(pool: &SqlitePool, id: i64, password_hash: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET password_hash = ?1 WHERE id = ?2")
        .bind(password_hash)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}
