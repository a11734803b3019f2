//! The links table's SQL. Only `LinkService` calls it.

use chrono::{Duration, Utc};
use sqlx::{Database, Encode, QueryBuilder, Type};
use wxacode::link::{LinkKind, LinkQuery};
use wxacode::EnvVersion;

use crate::backend::db::{like_pattern, on_db, rfc3339, Backend, Db, StoreError};
use crate::backend::row::from_row;
use crate::models::links::{ClickDay, JumpLink, Link, LinkFilter, LinkStatus, EXPIRING_DAYS};

/// A link WeChat has just made, to keep.
pub struct NewLink<'a> {
    pub appid: &'a str,
    pub kind: LinkKind,
    pub url: &'a str,
    pub page: &'a str,
    pub query: &'a str,
    pub env_version: EnvVersion,
    pub title: &'a str,
    pub expires_at: Option<&'a str>,
    pub days: Option<i64>,
    pub code_id: Option<i64>,
    pub renewed_from: Option<i64>,
    /// The jump link it was minted for, if any.
    pub jump_id: Option<i64>,
    pub created_by: &'a str,
    pub created_at: &'a str,
}

pub async fn insert(db: &Db, link: &NewLink<'_>) -> Result<i64, StoreError> {
    let id = on_db!(db, |pool| {
        sqlx::query_scalar(
            "INSERT INTO links (kind, url, page, query, env_version, title, expires_at, days, code_id, \
         renewed_from, jump_id, created_by, created_at, appid) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(link.kind.as_str())
        .bind(link.url)
        .bind(link.page)
        .bind(link.query)
        .bind(link.env_version.as_str())
        .bind(link.title)
        .bind(link.expires_at)
        .bind(link.days)
        .bind(link.code_id)
        .bind(link.renewed_from)
        .bind(link.jump_id)
        .bind(link.created_by)
        .bind(link.created_at)
        .bind(link.appid)
        .fetch_one(pool)
        .await
    })?;
    Ok(id)
}

struct LinkRow {
    id: i64,
    appid: String,
    kind: String,
    url: String,
    page: String,
    query: String,
    env_version: String,
    title: String,
    expires_at: Option<String>,
    days: Option<i64>,
    code_id: Option<i64>,
    renewed_from: Option<i64>,
    renewed_by: Option<i64>,
    created_by: String,
    created_at: String,
}

from_row!(LinkRow {
    id,
    appid,
    kind,
    url,
    page,
    query,
    env_version,
    title,
    expires_at,
    days,
    code_id,
    renewed_from,
    renewed_by,
    created_by,
    created_at
});

const COLUMNS: &str = "id, appid, kind, url, page, query, env_version, title, expires_at, days, code_id, \
                       renewed_from, (SELECT MIN(r.id) FROM links r WHERE r.renewed_from = links.id) AS renewed_by, \
                       created_by, created_at";

/// The instants a link's status is judged by: now, and 7 days ahead (RFC 3339, UTC).
pub struct Now {
    now: String,
    in_seven_days: String,
}

impl Now {
    pub fn current() -> Self {
        let now = Utc::now();
        Self { now: rfc3339(now), in_seven_days: rfc3339(now + Duration::days(EXPIRING_DAYS)) }
    }
}

impl LinkRow {
    fn into_link(self, at: &Now) -> Result<Link, StoreError> {
        let corrupt = |detail: String| StoreError::CorruptRow { id: self.id, detail };
        let kind = LinkKind::parse(&self.kind).map_err(|p| corrupt(p.message.en))?;
        let env_version = EnvVersion::parse(&self.env_version).map_err(|p| corrupt(p.message.en))?;
        Ok(Link {
            status: LinkStatus::at(self.expires_at.as_deref(), &at.now, &at.in_seven_days),
            id: self.id,
            appid: self.appid,
            kind,
            url: self.url,
            page: self.page,
            query: self.query,
            env_version,
            title: self.title,
            expires_at: self.expires_at,
            days: self.days,
            code_id: self.code_id,
            renewed_from: self.renewed_from,
            renewed_by: self.renewed_by,
            created_by: self.created_by,
            created_at: self.created_at,
        })
    }
}

pub async fn get(db: &Db, id: i64, at: &Now) -> Result<Option<Link>, StoreError> {
    let row: Option<LinkRow> =
        on_db!(db, |pool| sqlx::query_as(&format!("SELECT {COLUMNS} FROM links WHERE id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await)?;
    row.map(|row| row.into_link(at)).transpose()
}

/// Newest first, `limit` rows at most, older than `before` when given.
pub async fn list(
    db: &Db,
    filter: &LinkFilter,
    at: &Now,
    limit: u32,
    before: Option<i64>,
) -> Result<Vec<Link>, StoreError> {
    // The links jump links mint for their visits are theirs, shown with them.
    let backend = db.backend();
    let rows: Vec<LinkRow> = on_db!(db, |pool| {
        let mut query = QueryBuilder::new(format!("SELECT {COLUMNS} FROM links WHERE jump_id IS NULL"));
        if let Some(before) = before {
            query.push(" AND id < ").push_bind(before);
        }
        if let Some(kind) = filter.kind {
            query.push(" AND kind = ").push_bind(kind.as_str().to_owned());
        }
        if let Some(code) = filter.code {
            query.push(" AND code_id = ").push_bind(code);
        }
        push_apps(&mut query, "appid", filter.app.as_deref(), filter.visible_apps.as_deref());
        if filter.expiring {
            query.push(" AND expires_at > ").push_bind(at.now.clone());
            query.push(" AND expires_at <= ").push_bind(at.in_seven_days.clone());
        }
        if let Some(search) = filter.q.as_deref() {
            push_search(&mut query, search, &["url", "page", "title"], "query", backend);
        }
        query.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit));
        query.build_query_as().fetch_all(pool).await?
    });
    rows.into_iter().map(|row| row.into_link(at)).collect()
}

/// Rows of app `app` (when given) among `visible` (when limited).
fn push_apps<'a, DB>(
    query: &mut QueryBuilder<'a, DB>,
    column: &str,
    app: Option<&str>,
    visible: Option<&[String]>,
) where
    DB: Database,
    String: Encode<'a, DB> + Type<DB>,
{
    if let Some(app) = app.filter(|a| !a.is_empty()) {
        query.push(format!(" AND {column} = ")).push_bind(app.to_owned());
    }
    if let Some(visible) = visible {
        query.push(format!(" AND {column} IN (''"));
        for appid in visible {
            query.push(", ").push_bind(appid.clone());
        }
        query.push(")");
    }
}

/// Rows where `search` is a substring (any case) of one of `columns` or of `query_column`.
/// Queries are stored percent-encoded, so `会员日` also finds `campaign=%E4%BC%9A…`.
fn push_search<'a, DB>(
    query: &mut QueryBuilder<'a, DB>,
    search: &str,
    columns: &[&str],
    query_column: &str,
    backend: Backend,
) where
    DB: Database,
    String: Encode<'a, DB> + Type<DB>,
{
    let search = search.trim();
    if search.is_empty() {
        return;
    }
    let mut patterns: Vec<(&str, String)> =
        columns.iter().map(|column| (*column, like_pattern(search))).collect();
    patterns.push((query_column, like_pattern(search)));
    if let Ok(encoded) = LinkQuery::parse(search) {
        if encoded.as_str() != search {
            patterns.push((query_column, like_pattern(encoded.as_str())));
        }
    }
    query.push(" AND (");
    for (i, (column, pattern)) in patterns.into_iter().enumerate() {
        query.push(if i == 0 { "" } else { " OR " });
        query.push(column).push(format!(" {} ", backend.ilike())).push_bind(pattern).push(" ESCAPE '\\'");
    }
    query.push(")");
}

