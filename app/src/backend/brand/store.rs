//! SQL for centre logos.

use crate::backend::row::from_row;

use crate::backend::db::{on_db, Db, Instant, StoreError};

#[derive(Clone, Debug)]
pub struct StoredLogo {
    pub owner: String,
    pub image: Vec<u8>,
    pub width: i64,
    pub height: i64,
    pub sha256: String,
}

from_row!(StoredLogo { owner, image, width, height, sha256 });

/// What a page shows of a logo: its size and hash, without the image.
#[derive(Clone, Debug)]
pub struct LogoMeta {
    pub width: i64,
    pub height: i64,
    pub sha256: String,
}

from_row!(LogoMeta { width, height, sha256 });

pub async fn meta(db: &Db, owner: &str) -> Result<Option<LogoMeta>, StoreError> {
    let sql = "SELECT width, height, sha256 FROM logos WHERE owner = $1";
    Ok(on_db!(db, |pool| sqlx::query_as(sql).bind(owner).fetch_optional(pool).await)?)
}

pub async fn get(db: &Db, owner: &str) -> Result<Option<StoredLogo>, StoreError> {
    let sql = "SELECT owner, image, width, height, sha256 FROM logos WHERE owner = $1";
    Ok(on_db!(db, |pool| sqlx::query_as(sql).bind(owner).fetch_optional(pool).await)?)
}

/// Sets (or replaces) the owner's logo.
pub async fn put(db: &Db, logo: &StoredLogo, created_by: &str) -> Result<(), StoreError> {
    let now = Instant::now();
    on_db!(db, |pool| sqlx::query(
        "INSERT INTO logos (owner, image, width, height, sha256, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (owner) DO UPDATE SET image = excluded.image, width = excluded.width, \
         height = excluded.height, sha256 = excluded.sha256, created_by = excluded.created_by, \
         created_at = excluded.created_at",
    )
    .bind(&logo.owner)
    .bind(&logo.image)
    .bind(logo.width)
    .bind(logo.height)
    .bind(&logo.sha256)
    .bind(created_by)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Whether there was one to remove.
pub async fn delete(db: &Db, owner: &str) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| sqlx::query("DELETE FROM logos WHERE owner = $1")
        .bind(owner)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done > 0)
}
