//! Living codes: making one (a fresh key as its scene, the landing page as its page),
//! changing its target and status, resolving its scene for the mini program (each
//! resolve is a scan), and counting scans.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rand::distributions::Alphanumeric;
use rand::Rng;
use sha2::{Digest, Sha256};
use wxacode::living::{is_living_scene, living_scene, parse_fallback_page, wx_scene_name, LIVING_KEY_CHARS};
use wxacode::{CodeRequest, LivingStatus, Permission, Scene, Target};

use super::resolve_cache::{Cached, ResolveCache};
use super::scan_writer::{ScanWriter, ScanWriterConfig};
use super::store::{self, NewLiving, ScanEvent, ScanScope};
use crate::backend::actor::{Actor, Source};
use crate::backend::audit::{Action, AuditService, Subject};
use crate::backend::codes::{CodeService, Generated};
use crate::backend::counters;
use crate::backend::db::{rfc3339, Db, StoreError};
use crate::backend::zone::{day_start, time_zone};
use crate::error::AppError;
use crate::models::living::{
    effective_status, ends_at_problem, CampaignReport, CampaignRow, DayCount, LivingChange, LivingCode,
    LivingForm, Resolution, ScanSummary, WxSceneCount, MAX_CAMPAIGN_DAYS,
};

#[derive(Clone, Debug)]
pub struct LivingConfig {
    /// The page every living code's image opens (`WXACODE_LANDING_PAGE`).
    pub landing_page: String,
    /// How long a resolve may answer from memory. Changes made on this instance
    /// take effect at once; on other replicas within this time.
    pub cache_ttl: Duration,
    pub writer: ScanWriterConfig,
}

impl Default for LivingConfig {
    fn default() -> Self {
        Self {
            landing_page: wxacode::living::DEFAULT_LANDING_PAGE.to_owned(),
            cache_ttl: Duration::from_secs(2),
            writer: ScanWriterConfig::default(),
        }
    }
}

/// What the mini program told the resolve API about a scan.
#[derive(Clone, Debug, Default)]
pub struct ScanHit {
    pub wx_scene: Option<i64>,
    /// Opaque; only its salted hash is stored.
    pub client_id: Option<String>,
}

/// Longest client id kept; longer ones are cut before hashing.
const CLIENT_ID_MAX_BYTES: usize = 128;
/// Tries at drawing an unused key before giving up (62^8 keys: a clash is already rare).
const KEY_ATTEMPTS: usize = 5;

pub struct LivingService {
    pool: Db,
    codes: Arc<CodeService>,
    audit: Arc<AuditService>,
    writer: ScanWriter,
    cache: ResolveCache,
    salt: String,
    landing_page: String,
}

impl LivingService {
    /// Starts the scan writer and reads (or makes, once) the salt of client ids.
    pub async fn start(
        pool: Db,
        codes: Arc<CodeService>,
        audit: Arc<AuditService>,
        config: LivingConfig,
    ) -> Result<Self, StoreError> {
        let salt = store::instance_secret(&pool, "scan_client_salt", || {
            crate::backend::tokens::random_token::<32>()
        })
        .await?;
        Ok(Self {
            writer: ScanWriter::spawn(pool.clone(), config.writer),
            cache: ResolveCache::new(config.cache_ttl),
            pool,
            codes,
            audit,
            salt,
            landing_page: config.landing_page,
        })
    }

    /// The page a living code's image opens, unless the form names another.
    pub fn landing_page(&self) -> &str {
        &self.landing_page
    }

