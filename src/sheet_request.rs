//! What a person (print page) or a client (REST) asks of a label sheet, as sent, and its check:
//! the paper, where to start, copies, cut marks and the lines under each code. One set of rules
//! for the dashboard's preview and the server's PDF.

use serde::{Deserialize, Serialize};

use crate::label_sheet::{
    check_copies, Preset, SheetLayout, SheetSpec, A4_MM, MAX_LINES, MIN_CUT_MARK_MARGIN_MM,
};
use crate::message::Message;
use crate::request::{Field, Problem, ProblemCode};

/// The preset chosen when none is named: 12 labels a page fit most stock.
pub const DEFAULT_PRESET: Preset = Preset::A4x3x4;
/// `sheet=custom`: the grid comes from `columns`, `rows`, `margin_mm` and `gap_mm`.
pub const CUSTOM_SHEET: &str = "custom";
/// `lines=none`: no text under the codes (an empty parameter would mean the default).
pub const NO_LINES: &str = "none";
/// The longest free text under a code, in characters.
pub const MAX_FREE_TEXT: usize = 60;

/// What one line under a code shows.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineField {
    Label,
    Scene,
    /// The page the code opens (a living code: where it leads now).
    Page,
    /// The same free text under every code (`text=`).
    Text,
}

impl LineField {
    pub const ALL: [LineField; 4] = [LineField::Label, LineField::Scene, LineField::Page, LineField::Text];

    pub fn as_str(self) -> &'static str {
        match self {
            LineField::Label => "label",
            LineField::Scene => "scene",
            LineField::Page => "page",
            LineField::Text => "text",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|field| field.as_str() == raw)
    }

    pub fn title(self) -> Message {
        match self {
            LineField::Label => Message::new("标签", "Label"),
            LineField::Scene => Message::new("场景值", "Scene"),
            LineField::Page => Message::new("页面", "Page"),
            LineField::Text => Message::new("自定义文字", "Free text"),
        }
    }
}

/// A label sheet as asked, field by field (query parameters, or the print form).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SheetInput {
    /// A preset (`a4-2x3`, `a4-3x4`, `a4-4x6`, `a4-5x8`, `a4-7x10`) or `custom`; default `a4-3x4`.
    #[serde(default)]
    pub sheet: Option<String>,
    /// `custom` only: cells across (1–20).
    #[serde(default)]
    pub columns: Option<u16>,
    /// `custom` only: cells down (1–20).
    #[serde(default)]
    pub rows: Option<u16>,
    /// `custom` only: the margin on every side of the A4 page, in mm (default 10).
    #[serde(default)]
    pub margin_mm: Option<f64>,
    /// `custom` only: the gap between cells, in mm (default 5).
    #[serde(default)]
    pub gap_mm: Option<f64>,
    /// The first free cell of the first page, 1-based (default 1): to use up a half-used sheet.
    #[serde(default)]
    pub start: Option<usize>,
    /// Labels of each code, side by side (default 1).
    #[serde(default)]
    pub copies: Option<u16>,
    /// Cut marks in the margins along the grid.
    #[serde(default)]
    pub cut_marks: bool,
    /// Up to three of `label`, `scene`, `page`, `text`, separated by commas (default `label,scene`;
    /// `none` or empty for no text).
    #[serde(default)]
    pub lines: Option<String>,
    /// The free text for a `text` line.
    #[serde(default)]
    pub text: Option<String>,
}

/// A checked sheet request.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetChoice {
    pub layout: SheetLayout,
    pub start_cell: usize,
    pub copies: u16,
    pub cut_marks: bool,
    pub lines: Vec<LineField>,
    pub text: String,
}

fn problem(field: Field, code: ProblemCode, zh: String, en: String) -> Problem {
    Problem::new(field, code, Message::new(zh, en))
}

