//! Permanent jump links (`/go/{token}`): made and revoked by people, followed by anyone.
//! A visit goes on to the jump link's current URL Link or Scheme while it has a day left;
//! otherwise a new one (30 days) is made first, once, however many visits arrive together.

use chrono::{Duration, Utc};
use wxacode::link::{LinkKind, LinkRequest, LinkRequestInput, EXPIRE_DAYS_MAX};
use wxacode::{Label, Permission};

use super::service::{not_found, stored_request, LinkService};
use super::store::{self, JumpKey, NewJump};
use crate::backend::actor::Actor;
use crate::backend::audit::{Action, Subject};
use crate::backend::db::rfc3339;
use crate::backend::tokens::random_token;
use crate::error::AppError;
use crate::models::links::{ClickDay, JumpForm, JumpLink, JumpTarget, MAX_PAGE};
use crate::models::paging::{fetch_size, split_page};

/// A WeChat link with less than this left is replaced before a visit is sent to it.
const MIN_LIFE_LEFT: Duration = Duration::days(1);
/// Days of visits a jump link's page shows.
pub const CLICK_DAYS: i64 = 30;

impl LinkService {
    pub async fn create_jump(&self, form: &JumpForm, actor: &Actor) -> Result<JumpLink, AppError> {
        actor.require(Permission::Generate)?;
        let input = LinkRequestInput {
            kind: form.kind.clone(),
            page: form.page.clone(),
            query: form.query.clone(),
            env_version: form.env_version.clone(),
            ..LinkRequestInput::default()
        };
        let (input, appid) = match form.code_id {
            Some(code_id) => self.code_target(code_id, &input, form.app.as_deref(), actor).await?,
            None => (input, self.app_for(form.app.as_deref(), actor).await?),
        };
        let request = LinkRequest::parse(&input).map_err(|problems| AppError::Invalid { problems })?;
        if request.kind == LinkKind::ShortLink {
            return Err(AppError::rejected(
                "跳转链接只能基于 URL Link 或 URL Scheme（短链接只能在微信内打开）",
                "A jump link goes through a URL Link or a Scheme (Short Links open inside WeChat only)",
            ));
        }
        let label = Label::parse(form.label.as_deref().unwrap_or(""))
            .map_err(|problem| AppError::Invalid { problems: vec![problem] })?;
        let token = random_token::<16>();
        let created_at = rfc3339(Utc::now());
        let id = store::insert_jump(
            &self.pool,
            &NewJump {
                appid: &appid,
                token: &token,
                kind: request.kind,
                page: request.page.as_str(),
                query: request.query.as_str(),
                env_version: request.env_version,
                label: label.as_str(),
                code_id: form.code_id,
                created_by: &actor.name,
                created_at: &created_at,
            },
        )
        .await?;
        let subject =
            Subject { code_id: form.code_id, detail: format!("jump #{id}"), appid, ..Subject::default() };
        self.audit.record(actor, Action::LinkCreate, subject).await;
        self.find_jump(id).await
    }

    /// A jump link, if `actor` may see its app.
    pub async fn jump(&self, id: i64, actor: &Actor) -> Result<JumpLink, AppError> {
        let jump = self.find_jump(id).await?;
        actor.require_app(&jump.appid).map_err(|_| not_found())?;
        Ok(jump)
    }

    async fn find_jump(&self, id: i64) -> Result<JumpLink, AppError> {
        Ok(store::jump(&self.pool, JumpKey::Id(id)).await?.ok_or_else(not_found)?.0)
    }

    /// Newest first; `next_before` continues the list.
    pub async fn jumps(
        &self,
        code: Option<i64>,
        search: Option<&str>,
        limit: u32,
        before: Option<i64>,
        actor: &Actor,
    ) -> Result<(Vec<JumpLink>, Option<i64>), AppError> {
        if actor.role.is_none() {
            return Err(AppError::Unauthorized);
        }
        let limit = limit.clamp(1, MAX_PAGE);
        let visible = actor.visible_apps();
        let fetched = store::jumps(&self.pool, visible, code, search, fetch_size(limit), before).await?;
        Ok(split_page(fetched, limit, |jump| jump.id))
    }

    /// Visits of the last 30 UTC days, oldest first; days without visits are absent.
    pub async fn jump_clicks(&self, id: i64, actor: &Actor) -> Result<Vec<ClickDay>, AppError> {
        self.jump(id, actor).await?;
        let since = (Utc::now() - Duration::days(CLICK_DAYS - 1)).format("%Y-%m-%d").to_string();
        Ok(store::clicks_since(&self.pool, id, &since).await?)
    }

    /// From then on `/go/{token}` answers 404.
    pub async fn revoke_jump(&self, id: i64, actor: &Actor) -> Result<JumpLink, AppError> {
        actor.require(Permission::ManageCodes)?;
        let jump = self.jump(id, actor).await?;
        if store::revoke_jump(&self.pool, id, &rfc3339(Utc::now())).await? {
            let detail = format!("jump #{id}");
            let subject = Subject { code_id: jump.code_id, detail, appid: jump.appid, ..Subject::default() };
            self.audit.record(actor, Action::LinkRevoke, subject).await;
        }
        self.find_jump(id).await
    }

    /// Whether `/go/{token}` leads anywhere, without counting a visit or minting a link
    /// (`HEAD`, link previews).
    pub async fn jump_exists(&self, token: &str) -> Result<bool, AppError> {
        let found = store::jump(&self.pool, JumpKey::Token(token)).await?;
        Ok(found.is_some_and(|(jump, _)| jump.revoked_at.is_none()))
    }

    /// Where a visit of `/go/{token}` goes; counts the visit.
    pub async fn follow(&self, token: &str) -> Result<JumpTarget, AppError> {
        // Read under the lock: a visit that waited finds the link the first one made.
        let minting = self.minting.lock(token).await;
        let (jump, current) = store::jump(&self.pool, JumpKey::Token(token)).await?.ok_or_else(not_found)?;
        if jump.revoked_at.is_some() {
            return Err(not_found());
        }
        let fresh_until = rfc3339(Utc::now() + MIN_LIFE_LEFT);
        let url = match (current, &jump.current_url, &jump.current_expires_at) {
            (Some(_), Some(url), Some(end)) if *end > fresh_until => url.clone(),
            _ => self.mint(&jump).await?,
        };
        drop(minting);
        store::count_click(&self.pool, jump.id, &Utc::now().format("%Y-%m-%d").to_string()).await?;
        Ok(JumpTarget { kind: jump.kind, url })
    }

    /// A 30-day WeChat link for the jump link's target, made its current one.
    async fn mint(&self, jump: &JumpLink) -> Result<String, AppError> {
        let days = EXPIRE_DAYS_MAX as u8;
        let request = stored_request(jump.kind, &jump.page, &jump.query, jump.env_version, days, "")?;
        let link = self
            .make(
                &request,
                &jump.appid,
                jump.code_id,
                None,
                Some(jump.id),
                &format!("jump link #{}", jump.id),
            )
            .await?;
        store::set_current_link(&self.pool, jump.id, link.id).await?;
        tracing::info!(jump = jump.id, link = link.id, "jump link minted a new WeChat link");
        Ok(link.url)
    }
}