    /// Draws a fresh key, asks WeChat for the code of the landing page with it, and stores both.
    #[tracing::instrument(name = "living.create", skip_all)]
    pub async fn create(
        &self,
        form: &LivingForm,
        actor: &Actor,
    ) -> Result<(Generated, LivingCode), AppError> {
        actor.require(Permission::Generate)?;
        let app = self.codes.apps().usable(form.code.app.as_deref(), actor).await?.view;
        let landing_page = match app.landing_page.as_str() {
            "" => self.landing_page.as_str(),
            own => own,
        };
        let parsed = form.parse(landing_page).map_err(|problems| AppError::Invalid { problems })?;
        let ends_at = future_instant(form.ends_at.as_deref())?;
        let scene = self.new_scene().await?;
        let request = CodeRequest { scene, ..parsed.request };
        let generated = self.codes.generate(&request, &parsed.label, false, Some(&app.appid), actor).await;
        // The page WeChat did not find is the landing page, which nobody typed into this form.
        let mut generated = generated.map_err(|error| match error.errcode() {
            Some(code) if code == wxacode::KnownErrcode::InvalidPage.code() => AppError::WeChat {
                errcode: Some(code),
                message: wxacode::Message::new(
                    format!(
                        "活码落地页 {} 不存在或尚未发布（活码的图片都打开落地页）；请管理员检查小程序设置，或关闭“校验页面路径”",
                        request.page.as_str()
                    ),
                    format!(
                        "The living codes' landing page {} does not exist or is not published (every living code opens it); \
                         ask an admin to check the mini program's settings, or turn off check_path",
                        request.page.as_str()
                    ),
                ),
            },
            _ => error,
        })?;
        let code_id = generated.code.id;
        store::insert(
            &self.pool,
            NewLiving {
                code_id,
                scene: request.scene.as_str(),
                target: &parsed.target,
                fallback_page: &parsed.fallback_page,
                ends_at,
            },
        )
        .await?;
        tracing::info!(id = code_id, "living code created");
        // A batch job's rows are accounted for by the job's own events.
        if actor.source != Source::Batch {
            let detail = format!("{} → {}", request.scene.as_str(), parsed.target.display_path());
            let subject = Subject::code(code_id).detail(detail).in_app(&app.appid);
            self.audit.record(actor, Action::LivingCreate, subject).await;
        }
        self.cache.forget(request.scene.as_str());
        // Read again: now the code knows it is living.
        generated.code = self.codes.find(code_id).await?;
        let living = self.get(code_id).await?;
        Ok((generated, living))
    }

    async fn new_scene(&self) -> Result<Scene, AppError> {
        for _ in 0..KEY_ATTEMPTS {
            let key: String = rand::thread_rng()
                .sample_iter(&Alphanumeric)
                .take(LIVING_KEY_CHARS)
                .map(char::from)
                .collect();
            let Some(scene) = living_scene(&key) else { continue };
            if !store::scene_taken(&self.pool, &scene).await? {
                return Scene::parse(&scene).map_err(|_| AppError::Internal);
            }
        }
        tracing::error!("no unused living code key after {KEY_ATTEMPTS} draws");
        Err(AppError::Internal)
    }

    /// The living side of a code; not found when the code is direct.
    pub async fn get(&self, code_id: i64) -> Result<LivingCode, AppError> {
        self.find(code_id).await?.ok_or(AppError::NotFound)
    }

    pub async fn find(&self, code_id: i64) -> Result<Option<LivingCode>, AppError> {
        Ok(store::get(&self.pool, code_id).await?)
    }

