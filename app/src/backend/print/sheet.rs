//! A label sheet as a PDF: each code's original image in its cell, up to three lines of text
//! under it that shrink to fit, optional cut marks in the margins. The geometry is the core's
//! (`wxacode::label_sheet`), so the dashboard's preview and the PDF agree.

use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::image::Image;
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::TextDirection;
use krilla::Document;
use wxacode::label_sheet::{
    label_box, sheet_code_side_mm, FittedText, SheetLayout, CUT_MARK_CLEARANCE_MM as MARK_CLEARANCE_MM,
    LINE_HEIGHT, PT_PER_MM,
};
use wxacode::sheet_request::SheetChoice;
use wxacode::ImageType;

use super::font::PrintFont;

/// Cut marks: how long, and how far from the sheet's grid they stop.
const MARK_MM: f64 = 5.0;

/// One code to print: its image as WeChat made it, and the lines under it.
#[derive(Clone, Debug)]
pub struct Label {
    pub image: Vec<u8>,
    pub image_type: ImageType,
    pub lines: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{}", .0.message.en)]
    Invalid(wxacode::Problem),
    #[error("the image of label {index} cannot be read: {reason}")]
    Image { index: usize, reason: String },
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

fn pt(mm: f64) -> f32 {
    (mm * PT_PER_MM) as f32
}

/// Writes the sheet; pages follow from the number of labels, copies and the start cell.
pub fn label_sheet(labels: &[Label], options: &SheetChoice, font: &PrintFont) -> Result<Vec<u8>, SheetError> {
    let layout = options.layout;
    let lines: Vec<Vec<String>> =
        labels.iter().map(|label| label.lines.iter().map(|line| font.printable(line)).collect()).collect();
    let placements =
        layout.place(labels.len(), options.copies, options.start_cell).map_err(SheetError::Invalid)?;
    let images = labels
        .iter()
        .enumerate()
        .map(|(index, label)| decode(label).map_err(|reason| SheetError::Image { index: index + 1, reason }))
        .collect::<Result<Vec<_>, _>>()?;
    let spec = layout.spec();
    let page_size = PageSettings::from_wh(pt(spec.paper_width_mm), pt(spec.paper_height_mm))
        .ok_or_else(|| SheetError::Pdf("paper size".into()))?;
    let pages = layout.pages(placements.len(), options.start_cell);
    // Every cell is the same size; one code size for the sheet.
    let side = sheet_code_side_mm(&layout.cell(1), labels.iter().map(|l| l.lines.as_slice()), |line| {
        font.em_width(line)
    });
    let mut document = Document::new();
    for page_number in 0..pages {
        let mut page = document.start_page_with(page_size.clone());
        let mut surface = page.surface();
        for placement in placements.iter().filter(|p| p.page == page_number) {
            let cell = placement.cell;
            let label = label_box(&cell, &lines[placement.item], |line| font.em_width(line), side);
            let side = label.code_side_mm;
            if let Some(size) = Size::from_wh(pt(side), pt(side)) {
                surface.push_transform(&Transform::from_translate(pt(label.code_x_mm), pt(label.code_y_mm)));
                surface.draw_image(images[placement.item].clone(), size);
                surface.pop();
            }
            draw_lines(&mut surface, &label.text, font, cell.x_mm, cell.width_mm, label.text_top_mm);
        }
        if options.cut_marks {
            draw_cut_marks(&mut surface, &layout);
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|error| SheetError::Pdf(format!("{error:?}")))
}

fn decode(label: &Label) -> Result<Image, String> {
    let data = label.image.clone().into();
    match label.image_type {
        ImageType::Jpeg => Image::from_jpeg(data, true),
        ImageType::Png => Image::from_png(data, true),
        ImageType::Gif => Image::from_gif(data, true),
    }
}

/// Each line centred under the code; baselines a line height apart.
fn draw_lines(
    surface: &mut krilla::surface::Surface,
    text: &FittedText,
    font: &PrintFont,
    cell_x_mm: f64,
    cell_width_mm: f64,
    top_mm: f64,
) {
    let line_mm = text.size_pt * LINE_HEIGHT / PT_PER_MM;
    // The baseline sits about a fifth of the size above the line's bottom (room for descenders).
    let descent_mm = text.size_pt * 0.25 / PT_PER_MM;
    for (n, line) in text.lines.iter().enumerate() {
        let width_mm = font.em_width(line) * text.size_pt / PT_PER_MM;
        let x = cell_x_mm + (cell_width_mm - width_mm) / 2.0;
        let baseline = top_mm + line_mm * (n + 1) as f64 - descent_mm;
        surface.draw_text(
            Point::from_xy(pt(x), pt(baseline)),
            font.krilla.clone(),
            text.size_pt as f32,
            line,
            false,
            TextDirection::Auto,
        );
    }
}

/// Ticks in the margins where the cells' edges are, for a guillotine.
fn draw_cut_marks(surface: &mut krilla::surface::Surface, layout: &SheetLayout) {
    let spec = layout.spec();
    let columns = usize::from(spec.columns);
    let mut xs: Vec<f64> =
        (1..=columns).map(|n| layout.cell(n)).flat_map(|c| [c.x_mm, c.x_mm + c.width_mm]).collect();
    let rows = usize::from(spec.rows);
    let mut ys: Vec<f64> = (0..rows)
        .map(|row| layout.cell(row * columns + 1))
        .flat_map(|c| [c.y_mm, c.y_mm + c.height_mm])
        .collect();
    xs.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    ys.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    let mut path = PathBuilder::new();
    let mut tick = |from: (f64, f64), to: (f64, f64)| {
        path.move_to(pt(from.0), pt(from.1));
        path.line_to(pt(to.0), pt(to.1));
    };
    let top = (spec.margin_top_mm - MARK_CLEARANCE_MM).min(MARK_MM);
    let bottom = (spec.margin_bottom_mm - MARK_CLEARANCE_MM).min(MARK_MM);
    for &x in &xs {
        if top > 0.0 {
            tick(
                (x, spec.margin_top_mm - MARK_CLEARANCE_MM - top),
                (x, spec.margin_top_mm - MARK_CLEARANCE_MM),
            );
        }
        if bottom > 0.0 {
            let from = spec.paper_height_mm - spec.margin_bottom_mm + MARK_CLEARANCE_MM;
            tick((x, from), (x, from + bottom));
        }
    }
    let left = (spec.margin_left_mm - MARK_CLEARANCE_MM).min(MARK_MM);
    let right = (spec.margin_right_mm - MARK_CLEARANCE_MM).min(MARK_MM);
    for &y in &ys {
        if left > 0.0 {
            tick(
                (spec.margin_left_mm - MARK_CLEARANCE_MM - left, y),
                (spec.margin_left_mm - MARK_CLEARANCE_MM, y),
            );
        }
        if right > 0.0 {
            let from = spec.paper_width_mm - spec.margin_right_mm + MARK_CLEARANCE_MM;
            tick((from, y), (from + right, y));
        }
    }
    if let Some(path) = path.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke { width: 0.25, ..Stroke::default() }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use wxacode::label_sheet::Preset;

    use super::*;
    use crate::backend::print::font::DEFAULT_FONT_PATH;

    fn code_image() -> Label {
        let image = crate::backend::print::sample_code();
        Label {
            image: image.bytes,
            image_type: image.image_type,
            lines: vec!["双十一 · 上海".into(), "id=1".into()],
        }
    }

    /// Page objects (`/Type /Page`, spaced or not; not the `/Pages` tree).
    fn pages_of(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        text.match_indices("/Type")
            .filter(|(at, _)| {
                let value = text[at + "/Type".len()..].trim_start();
                value.starts_with("/Page") && !value.starts_with("/Pages")
            })
            .count()
    }

    #[test]
    fn thirty_codes_on_3x4_make_three_pages_with_the_font_subset() {
        let font = PrintFont::load(Path::new(DEFAULT_FONT_PATH)).expect("fonts-noto-cjk is installed");
        let label = code_image();
        let options = SheetChoice {
            layout: SheetLayout::new(Preset::A4x3x4.spec()).expect("preset"),
            start_cell: 1,
            copies: 1,
            cut_marks: true,
            lines: vec![],
            text: String::new(),
        };
        let pdf = label_sheet(&vec![label; 30], &options, &font).expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        assert_eq!(pages_of(&pdf), 3, "30 labels, 12 per page");
        assert!(pdf.len() < 200_000, "the font is subset: {} bytes", pdf.len());
    }

    #[test]
    fn a_broken_image_is_named_and_a_bad_start_cell_is_a_problem() {
        let font = PrintFont::load(Path::new(DEFAULT_FONT_PATH)).expect("fonts-noto-cjk is installed");
        let layout = SheetLayout::new(Preset::A4x2x3.spec()).expect("preset");
        let good = code_image();
        let broken = Label { image: b"not a jpeg".to_vec(), ..code_image() };
        let options = SheetChoice {
            layout,
            start_cell: 1,
            copies: 1,
            cut_marks: false,
            lines: vec![],
            text: String::new(),
        };
        match label_sheet(&[good.clone(), broken], &options, &font) {
            Err(SheetError::Image { index, .. }) => assert_eq!(index, 2),
            other => panic!("expected the second image to be refused: {other:?}"),
        }
        let late = SheetChoice { start_cell: 7, ..options };
        assert!(matches!(label_sheet(&[good], &late, &font), Err(SheetError::Invalid(_))));
    }
}
