//! SQL for stored codes. Rows are converted to [`CodeSummary`] here and nowhere else.

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{FromRow, SqlitePool};
use wxacode::{CodeImage, CodeRequest, CodeRequestInput, ImageType, LineColor};

use crate::models::CodeSummary;

const SUMMARY_COLUMNS: &str = "id, scene, page, width, check_path, env_version, auto_color, \
     line_color, is_hyaline, image_type, byte_size, sha256, share_token, created_at";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error("stored row {id} no longer satisfies the rules: {detail}")]
    CorruptRow { id: i64, detail: String },
}

#[derive(FromRow)]
struct CodeRow {
    id: i64,
    scene: String,
    page: String,
    width: i64,
    check_path: bool,
    env_version: String,
    auto_color: bool,
    line_color: String,
    is_hyaline: bool,
    image_type: String,
    byte_size: i64,
    sha256: String,
    share_token: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<CodeRow> for CodeSummary {
    type Error = StoreError;

    fn try_from(row: CodeRow) -> Result<Self, Self::Error> {
        let corrupt = |detail: String| StoreError::CorruptRow { id: row.id, detail };
        let line_color = LineColor::from_hex(&row.line_color)
            .ok_or_else(|| corrupt(format!("line_color {:?}", row.line_color)))?;
        let input = CodeRequestInput {
            scene: row.scene.clone(),
            page: Some(row.page.clone()),
            width: Some(row.width),
            check_path: Some(row.check_path),
            env_version: Some(row.env_version.clone()),
            auto_color: Some(row.auto_color),
            line_color: Some(line_color.into()),
            is_hyaline: Some(row.is_hyaline),
        };
        let request = CodeRequest::parse(&input).map_err(|p| corrupt(format!("{p:?}")))?;
        let image_type = ImageType::from_name(&row.image_type)
            .ok_or_else(|| corrupt(format!("image_type {:?}", row.image_type)))?;
        Ok(CodeSummary {
            id: row.id,
            request,
            image_type,
            byte_size: row.byte_size,
            sha256: row.sha256,
            created_at: row.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            share_token: row.share_token,
        })
    }
}

fn summaries(rows: Vec<CodeRow>) -> Result<Vec<CodeSummary>, StoreError> {
    rows.into_iter().map(CodeSummary::try_from).collect()
}

/// The newest stored code drawn from exactly these parameters.
pub async fn find_same(
    pool: &SqlitePool,
    request: &CodeRequest,
) -> Result<Option<CodeSummary>, StoreError> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM codes WHERE dedupe_key = ?1 ORDER BY id DESC LIMIT 1"
    );
    let row: Option<CodeRow> = sqlx::query_as(&sql)
        .bind(request.dedupe_key())
        .fetch_optional(pool)
        .await?;
    row.map(CodeSummary::try_from).transpose()
}

pub struct NewCode<'a> {
    pub request: &'a CodeRequest,
    pub image: &'a CodeImage,
    pub sha256: String,
    pub share_token: String,
    pub created_at: DateTime<Utc>,
}

/// Stores a code and its image in one transaction.
pub async fn insert(pool: &SqlitePool, new: NewCode<'_>) -> Result<CodeSummary, StoreError> {
    let request = new.request;
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO codes (scene, page, width, check_path, env_version, auto_color, line_color, \
         is_hyaline, dedupe_key, image_type, byte_size, sha256, share_token, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id",
    )
    .bind(request.scene.as_str())
    .bind(request.page.as_str())
    .bind(i64::from(request.width.get()))
    .bind(request.check_path)
    .bind(request.env_version.as_str())
    .bind(request.auto_color)
    .bind(request.line_color.to_hex())
    .bind(request.is_hyaline)
    .bind(request.dedupe_key())
    .bind(new.image.image_type.as_str())
    .bind(new.image.bytes.len() as i64)
    .bind(&new.sha256)
    .bind(&new.share_token)
    .bind(new.created_at)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO code_images (code_id, bytes) VALUES (?1, ?2)")
        .bind(id)
        .bind(&new.image.bytes)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    get(pool, id).await?.ok_or(StoreError::CorruptRow {
        id,
        detail: "vanished after insert".into(),
    })
}

pub async fn get(pool: &SqlitePool, id: i64) -> Result<Option<CodeSummary>, StoreError> {
    let sql = format!("SELECT {SUMMARY_COLUMNS} FROM codes WHERE id = ?1");
    let row: Option<CodeRow> = sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?;
    row.map(CodeSummary::try_from).transpose()
}

/// Newest first; `before` is the smallest id of the previous page (keyset paging).
pub async fn list(
    pool: &SqlitePool,
    limit: u32,
    before: Option<i64>,
) -> Result<Vec<CodeSummary>, StoreError> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM codes WHERE (?1 IS NULL OR id < ?1) ORDER BY id DESC LIMIT ?2"
    );
    let rows: Vec<CodeRow> = sqlx::query_as(&sql)
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
    summaries(rows)
}

/// The stored image bytes of a code.
pub async fn image_bytes(pool: &SqlitePool, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT bytes FROM code_images WHERE code_id = ?1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn count(pool: &SqlitePool) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM codes")
        .fetch_one(pool)
        .await?)
}

pub async fn ping(pool: &SqlitePool) -> Result<(), StoreError> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}
