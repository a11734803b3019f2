//! Printing's one public face: which codes a sheet holds (with the reader's access checked),
//! and the sheet itself as a PDF.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use chrono::Utc;
use wxacode::sheet_request::SheetInput;
use wxacode::Message;

use super::font::PrintFont;
use super::sheet::{label_sheet, Label, SheetError};
use crate::backend::actor::Actor;
use crate::backend::audit::{Action, AuditService, Subject};
use crate::backend::batches::BatchService;
use crate::backend::codes::CodeService;
use crate::error::AppError;
use crate::models::codes::{CodeSummary, HistoryFilter};
use crate::models::print::{lines_of, PrintPreview, PrintSource, MAX_PRINT_CODES, MAX_PRINT_LABELS};

/// Codes read per history page while collecting a batch's or a label's codes.
const PAGE: u32 = 200;

pub struct PrintService {
    codes: Arc<CodeService>,
    batches: Arc<BatchService>,
    audit: Arc<AuditService>,
    /// The font, or why it could not be loaded (said to whoever prints; the server still runs).
    font: Result<Arc<PrintFont>, String>,
}

impl PrintService {
    pub fn new(
        codes: Arc<CodeService>,
        batches: Arc<BatchService>,
        audit: Arc<AuditService>,
        font_path: &Path,
    ) -> Self {
        let font = PrintFont::load(font_path).map(Arc::new).map_err(|error| {
            tracing::warn!(%error, "label sheets cannot be printed until the font is there");
            error.to_string()
        });
        Self { codes, batches, audit, font }
    }

    /// The codes a sheet from `source` prints, in order, each once.
    /// What the print page shows: the codes, and the job's name for a batch job's.
    pub async fn preview(&self, source: &PrintSource, actor: &Actor) -> Result<PrintPreview, AppError> {
        let codes = self.codes(source, actor).await?;
        let batch_name = match source {
            PrintSource::Batch(id) => Some(self.batches.get(*id, actor).await?.name),
            _ => None,
        };
        Ok(PrintPreview { codes, batch_name })
    }

    /// The codes of a selection (deleted ones refused by number), a batch job (deleted ones left
    /// out) or a label (live ones), in the order they print.
    pub async fn codes(&self, source: &PrintSource, actor: &Actor) -> Result<Vec<CodeSummary>, AppError> {
        let codes = match source {
            PrintSource::Codes(ids) => {
                let codes = self.each(ids, actor).await?;
                let deleted: Vec<String> =
                    codes.iter().filter(|c| c.is_deleted()).map(|c| format!("#{}", c.id)).collect();
                if !deleted.is_empty() {
                    return Err(AppError::rejected(
                        format!("{} 已删除：恢复后才能打印", deleted.join("、")),
                        format!("{} deleted: restore before printing", deleted.join(", ")),
                    ));
                }
                codes
            }
            PrintSource::Batch(id) => {
                let ids = self.batches.code_ids(*id, actor).await.map_err(|error| match error {
                    AppError::NotFound => AppError::Missing {
                        message: Message::new(
                            format!("没有批量任务 #{id}"),
                            format!("There is no batch job #{id}"),
                        ),
                    },
                    other => other,
                })?;
                if ids.len() > MAX_PRINT_CODES {
                    return Err(AppError::rejected(
                        format!("批量任务 #{id} 有 {} 个码，一份 PDF 最多 {MAX_PRINT_CODES} 个：请在历史记录里按这个任务筛选，分几次勾选打印", ids.len()),
                        format!("Batch job #{id} made {} codes and one PDF holds at most {MAX_PRINT_CODES}: filter the history by this job and print them in parts", ids.len()),
                    ));
                }
                let mut codes = self.each(&ids, actor).await?;
                codes.retain(|code| !code.is_deleted());
                codes
            }
            PrintSource::Label(label) => self.with_label(label, actor).await?,
        };
        if codes.is_empty() {
            return Err(AppError::Missing {
                message: Message::new("没有可打印的小程序码", "There are no codes to print"),
            });
        }
        Ok(codes)
    }