    /// Changes the target, status, end date or fallback page; each change is audited.
    #[tracing::instrument(name = "living.change", skip(self, change, actor))]
    pub async fn change(
        &self,
        code_id: i64,
        change: &LivingChange,
        actor: &Actor,
    ) -> Result<LivingCode, AppError> {
        actor.require(Permission::ManageCodes)?;
        self.codes.get(code_id, actor).await?;
        let before = self.get(code_id).await?;
        let mut after = before.clone();
        let mut problems = Vec::new();
        if let Some(target) = &change.target {
            match Target::parse(target) {
                Ok(target) => after.target = target,
                Err(found) => problems.extend(found),
            }
        }
        if let Some(fallback) = &change.fallback_page {
            match parse_fallback_page(fallback) {
                Ok(page) => after.fallback_page = page,
                Err(found) => problems.extend(found),
            }
        }
        let mut ends_at = before.ends_at.clone();
        if let Some(raw) = &change.ends_at {
            match future_instant(Some(raw)) {
                Ok(end) => ends_at = end.map(rfc3339),
                Err(AppError::Invalid { problems: found }) => problems.extend(found),
                Err(other) => return Err(other),
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid { problems });
        }
        if let Some(status) = change.status {
            after.set_status = status;
        }
        // Ended is for good: nothing about it changes any more.
        if before.set_status == LivingStatus::Ended && (after != before || ends_at != before.ends_at) {
            return Err(AppError::rejected(
                "已结束的活码不能再启用或修改；请生成新的活码",
                "An ended living code cannot be switched on or changed; make a new one",
            ));
        }
        store::update(&self.pool, &after, ends_at.as_deref()).await?;
        self.cache.forget(&before.scene);
        self.audit_change(&before, &after, &ends_at, actor).await;
        self.get(code_id).await
    }

    async fn audit_change(
        &self,
        before: &LivingCode,
        after: &LivingCode,
        ends_at: &Option<String>,
        actor: &Actor,
    ) {
        let subject = || Subject::code(before.code_id);
        if before.target != after.target {
            let detail = format!("{} → {}", before.target.display_path(), after.target.display_path());
            self.audit.record(actor, Action::LivingTarget, subject().detail(detail)).await;
        }
        if before.set_status != after.set_status {
            let action = match after.set_status {
                LivingStatus::Active => Action::LivingResume,
                LivingStatus::Paused => Action::LivingPause,
                LivingStatus::Ended => Action::LivingEnd,
            };
            self.audit.record(actor, action, subject()).await;
        }
        let mut changed = Vec::new();
        if before.ends_at != *ends_at {
            changed.push(format!("ends_at {}", ends_at.as_deref().unwrap_or("none")));
        }
        if before.fallback_page != after.fallback_page {
            changed.push(format!("fallback {:?}", after.fallback_page.as_str()));
        }
        if !changed.is_empty() {
            self.audit.record(actor, Action::LivingSchedule, subject().detail(changed.join("; "))).await;
        }
    }

    /// What a scene means now. Every answer about a living code is a scan and is counted.
    pub async fn resolve(&self, scene: &str, hit: ScanHit) -> Result<Resolution, AppError> {
        if !is_living_scene(scene) {
            counters::resolve("unknown");
            return Ok(Resolution::Unknown);
        }
        let cached = match self.cache.get(scene) {
            Some(found) => found,
            None => {
                let found = store::by_scene(&self.pool, scene).await?.map(|(living, deleted)| {
                    Arc::new(Cached {
                        code_id: living.code_id,
                        target: living.target,
                        set_status: living.set_status,
                        ends_at: living.ends_at,
                        fallback_page: living.fallback_page,
                        deleted,
                    })
                });
                self.cache.put(scene, found.clone());
                found
            }
        };
        let Some(code) = cached else {
            counters::resolve("unknown");
            return Ok(Resolution::Unknown);
        };
        let now = Utc::now();
        let status = match effective_status(code.set_status, code.ends_at.as_deref(), &rfc3339(now)) {
            // A deleted code is off until restored: paused, not ended for good.
            LivingStatus::Active if code.deleted => LivingStatus::Paused,
            status => status,
        };
        let client_hash = hit.client_id.as_deref().map(str::trim).filter(|id| !id.is_empty()).map(|id| {
            let id = &id.as_bytes()[..id.len().min(CLIENT_ID_MAX_BYTES)];
            let digest = Sha256::new().chain_update(self.salt.as_bytes()).chain_update(b":").chain_update(id);
            hex::encode(&digest.finalize()[..16])
        });
        self.writer
            .record(ScanEvent { code_id: code.code_id, at: now, wx_scene: hit.wx_scene, client_hash })
            .await;
        counters::resolve(if status == LivingStatus::Active { "active" } else { "gone" });
        Ok(match status {
            LivingStatus::Active => Resolution::Active(code.target.clone()),
            status => Resolution::Gone { status, fallback_page: code.fallback_page.clone() },
        })
    }

