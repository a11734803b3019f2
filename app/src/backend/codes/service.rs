//! Generating a code: reuse a stored one, or ask WeChat and store the answer.
//! Also the history, soft delete, share links and ZIP downloads, so the UI and
//! the REST API run exactly the same logic.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use wxacode::{CodeRequest, KnownErrcode, Label, Permission};

use super::store::{self, NewCode};
use crate::backend::actor::{Actor, Source};
use crate::backend::apps::AppService;
use crate::backend::archive::{codes_archive, ArchivedCode};
use crate::backend::audit::{Action, AuditService, Subject};
use crate::backend::db::Db;
use crate::backend::keyed_lock::KeyedLock;
use crate::backend::settings::FileNamer;
use crate::backend::zone::time_zone;
use crate::error::AppError;
use crate::models::codes::{
    CodeSummary, GeneratedCode, HistoryFilter, HistoryPage, PageStart, SharedCode, MAX_ARCHIVE_CODES,
};
use crate::models::instance::InstanceInfo;
use crate::models::paging::{fetch_size, split_page};

pub struct CodeService {
    pool: Db,
    apps: Arc<AppService>,
    audit: Arc<AuditService>,
    // A double-click or two colleagues asking for the same code: one WeChat call.
    in_flight: KeyedLock,
}

/// A code just generated (or found already stored), with its image bytes.
pub struct Generated {
    pub code: CodeSummary,
    pub reused: bool,
    pub image: Vec<u8>,
}

impl From<Generated> for GeneratedCode {
    fn from(generated: Generated) -> Self {
        GeneratedCode { code: generated.code, reused: generated.reused }
    }
}

impl CodeService {
    pub fn new(pool: Db, apps: Arc<AppService>, audit: Arc<AuditService>) -> Self {
        Self { pool, apps, audit, in_flight: KeyedLock::default() }
    }

    /// The mini programs codes are made for.
    pub fn apps(&self) -> &AppService {
        &self.apps
    }

    /// Returns the stored code of the app (`None`: the default app) for these parameters and
    /// label, or generates and stores a new one (always when `force`). Nothing is stored when
    /// WeChat fails.
    #[tracing::instrument(name = "codes.generate", skip_all, fields(scene = request.scene.as_str(), force, app))]
    pub async fn generate(
        &self,
        request: &CodeRequest,
        label: &Label,
        force: bool,
        app: Option<&str>,
        actor: &Actor,
    ) -> Result<Generated, AppError> {
        actor.require(Permission::Generate)?;
        let app = self.apps.usable(app, actor).await?;
        let appid = app.view.appid.as_str();
        tracing::Span::current().record("app", appid);
        unpublished_page(&app.view.published_pages, request)?;
        let key = format!("{appid}|{}|{}", request.dedupe_key(), label.as_str());
        let _same_request = if force { None } else { Some(self.in_flight.lock(&key).await) };
        // The dashboard's forms start with the app last used there.
        if actor.source == Source::Web {
            self.apps.remember(actor, appid).await;
        }
        if !force {
            if let Some(code) = store::find_same(&self.pool, appid, request, label).await? {
                tracing::info!(id = code.id, "reused stored code");
                let image = self.image_bytes(code.id).await?;
                return Ok(Generated { code, reused: true, image });
            }
        }
        let image = app.client.get_unlimited_code(request).await.map_err(|error| {
            tracing::warn!(error = %error, errcode = error.errcode(), "WeChat call failed");
            AppError::from(error)
        })?;
        let new = NewCode {
            appid,
            request,
            label,
            sha256: hex::encode(Sha256::digest(&image.bytes)),
            image: &image,
            share_token: new_share_token(),
            created_at: Utc::now(),
            created_by: &actor.name,
        };
        let code = store::insert(&self.pool, new).await?;
        tracing::info!(id = code.id, bytes = code.byte_size, "stored new code");
        // A batch job's rows are accounted for by the job's own events.
        if actor.source != Source::Batch {
            let action = if force { Action::Regenerate } else { Action::Generate };
            let subject = Subject::code(code.id).detail(code.request.scene.as_str()).in_app(appid);
            self.audit.record(actor, action, subject).await;
        }
        Ok(Generated { code, reused: false, image: image.bytes })
    }

