//! A poster: the code with one or two lines of text under it on a white card, as a PNG to drop
//! into a slide or a print file. The rules and the layout (in pixels) live here; the server draws.

use serde::{Deserialize, Serialize};

use crate::label_sheet::{fit_text, FittedText, PT_PER_MM};
use crate::message::Message;
use crate::request::{Field, Problem, ProblemCode};
use crate::sheet_request::{check_free_text, parse_lines, LineField};

/// The code's side on the poster, in pixels (WeChat's own widths run 280–1280).
pub const MIN_POSTER_SIZE: u32 = 200;
pub const MAX_POSTER_SIZE: u32 = 1280;
/// The white border all round, in pixels.
pub const MAX_POSTER_PADDING: u32 = 200;
pub const DEFAULT_POSTER_PADDING: u32 = 40;
/// A poster's caption is short: one or two lines.
pub const MAX_POSTER_LINES: usize = 2;

/// A poster as asked (query parameters, or the code page's form).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PosterInput {
    /// The code's side in pixels, 200–1280 (default: the stored image's own width).
    #[serde(default)]
    pub size: Option<u32>,
    /// The white border in pixels, 0–200 (default 40).
    #[serde(default)]
    pub padding: Option<u32>,
    /// Up to two of `label`, `scene`, `page`, `text`, separated by commas (default `label,scene`;
    /// `none` for a bare code on its card).
    #[serde(default)]
    pub lines: Option<String>,
    /// The free text for a `text` line.
    #[serde(default)]
    pub text: Option<String>,
}

/// A checked poster request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PosterChoice {
    /// `None`: the stored image's width.
    pub size: Option<u32>,
    pub padding: u32,
    pub lines: Vec<LineField>,
    pub text: String,
}

impl PosterInput {
    /// Every problem at once.
    pub fn check(&self) -> Result<PosterChoice, Vec<Problem>> {
        let mut problems = Vec::new();
        if let Some(size) = self.size.filter(|s| !(MIN_POSTER_SIZE..=MAX_POSTER_SIZE).contains(s)) {
            problems.push(Problem::new(
                Field::Width,
                ProblemCode::PosterSizeOutOfRange,
                Message::new(
                    format!("海报上码的边长须在 {MIN_POSTER_SIZE} 至 {MAX_POSTER_SIZE} 像素之间，收到 {size}"),
                    format!("The code on a poster is {MIN_POSTER_SIZE} to {MAX_POSTER_SIZE} pixels wide; got {size}"),
                ),
            ));
        }
        let padding = self.padding.unwrap_or(DEFAULT_POSTER_PADDING);
        if padding > MAX_POSTER_PADDING {
            problems.push(Problem::new(
                Field::Padding,
                ProblemCode::PaddingOutOfRange,
                Message::new(
                    format!("留白须在 0 至 {MAX_POSTER_PADDING} 像素之间，收到 {padding}"),
                    format!("The padding is 0 to {MAX_POSTER_PADDING} pixels; got {padding}"),
                ),
            ));
        }
        let lines = parse_lines(self.lines.as_deref(), MAX_POSTER_LINES)
            .map_err(|p| problems.push(p))
            .unwrap_or_default();
        let text = self.text.as_deref().unwrap_or_default().trim().to_owned();
        if let Err(p) = check_free_text(&text, lines.contains(&LineField::Text)) {
            problems.push(p);
        }
        if problems.is_empty() {
            Ok(PosterChoice { size: self.size, padding, lines, text })
        } else {
            Err(problems)
        }
    }
}

/// Where a poster's parts go, in pixels from its top-left corner.
#[derive(Clone, Debug, PartialEq)]
pub struct PosterLayout {
    pub width: u32,
    pub height: u32,
    pub code_x: u32,
    pub code_y: u32,
    pub code_side: u32,
    /// The top of the first line.
    pub text_top: u32,
    /// Sizes in pixels (`size_pt` is a pixel size here).
    pub text: FittedText,
}

/// Lays out a poster of a `code_side` code with `lines` under it; `em_width` measures in the
/// font the text is drawn in. Text starts at 7.5 % of the code's side and shrinks to fit its
/// width (never below 12 px; below that, lines are cut with "…").
pub fn poster_layout(
    code_side: u32,
    padding: u32,
    lines: &[String],
    em_width: impl Fn(&str) -> f64,
) -> PosterLayout {
    let side = f64::from(code_side);
    let max_px = (side * 0.075).max(12.0);
    // `fit_text` works in mm and points; the same maths in pixels with the units scaled alike.
    let to_mm = |px: f64| px / PT_PER_MM;
    let text =
        fit_text(lines, to_mm(side), to_mm(max_px * 1.25 * MAX_POSTER_LINES as f64), max_px, 12.0, em_width);
    let text_height = (text.height_mm() * PT_PER_MM).ceil() as u32;
    let gap = if text.lines.is_empty() { 0 } else { (side * 0.03).round() as u32 };
    PosterLayout {
        width: code_side + 2 * padding,
        height: padding + code_side + gap + text_height + padding,
        code_x: padding,
        code_y: padding,
        code_side,
        text_top: padding + code_side + gap,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ems(text: &str) -> f64 {
        text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
    }

    #[test]
    fn a_poster_is_checked_field_by_field() {
        let choice = PosterInput::default().check().unwrap();
        assert_eq!(
            choice,
            PosterChoice {
                size: None,
                padding: 40,
                lines: vec![LineField::Label, LineField::Scene],
                text: String::new()
            }
        );
        let bad = PosterInput {
            size: Some(100),
            padding: Some(500),
            lines: Some("label,scene,page".into()),
            text: None,
        };
        let codes: Vec<ProblemCode> = bad.check().unwrap_err().into_iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            [ProblemCode::PosterSizeOutOfRange, ProblemCode::PaddingOutOfRange, ProblemCode::TooManyLines]
        );
    }

    #[test]
    fn the_card_holds_the_code_and_its_lines_under_it() {
        let layout = poster_layout(430, 40, &["双十一 · 上海".into(), "id=1".into()], ems);
        assert_eq!((layout.width, layout.code_x, layout.code_y), (510, 40, 40));
        assert_eq!(layout.text.lines.len(), 2);
        assert!(layout.text_top >= 40 + 430);
        let text_px = layout.text.height_mm() * PT_PER_MM;
        assert!(f64::from(layout.text_top) + text_px <= f64::from(layout.height - 40) + 1.0);
        let bare = poster_layout(430, 0, &[], ems);
        assert_eq!((bare.width, bare.height), (430, 430));
        // A long line shrinks but stays inside the code's width.
        let long = poster_layout(280, 20, &["很长的活动名称".repeat(6)], ems);
        assert!(ems(&long.text.lines[0]) * long.text.size_pt <= 280.0 + 1e-6, "{long:?}");
    }
}
