//! Label sheets: which codes go on them (a selection, a batch job, or every code with a label),
//! spelled the same in the print page's address and the REST query.

use serde::{Deserialize, Serialize};
use wxacode::poster::PosterChoice;
use wxacode::sheet_request::{LineField, SheetChoice, SheetInput, NO_LINES};

use crate::error::AppError;
use crate::models::codes::CodeSummary;

/// The most codes on one sheet request, and the most labels (codes × copies).
pub const MAX_PRINT_CODES: usize = 500;
pub const MAX_PRINT_LABELS: usize = 2000;

/// Where the codes come from: exactly one of `ids`, `batch` or `label`.
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintSourceInput {
    /// Code ids separated by commas, in the order they should be printed.
    #[serde(default)]
    pub ids: Option<String>,
    /// Every code a batch job made, in its rows' order.
    #[serde(default)]
    pub batch: Option<i64>,
    /// Every live code with exactly this label (a campaign), oldest first.
    #[serde(default)]
    pub label: Option<String>,
    /// Which 500 of the codes, from 1: a source of more prints in parts. Deleted codes are left
    /// out before counting.
    #[serde(default)]
    pub part: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrintSource {
    Codes(Vec<i64>),
    Batch(i64),
    Label(String),
}

impl PrintSourceInput {
    /// The part asked for (the first when none is).
    pub fn part(&self) -> usize {
        self.part.unwrap_or(1)
    }

    pub fn source(&self) -> Result<PrintSource, AppError> {
        let ids = self.ids.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let label = self.label.as_deref().map(str::trim).filter(|s| !s.is_empty());
        match (ids, self.batch, label) {
            (Some(ids), None, None) => parse_ids(ids).map(PrintSource::Codes),
            (None, Some(batch), None) => Ok(PrintSource::Batch(batch)),
            (None, None, Some(label)) => Ok(PrintSource::Label(label.to_owned())),
            (None, None, None) => Err(AppError::rejected(
                "请选择要打印的小程序码（ids、batch 或 label）",
                "Choose the codes to print (ids, batch or label)",
            )),
            _ => Err(AppError::rejected(
                "ids、batch 和 label 只能选一个",
                "Give only one of ids, batch and label",
            )),
        }
    }

    /// The address query naming this source.
    pub fn query(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(ids) = &self.ids {
            query.append_pair("ids", ids);
        }
        if let Some(batch) = self.batch {
            query.append_pair("batch", &batch.to_string());
        }
        if let Some(label) = &self.label {
            query.append_pair("label", label);
        }
        if let Some(part) = self.part.filter(|p| *p > 1) {
            query.append_pair("part", &part.to_string());
        }
        query.finish()
    }
}

/// Comma-separated code ids; blanks are skipped.
pub fn parse_ids(raw: &str) -> Result<Vec<i64>, AppError> {
    raw.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<i64>().map_err(|_| {
                AppError::rejected(
                    format!("请求格式错误：ids 须为用逗号分隔的码编号，收到 {part:?}"),
                    format!(
                        "The request could not be read: ids are code ids separated by commas, not {part:?}"
                    ),
                )
            })
        })
        .collect()
}

/// The codes a sheet would print, for the preview, and the batch job's name when they are a job's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintPreview {
    pub codes: Vec<CodeSummary>,
    pub batch_name: Option<String>,
    /// Deleted codes of the source, left out ("label (#id)").
    pub skipped: Vec<String>,
    /// This part (from 1) of how many; `first` is its first code's place in the whole source.
    pub part: usize,
    pub parts: usize,
    pub first: usize,
    /// The source's codes to print in all its parts.
    pub total: usize,
}

/// The lines under one code on a sheet; an empty field leaves no blank line.
pub fn lines_of(code: &CodeSummary, choice: &SheetChoice) -> Vec<String> {
    lines_for(code, &choice.lines, &choice.text)
}

/// The caption of a poster.
pub fn lines_of_poster(code: &CodeSummary, choice: &PosterChoice) -> Vec<String> {
    lines_for(code, &choice.lines, &choice.text)
}

fn lines_for(code: &CodeSummary, fields: &[LineField], text: &str) -> Vec<String> {
    fields
        .iter()
        .map(|field| match field {
            LineField::Label => code.label.as_str().to_owned(),
            LineField::Scene => code.request.scene.as_str().to_owned(),
            LineField::Page => match &code.living {
                Some(living) => living.target_page.clone(),
                None => code.request.page.as_str().to_owned(),
            },
            LineField::Text => text.to_owned(),
        })
        .filter(|line| !line.trim().is_empty())
        .collect()
}

/// The address query of a sheet request, in the REST API's names (defaults left out).
pub fn sheet_query(input: &SheetInput) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    let mut pair = |name: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            query.append_pair(name, &value);
        }
    };
    pair("sheet", input.sheet.clone());
    pair("columns", input.columns.map(|n| n.to_string()));
    pair("rows", input.rows.map(|n| n.to_string()));
    pair("margin_mm", input.margin_mm.map(|n| n.to_string()));
    pair("gap_mm", input.gap_mm.map(|n| n.to_string()));
    pair("start", input.start.map(|n| n.to_string()));
    pair("copies", input.copies.map(|n| n.to_string()));
    pair("cut_marks", input.cut_marks.then(|| "true".to_owned()));
    pair("lines", input.lines.clone().map(|l| if l.is_empty() { NO_LINES.to_owned() } else { l }));
    pair("text", input.text.clone());
    query.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_source_is_named() {
        let ids = PrintSourceInput { ids: Some("3, 2,,1,".into()), ..Default::default() };
        assert_eq!(ids.source().unwrap(), PrintSource::Codes(vec![3, 2, 1]));
        assert!(matches!(
            PrintSourceInput { ids: Some("1,x".into()), ..Default::default() }.source(),
            Err(AppError::Rejected { .. })
        ));
        let both = PrintSourceInput { batch: Some(4), label: Some("双十一".into()), ..Default::default() };
        assert!(matches!(both.source(), Err(AppError::Rejected { .. })));
        assert!(matches!(PrintSourceInput::default().source(), Err(AppError::Rejected { .. })));
        let label = PrintSourceInput { label: Some(" 双十一 ".into()), ..Default::default() };
        assert_eq!(label.source().unwrap(), PrintSource::Label("双十一".into()));
        assert_eq!(label.query(), "label=+%E5%8F%8C%E5%8D%81%E4%B8%80+");
    }
}
