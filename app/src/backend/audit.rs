//! The audit trail: who generated, downloaded in bulk, shared, revoked, deleted,
//! restored, signed in (or failed to), what happened to batch jobs, accounts and
//! API keys. Also who is asking ([`Actor`]) and whether they may.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use chrono::Utc;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use wxacode::{Permission, Role};

use crate::backend::accounts::Principal;
use crate::backend::service::internal;
use crate::backend::store::{rfc3339, StoreError};
use crate::error::AppError;
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

/// The client's address when the server learned it otherwise than from the
/// connection (behind a trusted reverse proxy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub String);

/// Who asked for an action: the signed-in account or API key (if any), from where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub source: Source,
    pub ip: Option<String>,
    /// The account's email or "API key: name"; empty when nobody is signed in.
    pub name: String,
    /// `None` when nobody is signed in.
    pub role: Option<Role>,
}

impl Actor {
    /// From a request's parts: the principal the auth layer found and the client's address.
    pub fn from_parts(parts: &Parts, source: Source) -> Self {
        let ip = match parts.extensions.get::<ClientIp>() {
            Some(ClientIp(ip)) => Some(ip.clone()),
            None => parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string()),
        };
        let principal = parts.extensions.get::<Principal>();
        Self {
            source,
            ip,
            name: principal.map(|p| p.name.clone()).unwrap_or_default(),
            role: principal.map(|p| p.role),
        }
    }

    /// A batch job generating its rows on behalf of whoever created it.
    pub fn batch(created_by: String) -> Self {
        Self { source: Source::Batch, ip: None, name: created_by, role: Some(Role::Member) }
    }

    /// Refuses what this actor's role does not allow, and everything when nobody signed in.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        match self.role {
            None => Err(AppError::Unauthorized),
            Some(role) if role.can(permission) => Ok(()),
            Some(_) => Err(AppError::Forbidden { message: permission.refusal() }),
        }
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
        "INSERT INTO audit_events (at, action, source, ip, code_id, batch_id, detail, actor) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .bind(rfc3339(Utc::now()))
    .bind(action.as_str())
    .bind(actor.source.as_str())
    .bind(&actor.ip)
    .bind(subject.code_id)
    .bind(subject.batch_id)
    .bind(&subject.detail)
    .bind(&actor.name)
    .execute(pool)
    .await;
    if let Err(error) = result {
        tracing::error!(error = ?error, action = action.as_str(), "cannot record an audit event");
    }
}

/// Which events a page shows.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub action: Option<Action>,
    pub code_id: Option<i64>,
    /// Events of this account or key (its email or "API key: name"), exactly.
    pub actor: Option<String>,
}

/// Newest first, keyset-paged by id. Only admins read the trail.
pub async fn page(
    pool: &SqlitePool,
    reader: &Actor,
    filter: &Filter,
    before: Option<i64>,
    limit: u32,
) -> Result<AuditPage, AppError> {
    reader.require(Permission::Administer)?;
    let events = list(pool, filter, before, limit).await.map_err(internal)?;
    let next_before = next_before(&events, limit, |e| e.id);
    Ok(AuditPage { events, next_before })
}

async fn list(
    pool: &SqlitePool,
    filter: &Filter,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<AuditEvent>, StoreError> {
    let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT id, at, action, source, ip, code_id, batch_id, detail, actor FROM audit_events WHERE 1 = 1",
    );
    if let Some(action) = filter.action {
        query.push(" AND action = ").push_bind(action.as_str());
    }
    if let Some(code_id) = filter.code_id {
        query.push(" AND code_id = ").push_bind(code_id);
    }
    if let Some(actor) = filter.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        query.push(" AND actor = ").push_bind(actor.to_owned());
    }
    if let Some(before) = before {
        query.push(" AND id < ").push_bind(before);
    }
    query.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit));
    Ok(query.build_query_as().fetch_all(pool).await?)
}
