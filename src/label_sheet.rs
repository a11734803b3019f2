//! Label sheets: which code lands in which cell of which page, in millimetres from the page's
//! top-left corner. Pure geometry, shared by the PDF writer on the server and the print preview
//! in the browser, so both place every label alike.

use serde::{Deserialize, Serialize};

use crate::message::Message;
use crate::request::{Field, Problem, ProblemCode};

/// A4 portrait, in millimetres.
pub const A4_MM: (f64, f64) = (210.0, 297.0);
/// Fewer millimetres than this per cell side and a code cannot be scanned from paper.
pub const MIN_CELL_MM: f64 = 15.0;
/// Cut marks stand this far off the cells, in the margins.
pub const CUT_MARK_CLEARANCE_MM: f64 = 1.0;
/// The smallest margin a cut mark is drawn in (1 mm of mark past its clearance).
pub const MIN_CUT_MARK_MARGIN_MM: f64 = CUT_MARK_CLEARANCE_MM + 1.0;
/// The most cells per row or column (7 × 10 is the densest preset; 20 leaves room for custom stock).
pub const MAX_GRID: u16 = 20;
/// The most copies of one code.
pub const MAX_COPIES: u16 = 500;
/// The most text lines under a code.
pub const MAX_LINES: usize = 3;

/// The grid printed on: paper, margins and gaps (mm), cells across and down.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SheetSpec {
    pub paper_width_mm: f64,
    pub paper_height_mm: f64,
    pub columns: u16,
    pub rows: u16,
    pub margin_top_mm: f64,
    pub margin_right_mm: f64,
    pub margin_bottom_mm: f64,
    pub margin_left_mm: f64,
    /// Between two cells side by side.
    pub gap_x_mm: f64,
    /// Between two rows.
    pub gap_y_mm: f64,
}

/// The sheets people buy, A4 portrait.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Preset {
    #[serde(rename = "a4-2x3")]
    A4x2x3,
    #[serde(rename = "a4-3x4")]
    A4x3x4,
    #[serde(rename = "a4-4x6")]
    A4x4x6,
    #[serde(rename = "a4-5x8")]
    A4x5x8,
    #[serde(rename = "a4-7x10")]
    A4x7x10,
}

impl Preset {
    pub const ALL: [Preset; 5] =
        [Preset::A4x2x3, Preset::A4x3x4, Preset::A4x4x6, Preset::A4x5x8, Preset::A4x7x10];

    pub fn as_str(self) -> &'static str {
        match self {
            Preset::A4x2x3 => "a4-2x3",
            Preset::A4x3x4 => "a4-3x4",
            Preset::A4x4x6 => "a4-4x6",
            Preset::A4x5x8 => "a4-5x8",
            Preset::A4x7x10 => "a4-7x10",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw.trim().to_ascii_lowercase())
    }

    /// Columns × rows.
    pub fn grid(self) -> (u16, u16) {
        match self {
            Preset::A4x2x3 => (2, 3),
            Preset::A4x3x4 => (3, 4),
            Preset::A4x4x6 => (4, 6),
            Preset::A4x5x8 => (5, 8),
            Preset::A4x7x10 => (7, 10),
        }
    }

    /// How the picker names it: "A4 3 × 4 (12 per page)".
    pub fn title(self) -> Message {
        let (columns, rows) = self.grid();
        let cells = columns * rows;
        Message::new(
            format!("A4 {columns} × {rows}（每页 {cells} 个）"),
            format!("A4 {columns} × {rows} ({cells} per page)"),
        )
    }

    /// The grid on A4 with 10 mm margins (printers' safe area) and gaps that shrink as cells do.
    pub fn spec(self) -> SheetSpec {
        let (columns, rows) = self.grid();
        let gap = if columns >= 5 { 2.0 } else { 5.0 };
        SheetSpec {
            paper_width_mm: A4_MM.0,
            paper_height_mm: A4_MM.1,
            columns,
            rows,
            margin_top_mm: 10.0,
            margin_right_mm: 10.0,
            margin_bottom_mm: 10.0,
            margin_left_mm: 10.0,
            gap_x_mm: gap,
            gap_y_mm: gap,
        }
    }
}

