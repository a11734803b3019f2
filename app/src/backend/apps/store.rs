//! SQL for stored apps, who may use them, and which one each person last used.

use crate::backend::row::from_row;

use crate::backend::db::{on_db, BeginWrite, Db, Instant, StoreError};

#[derive(Clone, Debug)]
pub struct StoredApp {
    pub appid: String,
    pub name: String,
    pub landing_page: String,
    pub published_pages: String,
    pub env_version: String,
    pub colour: String,
    pub initials: String,
    pub updated_at: Instant,
    pub has_secret: bool,
}

from_row!(StoredApp {
    appid,
    name,
    landing_page,
    published_pages,
    env_version,
    colour,
    initials,
    updated_at,
    has_secret
});

const COLUMNS: &str = "appid, name, landing_page, published_pages, env_version, colour, initials, \
     updated_at, secret_sealed IS NOT NULL AS has_secret";

/// What an admin sets; the secret is sealed before it gets here.
pub struct AppFields<'a> {
    pub name: &'a str,
    pub landing_page: &'a str,
    pub published_pages: &'a str,
    pub env_version: &'a str,
    pub colour: &'a str,
    pub initials: &'a str,
}

pub async fn list(db: &Db) -> Result<Vec<StoredApp>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM apps ORDER BY created_at, appid");
    Ok(on_db!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?)
}

pub async fn get(db: &Db, appid: &str) -> Result<Option<StoredApp>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM apps WHERE appid = $1");
    Ok(on_db!(db, |pool| sqlx::query_as(&sql).bind(appid).fetch_optional(pool).await)?)
}

pub async fn insert(
    db: &Db,
    appid: &str,
    fields: &AppFields<'_>,
    sealed: Option<&[u8]>,
    created_by: &str,
) -> Result<(), StoreError> {
    let now = Instant::now();
    on_db!(db, |pool| sqlx::query(
        "INSERT INTO apps (appid, name, secret_sealed, landing_page, published_pages, env_version, colour, \
         initials, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(appid)
    .bind(fields.name)
    .bind(sealed)
    .bind(fields.landing_page)
    .bind(fields.published_pages)
    .bind(fields.env_version)
    .bind(fields.colour)
    .bind(fields.initials)
    .bind(created_by)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn update(db: &Db, appid: &str, fields: &AppFields<'_>) -> Result<bool, StoreError> {
    let updated = on_db!(db, |pool| {
        sqlx::query(
        "UPDATE apps SET name = $2, landing_page = $3, published_pages = $4, env_version = $5, colour = $6, \
         initials = $7, updated_at = $8 WHERE appid = $1",
    )
    .bind(appid)
    .bind(fields.name)
    .bind(fields.landing_page)
    .bind(fields.published_pages)
    .bind(fields.env_version)
    .bind(fields.colour)
    .bind(fields.initials)
    .bind(Instant::now())
    .execute(pool)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(updated > 0)
}

/// A new sealed secret; every replica's client for the app is rebuilt on its next call.
pub async fn replace_secret(db: &Db, appid: &str, sealed: &[u8]) -> Result<bool, StoreError> {
    let updated = on_db!(db, |pool| sqlx::query(
        "UPDATE apps SET secret_sealed = $2, secret_version = secret_version + 1, updated_at = $3 \
         WHERE appid = $1",
    )
    .bind(appid)
    .bind(sealed)
    .bind(Instant::now())
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(updated > 0)
}

/// The sealed secret and its version.
pub async fn sealed_secret(db: &Db, appid: &str) -> Result<Option<(Option<Vec<u8>>, i64)>, StoreError> {
    Ok(on_db!(db, |pool| sqlx::query_as("SELECT secret_sealed, secret_version FROM apps WHERE appid = $1")
        .bind(appid)
        .fetch_optional(pool)
        .await)?)
}

/// Every stored sealed secret, to check at start-up that the key opens them.
pub async fn all_sealed(db: &Db) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    Ok(on_db!(db, |pool| sqlx::query_as(
        "SELECT appid, secret_sealed FROM apps WHERE secret_sealed IS NOT NULL"
    )
    .fetch_all(pool)
    .await)?)
}

/// The AppIDs `subject` is limited to; none: every app.
pub async fn scope(db: &Db, subject: &str) -> Result<Vec<String>, StoreError> {
    Ok(on_db!(db, |pool| sqlx::query_scalar(
        "SELECT appid FROM app_access WHERE subject = $1 ORDER BY appid"
    )
    .bind(subject)
    .fetch_all(pool)
    .await)?)
}

pub async fn set_scope(db: &Db, subject: &str, appids: &[String]) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        sqlx::query("DELETE FROM app_access WHERE subject = $1").bind(subject).execute(&mut *tx).await?;
        for appid in appids {
            sqlx::query("INSERT INTO app_access (subject, appid) VALUES ($1, $2)")
                .bind(subject)
                .bind(appid)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    });
    Ok(())
}

pub async fn preferred(db: &Db, subject: &str) -> Result<Option<String>, StoreError> {
    Ok(on_db!(db, |pool| sqlx::query_scalar("SELECT appid FROM app_preferences WHERE subject = $1")
        .bind(subject)
        .fetch_optional(pool)
        .await)?)
}

pub async fn set_preferred(db: &Db, subject: &str, appid: &str) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
        "INSERT INTO app_preferences (subject, appid) VALUES ($1, $2) \
         ON CONFLICT (subject) DO UPDATE SET appid = excluded.appid WHERE app_preferences.appid <> excluded.appid",
    )
    .bind(subject)
    .bind(appid)
    .execute(pool)
    .await
    .map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Rows from before apps existed belong to the app the environment defined then.
pub async fn adopt_unowned(db: &Db, appid: &str) -> Result<u64, StoreError> {
    let mut adopted = 0;
    for table in ["codes", "batches", "links", "jump_links"] {
        let sql = format!("UPDATE {table} SET appid = $1 WHERE appid = ''");
        adopted += on_db!(db, |pool| sqlx::query(&sql)
            .bind(appid)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
    }
    Ok(adopted)
}
