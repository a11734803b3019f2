//! SQL for the audit trail.

use sqlx::QueryBuilder;

use crate::backend::db::{self, on_db, Db, StoreError};
use crate::models::audit::AuditAction as Action;
use crate::models::audit::AuditEvent;

/// Which events a page shows.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub action: Option<Action>,
    pub code_id: Option<i64>,
    /// Events of this account or key (its email or "API key: name"), exactly.
    pub actor: Option<String>,
    /// Events about this app (AppID).
    pub app: Option<String>,
}

pub struct NewEvent<'a> {
    pub action: &'a str,
    pub source: &'a str,
    pub ip: Option<&'a str>,
    pub code_id: Option<i64>,
    pub batch_id: Option<i64>,
    pub detail: &'a str,
    pub actor: &'a str,
    pub appid: &'a str,
}

pub async fn insert(db: &Db, event: NewEvent<'_>) -> Result<(), StoreError> {
    let sql = "INSERT INTO audit_events (at, action, source, ip, code_id, batch_id, detail, actor, appid) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    on_db!(db, |pool| {
        sqlx::query(sql)
            .bind(db::now())
            .bind(event.action)
            .bind(event.source)
            .bind(event.ip)
            .bind(event.code_id)
            .bind(event.batch_id)
            .bind(event.detail)
            .bind(event.actor)
            .bind(event.appid)
            .execute(pool)
            .await
            .map(|_| ())
    })?;
    Ok(())
}

/// Newest first; `before` is the smallest id of the previous page.
pub async fn list(
    db: &Db,
    filter: &Filter,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<AuditEvent>, StoreError> {
    Ok(on_db!(db, |pool| {
        let mut query = QueryBuilder::new(
        "SELECT id, at, action, source, ip, code_id, batch_id, detail, actor, appid FROM audit_events WHERE 1 = 1",
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
        if let Some(app) = filter.app.as_deref().filter(|a| !a.is_empty()) {
            query.push(" AND appid = ").push_bind(app.to_owned());
        }
        if let Some(before) = before {
            query.push(" AND id < ").push_bind(before);
        }
        query.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit));
        query.build_query_as().fetch_all(pool).await?
    }))
}
