//! Printing's one public face: which codes a sheet holds (with the reader's access checked),
//! and the sheet itself as a PDF.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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
    /// The font file; read at the first sheet or poster (it is ~20 MB, and most servers print
    /// rarely), then kept.
    font_path: PathBuf,
    font: OnceLock<Arc<PrintFont>>,
}

impl PrintService {
    pub fn new(
        codes: Arc<CodeService>,
        batches: Arc<BatchService>,
        audit: Arc<AuditService>,
        font_path: &Path,
    ) -> Self {
        // A missing font is in the log from the start; reading it waits for its first use.
        if let Err(error) = std::fs::File::open(font_path) {
            tracing::warn!(%error, path = %font_path.display(), "label sheets and posters cannot be made until the print font is there");
        }
        Self { codes, batches, audit, font_path: font_path.to_owned(), font: OnceLock::new() }
    }

    /// What the print page shows: the part's codes, the deleted ones left out, how many parts
    /// the source makes, and the job's name for a batch job's.
    pub async fn preview(
        &self,
        source: &PrintSource,
        part: usize,
        actor: &Actor,
    ) -> Result<PrintPreview, AppError> {
        let gathered = self.gather(source, actor).await?;
        let total = gathered.live.len();
        let parts = parts(total);
        let codes = part_of(gathered.live, part)?;
        let batch_name = match source {
            PrintSource::Batch(id) => Some(self.batches.get(*id, actor).await?.name),
            _ => None,
        };
        let skipped = gathered.deleted.iter().map(code_name).collect();
        let first = (part - 1) * MAX_PRINT_CODES + 1;
        Ok(PrintPreview { codes, batch_name, skipped, part, parts, first, total })
    }

    /// The codes part `part` (from 1) of `source` prints, in order, each once: a selection's,
    /// a batch job's rows' or a label's (oldest first), deleted ones left out, 500 a part.
    pub async fn codes(
        &self,
        source: &PrintSource,
        part: usize,
        actor: &Actor,
    ) -> Result<Vec<CodeSummary>, AppError> {
        part_of(self.gather(source, actor).await?.live, part)
    }

    async fn gather(&self, source: &PrintSource, actor: &Actor) -> Result<Gathered, AppError> {
        let codes = match source {
            PrintSource::Codes(ids) => self.each(ids, actor).await?,
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
                self.each(&ids, actor).await?
            }
            PrintSource::Label(label) => self.with_label(label, actor).await?,
        };
        let (deleted, live): (Vec<_>, Vec<_>) = codes.into_iter().partition(CodeSummary::is_deleted);
        if live.is_empty() {
            let message = match deleted.is_empty() {
                true => Message::new("没有可打印的小程序码", "There are no codes to print"),
                false => Message::new(
                    "这些小程序码都已删除，没有可打印的",
                    "These codes are all deleted: nothing to print",
                ),
            };
            return Err(AppError::Missing { message });
        }
        Ok(Gathered { live, deleted })
    }

    /// The codes of `ids`, in order, each once.
    async fn each(&self, ids: &[i64], actor: &Actor) -> Result<Vec<CodeSummary>, AppError> {
        let mut seen = HashSet::new();
        let unique: Vec<i64> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
        check_source_size(unique.len())?;
        let mut codes = Vec::with_capacity(unique.len());
        for id in unique {
            codes.push(self.codes.get(id, actor).await?);
        }
        Ok(codes)
    }

    /// Every live code with exactly this label, oldest first.
    async fn with_label(&self, label: &str, actor: &Actor) -> Result<Vec<CodeSummary>, AppError> {
        let filter = HistoryFilter { search: Some(label.to_owned()), ..HistoryFilter::default() };
        let mut codes = Vec::new();
        let mut before = None;
        loop {
            let page = self.codes.list(&filter, PAGE, before, actor).await?;
            codes.extend(page.codes.into_iter().filter(|code| code.label.as_str() == label));
            check_source_size(codes.len())?;
            match page.next_before {
                Some(next) => before = Some(next),
                None => break,
            }
        }
        codes.reverse();
        Ok(codes)
    }

    /// The print font, or a 503 that says what to install. A font installed while the server
    /// runs is found at the next try.
    pub fn font(&self) -> Result<Arc<PrintFont>, AppError> {
        if let Some(font) = self.font.get() {
            return Ok(Arc::clone(font));
        }
        let font = PrintFont::load(&self.font_path).map_err(|reason| AppError::Unavailable {
            message: Message::new(
                format!("打印字体不可用，请管理员安装 fonts-noto-cjk 或设置 WXACODE_PRINT_FONT（{reason}）"),
                format!("The print font is missing: an administrator installs fonts-noto-cjk or sets WXACODE_PRINT_FONT ({reason})"),
            ),
        })?;
        Ok(Arc::clone(self.font.get_or_init(|| Arc::new(font))))
    }

    /// The sheet as a PDF, and the file name to save it under.
    pub async fn sheet(
        &self,
        source: &PrintSource,
        part: usize,
        input: &SheetInput,
        actor: &Actor,
    ) -> Result<(Vec<u8>, String), AppError> {
        let choice = input.check().map_err(|problems| AppError::Invalid { problems })?;
        let font = self.font()?;
        let codes = self.codes(source, part, actor).await?;
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
        let ids: Vec<i64> = codes.iter().map(|c| c.id).collect();
        // A job's sheet names the job, so the trail links to it; a campaign's names its label.
        let mut subject = Subject::codes(&ids);
        match source {
            PrintSource::Batch(id) => subject.batch_id = Some(*id),
            PrintSource::Label(label) => subject.detail = format!("label “{label}”, {}", subject.detail),
            PrintSource::Codes(_) => {}
        }
        self.audit.record(actor, Action::PrintSheet, subject).await;
        let part = if part > 1 { format!("-part{part}") } else { String::new() };
        let name = format!("wxacode-labels-{}-{count}{part}.pdf", Utc::now().format("%Y%m%d-%H%M%S"));
        Ok((pdf, name))
    }
}