impl SheetInput {
    /// Every problem at once, so a form can mark each field.
    pub fn check(&self) -> Result<SheetChoice, Vec<Problem>> {
        let mut problems = Vec::new();
        let layout = self.layout().map_err(|p| problems.push(p)).ok();
        let start_cell = self.start.unwrap_or(1);
        if let Some(layout) = &layout {
            if let Err(p) = layout.check_start(start_cell) {
                problems.push(p);
            }
            if self.cut_marks && !layout.cut_marks_fit() {
                problems.push(problem(
                    Field::Sheet,
                    ProblemCode::CutMarksNoRoom,
                    format!("剪裁线画在页边距里：边距至少 {MIN_CUT_MARK_MARGIN_MM} 毫米，或不要剪裁线"),
                    format!("Cut marks go in the margins: give them at least {MIN_CUT_MARK_MARGIN_MM} mm, or print without"),
                ));
            }
        }
        let copies = self.copies.unwrap_or(1);
        if let Err(p) = check_copies(copies) {
            problems.push(p);
        }
        let lines = self.line_fields().map_err(|p| problems.push(p)).unwrap_or_default();
        let text = self.text.as_deref().unwrap_or_default().trim().to_owned();
        if let Err(p) = check_free_text(&text, lines.contains(&LineField::Text)) {
            problems.push(p);
        }
        match layout {
            Some(layout) if problems.is_empty() => {
                Ok(SheetChoice { layout, start_cell, copies, cut_marks: self.cut_marks, lines, text })
            }
            _ => Err(problems),
        }
    }

    /// The chosen preset; `None` for a custom grid.
    pub fn preset(&self) -> Result<Option<Preset>, Problem> {
        match self.sheet.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(Some(DEFAULT_PRESET)),
            Some(raw) if raw.eq_ignore_ascii_case(CUSTOM_SHEET) => Ok(None),
            Some(raw) => Preset::parse(raw).map(Some).ok_or_else(|| {
                let known: Vec<&str> = Preset::ALL.iter().map(|p| p.as_str()).collect();
                problem(
                    Field::Sheet,
                    ProblemCode::SheetUnknown,
                    format!("没有名为 {raw:?} 的纸张；可选 {} 或 custom", known.join("、")),
                    format!("There is no sheet named {raw:?}; use one of {} or custom", known.join(", ")),
                )
            }),
        }
    }

    fn layout(&self) -> Result<SheetLayout, Problem> {
        let spec = match self.preset()? {
            Some(preset) => preset.spec(),
            None => {
                let margin = self.margin_mm.unwrap_or(10.0);
                let gap = self.gap_mm.unwrap_or(5.0);
                SheetSpec {
                    paper_width_mm: A4_MM.0,
                    paper_height_mm: A4_MM.1,
                    columns: self.columns.unwrap_or(3),
                    rows: self.rows.unwrap_or(4),
                    margin_top_mm: margin,
                    margin_right_mm: margin,
                    margin_bottom_mm: margin,
                    margin_left_mm: margin,
                    gap_x_mm: gap,
                    gap_y_mm: gap,
                }
            }
        };
        SheetLayout::new(spec)
    }

    /// The lines asked for, in order, each once.
    pub fn line_fields(&self) -> Result<Vec<LineField>, Problem> {
        parse_lines(self.lines.as_deref(), MAX_LINES)
    }
}

/// `label,scene,…` (absent: label and scene), each field once, at most `max`.
pub fn parse_lines(raw: Option<&str>, max: usize) -> Result<Vec<LineField>, Problem> {
    let raw = raw.unwrap_or("label,scene");
    let mut fields = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty() && !p.eq_ignore_ascii_case(NO_LINES)) {
        let field = LineField::parse(part).ok_or_else(|| {
            problem(
                Field::Lines,
                ProblemCode::LineFieldUnknown,
                format!("文字行只能是 label、scene、page 或 text，收到 {part:?}"),
                format!("A text line is one of label, scene, page or text; got {part:?}"),
            )
        })?;
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
    if fields.len() > max {
        return Err(problem(
            Field::Lines,
            ProblemCode::TooManyLines,
            format!("最多 {max} 行文字，收到 {} 行", fields.len()),
            format!("At most {max} lines of text fit; got {}", fields.len()),
        ));
    }
    Ok(fields)
}