/// One cell: its place on the page and its size, in mm from the top-left corner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    /// 1-based, left to right then top to bottom, as people count cells on a sheet.
    pub number: usize,
    pub column: u16,
    pub row: u16,
    pub x_mm: f64,
    pub y_mm: f64,
    pub width_mm: f64,
    pub height_mm: f64,
}

/// One label: which item (index into the codes), on which page (0-based), in which cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    pub item: usize,
    pub page: usize,
    pub cell: Cell,
}

/// A checked sheet: every cell has room for a scannable code.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SheetLayout {
    spec: SheetSpec,
    cell_width_mm: f64,
    cell_height_mm: f64,
}

fn problem(field: Field, code: ProblemCode, zh: String, en: String) -> Problem {
    Problem::new(field, code, Message::new(zh, en))
}

impl SheetLayout {
    /// Checks the grid: every measure finite and not negative, and cells big enough to scan.
    pub fn new(spec: SheetSpec) -> Result<Self, Problem> {
        let measures = [
            spec.paper_width_mm,
            spec.paper_height_mm,
            spec.margin_top_mm,
            spec.margin_right_mm,
            spec.margin_bottom_mm,
            spec.margin_left_mm,
            spec.gap_x_mm,
            spec.gap_y_mm,
        ];
        if measures.iter().any(|m| !m.is_finite() || *m < 0.0)
            || spec.paper_width_mm > 2000.0
            || spec.paper_height_mm > 2000.0
        {
            return Err(problem(
                Field::Sheet,
                ProblemCode::SheetMeasureInvalid,
                "纸张、边距和间距须为 0 至 2000 之间的毫米数".into(),
                "Paper, margins and gaps must be millimetres between 0 and 2000".into(),
            ));
        }
        let grid = 1..=MAX_GRID;
        if !grid.contains(&spec.columns) || !grid.contains(&spec.rows) {
            return Err(problem(
                Field::Sheet,
                ProblemCode::SheetGridInvalid,
                format!("每页的列数和行数须在 1 至 {MAX_GRID} 之间，收到 {} × {}", spec.columns, spec.rows),
                format!(
                    "Columns and rows per page must be 1 to {MAX_GRID}; got {} × {}",
                    spec.columns, spec.rows
                ),
            ));
        }
        let across = spec.paper_width_mm - spec.margin_left_mm - spec.margin_right_mm;
        let down = spec.paper_height_mm - spec.margin_top_mm - spec.margin_bottom_mm;
        if across < MIN_CELL_MM || down < MIN_CELL_MM {
            let (width, height) = (spec.paper_width_mm, spec.paper_height_mm);
            return Err(problem(
                Field::Sheet,
                ProblemCode::SheetMeasureInvalid,
                format!("边距太大：纸张只有 {width} × {height} 毫米，两边的边距留下的地方放不下一个码"),
                format!(
                    "The margins are too large: the paper is {width} × {height} mm, and they leave no room for a code"
                ),
            ));
        }
        let cell_width_mm = (across - spec.gap_x_mm * f64::from(spec.columns - 1)) / f64::from(spec.columns);
        let cell_height_mm = (down - spec.gap_y_mm * f64::from(spec.rows - 1)) / f64::from(spec.rows);
        if cell_width_mm < MIN_CELL_MM || cell_height_mm < MIN_CELL_MM {
            return Err(problem(
                Field::Sheet,
                ProblemCode::SheetCellTooSmall,
                format!(
                    "格子只有 {:.1} × {:.1} 毫米，小于可扫码的 {MIN_CELL_MM} 毫米；请减少行列数、边距或间距",
                    cell_width_mm.max(0.0),
                    cell_height_mm.max(0.0)
                ),
                format!(
                    "Cells would be {:.1} × {:.1} mm, under the {MIN_CELL_MM} mm a scan needs; use fewer cells, or smaller margins or gaps",
                    cell_width_mm.max(0.0),
                    cell_height_mm.max(0.0)
                ),
            ));
        }
        Ok(Self { spec, cell_width_mm, cell_height_mm })
    }

    /// Whether every margin has room for cut marks.
    pub fn cut_marks_fit(&self) -> bool {
        let spec = &self.spec;
        [spec.margin_top_mm, spec.margin_right_mm, spec.margin_bottom_mm, spec.margin_left_mm]
            .iter()
            .all(|margin| *margin >= MIN_CUT_MARK_MARGIN_MM)
    }

