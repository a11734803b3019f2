//! Batch jobs and the answers of their REST endpoints, which the batch page reads too.

use serde::{Deserialize, Serialize};
use wxacode::batch::{Column, DuplicateScene, InvalidRow, Preview};
use wxacode::Lang;

use crate::models::errors::{ErrorBody, ProblemView};
use crate::urls;

/// Where a batch job stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum BatchStatus {
    Running,
    Paused,
    Cancelled,
    Finished,
}

impl BatchStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BatchStatus::Running => "running",
            BatchStatus::Paused => "paused",
            BatchStatus::Cancelled => "cancelled",
            BatchStatus::Finished => "finished",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [BatchStatus::Running, BatchStatus::Paused, BatchStatus::Cancelled, BatchStatus::Finished]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }

    /// No more work will happen unless someone resumes it.
    pub fn is_settled(self) -> bool {
        !matches!(self, BatchStatus::Running)
    }
}

/// What a person can do to a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BatchAction {
    Pause,
    Resume,
    Cancel,
}

/// A job and its progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BatchSummary {
    pub id: i64,
    /// The mini program (AppID) every row is generated for.
    #[serde(default, rename = "app")]
    pub appid: String,
    pub name: String,
    pub status: BatchStatus,
    pub total: i64,
    pub done: i64,
    pub failed: i64,
    pub pending: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub finished_at: Option<String>,
    /// Rows finished per minute over the last minute of the current run (0 when not running
    /// or just started).
    pub rate_per_minute: f64,
    /// Seconds left at that rate, while running.
    pub eta_seconds: Option<u64>,
    /// Whether rows are still being worked on: a paused or cancelled job finishes the rows
    /// already asked of WeChat, so its counts settle only once this is false.
    #[serde(default)]
    pub active: bool,
    /// The most common reasons rows failed, most frequent first.
    #[serde(default)]
    pub errors: Vec<BatchErrorGroup>,
}

impl BatchSummary {
    /// Nothing about the job changes any more unless someone resumes it.
    pub fn is_at_rest(&self) -> bool {
        self.status.is_settled() && !self.active
    }

    /// How the job went, for its colour: still going, all done, some or all rows failed.
    pub fn outcome(&self) -> BatchOutcome {
        match (self.done, self.failed) {
            _ if self.status == BatchStatus::Running => BatchOutcome::Working,
            (_, 0) => BatchOutcome::Clean,
            (0, _) => BatchOutcome::AllFailed,
            _ => BatchOutcome::SomeFailed,
        }
    }
}

/// How a job went, as its card colours it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BatchOutcome {
    Working,
    Clean,
    SomeFailed,
    AllFailed,
}

impl BatchOutcome {
    pub fn class(self) -> &'static str {
        match self {
            BatchOutcome::Working => "outcome-working",
            BatchOutcome::Clean => "outcome-clean",
            BatchOutcome::SomeFailed => "outcome-some-failed",
            BatchOutcome::AllFailed => "outcome-all-failed",
        }
    }
}

/// One reason rows of a job failed, how often, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BatchErrorGroup {
    /// WeChat's errcode, when WeChat refused the row.
    pub errcode: Option<i64>,
    pub message_zh: String,
    pub message_en: String,
    /// How many rows failed this way.
    pub count: i64,
    /// The first of those rows, by their number in the sheet.
    pub rows: Vec<i64>,
}

impl BatchErrorGroup {
    /// Reasons listed per job.
    pub const MOST: usize = 3;
    /// Rows listed per reason.
    pub const ROWS_SHOWN: usize = 10;

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.message_zh,
            Lang::En => &self.message_en,
        }
    }

    /// 41030: the page is not in the published version (or does not exist).
    pub fn is_unpublished_page(&self) -> bool {
        self.errcode == Some(wxacode::KnownErrcode::InvalidPage.code())
    }
}

/// A job as the REST API and its progress events show it: the summary and where its results are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BatchView {
    #[serde(flatten)]
    pub summary: BatchSummary,
    /// Every generated image and a manifest, as one ZIP.
    pub zip_url: String,
    /// The failed rows with their errors, as a CSV to fix and upload again.
    pub failed_csv_url: String,
}

impl From<BatchSummary> for BatchView {
    fn from(summary: BatchSummary) -> Self {
        Self {
            zip_url: urls::batch_zip(summary.id),
            failed_csv_url: urls::batch_failed_csv(summary.id),
            summary,
        }
    }
}

/// A row that breaks the rules, with every problem in the asked language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InvalidRowView {
    /// The row as the spreadsheet numbers it.
    pub row: usize,
    pub scene: String,
    pub problems: Vec<ProblemView>,
}

impl InvalidRowView {
    pub fn list(rows: &[InvalidRow], lang: Lang) -> Vec<Self> {
        rows.iter()
            .map(|row| Self {
                row: row.row,
                scene: row.scene.clone(),
                problems: ProblemView::list(&row.problems, lang),
            })
            .collect()
    }
}

/// `POST /api/batches/preview`: what a job from this upload would be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BatchPreview {
    pub success: bool,
    /// The sheet's header row.
    pub headers: Vec<String>,
    /// For each column of the sheet, what it holds (`null`: not used).
    pub columns: Vec<Option<Column>>,
    pub valid_rows: usize,
    pub invalid: Vec<InvalidRowView>,
    pub duplicates: Vec<DuplicateScene>,
}

impl BatchPreview {
    pub fn new(headers: Vec<String>, columns: Vec<Option<Column>>, preview: &Preview, lang: Lang) -> Self {
        Self {
            success: true,
            headers,
            columns,
            valid_rows: preview.valid.len(),
            invalid: InvalidRowView::list(&preview.invalid, lang),
            duplicates: preview.duplicates.clone(),
        }
    }
}

/// `201` of `POST /api/batches`: the job, started, and the rows it left out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BatchCreated {
    pub success: bool,
    pub batch: BatchView,
    /// Invalid rows left out (only with `allow_invalid=true`).
    pub skipped_invalid: Vec<InvalidRowView>,
    pub duplicates: Vec<DuplicateScene>,
}

/// A refused batch upload: the error, and what the upload held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BatchRejection {
    #[serde(flatten)]
    pub body: ErrorBody,
    /// The sheet's header row, when no scene column was found (to map the columns by hand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<String>>,
    /// Every invalid row, when invalid rows refused the upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid: Option<Vec<InvalidRowView>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<Vec<DuplicateScene>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_rows: Option<usize>,
}
