//! Links: making one through WeChat (from a form, or for a code so that a visit reaches the
//! page as a scan does), listing, renewing, and the CSV of a list.

use std::sync::Arc;

use chrono::{Duration, Utc};
use wxacode::link::{code_query, LinkKind, LinkLife, LinkQuery, LinkRequest, LinkRequestInput};
use wxacode::{EnvVersion, PagePath, Permission};

use super::store::{self, NewLink, Now};
use crate::backend::actor::{Actor, Source};
use crate::backend::archive::manifest_writer;
use crate::backend::audit::{Action, AuditService, Subject};
use crate::backend::codes::CodeService;
use crate::backend::db::{rfc3339, Db};
use crate::backend::keyed_lock::KeyedLock;
use crate::error::AppError;
use crate::models::links::{Link, LinkFilter, LinkForm, LinkPage, MAX_PAGE};
use crate::models::paging::{fetch_size, split_page};

pub struct LinkService {
    pub(super) pool: Db,
    codes: Arc<CodeService>,
    pub(super) audit: Arc<AuditService>,
    /// One WeChat link minted at a time per jump link, however many visits arrive at once.
    pub(super) minting: KeyedLock,
}

/// Rows a CSV export holds at most.
const CSV_ROWS: u32 = 100_000;

impl LinkService {
    pub fn new(pool: Db, codes: Arc<CodeService>, audit: Arc<AuditService>) -> Self {
        Self { pool, codes, audit, minting: KeyedLock::default() }
    }

    /// Asks WeChat for the link and keeps it.
    pub async fn create(&self, form: &LinkForm, actor: &Actor) -> Result<Link, AppError> {
        actor.require(Permission::Generate)?;
        let (input, appid) = match form.code_id {
            Some(code_id) => self.code_target(code_id, &form.request, form.app.as_deref(), actor).await?,
            None => (form.request.clone(), self.app_for(form.app.as_deref(), actor).await?),
        };
        let request = LinkRequest::parse(&input).map_err(|problems| AppError::Invalid { problems })?;
        let link = self.make(&request, &appid, form.code_id, None, None, &actor.name).await?;
        // A batch job's rows are accounted for by the job's own events, as its codes are.
        if actor.source != Source::Batch {
            let detail = format!("{} #{}: {}", link.kind.as_str(), link.id, link.url);
            let subject = Subject { code_id: link.code_id, detail, appid, ..Subject::default() };
            self.audit.record(actor, Action::LinkCreate, subject).await;
        }
        Ok(link)
    }

    /// The AppID a request names (or the default app's), if `actor` may use it.
    pub(super) async fn app_for(&self, app: Option<&str>, actor: &Actor) -> Result<String, AppError> {
        Ok(self.codes.apps().usable(app, actor).await?.view.appid)
    }

    /// A new link with the same target and lifetime as link `id`; the old one lives out its time.
    pub async fn renew(&self, id: i64, actor: &Actor) -> Result<Link, AppError> {
        actor.require(Permission::Generate)?;
        let old = self.get(id, actor).await?;
        actor.require_app(&old.appid)?;
        if let Some(newer) = old.renewed_by {
            return Err(AppError::Rejected {
                message: wxacode::Message::new(
                    format!("这个链接已续期，新链接是 #{newer}"),
                    format!("This link was renewed already: the new one is #{newer}"),
                ),
            });
        }
        let Some(days) = old.days else {
            return Err(AppError::rejected(
                "永久有效的短链接不会过期，无需续期",
                "A permanent Short Link never ends: there is nothing to renew",
            ));
        };
        let days = u8::try_from(days).map_err(|_| AppError::Internal)?;
        let request = stored_request(old.kind, &old.page, &old.query, old.env_version, days, &old.title)?;
        let link = self.make(&request, &old.appid, old.code_id, Some(old.id), None, &actor.name).await?;
        let detail = format!("{} #{} → #{}: {}", link.kind.as_str(), old.id, link.id, link.url);
        let subject = Subject { code_id: link.code_id, detail, appid: old.appid, ..Subject::default() };
        self.audit.record(actor, Action::LinkRenew, subject).await;
        Ok(link)
    }

    /// A link, if `actor` may see its app.
    pub async fn get(&self, id: i64, actor: &Actor) -> Result<Link, AppError> {
        let link = self.find(id).await?;
        actor.require_app(&link.appid).map_err(|_| not_found())?;
        Ok(link)
    }

    async fn find(&self, id: i64) -> Result<Link, AppError> {
        store::get(&self.pool, id, &Now::current()).await?.ok_or_else(not_found)
    }

    pub async fn list(
        &self,
        filter: &LinkFilter,
        limit: u32,
        before: Option<i64>,
        actor: &Actor,
    ) -> Result<LinkPage, AppError> {
        let filter = &Self::visible(filter, actor)?;
        let limit = limit.clamp(1, MAX_PAGE);
        let fetched = store::list(&self.pool, filter, &Now::current(), fetch_size(limit), before).await?;
        let (links, next_before) = split_page(fetched, limit, |link| link.id);
        Ok(LinkPage { links, next_before })
    }