    pub fn spec(&self) -> SheetSpec {
        self.spec
    }

    pub fn cells_per_page(&self) -> usize {
        usize::from(self.spec.columns) * usize::from(self.spec.rows)
    }

    /// The cell numbered `number` (1-based) on any page.
    pub fn cell(&self, number: usize) -> Cell {
        let index = (number.max(1) - 1) % self.cells_per_page();
        let columns = usize::from(self.spec.columns);
        let (column, row) = ((index % columns) as u16, (index / columns) as u16);
        Cell {
            number: index + 1,
            column,
            row,
            x_mm: self.spec.margin_left_mm + f64::from(column) * (self.cell_width_mm + self.spec.gap_x_mm),
            y_mm: self.spec.margin_top_mm + f64::from(row) * (self.cell_height_mm + self.spec.gap_y_mm),
            width_mm: self.cell_width_mm,
            height_mm: self.cell_height_mm,
        }
    }

    /// Checks a starting cell (1-based: to reuse a half-used sheet) against this grid.
    pub fn check_start(&self, start_cell: usize) -> Result<(), Problem> {
        let cells = self.cells_per_page();
        if (1..=cells).contains(&start_cell) {
            return Ok(());
        }
        Err(problem(
            Field::StartCell,
            ProblemCode::StartCellOutOfRange,
            format!("起始格须在 1 至 {cells} 之间（这种纸每页 {cells} 格），收到 {start_cell}"),
            format!(
                "The starting cell must be 1 to {cells} (this sheet has {cells} per page); got {start_cell}"
            ),
        ))
    }

    /// Where `items` codes go, each `copies` times in a row, from cell `start_cell` of the first
    /// page on. Later pages start at their first cell.
    pub fn place(&self, items: usize, copies: u16, start_cell: usize) -> Result<Vec<Placement>, Problem> {
        self.check_start(start_cell)?;
        check_copies(copies)?;
        let per_page = self.cells_per_page();
        let labels = items * usize::from(copies);
        Ok((0..labels)
            .map(|n| {
                let slot = start_cell - 1 + n;
                Placement {
                    item: n / usize::from(copies),
                    page: slot / per_page,
                    cell: self.cell(slot % per_page + 1),
                }
            })
            .collect())
    }

    /// How many pages `labels` labels from `start_cell` fill.
    pub fn pages(&self, labels: usize, start_cell: usize) -> usize {
        match labels {
            0 => 0,
            _ => (start_cell.max(1) - 1 + labels).div_ceil(self.cells_per_page()),
        }
    }
}

/// Copies of each code: at least one, at most [`MAX_COPIES`].
pub fn check_copies(copies: u16) -> Result<(), Problem> {
    if (1..=MAX_COPIES).contains(&copies) {
        return Ok(());
    }
    Err(problem(
        Field::Copies,
        ProblemCode::CopiesOutOfRange,
        format!("每个码的份数须在 1 至 {MAX_COPIES} 之间，收到 {copies}"),
        format!("Copies of each code must be 1 to {MAX_COPIES}; got {copies}"),
    ))
}

/// Points per millimetre (PDF measures in points of 1/72 inch).
pub const PT_PER_MM: f64 = 72.0 / 25.4;
/// Line height as a multiple of the font size.
pub const LINE_HEIGHT: f64 = 1.25;

/// Text fitted into a box: one font size for all its lines, each line as it will be drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct FittedText {
    pub size_pt: f64,
    pub lines: Vec<String>,
}

impl FittedText {
    /// The height the lines take, in mm.
    pub fn height_mm(&self) -> f64 {
        self.lines.len() as f64 * self.size_pt * LINE_HEIGHT / PT_PER_MM
    }
}

