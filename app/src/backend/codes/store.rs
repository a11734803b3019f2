//! SQL for stored codes. Rows are converted to [`CodeSummary`] here and nowhere else.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use sqlx::{Database, Encode, QueryBuilder, Type};
use wxacode::{CodeImage, CodeRequest, CodeRequestInput, ImageType, Label, LineColor, LivingStatus};

use crate::backend::db::{like_pattern, on_db, rfc3339, Backend, BeginWrite, Db, Instant, StoreError};
use crate::backend::row::from_row;
use crate::backend::zone::day_start;
use crate::models::codes::{CodeSummary, HistoryFilter, HistorySort, LivingBrief};
use crate::models::living::effective_status;

const SUMMARY_COLUMNS: &str = "id, appid, scene, page, width, check_path, env_version, auto_color, \
     line_color, is_hyaline, label, image_type, byte_size, sha256, share_token, share_revoked_at, share_expires_at, share_shows_label, \
     created_at, deleted_at, created_by, \
     (SELECT status FROM living_codes WHERE living_codes.code_id = codes.id) AS living_status, \
     (SELECT ends_at FROM living_codes WHERE living_codes.code_id = codes.id) AS living_ends_at, \
     (SELECT scans FROM living_codes WHERE living_codes.code_id = codes.id) AS living_scans, \
     (SELECT target_page FROM living_codes WHERE living_codes.code_id = codes.id) AS living_target";

struct CodeRow {
    id: i64,
    appid: String,
    scene: String,
    page: String,
    width: i64,
    check_path: bool,
    env_version: String,
    auto_color: bool,
    line_color: String,
    is_hyaline: bool,
    label: String,
    image_type: String,
    byte_size: i64,
    sha256: String,
    share_token: String,
    share_revoked_at: Option<Instant>,
    share_expires_at: Option<Instant>,
    share_shows_label: bool,
    created_at: Instant,
    deleted_at: Option<Instant>,
    created_by: String,
    living_status: Option<String>,
    living_ends_at: Option<String>,
    living_scans: Option<i64>,
    living_target: Option<String>,
}

from_row!(CodeRow {
    id,
    appid,
    scene,
    page,
    width,
    check_path,
    env_version,
    auto_color,
    line_color,
    is_hyaline,
    label,
    image_type,
    byte_size,
    sha256,
    share_token,
    share_revoked_at,
    share_expires_at,
    share_shows_label,
    created_at,
    deleted_at,
    created_by,
    living_status,
    living_ends_at,
    living_scans,
    living_target
});

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
        let label = Label::parse(&row.label).map_err(|p| corrupt(p.message.en))?;
        let living = match (row.living_status.as_deref(), row.living_scans) {
            (Some(status), Some(scans)) => {
                let set = LivingStatus::parse(status)
                    .ok_or_else(|| corrupt(format!("living status {status:?}")))?;
                let status = effective_status(set, row.living_ends_at.as_deref(), &rfc3339(Utc::now()));
                Some(LivingBrief {
                    status,
                    scans,
                    target_page: row.living_target.clone().unwrap_or_default(),
                })
            }
            _ => None,
        };
        let image_type = ImageType::from_name(&row.image_type)
            .ok_or_else(|| corrupt(format!("image_type {:?}", row.image_type)))?;
        Ok(CodeSummary {
            id: row.id,
            appid: row.appid,
            request,
            label,
            image_type,
            byte_size: row.byte_size,
            sha256: row.sha256,
            created_at: rfc3339(row.created_at.0),
            share_token: row.share_token,
            // A deleted code's link answers 404 like a revoked one.
            share_active: row.share_revoked_at.is_none()
                && row.deleted_at.is_none()
                && row.share_expires_at.is_none_or(|end| end > Instant::now()),
            share_revoked_at: row.share_revoked_at.map(|Instant(at)| rfc3339(at)),
            share_expires_at: row.share_expires_at.map(|Instant(at)| rfc3339(at)),
            share_shows_label: row.share_shows_label,
            deleted_at: row.deleted_at.map(|Instant(at)| rfc3339(at)),
            created_by: row.created_by,
            living,
        })
    }
}

fn summaries(rows: Vec<CodeRow>) -> Result<Vec<CodeSummary>, StoreError> {
    rows.into_iter().map(CodeSummary::try_from).collect()
}

/// The newest live code of `appid` drawn from exactly these parameters with this label.
pub async fn find_same(
    db: &Db,
    appid: &str,
    request: &CodeRequest,
    label: &Label,
) -> Result<Option<CodeSummary>, StoreError> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM codes \
         WHERE appid = $1 AND dedupe_key = $2 AND label = $3 AND deleted_at IS NULL ORDER BY id DESC LIMIT 1"
    );
    let row: Option<CodeRow> = on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(appid)
        .bind(request.dedupe_key())
        .bind(label.as_str())
        .fetch_optional(pool)
        .await)?;
    row.map(CodeSummary::try_from).transpose()
}