    /// The filter, kept to the apps `actor` may see.
    fn visible(filter: &LinkFilter, actor: &Actor) -> Result<LinkFilter, AppError> {
        Ok(LinkFilter { visible_apps: actor.readable_apps(filter.app.as_deref())?, ..filter.clone() })
    }

    /// Every link the filter keeps, as CSV (UTF-8 with BOM, so spreadsheets read Chinese).
    pub async fn csv(&self, filter: &LinkFilter, actor: &Actor) -> Result<Vec<u8>, AppError> {
        let filter = &Self::visible(filter, actor)?;
        let links = store::list(&self.pool, filter, &Now::current(), CSV_ROWS, None).await?;
        let header = [
            "id",
            "kind",
            "url",
            "page",
            "query",
            "env_version",
            "title",
            "status",
            "expires_at",
            "code_id",
            "renewed_from",
            "created_by",
            "created_at",
        ];
        let rows = links.iter().map(|link| {
            let optional = |value: Option<i64>| value.map(|v| v.to_string()).unwrap_or_default();
            vec![
                link.id.to_string(),
                link.kind.as_str().to_owned(),
                link.url.clone(),
                link.page.clone(),
                link.query.clone(),
                link.env_version.as_str().to_owned(),
                link.title.clone(),
                link.status.as_str().to_owned(),
                link.expires_at.clone().unwrap_or_default(),
                optional(link.code_id),
                optional(link.renewed_from),
                link.created_by.clone(),
                link.created_at.clone(),
            ]
        });
        let failed = |error: &dyn std::fmt::Debug| {
            tracing::error!(?error, "links CSV");
            AppError::Internal
        };
        let mut csv = manifest_writer(&header).map_err(|e| failed(&e))?;
        for row in rows {
            csv.write_record(row).map_err(|e| failed(&e))?;
        }
        csv.into_inner().map_err(|e| failed(&e.into_error()))
    }

    /// The target a code's link opens: the code's page, and its scene as the page receives it;
    /// and the code's app (a request naming another is refused).
    pub(super) async fn code_target(
        &self,
        code_id: i64,
        input: &LinkRequestInput,
        app: Option<&str>,
        actor: &Actor,
    ) -> Result<(LinkRequestInput, String), AppError> {
        let blank = |value: &Option<String>| value.as_deref().is_none_or(|v| v.trim().is_empty());
        if !blank(&input.page) || !blank(&input.query) {
            return Err(AppError::rejected(
                "为小程序码生成链接时，页面和参数来自该码，请不要另外填写",
                "A link made for a code opens the code's page with its scene: leave page and query empty",
            ));
        }
        let code = self.codes.get(code_id, actor).await?;
        actor.require_app(&code.appid)?;
        if app.is_some_and(|app| !app.trim().is_empty() && app.trim() != code.appid) {
            return Err(AppError::rejected(
                format!("该小程序码属于小程序 {}，链接只能为它生成", code.appid),
                format!("That code belongs to the mini program {}: its links open that one", code.appid),
            ));
        }
        if code.deleted_at.is_some() {
            return Err(AppError::rejected(
                "该小程序码已删除，请先恢复再生成链接",
                "That code is deleted: restore it before making a link for it",
            ));
        }
        let input = LinkRequestInput {
            page: Some(code.request.page.as_str().to_owned()),
            query: Some(code_query(&code.request.scene).as_str().to_owned()),
            ..input.clone()
        };
        Ok((input, code.appid))
    }

    pub(super) async fn make(
        &self,
        request: &LinkRequest,
        appid: &str,
        code_id: Option<i64>,
        renewed_from: Option<i64>,
        jump_id: Option<i64>,
        created_by: &str,
    ) -> Result<Link, AppError> {
        let url = self.codes.apps().client_of(appid).await?.generate_link(request).await?;
        let now = Utc::now();
        let expires_at = request.life.ends_at(0).map(|secs| rfc3339(now + Duration::seconds(secs)));
        let days = match request.life {
            LinkLife::Days(days) => Some(i64::from(days)),
            LinkLife::Permanent => None,
        };
        let created_at = rfc3339(now);
        let id = store::insert(
            &self.pool,
            &NewLink {
                appid,
                kind: request.kind,
                url: &url,
                page: request.page.as_str(),
                query: request.query.as_str(),
                env_version: request.env_version,
                title: &request.title,
                expires_at: expires_at.as_deref(),
                days,
                code_id,
                renewed_from,
                jump_id,
                created_by,
                created_at: &created_at,
            },
        )
        .await?;
        tracing::info!(link = id, kind = request.kind.as_str(), "link made");
        self.find(id).await
    }
}

/// A request for a target stored earlier (checked when it was stored): a renewal, a jump link's
/// next WeChat link.
pub(super) fn stored_request(
    kind: LinkKind,
    page: &str,
    query: &str,
    env_version: EnvVersion,
    days: u8,
    title: &str,
) -> Result<LinkRequest, AppError> {
    Ok(LinkRequest {
        kind,
        page: PagePath::parse(page).map_err(|_| AppError::Internal)?,
        query: LinkQuery::parse(query).map_err(|_| AppError::Internal)?,
        env_version,
        life: LinkLife::Days(days),
        title: title.to_owned(),
    })
}

pub(super) fn not_found() -> AppError {
    AppError::Missing { message: wxacode::Message::new("找不到该链接", "That link does not exist") }
}