    /// Waits until every scan resolved so far is in the database.
    pub async fn flush_scans(&self) {
        self.writer.flush().await;
    }

    /// Writes the scans still waiting and stops the writer (the server is shutting down).
    pub async fn shutdown(&self) {
        self.writer.close().await;
    }

    /// Totals, the last 30 days day by day, and the launch scenes, in the reader's zone.
    pub async fn scans(&self, code_id: i64, zone: Option<&str>) -> Result<ScanSummary, AppError> {
        let living = self.get(code_id).await?;
        let zone = time_zone(zone)?;
        let today = Utc::now().with_timezone(&zone).date_naive();
        let first_day = today - chrono::Days::new(29);
        let days = self.per_day(ScanScope::Code(code_id), None, first_day, today, zone).await?;
        let sum_last = |n: usize| days.iter().rev().take(n).map(|d| d.scans).sum::<i64>();
        let (by_scene, unique_clients) = store::scan_breakdown(&self.pool, code_id).await?;
        Ok(ScanSummary {
            total: living.scans,
            today: sum_last(1),
            last_7_days: sum_last(7),
            last_30_days: sum_last(30),
            unique_clients,
            by_wx_scene: by_scene
                .into_iter()
                .map(|(wx_scene, scans)| WxSceneCount { wx_scene, scans })
                .collect(),
            days,
        })
    }

    /// Scans of every campaign (label) of living codes from `from` to `to` (inclusive days in
    /// `zone`; default the last 30 days), and day by day for one label or all; of one app when
    /// `app` names it, and only ever of the apps `actor` may see.
    pub async fn campaigns(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        label: Option<&str>,
        zone: Option<&str>,
        app: Option<&str>,
        actor: &Actor,
    ) -> Result<CampaignReport, AppError> {
        let visible = actor.readable_apps(app)?;
        let apps: Option<Vec<String>> = match app.map(str::trim).filter(|a| !a.is_empty()) {
            Some(app) => Some(vec![app.to_owned()]),
            None => visible,
        };
        let apps = apps.as_deref();
        let zone = time_zone(zone)?;
        let today = Utc::now().with_timezone(&zone).date_naive();
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(to - chrono::Days::new(29));
        let length = (to - from).num_days() + 1;
        if length < 1 {
            return Err(AppError::rejected(
                "开始日期不能晚于结束日期",
                "The first day must not come after the last",
            ));
        }
        if length > MAX_CAMPAIGN_DAYS {
            return Err(AppError::rejected(
                format!("一次最多统计 {MAX_CAMPAIGN_DAYS} 天，当前 {length} 天"),
                format!("At most {MAX_CAMPAIGN_DAYS} days at a time; this is {length}"),
            ));
        }
        let (since, until) = (day_start(from, zone), day_start(to + chrono::Days::new(1), zone));
        let campaigns = store::campaigns(&self.pool, apps, since, until)
            .await?
            .into_iter()
            .map(|(label, codes, scans)| CampaignRow { label, codes, scans })
            .collect();
        let scope = label.map_or(ScanScope::All, ScanScope::Label);
        let days = self.per_day(scope, apps, from, to, zone).await?;
        Ok(CampaignReport {
            from: from.to_string(),
            to: to.to_string(),
            campaigns,
            days,
            label: label.map(str::to_owned),
        })
    }