/// Fits up to [`MAX_LINES`] lines into `width_mm` × `height_mm`: the largest size from `max_pt`
/// down to `min_pt` (in half points) at which every line fits; below that, lines are cut with
/// "…" and lines that do not fit in height are dropped — text never leaves its box.
/// `em_width` measures a line in ems (the font's advance widths), so the caller's font decides.
pub fn fit_text(
    lines: &[String],
    width_mm: f64,
    height_mm: f64,
    max_pt: f64,
    min_pt: f64,
    em_width: impl Fn(&str) -> f64,
) -> FittedText {
    let lines: Vec<String> =
        lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).take(MAX_LINES).map(str::to_owned).collect();
    let min_pt = min_pt.max(1.0);
    let fits_ems = |ems: f64, size: f64| ems * size / PT_PER_MM <= width_mm + 1e-9;
    let fits_width = |line: &str, size: f64| fits_ems(em_width(line), size);
    let fits_height =
        |count: usize, size: f64| count as f64 * size * LINE_HEIGHT / PT_PER_MM <= height_mm + 1e-9;
    // Each line measured once; the sizes tried only scale it.
    let widest = lines.iter().map(|l| em_width(l)).fold(0.0, f64::max);
    let mut size = max_pt.max(min_pt);
    while size >= min_pt {
        if fits_height(lines.len(), size) && fits_ems(widest, size) {
            return FittedText { size_pt: size, lines };
        }
        size -= 0.5;
    }
    // The smallest size still overflows: keep the lines that fit in height, cut the wide ones.
    let size = min_pt;
    let lines = lines
        .into_iter()
        .enumerate()
        .take_while(|(n, _)| fits_height(n + 1, size))
        .map(|(_, line)| cut_to_width(&line, |text| fits_width(text, size)))
        .filter(|line| !line.is_empty())
        .collect();
    FittedText { size_pt: size, lines }
}

/// The longest start of `line` that fits with "…" after it (the whole line when it fits).
fn cut_to_width(line: &str, fits: impl Fn(&str) -> bool) -> String {
    if fits(line) {
        return line.to_owned();
    }
    let chars: Vec<char> = line.chars().collect();
    (0..chars.len())
        .rev()
        .map(|keep| format!("{}…", chars[..keep].iter().collect::<String>().trim_end()))
        .find(|cut| fits(cut))
        .filter(|cut| cut != "…")
        .unwrap_or_default()
}

/// The side of the square code in a cell of `cell` with `text_mm` of text under it and
/// `padding_mm` all round: what is left, never more than the cell's width.
pub fn code_side_mm(cell: &Cell, text_mm: f64, padding_mm: f64) -> f64 {
    let inner_width = cell.width_mm - 2.0 * padding_mm;
    let inner_height = cell.height_mm - 2.0 * padding_mm - text_mm;
    inner_width.min(inner_height).max(0.0)
}

/// Largest and smallest text, in points: 11 pt reads at arm's length, 5 pt is the smallest
/// a label printer renders cleanly.
pub const TEXT_MAX_PT: f64 = 11.0;
pub const TEXT_MIN_PT: f64 = 5.0;
/// The share of a cell's height text may take; the code keeps the rest.
pub const TEXT_SHARE: f64 = 0.3;

/// Where one label's parts go, in mm from the page's top-left corner: the code, and its lines
/// centred under it, the two as one block centred in the cell.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelBox {
    pub code_x_mm: f64,
    pub code_y_mm: f64,
    pub code_side_mm: f64,
    /// The top of the first line.
    pub text_top_mm: f64,
    pub text: FittedText,
}

/// Lays out one label in `cell`; `em_width` measures text in the font it is drawn in. The code
/// takes the room its text leaves, at most `side_cap_mm` (see [`sheet_code_side_mm`]).
pub fn label_box(
    cell: &Cell,
    lines: &[String],
    em_width: impl Fn(&str) -> f64,
    side_cap_mm: f64,
) -> LabelBox {
    let padding = 2.0_f64.min(cell.width_mm * 0.05);
    let text = fit_text(
        lines,
        cell.width_mm - 2.0 * padding,
        cell.height_mm * TEXT_SHARE,
        TEXT_MAX_PT,
        TEXT_MIN_PT,
        em_width,
    );
    let side = code_side_mm(cell, text.height_mm(), padding).min(side_cap_mm.max(0.0));
    let top = cell.y_mm + (cell.height_mm - side - text.height_mm()) / 2.0;
    LabelBox {
        code_x_mm: cell.x_mm + (cell.width_mm - side) / 2.0,
        code_y_mm: top,
        code_side_mm: side,
        text_top_mm: top + side,
        text,
    }
}