/// A source's codes: the ones to print and the deleted ones left out.
struct Gathered {
    live: Vec<CodeSummary>,
    deleted: Vec<CodeSummary>,
}

/// The most codes a source may hold (in parts of 500): beyond it, reading them all would be slow.
const MAX_SOURCE_CODES: usize = 10_000;

fn check_source_size(count: usize) -> Result<(), AppError> {
    if count <= MAX_SOURCE_CODES {
        return Ok(());
    }
    Err(AppError::rejected(
        format!("一次最多从 {MAX_SOURCE_CODES} 个小程序码里分批打印，这里至少有 {count} 个；请缩小范围"),
        format!("At most {MAX_SOURCE_CODES} codes can be printed in parts; there are at least {count}: choose fewer"),
    ))
}

/// How many parts of 500 `count` codes print in.
fn parts(count: usize) -> usize {
    count.div_ceil(MAX_PRINT_CODES).max(1)
}

/// Part `part` (from 1) of the codes, 500 a part.
fn part_of(codes: Vec<CodeSummary>, part: usize) -> Result<Vec<CodeSummary>, AppError> {
    let parts = parts(codes.len());
    if part == 0 || part > parts {
        return Err(AppError::rejected(
            format!("没有第 {part} 部分：这些码分 {parts} 部分打印，每部分最多 {MAX_PRINT_CODES} 个"),
            format!("There is no part {part}: these codes print in {parts} parts of up to {MAX_PRINT_CODES}"),
        ));
    }
    Ok(codes.into_iter().skip((part - 1) * MAX_PRINT_CODES).take(MAX_PRINT_CODES).collect())
}

/// How the print page names a code it left out: label (or scene) and number.
fn code_name(code: &CodeSummary) -> String {
    let name = if code.label.as_str().is_empty() { code.request.scene.as_str() } else { code.label.as_str() };
    format!("{name} (#{})", code.id)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::codes::tests::code;

    fn numbered(count: usize) -> Vec<CodeSummary> {
        (1..=count)
            .map(|n| CodeSummary { id: i64::try_from(n).unwrap(), ..code(false, false, false, true) })
            .collect()
    }

    #[test]
    fn a_big_source_prints_in_parts_of_five_hundred() {
        let ids = |codes: Vec<CodeSummary>| codes.iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(ids(part_of(numbered(3), 1).unwrap()), [1, 2, 3]);
        let second = ids(part_of(numbered(1201), 2).unwrap());
        assert_eq!((second.len(), second[0], second[499]), (500, 501, 1000));
        assert_eq!(
            ids(part_of(numbered(1201), 3).unwrap()),
            [1001..=1201].into_iter().flatten().collect::<Vec<_>>()[..201]
        );
        assert!(part_of(numbered(1201), 4).is_err());
        assert!(part_of(numbered(3), 0).is_err());
    }
}