    /// A code, if `actor` may see its app (one it may not is not found, as if it did not exist).
    pub async fn get(&self, id: i64, actor: &Actor) -> Result<CodeSummary, AppError> {
        let code = self.find(id).await?;
        match actor.require_app(&code.appid) {
            Ok(()) => Ok(code),
            Err(AppError::Forbidden { .. }) => Err(AppError::NotFound),
            Err(other) => Err(other),
        }
    }

    /// A code by id, whoever asks: for services that checked access their own way.
    pub(crate) async fn find(&self, id: i64) -> Result<CodeSummary, AppError> {
        store::get(&self.pool, id).await?.ok_or(AppError::NotFound)
    }

    /// A page of the codes of the apps `actor` may see.
    pub async fn list(
        &self,
        filter: &HistoryFilter,
        limit: u32,
        before: Option<i64>,
        actor: &Actor,
    ) -> Result<HistoryPage, AppError> {
        let filter =
            &HistoryFilter { visible_apps: actor.readable_apps(filter.app.as_deref())?, ..filter.clone() };
        let zone = time_zone(filter.tz.as_deref())?;
        let fetched = store::list(&self.pool, filter, zone, fetch_size(limit), before).await?;
        let (codes, next_before) = split_page(fetched, limit, |c| c.id);
        let (total, newer) = store::count(&self.pool, filter, zone, before).await?;
        let previous = match before {
            Some(before) if newer > 0 => Some(PageStart {
                before: store::previous_before(&self.pool, filter, zone, before, limit).await?,
            }),
            _ => None,
        };
        Ok(HistoryPage { codes, next_before, total, first_position: newer + 1, previous })
    }

    /// A code and its original image bytes.
    pub async fn image(&self, id: i64, actor: &Actor) -> Result<(CodeSummary, Vec<u8>), AppError> {
        let code = self.get(id, actor).await?;
        let bytes = self.image_bytes(id).await?;
        Ok((code, bytes))
    }

    /// The original bytes of a code the caller has already checked access to.
    pub(crate) async fn image_bytes(&self, id: i64) -> Result<Vec<u8>, AppError> {
        store::image_bytes(&self.pool, id).await?.ok_or(AppError::NotFound)
    }

    /// Soft delete (`deleted = true`) or restore.
    #[tracing::instrument(name = "codes.set_deleted", skip(self))]
    pub async fn set_deleted(&self, id: i64, deleted: bool, actor: &Actor) -> Result<CodeSummary, AppError> {
        actor.require(Permission::ManageCodes)?;
        self.get(id, actor).await?;
        found(store::set_deleted(&self.pool, id, deleted).await?)?;
        let action = if deleted { Action::Delete } else { Action::Restore };
        self.audit.record(actor, action, Subject::code(id)).await;
        self.find(id).await
    }

    #[tracing::instrument(name = "codes.revoke_share", skip(self))]
    pub async fn revoke_share(&self, id: i64, actor: &Actor) -> Result<CodeSummary, AppError> {
        actor.require(Permission::ManageCodes)?;
        self.get(id, actor).await?;
        found(store::revoke_share(&self.pool, id).await?)?;
        self.audit.record(actor, Action::ShareRevoke, Subject::code(id)).await;
        self.find(id).await
    }

    /// Ends the share link at `end`, which must lie ahead; `None` lets it last until revoked.
    #[tracing::instrument(name = "codes.set_share_expiry", skip(self, actor))]
    pub async fn set_share_expiry(
        &self,
        id: i64,
        end: Option<DateTime<Utc>>,
        actor: &Actor,
    ) -> Result<CodeSummary, AppError> {
        actor.require(Permission::ManageCodes)?;
        if end.is_some_and(|end| end <= Utc::now()) {
            return Err(AppError::rejected("有效期必须晚于现在", "The expiry must lie in the future"));
        }
        self.get(id, actor).await?;
        found(store::set_share_expiry(&self.pool, id, end).await?)?;
        let detail = end.map_or_else(|| "none".to_owned(), |end| end.to_rfc3339());
        self.audit.record(actor, Action::ShareExpiry, Subject::code(id).detail(detail)).await;
        self.find(id).await
    }