    /// The codes of `ids`, in order, each once.
    async fn each(&self, ids: &[i64], actor: &Actor) -> Result<Vec<CodeSummary>, AppError> {
        let mut seen = HashSet::new();
        let unique: Vec<i64> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
        check_count(unique.len())?;
        let mut codes = Vec::with_capacity(unique.len());
        for id in unique {
            codes.push(self.codes.get(id, actor).await?);
        }
        Ok(codes)
    }

    /// Every live code with exactly this label, oldest first; refused past the limit.
    async fn with_label(&self, label: &str, actor: &Actor) -> Result<Vec<CodeSummary>, AppError> {
        let filter = HistoryFilter { search: Some(label.to_owned()), ..HistoryFilter::default() };
        let mut codes = Vec::new();
        let mut before = None;
        loop {
            let page = self.codes.list(&filter, PAGE, before, actor).await?;
            codes.extend(page.codes.into_iter().filter(|code| code.label.as_str() == label));
            check_count(codes.len())?;
            match page.next_before {
                Some(next) => before = Some(next),
                None => break,
            }
        }
        codes.reverse();
        Ok(codes)
    }

    /// The print font, or a 503 that says what to install.
    pub fn font(&self) -> Result<Arc<PrintFont>, AppError> {
        self.font.clone().map_err(|reason| AppError::Unavailable {
            message: Message::new(
                format!("打印字体不可用，请管理员安装 fonts-noto-cjk 或设置 WXACODE_PRINT_FONT（{reason}）"),
                format!("The print font is missing: an administrator installs fonts-noto-cjk or sets WXACODE_PRINT_FONT ({reason})"),
            ),
        })
    }

    /// The sheet as a PDF, and the file name to save it under.
    pub async fn sheet(
        &self,
        source: &PrintSource,
        input: &SheetInput,
        actor: &Actor,
    ) -> Result<(Vec<u8>, String), AppError> {
        let choice = input.check().map_err(|problems| AppError::Invalid { problems })?;
        let font = self.font()?;
        let codes = self.codes(source, actor).await?;
        let labels_count = codes.len() * usize::from(choice.copies);
        if labels_count > MAX_PRINT_LABELS {
            return Err(AppError::rejected(
                format!(
                    "一次最多打印 {MAX_PRINT_LABELS} 个标签，{} 个码 × {} 份 = {labels_count}",
                    codes.len(),
                    choice.copies
                ),
                format!(
                    "At most {MAX_PRINT_LABELS} labels per sheet file; {} codes × {} copies = {labels_count}",
                    codes.len(),
                    choice.copies
                ),
            ));
        }
        let mut labels = Vec::with_capacity(codes.len());
        for code in &codes {
            // Access was checked when the codes were gathered.
            let image = self.codes.image_bytes(code.id).await?;
            labels.push(Label { image, image_type: code.image_type, lines: lines_of(code, &choice) });
        }
        let count = codes.len();
        let pdf = tokio::task::spawn_blocking(move || label_sheet(&labels, &choice, &font))
            .await
            .map_err(|error| {
                tracing::error!(%error, "the label sheet task failed");
                AppError::Internal
            })?
            .map_err(sheet_error)?;
        let listed: Vec<String> = codes.iter().map(|c| c.id.to_string()).collect();
        let detail = format!("{count} codes: {}", listed.join(","));
        self.audit.record(actor, Action::PrintSheet, Subject::default().detail(detail)).await;
        let name = format!("wxacode-labels-{}-{count}.pdf", Utc::now().format("%Y%m%d-%H%M%S"));
        Ok((pdf, name))
    }
}

fn check_count(count: usize) -> Result<(), AppError> {
    if count <= MAX_PRINT_CODES {
        return Ok(());
    }
    Err(AppError::rejected(
        format!("一次最多打印 {MAX_PRINT_CODES} 个小程序码，这里至少有 {count} 个；请分几次打印"),
        format!("At most {MAX_PRINT_CODES} codes fit in one print; there are at least {count}: print them in parts"),
    ))
}

/// Problems with the request are the caller's; a stored image that cannot be read is ours.
fn sheet_error(error: SheetError) -> AppError {
    match error {
        SheetError::Invalid(problem) => AppError::Invalid { problems: vec![problem] },
        other => {
            tracing::error!(error = %other, "cannot write a label sheet");
            AppError::Internal
        }
    }
}
