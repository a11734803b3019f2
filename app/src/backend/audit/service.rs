//! Recording events (best effort: the action already happened) and reading them back (admins only).

use wxacode::Permission;

use super::store::{self, Filter, NewEvent};
use crate::backend::actor::Actor;
use crate::backend::db::Db;
use crate::error::AppError;
use crate::models::audit::{AuditAction as Action, AuditPage};
use crate::models::paging::{fetch_size, split_page};

/// What an event is about.
#[derive(Clone, Debug, Default)]
pub struct Subject {
    pub code_id: Option<i64>,
    pub batch_id: Option<i64>,
    pub detail: String,
    /// The mini program it concerns.
    pub appid: String,
}

impl Subject {
    pub fn code(id: i64) -> Self {
        Self { code_id: Some(id), ..Self::default() }
    }

    pub fn batch(id: i64) -> Self {
        Self { batch_id: Some(id), ..Self::default() }
    }

    pub fn app(appid: impl Into<String>) -> Self {
        Self { appid: appid.into(), ..Self::default() }
    }

    /// The same subject, in this app.
    pub fn in_app(mut self, appid: impl Into<String>) -> Self {
        self.appid = appid.into();
        self
    }

    /// Several codes acted on at once (a ZIP, a label sheet): how many, and which.
    pub fn codes(ids: &[i64]) -> Self {
        let listed: Vec<String> = ids.iter().map(ToString::to_string).collect();
        let count = wxacode::message::count_en(ids.len() as u64, "code", "codes");
        Self::default().detail(format!("{count}: {}", listed.join(",")))
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

pub struct AuditService {
    pool: Db,
}

impl AuditService {
    pub fn new(pool: Db) -> Self {
        Self { pool }
    }

    /// Writes one event. A failure is logged, not raised: the action itself already happened.
    pub async fn record(&self, actor: &Actor, action: Action, subject: Subject) {
        let event = NewEvent {
            action: action.as_str(),
            source: actor.source.as_str(),
            ip: actor.ip.as_deref(),
            code_id: subject.code_id,
            batch_id: subject.batch_id,
            detail: &subject.detail,
            actor: &actor.name,
            appid: &subject.appid,
        };
        if let Err(error) = store::insert(&self.pool, event).await {
            tracing::error!(error = ?error, action = action.as_str(), "cannot record an audit event");
        }
    }

    /// Newest first, keyset-paged by id. Only admins read the trail.
    pub async fn page(
        &self,
        reader: &Actor,
        filter: &Filter,
        before: Option<i64>,
        limit: u32,
    ) -> Result<AuditPage, AppError> {
        reader.require(Permission::Administer)?;
        let fetched = store::list(&self.pool, filter, before, fetch_size(limit)).await?;
        let (events, next_before) = split_page(fetched, limit, |e| e.id);
        Ok(AuditPage { events, next_before })
    }
}