    /// Shows or hides the label and page on the public share page.
    pub async fn set_share_shows_label(
        &self,
        id: i64,
        shown: bool,
        actor: &Actor,
    ) -> Result<CodeSummary, AppError> {
        actor.require(Permission::ManageCodes)?;
        self.get(id, actor).await?;
        found(store::set_share_shows_label(&self.pool, id, shown).await?)?;
        let detail = if shown { "shown" } else { "hidden" };
        self.audit.record(actor, Action::ShareLabel, Subject::code(id).detail(detail)).await;
        self.find(id).await
    }

    /// A new share link; the previous one stops working.
    #[tracing::instrument(name = "codes.reissue_share", skip(self))]
    pub async fn reissue_share(&self, id: i64, actor: &Actor) -> Result<CodeSummary, AppError> {
        actor.require(Permission::ManageCodes)?;
        self.get(id, actor).await?;
        found(store::reissue_share(&self.pool, id, &new_share_token()).await?)?;
        self.audit.record(actor, Action::ShareReissue, Subject::code(id)).await;
        self.find(id).await
    }

    /// A ZIP of these codes (deleted ones included: the Deleted view can export too)
    /// in the order given, with a manifest; share links are listed while active.
    #[tracing::instrument(name = "codes.archive", skip_all, fields(codes = ids.len()))]
    pub async fn archive(
        &self,
        ids: &[i64],
        instance: &InstanceInfo,
        namer: &FileNamer,
        actor: &Actor,
    ) -> Result<Vec<u8>, AppError> {
        let codes = self.archived_codes(ids, instance, actor).await?;
        self.pack_archive(&codes, namer, actor).await
    }

    /// The chosen codes as a ZIP holds them (each once, in order), checked against the limit and
    /// the reader's access.
    pub async fn archived_codes(
        &self,
        ids: &[i64],
        instance: &InstanceInfo,
        actor: &Actor,
    ) -> Result<Vec<ArchivedCode>, AppError> {
        if ids.is_empty() {
            return Err(AppError::rejected("请至少选择一个小程序码", "Select at least one code"));
        }
        if ids.len() > MAX_ARCHIVE_CODES {
            return Err(AppError::rejected(
                format!("一次最多打包 {MAX_ARCHIVE_CODES} 个小程序码，已选 {} 个", ids.len()),
                format!("At most {MAX_ARCHIVE_CODES} codes fit in one ZIP; {} were selected", ids.len()),
            ));
        }
        let mut seen = HashSet::new();
        let mut codes = Vec::with_capacity(ids.len());
        for &id in ids.iter().filter(|id| seen.insert(**id)) {
            self.get(id, actor).await?;
            codes.push(self.archived(id, instance).await?);
        }
        Ok(codes)
    }

    /// The ZIP of codes gathered by [`Self::archived_codes`]; audited as one bulk download.
    pub async fn pack_archive(
        &self,
        codes: &[ArchivedCode],
        namer: &FileNamer,
        actor: &Actor,
    ) -> Result<Vec<u8>, AppError> {
        let zip = codes_archive(codes, namer)?;
        let ids: Vec<i64> = codes.iter().map(|c| c.code.id).collect();
        self.audit.record(actor, Action::BulkDownload, Subject::codes(&ids)).await;
        Ok(zip)
    }

    /// A code as a ZIP holds it: with its image and its share link, while active.
    pub(crate) async fn archived(&self, id: i64, instance: &InstanceInfo) -> Result<ArchivedCode, AppError> {
        let code = self.find(id).await?;
        let image = self.image_bytes(id).await?;
        let share_url = code.share_active.then(|| instance.share_url(&code.share_token));
        Ok(ArchivedCode { code, image, share_url, renditions: Vec::new() })
    }

    /// The code behind a share link, with its image; revoked links and deleted codes are not found.
    pub async fn shared(&self, share_token: &str) -> Result<(CodeSummary, Vec<u8>), AppError> {
        let code = store::find_shared(&self.pool, share_token).await?.ok_or(AppError::NotFound)?;
        let image = self.image_bytes(code.id).await?;
        Ok((code, image))
    }