/// A jump link to keep.
pub struct NewJump<'a> {
    pub appid: &'a str,
    pub token: &'a str,
    pub kind: LinkKind,
    pub page: &'a str,
    pub query: &'a str,
    pub env_version: EnvVersion,
    pub label: &'a str,
    pub code_id: Option<i64>,
    pub created_by: &'a str,
    pub created_at: &'a str,
}

pub async fn insert_jump(db: &Db, jump: &NewJump<'_>) -> Result<i64, StoreError> {
    let id = on_db!(db, |pool| {
        sqlx::query_scalar(
        "INSERT INTO jump_links (token, kind, page, query, env_version, label, code_id, created_by, created_at, appid) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(jump.token)
    .bind(jump.kind.as_str())
    .bind(jump.page)
    .bind(jump.query)
    .bind(jump.env_version.as_str())
    .bind(jump.label)
    .bind(jump.code_id)
    .bind(jump.created_by)
    .bind(jump.created_at)
    .bind(jump.appid)
    .fetch_one(pool)
    .await
    })?;
    Ok(id)
}

struct JumpRow {
    id: i64,
    appid: String,
    token: String,
    kind: String,
    page: String,
    query: String,
    env_version: String,
    label: String,
    code_id: Option<i64>,
    current_link_id: Option<i64>,
    current_url: Option<String>,
    current_expires_at: Option<String>,
    clicks: i64,
    created_by: String,
    created_at: String,
    revoked_at: Option<String>,
}

from_row!(JumpRow {
    id,
    appid,
    token,
    kind,
    page,
    query,
    env_version,
    label,
    code_id,
    current_link_id,
    current_url,
    current_expires_at,
    clicks,
    created_by,
    created_at,
    revoked_at
});

impl JumpRow {
    /// The jump link, and the id of the WeChat link it sends visits to.
    fn into_jump(self) -> Result<(JumpLink, Option<i64>), StoreError> {
        let row = self;
        let corrupt = |detail: String| StoreError::CorruptRow { id: row.id, detail };
        let kind = LinkKind::parse(&row.kind).map_err(|p| corrupt(p.message.en))?;
        let env_version = EnvVersion::parse(&row.env_version).map_err(|p| corrupt(p.message.en))?;
        let jump = JumpLink {
            id: row.id,
            appid: row.appid,
            token: row.token,
            kind,
            page: row.page,
            query: row.query,
            env_version,
            label: row.label,
            code_id: row.code_id,
            current_url: row.current_url,
            current_expires_at: row.current_expires_at,
            clicks: row.clicks,
            created_by: row.created_by,
            created_at: row.created_at,
            revoked_at: row.revoked_at,
        };
        Ok((jump, row.current_link_id))
    }
}

const JUMP_SELECT: &str =
    "SELECT j.id, j.appid, j.token, j.kind, j.page, j.query, j.env_version, j.label, j.code_id, \
     j.current_link_id, l.url AS current_url, l.expires_at AS current_expires_at, \
     CAST(COALESCE((SELECT SUM(clicks) FROM jump_clicks c WHERE c.jump_id = j.id), 0) AS BIGINT) AS clicks, \
     j.created_by, j.created_at, j.revoked_at \
     FROM jump_links j LEFT JOIN links l ON l.id = j.current_link_id";

/// A jump link by id or by token, with the id of its current WeChat link.
pub async fn jump(db: &Db, by: JumpKey<'_>) -> Result<Option<(JumpLink, Option<i64>)>, StoreError> {
    let by_id = format!("{JUMP_SELECT} WHERE j.id = $1");
    let by_token = format!("{JUMP_SELECT} WHERE j.token = $1");
    let row: Option<JumpRow> = match by {
        JumpKey::Id(id) => on_db!(db, |pool| sqlx::query_as(&by_id).bind(id).fetch_optional(pool).await)?,
        JumpKey::Token(token) => {
            on_db!(db, |pool| sqlx::query_as(&by_token).bind(token).fetch_optional(pool).await)?
        }
    };
    row.map(JumpRow::into_jump).transpose()
}

#[derive(Clone, Copy)]
pub enum JumpKey<'a> {
    Id(i64),
    Token(&'a str),
}

/// Newest first; revoked ones too (they say so).
pub async fn jumps(
    db: &Db,
    visible: Option<&[String]>,
    code: Option<i64>,
    search: Option<&str>,
    limit: u32,
    before: Option<i64>,
) -> Result<Vec<JumpLink>, StoreError> {
    let backend = db.backend();
    let rows: Vec<JumpRow> = on_db!(db, |pool| {
        let mut query = QueryBuilder::new(format!("{JUMP_SELECT} WHERE 1 = 1"));
        if let Some(search) = search {
            push_search(&mut query, search, &["j.label", "j.page", "j.token"], "j.query", backend);
        }
        if let Some(before) = before {
            query.push(" AND j.id < ").push_bind(before);
        }
        if let Some(code) = code {
            query.push(" AND j.code_id = ").push_bind(code);
        }
        push_apps(&mut query, "j.appid", None, visible);
        query.push(" ORDER BY j.id DESC LIMIT ").push_bind(i64::from(limit));
        query.build_query_as().fetch_all(pool).await?
    });
    rows.into_iter().map(|row| row.into_jump().map(|(jump, _)| jump)).collect()
}

pub async fn set_current_link(db: &Db, jump_id: i64, link_id: i64) -> Result<(), StoreError> {
    on_db!(db, |pool| sqlx::query("UPDATE jump_links SET current_link_id = $1 WHERE id = $2")
        .bind(link_id)
        .bind(jump_id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

/// False when it was revoked already (or does not exist).
pub async fn revoke_jump(db: &Db, jump_id: i64, at: &str) -> Result<bool, StoreError> {
    let done = on_db!(db, |pool| sqlx::query(
        "UPDATE jump_links SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL"
    )
    .bind(at)
    .bind(jump_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

pub async fn count_click(db: &Db, jump_id: i64, day: &str) -> Result<(), StoreError> {
    on_db!(db, |pool| sqlx::query(
        "INSERT INTO jump_clicks (jump_id, day, clicks) VALUES ($1, $2, 1) \
         ON CONFLICT (jump_id, day) DO UPDATE SET clicks = jump_clicks.clicks + 1",
    )
    .bind(jump_id)
    .bind(day)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Visits per UTC day from `since` (`YYYY-MM-DD`), oldest first; days without visits are absent.
pub async fn clicks_since(db: &Db, jump_id: i64, since: &str) -> Result<Vec<ClickDay>, StoreError> {
    let rows: Vec<(String, i64)> = on_db!(db, |pool| sqlx::query_as(
        "SELECT day, clicks FROM jump_clicks WHERE jump_id = $1 AND day >= $2 ORDER BY day"
    )
    .bind(jump_id)
    .bind(since)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|(day, clicks)| ClickDay { day, clicks }).collect())
}