pub struct NewCode<'a> {
    pub appid: &'a str,
    pub request: &'a CodeRequest,
    pub label: &'a Label,
    pub image: &'a CodeImage,
    pub sha256: String,
    pub share_token: String,
    pub created_at: DateTime<Utc>,
    pub created_by: &'a str,
}

/// Stores a code and its image in one transaction.
pub async fn insert(db: &Db, new: NewCode<'_>) -> Result<CodeSummary, StoreError> {
    let request = new.request;
    let id: i64 = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO codes (scene, page, width, check_path, env_version, auto_color, line_color, \
         is_hyaline, dedupe_key, label, image_type, byte_size, sha256, share_token, created_at, created_by, appid) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
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
        .bind(new.label.as_str())
        .bind(new.image.image_type.as_str())
        .bind(new.image.bytes.len() as i64)
        .bind(&new.sha256)
        .bind(&new.share_token)
        .bind(Instant(new.created_at))
        .bind(new.created_by)
        .bind(new.appid)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO code_images (code_id, bytes) VALUES ($1, $2)")
            .bind(id)
            .bind(&new.image.bytes)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        id
    });
    get(db, id).await?.ok_or(StoreError::CorruptRow { id, detail: "vanished after insert".into() })
}

/// A code by id, deleted or not.
pub async fn get(db: &Db, id: i64) -> Result<Option<CodeSummary>, StoreError> {
    let sql = format!("SELECT {SUMMARY_COLUMNS} FROM codes WHERE id = $1");
    let row: Option<CodeRow> = on_db!(db, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
    row.map(CodeSummary::try_from).transpose()
}

/// The live code behind an active share link.
pub async fn find_shared(db: &Db, share_token: &str) -> Result<Option<CodeSummary>, StoreError> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM codes \
         WHERE share_token = $1 AND share_revoked_at IS NULL AND deleted_at IS NULL \
         AND (share_expires_at IS NULL OR share_expires_at > $2)"
    );
    let row: Option<CodeRow> = on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(share_token)
        .bind(Instant::now())
        .fetch_optional(pool)
        .await)?;
    row.map(CodeSummary::try_from).transpose()
}

/// The shortest text the trigram index can look up; shorter text is scanned for.
const TRIGRAM: usize = 3;

/// Codes whose scene, page, label, living target or parameters contain `search`, any case
/// (migration `code_search`: a trigram index kept in step by triggers).
fn push_search<'a, DB>(query: &mut QueryBuilder<'a, DB>, search: &str, backend: Backend)
where
    DB: Database,
    i64: Encode<'a, DB> + Type<DB>,
    String: Encode<'a, DB> + Type<DB>,
{
    if backend == Backend::Postgres {
        // Trigram GIN indexes over the same text (migration postgres/schema).
        let pattern = like_pattern(search);
        query.push(" AND id IN (SELECT id FROM codes WHERE search_text ILIKE ").push_bind(pattern.clone());
        query.push(" ESCAPE '\\' UNION SELECT code_id FROM living_codes WHERE search_text ILIKE ");
        query.push_bind(pattern).push(" ESCAPE '\\')");
        return;
    }
    query.push(" AND id IN (SELECT rowid FROM code_search WHERE ");
    if search.chars().count() >= TRIGRAM {
        query.push("code_search MATCH ").push_bind(fts_phrase(search));
    } else {
        let pattern = like_pattern(search);
        for (i, column) in ["scene", "page", "label", "target", "params"].into_iter().enumerate() {
            query.push(if i == 0 { "" } else { " OR " });
            query.push(column).push(" LIKE ").push_bind(pattern.clone()).push(" ESCAPE '\\'");
        }
    }
    query.push(")");
}

/// `text` as one FTS5 phrase: matched as a substring, whatever operators it contains.
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The WHERE clause of a history filter; `zone` says where its days begin and end.
fn push_filter<'a, DB>(query: &mut QueryBuilder<'a, DB>, filter: &HistoryFilter, zone: Tz, backend: Backend)
where
    DB: Database,
    i64: Encode<'a, DB> + Type<DB>,
    String: Encode<'a, DB> + Type<DB>,
{
    query.push(if filter.deleted { "deleted_at IS NOT NULL" } else { "deleted_at IS NULL" });
    if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        push_search(query, search, backend);
    }
    if let Some(env) = filter.env_version {
        query.push(" AND env_version = ").push_bind(env.as_str().to_owned());
    }
    if let Some(app) = filter.app.as_deref().filter(|a| !a.is_empty()) {
        query.push(" AND appid = ").push_bind(app.to_owned());
    }
    if let Some(visible) = &filter.visible_apps {
        query.push(" AND appid IN ('' ");
        for appid in visible {
            query.push(", ").push_bind(appid.clone());
        }
        query.push(")");
    }
    if let Some(batch) = filter.batch {
        query
            .push(" AND id IN (SELECT code_id FROM batch_items WHERE batch_id = ")
            .push_bind(batch)
            .push(")");
    }
    if filter.living {
        query.push(" AND id IN (SELECT code_id FROM living_codes)");
    }
    if let Some(from) = filter.from {
        query.push(" AND created_at >= ").push_bind(rfc3339(day_start(from, zone)));
    }
    if let Some(to) = filter.to {
        query.push(" AND created_at < ").push_bind(rfc3339(day_start(to + chrono::Days::new(1), zone)));
    }
}

