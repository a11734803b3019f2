//! What the UI and the REST API do with batch jobs: preview a sheet, create a
//! job from its valid rows, follow, pause, resume, cancel, and download results.

use std::sync::Arc;

use wxacode::batch::{preview, ColumnMap, Numbering, ParamColumns, Preview, RowDefaults};
use wxacode::message::count_en;
use wxacode::{CodeRequestInput, Lang, LineColor, Permission};

use super::runner::{BatchRunner, RunnerConfig};
use super::sheet::Sheet;
use super::store::{self, ItemRecord, NewItem, StoredInput};
use super::template::{template, TemplateFormat};
use crate::backend::actor::Actor;
use crate::backend::archive::{batch_archive, manifest_writer, ArchiveError, BatchEntry};
use crate::backend::audit::{Action, AuditService, Subject};
use crate::backend::codes::CodeService;
use crate::backend::db::Db;
use crate::backend::links::LinkService;
use crate::backend::living::LivingService;
use crate::backend::settings::FileNamer;
use crate::error::AppError;
use crate::models::batches::{BatchStatus, BatchSummary};
use crate::models::instance::InstanceInfo;

pub struct BatchService {
    pool: Db,
    codes: Arc<CodeService>,
    audit: Arc<AuditService>,
    runner: Arc<BatchRunner>,
}

impl BatchService {
    /// The jobs' rows are worked on by a runner paced by `runner` (tests shorten its back-off).
    pub fn new(
        pool: Db,
        codes: Arc<CodeService>,
        living: Arc<LivingService>,
        links: Arc<LinkService>,
        audit: Arc<AuditService>,
        runner: RunnerConfig,
    ) -> Self {
        let runner = BatchRunner::new(pool.clone(), Arc::clone(&codes), living, links, runner);
        Self { pool, codes, audit, runner }
    }

    /// Starts every job a previous run left running; returns how many.
    pub async fn resume_unfinished(&self) -> Result<usize, AppError> {
        Ok(self.runner.resume_unfinished().await?)
    }

    /// Every row checked with the form's rules; `columns` overrides the detected header mapping,
    /// `defaults` fills what rows leave empty.
    pub fn preview(
        &self,
        sheet: &Sheet,
        columns: Option<ColumnMap>,
        defaults: &RowDefaults,
    ) -> Result<Preview, AppError> {
        let map = columns.unwrap_or_else(|| ColumnMap::detect(&sheet.headers));
        if !map.can_generate() {
            let found = sheet.headers.join(", ");
            return Err(AppError::rejected(
                format!("找不到场景值列（表头应包含 scene 或 场景值；活码为 target_page 或 目标页面），现有表头：{found}"),
                format!(
                    "No scene column (a header named scene or 场景值; for living codes target_page or 目标页面); the headers are: {found}"
                ),
            ));
        }
        // Parameters are always read from their headers (`param.<name>`), whatever the mapping.
        let params = ParamColumns::detect(&sheet.headers);
        Ok(preview(&sheet.rows, &map, &params, Numbering { first_row: sheet.first_row }, defaults))
    }

    /// Stores a job of the preview's valid rows and starts it.
    pub async fn create(
        &self,
        name: &str,
        preview: &Preview,
        app: Option<&str>,
        actor: &Actor,
    ) -> Result<BatchSummary, AppError> {
        actor.require(Permission::Generate)?;
        let appid = self.codes.apps().usable(app, actor).await?.view.appid;
        if preview.valid.is_empty() {
            return Err(AppError::rejected("没有可以生成的有效行", "There are no valid rows to generate"));
        }
        let name = name.trim();
        // Rows the checks refused are kept too, as failed: nothing the sheet held goes unaccounted.
        let id = store::create(&self.pool, name, &appid, &NewItem::of(preview), &actor.name).await?;
        tracing::info!(batch = id, rows = preview.valid.len(), "batch job created");
        let rows = |n: usize| count_en(n as u64, "row", "rows");
        let detail = match preview.invalid.len() {
            0 => format!("{name}: {}", rows(preview.valid.len())),
            refused => format!("{name}: {}, {refused} refused by the checks", rows(preview.valid.len())),
        };
        self.audit.record(actor, Action::BatchCreate, Subject::batch(id).detail(detail).in_app(&appid)).await;
        if actor.source == crate::backend::actor::Source::Web {
            self.codes.apps().remember(actor, &appid).await;
        }
        self.runner.start(id);
        self.find(id).await
    }