    /// Scans per day from `first` to `last` (inclusive) as a clock in `zone` counts days.
    async fn per_day(
        &self,
        scope: ScanScope<'_>,
        apps: Option<&[String]>,
        first: NaiveDate,
        last: NaiveDate,
        zone: Tz,
    ) -> Result<Vec<DayCount>, AppError> {
        let (since, until) = (day_start(first, zone), day_start(last + chrono::Days::new(1), zone));
        let mut per_day: HashMap<NaiveDate, i64> = HashMap::new();
        for (hour, scans) in store::scans_per_hour(&self.pool, scope, apps, since, until).await? {
            let Some(at) = hour_start(&hour) else { continue };
            *per_day.entry(at.with_timezone(&zone).date_naive()).or_default() += scans;
        }
        Ok(first
            .iter_days()
            .take_while(|day| *day <= last)
            .map(|day| DayCount { day: day.to_string(), scans: per_day.get(&day).copied().unwrap_or(0) })
            .collect())
    }

    /// Every scan of a code as CSV: time in the reader's zone, launch scene, hashed client.
    pub async fn events_csv(
        &self,
        code_id: i64,
        zone: Option<&str>,
        lang: wxacode::Lang,
    ) -> Result<Vec<u8>, AppError> {
        self.get(code_id).await?;
        let zone = time_zone(zone)?;
        let mut csv = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
        let write_error = |error: csv::Error| {
            tracing::error!(%error, "writing the scans CSV");
            AppError::Internal
        };
        csv.write_record(["time", "wx_scene", "wx_scene_name", "client"]).map_err(write_error)?;
        for (at, wx_scene, client) in store::scan_events(&self.pool, code_id).await? {
            let local = DateTime::parse_from_rfc3339(&at)
                .map(|t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M:%S%:z").to_string())
                .unwrap_or(at);
            let scene = wx_scene.map(|s| s.to_string()).unwrap_or_default();
            let name = wx_scene.and_then(wx_scene_name).map(|m| m.get(lang).to_owned()).unwrap_or_default();
            csv.write_record([local, scene, name, client.unwrap_or_default()]).map_err(write_error)?;
        }
        csv.into_inner().map_err(|error| {
            tracing::error!(%error, "finishing the scans CSV");
            AppError::Internal
        })
    }
}

/// An end date sent by a client: blank for none, else an instant still ahead.
fn future_instant(raw: Option<&str>) -> Result<Option<DateTime<Utc>>, AppError> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else { return Ok(None) };
    let invalid = |zh: &str, en: &str| AppError::Invalid { problems: vec![ends_at_problem(zh, en)] };
    let end = DateTime::parse_from_rfc3339(raw).map_err(|_| {
        invalid(
            "结束时间格式不对，应如 2026-12-31T23:59:59+08:00",
            "The end must be a time like 2026-12-31T23:59:59+08:00",
        )
    })?;
    let end = end.with_timezone(&Utc);
    if end <= Utc::now() {
        return Err(invalid("结束时间必须晚于现在", "The end must lie in the future"));
    }
    Ok(Some(end))
}

/// `YYYY-MM-DDTHH` as the instant that hour starts (UTC).
fn hour_start(hour: &str) -> Option<DateTime<Utc>> {
    chrono::NaiveDateTime::parse_from_str(&format!("{hour}:00:00"), "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_end_must_be_readable_and_ahead() {
        assert_eq!(future_instant(Some(" ")).unwrap(), None);
        assert!(future_instant(Some("2099-01-01T00:00:00+08:00")).unwrap().is_some());
        assert!(matches!(future_instant(Some("2001-01-01T00:00:00Z")), Err(AppError::Invalid { .. })));
        assert!(matches!(future_instant(Some("tomorrow")), Err(AppError::Invalid { .. })));
    }

    #[test]
    fn hours_read_back_as_instants() {
        assert_eq!(hour_start("2026-11-26T05").map(rfc3339).as_deref(), Some("2026-11-26T05:00:00.000Z"));
        assert_eq!(hour_start("garbage"), None);
    }
}