/// A row's place in the scans order: its scans, or -1 for a direct code (last).
const SCANS_KEY: &str =
    "COALESCE((SELECT scans FROM living_codes WHERE living_codes.code_id = codes.id), -1)";

/// Which side of the cursor row `before` a query keeps, in the filter's (descending) order.
#[derive(Clone, Copy)]
enum Side {
    /// The rows after it: the next page.
    After,
    /// It and the rows before it: the earlier pages.
    AtOrBefore,
}

fn push_side<'a, DB>(query: &mut QueryBuilder<'a, DB>, sort: HistorySort, before: i64, side: Side)
where
    DB: Database,
    i64: Encode<'a, DB> + Type<DB>,
{
    let operator = match side {
        Side::After => "<",
        Side::AtOrBefore => ">=",
    };
    match sort {
        HistorySort::Newest => {
            query.push(format!(" AND id {operator} ")).push_bind(before);
        }
        HistorySort::Scans => {
            query.push(format!(" AND ({SCANS_KEY}, id) {operator} ("));
            push_cursor_key(query, before);
            query.push(", ").push_bind(before).push(")");
        }
    }
}

/// The scans key of the cursor row.
fn push_cursor_key<'a, DB>(query: &mut QueryBuilder<'a, DB>, before: i64)
where
    DB: Database,
    i64: Encode<'a, DB> + Type<DB>,
{
    query
        .push("COALESCE((SELECT scans FROM living_codes WHERE living_codes.code_id = ")
        .push_bind(before)
        .push("), -1)");
}

fn order_by(sort: HistorySort, descending: bool) -> String {
    let direction = if descending { "DESC" } else { "ASC" };
    match sort {
        HistorySort::Newest => format!(" ORDER BY id {direction}"),
        HistorySort::Scans => format!(" ORDER BY {SCANS_KEY} {direction}, id {direction}"),
    }
}

/// `select` (e.g. `SELECT id`) from the codes the filter lets through.
fn filtered<DB>(select: &str, filter: &HistoryFilter, zone: Tz, backend: Backend) -> QueryBuilder<'static, DB>
where
    DB: Database,
    i64: Encode<'static, DB> + Type<DB>,
    String: Encode<'static, DB> + Type<DB>,
{
    let mut query = QueryBuilder::new("");
    push_filtered(&mut query, select, filter, zone, backend);
    query
}

fn push_filtered<'a, DB>(
    query: &mut QueryBuilder<'a, DB>,
    select: &str,
    filter: &HistoryFilter,
    zone: Tz,
    backend: Backend,
) where
    DB: Database,
    i64: Encode<'a, DB> + Type<DB>,
    String: Encode<'a, DB> + Type<DB>,
{
    query.push(format!("{select} FROM codes WHERE "));
    push_filter(query, filter, zone, backend);
}

/// The ids of a history page, in order (the plan test asks for `EXPLAIN QUERY PLAN` of
/// exactly this). Only ids: a sort over thousands of matches then carries no columns.
pub(super) fn push_page_ids<'a, DB>(
    query: &mut QueryBuilder<'a, DB>,
    filter: &HistoryFilter,
    zone: Tz,
    limit: u32,
    before: Option<i64>,
    backend: Backend,
) where
    DB: Database,
    i64: Encode<'a, DB> + Type<DB>,
    String: Encode<'a, DB> + Type<DB>,
{
    push_filtered(query, "SELECT id", filter, zone, backend);
    if let Some(before) = before {
        push_side(query, filter.sort, before, Side::After);
    }
    query.push(order_by(filter.sort, true)).push(" LIMIT ").push_bind(i64::from(limit));
}

/// Newest first, at most `limit`; `before` is the smallest id of the previous page (keyset paging).
pub async fn list(
    db: &Db,
    filter: &HistoryFilter,
    zone: Tz,
    limit: u32,
    before: Option<i64>,
) -> Result<Vec<CodeSummary>, StoreError> {
    let backend = db.backend();
    let rows: Vec<CodeRow> = on_db!(db, |pool| {
        let mut query = QueryBuilder::new(format!("SELECT {SUMMARY_COLUMNS} FROM codes WHERE id IN ("));
        push_page_ids(&mut query, filter, zone, limit, before, backend);
        query.push(")").push(order_by(filter.sort, true));
        query.build_query_as().fetch_all(pool).await?
    });
    summaries(rows)
}