    /// A job, if `actor` may see its app.
    pub async fn get(&self, id: i64, actor: &Actor) -> Result<BatchSummary, AppError> {
        let summary = self.find(id).await?;
        actor.require_app(&summary.appid).map_err(|_| AppError::NotFound)?;
        Ok(summary)
    }

    async fn find(&self, id: i64) -> Result<BatchSummary, AppError> {
        let summary = store::summary(&self.pool, id).await?.ok_or(AppError::NotFound)?;
        self.complete(summary).await
    }

    /// The newest jobs of the apps `actor` may see.
    pub async fn list(&self, actor: &Actor) -> Result<Vec<BatchSummary>, AppError> {
        if actor.role.is_none() {
            return Err(AppError::Unauthorized);
        }
        let mut jobs = Vec::new();
        for summary in store::list(&self.pool, 100).await? {
            if actor.require_app(&summary.appid).is_ok() {
                jobs.push(self.complete(summary).await?);
            }
        }
        Ok(jobs)
    }

    /// Adds what the job's rows alone do not say: whether the runner still works on it,
    /// and why rows failed.
    async fn complete(&self, mut summary: BatchSummary) -> Result<BatchSummary, AppError> {
        summary.active |= self.runner.is_active(summary.id);
        if summary.failed > 0 {
            summary.errors = store::error_groups(&self.pool, summary.id).await?;
        }
        Ok(summary)
    }

    pub async fn pause(&self, id: i64, actor: &Actor) -> Result<BatchSummary, AppError> {
        actor.require(Permission::Generate)?;
        self.get(id, actor).await?;
        let summary = self.change(id, &[BatchStatus::Running], BatchStatus::Paused).await?;
        self.audit.record(actor, Action::BatchPause, Subject::batch(id)).await;
        Ok(summary)
    }

    /// Paused and cancelled jobs continue with the rows still pending.
    pub async fn resume(&self, id: i64, actor: &Actor) -> Result<BatchSummary, AppError> {
        actor.require(Permission::Generate)?;
        self.get(id, actor).await?;
        let summary =
            self.change(id, &[BatchStatus::Paused, BatchStatus::Cancelled], BatchStatus::Running).await?;
        self.audit.record(actor, Action::BatchResume, Subject::batch(id)).await;
        self.runner.start(id);
        Ok(summary)
    }

    pub async fn cancel(&self, id: i64, actor: &Actor) -> Result<BatchSummary, AppError> {
        actor.require(Permission::Generate)?;
        self.get(id, actor).await?;
        let summary =
            self.change(id, &[BatchStatus::Running, BatchStatus::Paused], BatchStatus::Cancelled).await?;
        self.audit.record(actor, Action::BatchCancel, Subject::batch(id)).await;
        Ok(summary)
    }

    async fn change(&self, id: i64, from: &[BatchStatus], to: BatchStatus) -> Result<BatchSummary, AppError> {
        let current = self.find(id).await?;
        if !store::transition(&self.pool, id, from, to).await? {
            return Err(AppError::rejected(
                format!("任务当前状态为 {}，不能改为 {}", current.status.as_str(), to.as_str()),
                format!("The job is {}; it cannot become {}", current.status.as_str(), to.as_str()),
            ));
        }
        tracing::info!(batch = id, status = to.as_str(), "batch job status changed");
        self.find(id).await
    }

    /// All generated images and a manifest line per row.
    pub async fn archive(
        &self,
        id: i64,
        instance: &InstanceInfo,
        namer: &FileNamer,
        actor: &Actor,
    ) -> Result<Vec<u8>, AppError> {
        self.get(id, actor).await?;
        let items = store::items(&self.pool, id).await?;
        let mut entries = Vec::with_capacity(items.len());
        for item in items {
            let generated = match item.code_id {
                Some(code_id) => Some(self.codes.archived(code_id, instance).await?),
                None => None,
            };
            let input = item_input(&item);
            entries.push(BatchEntry {
                row: item.row_number,
                scene: input.scene,
                page: input.page.unwrap_or_default(),
                label: item.label.clone(),
                status: item.status.clone(),
                error: item.error_zh.clone().unwrap_or_default(),
                link: item.link_url.clone().unwrap_or_default(),
                generated,
            });
        }
        let zip = batch_archive(&entries, namer)?;
        self.audit.record(actor, Action::BulkDownload, Subject::batch(id)).await;
        Ok(zip)
    }

