//! Reads an uploaded spreadsheet into header + rows of text: CSV in UTF-8 (with
//! or without BOM) or GBK/GB18030 as Chinese Excel exports it, tab-separated
//! rows pasted from a spreadsheet, or the first worksheet of an XLSX file.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use wxacode::batch::MAX_BATCH_ROWS;
use wxacode::Message;

/// Far above any real sheet of 100,000 codes (a few MB), far below what hurts the server.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The number the sheet's program shows beside `rows[0]`.
    pub first_row: usize,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SheetError {
    #[error("file too large: {bytes} bytes")]
    TooLarge { bytes: usize },
    #[error("no rows")]
    Empty,
    #[error("not a text or XLSX file")]
    NotASheet,
    #[error("unreadable CSV: {0}")]
    Csv(String),
    #[error("unreadable XLSX: {0}")]
    Xlsx(String),
    #[error("too many rows")]
    TooManyRows,
}

impl SheetError {
    pub fn message(&self) -> Message {
        match self {
            SheetError::TooLarge { bytes } => Message::new(
                format!("文件太大（{:.1} MB），最多 {} MB", mb(*bytes), MAX_UPLOAD_BYTES / 1024 / 1024),
                format!(
                    "The file is too large ({:.1} MB); the limit is {} MB",
                    mb(*bytes),
                    MAX_UPLOAD_BYTES / 1024 / 1024
                ),
            ),
            SheetError::Empty => Message::new("文件里没有数据行", "The file has no data rows"),
            SheetError::NotASheet => Message::new(
                "无法识别的文件：请上传 CSV（UTF-8 或 GBK）或 XLSX 文件",
                "Unrecognised file: upload a CSV (UTF-8 or GBK) or an XLSX file",
            ),
            SheetError::Csv(detail) => {
                Message::new(format!("CSV 格式错误：{detail}"), format!("The CSV is malformed: {detail}"))
            }
            SheetError::Xlsx(detail) => Message::new(
                format!("XLSX 文件无法读取：{detail}"),
                format!("The XLSX file cannot be read: {detail}"),
            ),
            SheetError::TooManyRows => Message::new(
                format!("行数超过上限：一次最多 {MAX_BATCH_ROWS} 行"),
                format!("Too many rows: at most {MAX_BATCH_ROWS} per job"),
            ),
        }
    }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1024.0 / 1024.0
}

pub fn read_sheet(bytes: &[u8]) -> Result<Sheet, SheetError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(SheetError::TooLarge { bytes: bytes.len() });
    }
    // A CSV's header is line 1; an XLSX sheet's may sit lower, and Excel numbers from its top.
    let (mut records, header_row) = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes)?
    } else {
        (read_csv(&decode_text(bytes)?)?, 1)
    };
    if records.is_empty() {
        return Err(SheetError::Empty);
    }
    let headers = records.remove(0);
    if records.iter().all(|row| row.iter().all(|c| c.trim().is_empty())) {
        return Err(SheetError::Empty);
    }
    Ok(Sheet { headers, rows: records, first_row: header_row + 1 })
}

/// UTF-8 when it is, else GB18030 (a superset of GBK); anything with control
/// characters besides line breaks and tabs is not a sheet.
fn decode_text(bytes: &[u8]) -> Result<String, SheetError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or(SheetError::NotASheet)?
            .into_owned(),
    };
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(SheetError::NotASheet);
    }
    Ok(text)
}

fn read_csv(text: &str) -> Result<Vec<Vec<String>>, SheetError> {
    // Rows pasted from a spreadsheet arrive tab-separated.
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') { b'\t' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Csv(e.to_string()))?;
        records.push(record.iter().map(str::to_owned).collect());
        if records.len() > MAX_BATCH_ROWS + 1 {
            return Err(SheetError::TooManyRows);
        }
    }
    Ok(records)
}

/// The first sheet's rows, and the number of its first (header) row.
fn read_xlsx(bytes: &[u8]) -> Result<(Vec<Vec<String>>, usize), SheetError> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| SheetError::Xlsx(e.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or(SheetError::Empty)?
        .map_err(|e| SheetError::Xlsx(e.to_string()))?;
    if range.height() > MAX_BATCH_ROWS + 1 {
        return Err(SheetError::TooManyRows);
    }
    let header_row = range.start().map_or(1, |(row, _)| row as usize + 1);
    Ok((range.rows().map(|row| row.iter().map(cell_text).collect()).collect(), header_row))
}

/// Cells as a person typed them: 430, not 430.0.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom_reads_the_same() {
        let plain = read_sheet("scene,label\nid=1,门店\n".as_bytes()).unwrap();
        let with_bom = read_sheet("\u{feff}scene,label\nid=1,门店\n".as_bytes()).unwrap();
        assert_eq!(plain, with_bom);
        assert_eq!(plain.headers, ["scene", "label"]);
        assert_eq!(plain.rows, [["id=1", "门店"]]);
    }

    #[test]
    fn gbk_from_chinese_excel_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("场景值,标签\nid=1,北京门店\n");
        assert!(std::str::from_utf8(&gbk).is_err(), "really not UTF-8");
        let sheet = read_sheet(&gbk).unwrap();
        assert_eq!(sheet.headers, ["场景值", "标签"]);
        assert_eq!(sheet.rows, [["id=1", "北京门店"]]);
    }

    #[test]
    fn pasted_tab_separated_rows_are_read() {
        let sheet = read_sheet(b"scene\tpage\nid=1\tpages/a/a\n").unwrap();
        assert_eq!(sheet.rows, [["id=1", "pages/a/a"]]);
    }

    #[test]
    fn xlsx_reads_its_first_sheet_with_numbers_as_typed() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "scene").unwrap();
        sheet.write_string(0, 1, "宽度").unwrap();
        sheet.write_string(1, 0, "id=7").unwrap();
        sheet.write_number(1, 1, 430).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let read = read_sheet(&bytes).unwrap();
        assert_eq!(read.headers, ["scene", "宽度"]);
        assert_eq!(read.rows, [["id=7", "430"]]);
    }

    #[test]
    fn garbage_empty_and_oversized_files_are_refused() {
        assert_eq!(read_sheet(&[0u8, 159, 146, 150, 1, 2, 3, 255, 254]), Err(SheetError::NotASheet));
        assert_eq!(read_sheet(b""), Err(SheetError::Empty));
        assert_eq!(read_sheet(b"scene,label\n,\n"), Err(SheetError::Empty));
        let huge = vec![b'a'; MAX_UPLOAD_BYTES + 1];
        assert!(matches!(read_sheet(&huge), Err(SheetError::TooLarge { .. })));
        assert!(matches!(read_sheet(b"PK\x03\x04broken"), Err(SheetError::Xlsx(_))));
    }

    #[test]
    fn more_rows_than_a_job_takes_are_refused() {
        let mut csv = String::from("scene\n");
        for i in 0..=MAX_BATCH_ROWS {
            csv.push_str(&format!("i={i}\n"));
        }
        assert_eq!(read_sheet(csv.as_bytes()), Err(SheetError::TooManyRows));
    }

    #[test]
    fn messages_exist_in_both_languages() {
        let message = SheetError::TooManyRows.message();
        assert!(message.zh.contains("100000") && message.en.contains("100000"));
    }
}