/// How many codes match, and how many of them come before (are newer than) `before`.
pub async fn count(
    db: &Db,
    filter: &HistoryFilter,
    zone: Tz,
    before: Option<i64>,
) -> Result<(u64, u64), StoreError> {
    let backend = db.backend();
    let (total, newer): (i64, i64) = on_db!(db, |pool| {
        let total: i64 = if narrows_nothing(filter) {
            sqlx::query_scalar("SELECT codes FROM code_counts WHERE deleted = $1")
                .bind(filter.deleted)
                .fetch_optional(pool)
                .await?
                .unwrap_or(0)
        } else {
            filtered("SELECT COUNT(*)", filter, zone, backend).build_query_scalar().fetch_one(pool).await?
        };
        let newer = match before {
            None => 0,
            // A row is on an earlier page when it comes at or before the cursor row in the order.
            Some(before) => {
                let mut query = filtered("SELECT COUNT(*)", filter, zone, backend);
                push_side(&mut query, filter.sort, before, Side::AtOrBefore);
                query.build_query_scalar().fetch_one(pool).await?
            }
        };
        (total, newer)
    });
    Ok((total.max(0) as u64, newer.max(0) as u64))
}

/// The whole live (or deleted) history: its size is kept in `code_counts`.
fn narrows_nothing(filter: &HistoryFilter) -> bool {
    let HistoryFilter {
        search,
        env_version,
        from,
        to,
        deleted: _,
        batch,
        living,
        sort: _,
        tz: _,
        app,
        visible_apps,
    } = filter;
    search.as_deref().is_none_or(|s| s.trim().is_empty())
        && app.as_deref().is_none_or(str::is_empty)
        && visible_apps.is_none()
        && env_version.is_none()
        && from.is_none()
        && to.is_none()
        && batch.is_none()
        && !living
}

/// Where the page before the one starting below `before` starts: `None` for the newest
/// page, `Some(id)` to pass as its `before`.
pub async fn previous_before(
    db: &Db,
    filter: &HistoryFilter,
    zone: Tz,
    before: i64,
    limit: u32,
) -> Result<Option<i64>, StoreError> {
    let backend = db.backend();
    Ok(on_db!(db, |pool| {
        let mut query = filtered("SELECT id", filter, zone, backend);
        push_side(&mut query, filter.sort, before, Side::AtOrBefore);
        query.push(order_by(filter.sort, false)).push(" LIMIT 1 OFFSET ").push_bind(i64::from(limit));
        query.build_query_scalar().fetch_optional(pool).await?
    }))
}

/// The stored image bytes of a code.
pub async fn image_bytes(db: &Db, id: i64) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(on_db!(db, |pool| sqlx::query_scalar("SELECT bytes FROM code_images WHERE code_id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await)?)
}

/// Marks a code deleted (or live again); false when there is no such code.
pub async fn set_deleted(db: &Db, id: i64, deleted: bool) -> Result<bool, StoreError> {
    let at = deleted.then(Instant::now);
    let done = on_db!(db, |pool| sqlx::query("UPDATE codes SET deleted_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

pub async fn revoke_share(db: &Db, id: i64) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| sqlx::query("UPDATE codes SET share_revoked_at = $1 WHERE id = $2")
        .bind(Instant::now())
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Gives the code a new share token, which also re-activates sharing.
pub async fn reissue_share(db: &Db, id: i64, share_token: &str) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| {
        sqlx::query(
        "UPDATE codes SET share_token = $1, share_revoked_at = NULL, share_expires_at = NULL WHERE id = $2",
    )
    .bind(share_token)
    .bind(id)
    .execute(pool)
    .await.map(|done| done.rows_affected())
    })?;
    Ok(done == 1)
}

/// Whether the share page shows the label and page.
pub async fn set_share_shows_label(db: &Db, id: i64, shown: bool) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| sqlx::query("UPDATE codes SET share_shows_label = $1 WHERE id = $2")
        .bind(shown)
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Ends the share link at `end` (`None`: only revocation ends it).
pub async fn set_share_expiry(db: &Db, id: i64, end: Option<DateTime<Utc>>) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| sqlx::query("UPDATE codes SET share_expires_at = $1 WHERE id = $2")
        .bind(end.map(Instant))
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_one_literal_phrase() {
        assert_eq!(fts_phrase("spring sale"), "\"spring sale\"");
        assert_eq!(fts_phrase("a\"b OR c*"), "\"a\"\"b OR c*\"");
    }
}
