//! The audit trail: who generated, downloaded in bulk, shared, revoked, deleted,
//! restored, and what happened to batch jobs. Without accounts, "who" is where the
//! request came from and its address.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use chrono::Utc;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use crate::backend::store::{rfc3339, StoreError};
use crate::models::{next_before, AuditPage};
pub use crate::models::{AuditAction as Action, AuditEvent};

/// Where a request came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Web,
    Api,
    /// A batch job working on its own rows.
    Batch,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Web => "web",
            Source::Api => "api",
            Source::Batch => "batch",
        }
    }
}

/// Who asked for an action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub source: Source,
    pub ip: Option<String>,
}

impl Actor {
    /// From a request's parts: its peer address when the server records it.
    pub fn from_parts(parts: &Parts, source: Source) -> Self {
        let ip =
            parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip().to_string());
        Self { source, ip }
    }

    pub fn batch() -> Self {
        Self { source: Source::Batch, ip: None }
    }
}

/// What an event is about.
#[derive(Clone, Debug, Default)]
pub struct Subject {
    pub code_id: Option<i64>,
    pub batch_id: Option<i64>,
    pub detail: String,
}

impl Subject {
    pub fn code(id: i64) -> Self {
        Self { code_id: Some(id), ..Self::default() }
    }

    pub fn batch(id: i64) -> Self {
        Self { batch_id: Some(id), ..Self::default() }
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// Writes one event. A failure is logged, not raised: the action itself already happened.
pub async fn record(pool: &SqlitePool, actor: &Actor, action: Action, subject: Subject) {
    let result = sqlx::query(
        "INSERT INTO audit_events (at, action, source, ip, code_id, batch_id, detail) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(rfc3339(Utc::now()))
    .bind(action.as_str())
    .bind(actor.source.as_str())
    .bind(&actor.ip)
    .bind(subject.code_id)
    .bind(subject.batch_id)
    .bind(&subject.detail)
    .execute(pool)
    .await;
    if let Err(error) = result {
        tracing::error!(error = ?error, action = action.as_str(), "cannot record an audit event");
    }
}

/// Newest first, optionally one action and a code, keyset-paged by id.
pub async fn page(
    pool: &SqlitePool,
    action: Option<Action>,
    code_id: Option<i64>,
    before: Option<i64>,
    limit: u32,
) -> Result<AuditPage, StoreError> {
    let events = list(pool, action, code_id, before, limit).await?;
    let next_before = next_before(&events, limit, |e| e.id);
    Ok(AuditPage { events, next_before })
}

async fn list(
    pool: &SqlitePool,
    action: Option<Action>,
    code_id: Option<i64>,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<AuditEvent>, StoreError> {
    let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT id, at, action, source, ip, code_id, batch_id, detail FROM audit_events WHERE 1 = 1",
    );
    if let Some(action) = action {
        query.push(" AND action = ").push_bind(action.as_str());
    }
    if let Some(code_id) = code_id {
        query.push(" AND code_id = ").push_bind(code_id);
    }
    if let Some(before) = before {
        query.push(" AND id < ").push_bind(before);
    }
    query.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit));
    Ok(query.build_query_as().fetch_all(pool).await?)
}
