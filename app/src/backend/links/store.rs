//! The links table's SQL. Only `LinkService` calls it.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use wxacode::link::LinkKind;
use wxacode::EnvVersion;

use crate::backend::db::{like_pattern, StoreError};
use crate::models::links::{Link, LinkFilter, LinkStatus};

/// A link WeChat has just made, to keep.
pub struct NewLink<'a> {
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
    pub created_by: &'a str,
    pub created_at: &'a str,
}

pub async fn insert(pool: &SqlitePool, link: &NewLink<'_>) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar(
        "INSERT INTO links (kind, url, page, query, env_version, title, expires_at, days, code_id, \
         renewed_from, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
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
    .bind(link.created_by)
    .bind(link.created_at)
    .fetch_one(pool)
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: i64,
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
    created_by: String,
    created_at: String,
}

const COLUMNS: &str = "id, kind, url, page, query, env_version, title, expires_at, days, code_id, \
                       renewed_from, created_by, created_at";

/// The instants a link's status is judged by: now, and 7 days ahead (RFC 3339, UTC).
#[derive(Clone, Copy)]
pub struct Now<'a> {
    pub now: &'a str,
    pub in_seven_days: &'a str,
}

impl LinkRow {
    fn into_link(self, at: Now<'_>) -> Result<Link, StoreError> {
        let corrupt = |detail: String| StoreError::CorruptRow { id: self.id, detail };
        let kind = LinkKind::parse(&self.kind).map_err(|p| corrupt(p.message.en))?;
        let env_version = EnvVersion::parse(&self.env_version).map_err(|p| corrupt(p.message.en))?;
        Ok(Link {
            status: LinkStatus::at(self.expires_at.as_deref(), at.now, at.in_seven_days),
            id: self.id,
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
            created_by: self.created_by,
            created_at: self.created_at,
        })
    }
}

pub async fn get(pool: &SqlitePool, id: i64, at: Now<'_>) -> Result<Option<Link>, StoreError> {
    let row: Option<LinkRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM links WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(|row| row.into_link(at)).transpose()
}

/// Newest first, `limit` rows at most, older than `before` when given.
pub async fn list(
    pool: &SqlitePool,
    filter: &LinkFilter,
    at: Now<'_>,
    limit: u32,
    before: Option<i64>,
) -> Result<Vec<Link>, StoreError> {
    let mut query = QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS} FROM links WHERE 1 = 1"));
    if let Some(before) = before {
        query.push(" AND id < ").push_bind(before);
    }
    if let Some(kind) = filter.kind {
        query.push(" AND kind = ").push_bind(kind.as_str());
    }
    if let Some(code) = filter.code {
        query.push(" AND code_id = ").push_bind(code);
    }
    if filter.expiring {
        query.push(" AND expires_at > ").push_bind(at.now.to_owned());
        query.push(" AND expires_at <= ").push_bind(at.in_seven_days.to_owned());
    }
    if let Some(search) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(search);
        query.push(" AND (");
        for (i, column) in ["url", "page", "query", "title"].into_iter().enumerate() {
            query.push(if i == 0 { "" } else { " OR " });
            query.push(column).push(" LIKE ").push_bind(pattern.clone()).push(" ESCAPE '\\'");
        }
        query.push(")");
    }
    query.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit));
    let rows: Vec<LinkRow> = query.build_query_as().fetch_all(pool).await?;
    rows.into_iter().map(|row| row.into_link(at)).collect()
}