/// One code size for the whole sheet: the smallest any label's text leaves, so codes line up
/// and scan alike however long their captions are.
pub fn sheet_code_side_mm<'a>(
    cell: &Cell,
    labels: impl IntoIterator<Item = &'a [String]>,
    em_width: impl Fn(&str) -> f64,
) -> f64 {
    labels
        .into_iter()
        .map(|lines| label_box(cell, lines, &em_width, f64::INFINITY).code_side_mm)
        .fold(f64::INFINITY, f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a4(preset: Preset) -> SheetLayout {
        SheetLayout::new(preset.spec()).unwrap()
    }

    /// A stand-in for a font: CJK is one em wide, everything else half.
    fn ems(text: &str) -> f64 {
        text.chars().map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
    }

    #[test]
    fn presets_divide_a4_into_equal_cells_inside_the_margins() {
        let sheet = a4(Preset::A4x3x4);
        assert_eq!(sheet.cells_per_page(), 12);
        let first = sheet.cell(1);
        let last = sheet.cell(12);
        assert_eq!((first.x_mm, first.y_mm), (10.0, 10.0));
        assert!((first.width_mm - (190.0 - 10.0) / 3.0).abs() < 1e-9);
        assert!((last.x_mm + last.width_mm - 200.0).abs() < 1e-9, "the last column ends at the right margin");
        assert!((last.y_mm + last.height_mm - 287.0).abs() < 1e-9, "the last row ends at the bottom margin");
        assert_eq!((last.column, last.row), (2, 3));
        for preset in Preset::ALL {
            assert!(SheetLayout::new(preset.spec()).is_ok(), "{preset:?}");
            assert_eq!(Preset::parse(preset.as_str()), Some(preset));
        }
    }

    #[test]
    fn thirty_codes_on_3x4_fill_three_pages_and_a_start_cell_shifts_them() {
        let sheet = a4(Preset::A4x3x4);
        let placed = sheet.place(30, 1, 1).unwrap();
        assert_eq!(placed.len(), 30);
        assert_eq!(placed.last().map(|p| p.page), Some(2));
        assert_eq!(sheet.pages(30, 1), 3);
        assert_eq!(placed[12].cell.number, 1, "page two starts at its first cell");

        let reused = sheet.place(2, 1, 11).unwrap();
        assert_eq!((reused[0].page, reused[0].cell.number), (0, 11));
        assert_eq!((reused[1].page, reused[1].cell.number), (0, 12));
        let over = sheet.place(3, 1, 11).unwrap();
        assert_eq!((over[2].page, over[2].cell.number), (1, 1));
        assert_eq!(sheet.pages(3, 11), 2);
        assert_eq!(sheet.pages(0, 5), 0);
    }

    #[test]
    fn copies_follow_each_other() {
        let placed = a4(Preset::A4x2x3).place(2, 3, 1).unwrap();
        let items: Vec<usize> = placed.iter().map(|p| p.item).collect();
        assert_eq!(items, [0, 0, 0, 1, 1, 1]);
    }

    #[test]
    fn bad_grids_starts_and_copies_are_refused_by_name() {
        let tiny = SheetSpec { columns: 20, rows: 20, ..Preset::A4x3x4.spec() };
        let problem = SheetLayout::new(tiny).unwrap_err();
        assert_eq!(problem.code, ProblemCode::SheetCellTooSmall);
        assert!(problem.message.en.contains("15 mm"), "{}", problem.message.en);
        let zero = SheetSpec { columns: 0, ..Preset::A4x3x4.spec() };
        assert_eq!(SheetLayout::new(zero).unwrap_err().code, ProblemCode::SheetGridInvalid);
        let negative = SheetSpec { gap_x_mm: -1.0, ..Preset::A4x3x4.spec() };
        assert_eq!(SheetLayout::new(negative).unwrap_err().code, ProblemCode::SheetMeasureInvalid);
        let nan = SheetSpec { margin_top_mm: f64::NAN, ..Preset::A4x3x4.spec() };
        assert_eq!(SheetLayout::new(nan).unwrap_err().code, ProblemCode::SheetMeasureInvalid);

        let sheet = a4(Preset::A4x3x4);
        let start = sheet.place(1, 1, 13).unwrap_err();
        assert_eq!(start.field, Field::StartCell);
        assert!(start.message.zh.contains("1 至 12"), "{}", start.message.zh);
        assert_eq!(sheet.place(1, 1, 0).unwrap_err().field, Field::StartCell);
        assert_eq!(sheet.place(1, 0, 1).unwrap_err().field, Field::Copies);
    }

    #[test]
    fn text_takes_the_largest_size_that_fits() {
        let lines = vec!["双十一".to_owned(), "id=1".to_owned()];
        // 3 ems at 10 pt are 10.6 mm: a 40 mm box takes the largest size tried.
        let roomy = fit_text(&lines, 40.0, 20.0, 10.0, 5.0, ems);
        assert_eq!((roomy.size_pt, roomy.lines.len()), (10.0, 2));
        // 3 ems in 8 mm: 8 * 72 / 25.4 / 3 = 7.56 pt, so 7.5 in half points.
        let narrow = fit_text(&lines, 8.0, 20.0, 10.0, 5.0, ems);
        assert_eq!(narrow.size_pt, 7.5);
        assert!(narrow.lines.iter().all(|l| ems(l) * narrow.size_pt / PT_PER_MM <= 8.0));
        assert!(narrow.height_mm() <= 20.0);
    }

    #[test]
    fn text_that_cannot_fit_is_cut_never_overflows() {
        let long = "上海市浦东新区陆家嘴环路一千号门店海报".to_owned();
        let lines = vec![long.clone(), "scene=abc".to_owned(), "第三行".to_owned(), "第四行".to_owned()];
        let fitted = fit_text(&lines, 20.0, 5.0, 10.0, 6.0, ems);
        assert_eq!(fitted.size_pt, 6.0);
        // A line of 6 pt takes 2.65 mm: 5 mm hold one, the others are dropped (a fourth is never read).
        assert_eq!(fitted.lines.len(), 1);
        assert!(fitted.lines[0].ends_with('…') && long.starts_with(fitted.lines[0].trim_end_matches('…')));
        assert!(ems(&fitted.lines[0]) * 6.0 / PT_PER_MM <= 20.0);
        assert!(fitted.height_mm() <= 5.0);
        assert!(fit_text(&[" ".to_owned()], 20.0, 5.0, 10.0, 6.0, ems).lines.is_empty());
    }

    #[test]
    fn the_code_takes_what_the_text_and_padding_leave() {
        let cell = a4(Preset::A4x3x4).cell(1);
        assert!(
            (code_side_mm(&cell, 0.0, 2.0) - (cell.width_mm - 4.0)).abs() < 1e-9,
            "wide cells: the width decides"
        );
        let short = Cell { height_mm: 30.0, ..cell };
        assert!((code_side_mm(&short, 10.0, 2.0) - 16.0).abs() < 1e-9);
        assert_eq!(code_side_mm(&short, 40.0, 2.0), 0.0);
    }

    #[test]
    fn a_label_is_centred_in_its_cell_with_its_text_under_the_code() {
        let layout = a4(Preset::A4x3x4);
        let cell = layout.cell(5);
        let label = label_box(&cell, &["双十一".into(), "id=1".into()], ems, f64::INFINITY);
        let block = label.code_side_mm + label.text.height_mm();
        assert!((label.code_y_mm - cell.y_mm - (cell.height_mm - block) / 2.0).abs() < 1e-9);
        assert!((label.code_x_mm - cell.x_mm - (cell.width_mm - label.code_side_mm) / 2.0).abs() < 1e-9);
        assert_eq!(label.text_top_mm, label.code_y_mm + label.code_side_mm);
        assert!(label.text_top_mm + label.text.height_mm() <= cell.y_mm + cell.height_mm + 1e-9);
        let bare = label_box(&cell, &[], ems, f64::INFINITY);
        assert!(bare.code_side_mm > label.code_side_mm, "without text the code grows");
        let lines: [Vec<String>; 2] = [vec![], vec!["双十一".into(), "id=1".into()]];
        let side = sheet_code_side_mm(&cell, lines.iter().map(Vec::as_slice), ems);
        assert_eq!(side, label.code_side_mm, "the sheet takes the smallest");
        let capped = label_box(&cell, &[], ems, side);
        assert_eq!(capped.code_side_mm, side, "and every label keeps to it");
        assert!((capped.code_y_mm - cell.y_mm - (cell.height_mm - side) / 2.0).abs() < 1e-9, "centred");
    }
}
