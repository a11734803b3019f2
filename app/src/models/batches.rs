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
    pub name: String,
    pub status: BatchStatus,
    pub total: i64,
    pub done: i64,
    pub failed: i64,
    pub pending: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub finished_at: Option<String>,
    /// Codes per minute since the job started (done and failed rows).
    pub rate_per_minute: f64,
    /// Seconds left at that rate, while running.
    pub eta_seconds: Option<u64>,
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
