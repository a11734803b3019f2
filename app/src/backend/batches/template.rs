//! Blank sheets to fill in: every column with the header the upload recognises and
//! one example row, as CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX.

use rust_xlsxwriter::{Format, Workbook, XlsxError};
use wxacode::batch::Column;
use wxacode::Lang;

use crate::backend::archive::{manifest_writer, ArchiveError};

/// The template's file formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateFormat {
    Csv,
    Xlsx,
}

impl TemplateFormat {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn file_name(self, lang: Lang) -> String {
        let stem = match lang {
            Lang::Zh => "wxacode-批量模板",
            Lang::En => "wxacode-batch-template",
        };
        match self {
            Self::Csv => format!("{stem}.csv"),
            Self::Xlsx => format!("{stem}.xlsx"),
        }
    }
}

pub fn template(format: TemplateFormat, lang: Lang) -> Result<Vec<u8>, ArchiveError> {
    let headers: Vec<&str> = Column::ALL.iter().map(|c| c.header(lang)).collect();
    let example: Vec<&str> = Column::ALL.iter().map(|c| c.example(lang)).collect();
    match format {
        TemplateFormat::Csv => {
            let mut csv = manifest_writer(&headers)?;
            csv.write_record(&example)?;
            Ok(csv.into_inner().map_err(|e| ArchiveError::Io(e.into_error()))?)
        }
        TemplateFormat::Xlsx => {
            xlsx(&headers, &example).map_err(|e| ArchiveError::Io(std::io::Error::other(e)))
        }
    }
}

fn xlsx(headers: &[&str], example: &[&str]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let bold = Format::new().set_bold();
    // Text cells throughout: "430" and "true" stay as typed, and a scene like 001 keeps its zeros.
    let text = Format::new().set_num_format("@");
    for (column, (header, value)) in headers.iter().zip(example).enumerate() {
        let column = column as u16;
        sheet.write_string_with_format(0, column, *header, &bold)?;
        sheet.write_string_with_format(1, column, *value, &text)?;
        sheet.set_column_width(column, 18)?;
        sheet.set_column_format(column, &text)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::batches::sheet::read_sheet;
    use wxacode::batch::ColumnMap;

    #[test]
    fn both_templates_read_back_with_every_column_recognised() {
        for format in [TemplateFormat::Csv, TemplateFormat::Xlsx] {
            for lang in [Lang::Zh, Lang::En] {
                let sheet = read_sheet(&template(format, lang).unwrap()).unwrap();
                let map = ColumnMap::detect(&sheet.headers);
                assert_eq!(map.0, Column::ALL.map(Some).to_vec(), "{format:?} {lang:?}");
                assert_eq!(sheet.rows[0][0], "store=1001");
                assert_eq!(sheet.first_row, 2);
            }
        }
    }
}