    /// The codes the job made, in its rows' order (a row that failed has none).
    pub async fn code_ids(&self, id: i64, actor: &Actor) -> Result<Vec<i64>, AppError> {
        self.get(id, actor).await?;
        let items = store::items(&self.pool, id).await?;
        Ok(items.iter().filter_map(|item| item.code_id).collect())
    }

    /// A blank sheet with every recognised header in `lang` and an example row.
    pub fn template(&self, format: TemplateFormat, lang: Lang) -> Result<Vec<u8>, AppError> {
        Ok(template(format, lang)?)
    }

    /// The failed rows as a CSV that can be fixed and uploaded again.
    pub async fn failed_rows_csv(&self, id: i64, actor: &Actor) -> Result<Vec<u8>, AppError> {
        self.get(id, actor).await?;
        let items = store::items(&self.pool, id).await?;
        let failed: Vec<(&ItemRecord, StoredInput)> =
            items.iter().filter(|i| i.status == "failed").map(|i| (i, stored_input(i))).collect();
        // Living rows give back their target, fallback and every parameter column they had.
        let mut param_names: Vec<String> = Vec::new();
        for (_, stored) in &failed {
            for param in stored.living.iter().flat_map(|l| &l.target.params) {
                if !param_names.contains(&param.key) {
                    param_names.push(param.key.clone());
                }
            }
        }
        let mut headers: Vec<String> = [
            "row",
            "scene",
            "page",
            "label",
            "width",
            "env_version",
            "check_path",
            "auto_color",
            "line_color",
            "is_hyaline",
            "mode",
            "target_page",
            "fallback_page",
            "link",
            "link_days",
        ]
        .map(str::to_owned)
        .to_vec();
        headers.extend(param_names.iter().map(|name| ParamColumns::header(name)));
        headers.extend(["errcode".to_owned(), "error".to_owned()]);
        let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
        let mut csv = manifest_writer(&header_refs)?;
        for (item, stored) in failed {
            let StoredInput { mut input, living, link } = stored;
            // A page WeChat did not find (41030): leave the check to the next job's option,
            // which is how the page suggests fixing it.
            if item.errcode == Some(wxacode::KnownErrcode::InvalidPage.code()) {
                input.check_path = None;
            }
            let flag = |v: Option<bool>| v.map(|b| b.to_string()).unwrap_or_default();
            let color =
                input.line_color.and_then(|c| c.parse().ok()).map(LineColor::to_hex).unwrap_or_default();
            let mut record = vec![
                item.row_number.to_string(),
                input.scene,
                input.page.unwrap_or_default(),
                item.label.clone(),
                input.width.map(|w| w.to_string()).unwrap_or_default(),
                input.env_version.unwrap_or_default(),
                flag(input.check_path),
                flag(input.auto_color),
                color,
                flag(input.is_hyaline),
                if living.is_some() { "living" } else { "direct" }.to_owned(),
                living.as_ref().map(|l| l.target.page.clone()).unwrap_or_default(),
                living.as_ref().map(|l| l.fallback_page.clone()).unwrap_or_default(),
                link.as_ref().map(|l| l.kind.clone()).unwrap_or_default(),
                link.as_ref().map(|l| l.days.clone()).unwrap_or_default(),
            ];
            record.extend(param_names.iter().map(|name| {
                let params = living.iter().flat_map(|l| &l.target.params);
                params.filter(|p| &p.key == name).map(|p| p.value.clone()).next().unwrap_or_default()
            }));
            record.extend([
                item.errcode.map(|c| c.to_string()).unwrap_or_default(),
                item.error_zh.clone().unwrap_or_default(),
            ]);
            csv.write_record(&record).map_err(ArchiveError::from)?;
        }
        Ok(csv.into_inner().map_err(|e| ArchiveError::Io(e.into_error()))?)
    }
}

/// Items were validated when stored; a row that no longer reads still gets reported.
fn item_input(item: &ItemRecord) -> CodeRequestInput {
    stored_input(item).input
}

fn stored_input(item: &ItemRecord) -> StoredInput {
    serde_json::from_str(&item.input).unwrap_or(StoredInput {
        input: CodeRequestInput::default(),
        living: None,
        link: None,
    })
}