    /// What the public share page shows of it.
    pub async fn shared_view(&self, share_token: &str) -> Result<SharedCode, AppError> {
        let code = store::find_shared(&self.pool, share_token).await?.ok_or(AppError::NotFound)?;
        let shown = |text: &str| if code.share_shows_label { text.to_owned() } else { String::new() };
        let sandbox = self.apps.find(&code.appid).await.is_ok_and(|app| app.sandbox);
        Ok(SharedCode {
            sandbox,
            label: shown(code.label.as_str()),
            page: shown(code.request.page.as_str()),
            image_type: code.image_type,
            width: code.request.width.get(),
        })
    }
}

/// WeChat answers 41030 for a page the published mini program lacks; when the app lists its
/// published pages, say so before spending a call.
fn unpublished_page(published: &[String], request: &CodeRequest) -> Result<(), AppError> {
    let page = request.page.as_str();
    if !request.check_path || page.is_empty() || published.is_empty() || published.iter().any(|p| p == page) {
        return Ok(());
    }
    let listed = published.join(", ");
    Err(AppError::WeChat {
        errcode: Some(KnownErrcode::InvalidPage.code()),
        message: wxacode::Message::new(
            format!("页面 {page} 不在这个小程序已发布的页面中（{listed}）；请检查路径，或关闭“校验页面路径”"),
            format!(
                "The page {page} is not among this mini program's published pages ({listed}); check the path \
                 or turn off check_path"
            ),
        ),
    })
}

/// An update that touched no row means the code does not exist.
fn found(updated: bool) -> Result<(), AppError> {
    updated.then_some(()).ok_or(AppError::NotFound)
}

/// 128 random bits from the OS, URL-safe.
pub fn new_share_token() -> String {
    crate::backend::tokens::random_token::<16>()
}

/// Reads an expiry sent by a client: an RFC 3339 instant, or nothing for "never".
pub fn parse_expiry(raw: Option<&str>) -> Result<Option<DateTime<Utc>>, AppError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(raw) => DateTime::parse_from_rfc3339(raw).map(|t| Some(t.with_timezone(&Utc))).map_err(|_| {
            AppError::malformed(format!(
                "expires_at must be a time like 2026-12-31T23:59:59+08:00, not {raw:?}"
            ))
        }),
    }
}

/// A ZIP of `count` codes, named after now as a clock in `zone` shows it (UTC when none).
pub fn archive_file_name(count: usize, zone: Option<&str>) -> Result<String, AppError> {
    let now = Utc::now().with_timezone(&time_zone(zone)?);
    Ok(format!("wxacode-{}-{count}.zip", now.format("%Y%m%d-%H%M%S")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_tokens_carry_128_bits_and_are_url_safe() {
        let token = new_share_token();
        assert_eq!(token.len(), 22);
        assert!(token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{token}");
        assert_ne!(token, new_share_token());
    }

    #[test]
    fn a_zips_name_tells_the_time_in_the_readers_zone() {
        let utc = archive_file_name(3, None).unwrap();
        let shanghai = archive_file_name(3, Some("Asia/Shanghai")).unwrap();
        assert!(utc.starts_with("wxacode-") && utc.ends_with("-3.zip"), "{utc}");
        let hour = |name: &str| name[17..19].parse::<u32>().unwrap();
        assert_eq!(hour(&shanghai), (hour(&utc) + 8) % 24, "{utc} {shanghai}");
        assert!(archive_file_name(1, Some("Mars/Olympus")).is_err());
    }

    #[test]
    fn an_expiry_is_an_instant_with_its_zone_or_nothing() {
        let end = parse_expiry(Some("2026-12-31T23:59:59+08:00")).unwrap().unwrap();
        assert_eq!(end.to_rfc3339(), "2026-12-31T15:59:59+00:00");
        assert_eq!(parse_expiry(Some("  ")).unwrap(), None);
        assert!(matches!(parse_expiry(Some("next tuesday")), Err(AppError::Malformed { .. })));
    }
}