pub(crate) fn check_free_text(text: &str, shown: bool) -> Result<(), Problem> {
    // Text no line shows is never printed: it cannot be wrong.
    if !shown {
        return Ok(());
    }
    let chars = text.chars().count();
    if chars > MAX_FREE_TEXT {
        return Err(problem(
            Field::Text,
            ProblemCode::TextTooLong,
            format!("自定义文字最多 {MAX_FREE_TEXT} 个字符，现有 {chars} 个"),
            format!("The free text is at most {MAX_FREE_TEXT} characters; it has {chars}"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(problem(
            Field::Text,
            ProblemCode::TextControlChars,
            "自定义文字不能含换行或控制字符".into(),
            "The free text cannot contain line breaks or control characters".into(),
        ));
    }
    if text.is_empty() {
        return Err(problem(
            Field::Text,
            ProblemCode::TextEmpty,
            "选了“自定义文字”行，请填写文字".into(),
            "A free-text line is chosen: type its text".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(result: Result<SheetChoice, Vec<Problem>>) -> Vec<ProblemCode> {
        result.err().unwrap_or_default().into_iter().map(|p| p.code).collect()
    }

    #[test]
    fn nothing_asked_is_a4_three_by_four_with_label_and_scene() {
        let choice = SheetInput::default().check().unwrap();
        assert_eq!(choice.layout.spec(), Preset::A4x3x4.spec());
        assert_eq!((choice.start_cell, choice.copies, choice.cut_marks), (1, 1, false));
        assert_eq!(choice.lines, [LineField::Label, LineField::Scene]);
    }

    #[test]
    fn a_custom_grid_is_checked_like_a_preset() {
        let custom = |columns, rows| SheetInput {
            sheet: Some("custom".into()),
            columns: Some(columns),
            rows: Some(rows),
            margin_mm: Some(5.0),
            gap_mm: Some(2.0),
            ..SheetInput::default()
        };
        let choice = custom(4, 5).check().unwrap();
        assert_eq!((choice.layout.spec().columns, choice.layout.spec().rows), (4, 5));
        assert_eq!(choice.layout.spec().margin_left_mm, 5.0);
        assert_eq!(codes(custom(20, 20).check()), [ProblemCode::SheetCellTooSmall]);
    }

    #[test]
    fn margins_that_leave_no_room_are_said_as_such() {
        let custom = |margin, cut_marks| SheetInput {
            sheet: Some("custom".into()),
            margin_mm: Some(margin),
            cut_marks,
            ..SheetInput::default()
        };
        let wide = custom(500.0, false).check().unwrap_err();
        assert_eq!(wide[0].code, ProblemCode::SheetMeasureInvalid);
        assert!(wide[0].message.en.contains("210 × 297 mm"), "{}", wide[0].message.en);
        assert_eq!(codes(custom(0.0, true).check()), [ProblemCode::CutMarksNoRoom]);
        assert!(custom(0.0, false).check().is_ok());
        assert!(custom(MIN_CUT_MARK_MARGIN_MM, true).check().is_ok());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let input = SheetInput {
            start: Some(13),
            copies: Some(0),
            lines: Some("label,colour".into()),
            ..SheetInput::default()
        };
        assert_eq!(
            codes(input.check()),
            [ProblemCode::StartCellOutOfRange, ProblemCode::CopiesOutOfRange, ProblemCode::LineFieldUnknown]
        );
        let unknown = SheetInput { sheet: Some("letter".into()), ..SheetInput::default() };
        assert_eq!(codes(unknown.check()), [ProblemCode::SheetUnknown]);
    }

    #[test]
    fn lines_are_at_most_three_each_once_and_free_text_needs_its_text() {
        let lines = |raw: &str| SheetInput { lines: Some(raw.into()), ..SheetInput::default() };
        assert_eq!(
            lines("scene, label ,scene,").line_fields().unwrap(),
            [LineField::Scene, LineField::Label]
        );
        assert_eq!(lines("").line_fields().unwrap(), []);
        assert_eq!(lines("none").line_fields().unwrap(), []);
        assert_eq!(lines("label,scene,page,text").line_fields().unwrap_err().code, ProblemCode::TooManyLines);
        assert_eq!(codes(lines("text").check()), [ProblemCode::TextEmpty]);
        let free = SheetInput { text: Some(" 扫码领券 ".into()), ..lines("text") };
        assert_eq!(free.check().unwrap().text, "扫码领券");
        let long = SheetInput { text: Some("码".repeat(61)), ..lines("text") };
        assert_eq!(codes(long.check()), [ProblemCode::TextTooLong]);
    }
}
