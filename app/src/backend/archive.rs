//! ZIP downloads of stored codes: one image per code, named from its label and
//! scene without collisions, and a manifest CSV that spreadsheets open as-is.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use wxacode::file_name::UniqueNames;

use crate::backend::settings::FileNamer;
use crate::error::AppError;
use crate::models::codes::CodeSummary;

pub const MANIFEST_NAME: &str = "manifest.csv";
const MANIFEST_STEM: &str = "manifest";

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

/// Building a ZIP in memory fails only on a bug: the cause goes to the log.
impl From<ArchiveError> for AppError {
    fn from(error: ArchiveError) -> Self {
        tracing::error!(%error, "cannot build a ZIP or CSV");
        AppError::Internal
    }
}

/// One code in the archive, with the share link the manifest lists (none when revoked) and the
/// PNGs drawn from it that were asked for.
pub struct ArchivedCode {
    pub code: CodeSummary,
    pub image: Vec<u8>,
    pub share_url: Option<String>,
    pub renditions: Vec<Rendition>,
}

/// A PNG drawn from a code: `kind` names it in the file name and the manifest (`poster`, `logo`).
pub struct Rendition {
    pub kind: &'static str,
    pub png: Vec<u8>,
}

/// The kinds of rendition a ZIP may hold, in their manifest columns' order.
pub const RENDITION_KINDS: [&str; 2] = ["poster", "logo"];

/// The images (stored as they are: they are compressed already) and `manifest.csv`.
pub fn codes_archive(codes: &[ArchivedCode], namer: &FileNamer) -> Result<Vec<u8>, ArchiveError> {
    let mut zip = ImagesZip::new(namer);
    let mut manifest = manifest_writer(&[
        "file",
        "id",
        "scene",
        "page",
        "label",
        "env_version",
        "width",
        "check_path",
        "auto_color",
        "line_color",
        "is_hyaline",
        "image_type",
        "bytes",
        "sha256",
        "created_at",
        "share_url",
        "poster_file",
        "logo_file",
    ])?;
    for ArchivedCode { code, image, share_url, renditions } in codes {
        let name = zip.add(code, image)?;
        let mut rendition_files = RENDITION_KINDS.map(|_| String::new());
        for rendition in renditions {
            let file = zip.add_rendition(code, &name, rendition)?;
            if let Some(n) = RENDITION_KINDS.iter().position(|kind| *kind == rendition.kind) {
                rendition_files[n] = file;
            }
        }
        let r = &code.request;
        manifest.write_record([
            name.as_str(),
            &code.id.to_string(),
            r.scene.as_str(),
            r.page.as_str(),
            code.label.as_str(),
            r.env_version.as_str(),
            &r.width.get().to_string(),
            &r.check_path.to_string(),
            &r.auto_color.to_string(),
            &r.line_color.to_hex(),
            &r.is_hyaline.to_string(),
            code.image_type.mime(),
            &code.byte_size.to_string(),
            &code.sha256,
            &code.created_at,
            share_url.as_deref().unwrap_or(""),
            &rendition_files[0],
            &rendition_files[1],
        ])?;
    }
    zip.finish(manifest)
}

/// One row of a batch job in its ZIP: the image when it was generated, and the
/// facts its manifest line reports either way.
pub struct BatchEntry {
    pub row: i64,
    pub scene: String,
    pub page: String,
    pub label: String,
    pub status: String,
    pub error: String,
    /// The link made for the row (columns link / link_days), if any.
    pub link: String,
    pub generated: Option<ArchivedCode>,
}

/// Every generated image of a job and a manifest with one line per row, failed ones included.
pub fn batch_archive(entries: &[BatchEntry], namer: &FileNamer) -> Result<Vec<u8>, ArchiveError> {
    let mut zip = ImagesZip::new(namer);
    let mut manifest =
        manifest_writer(&["row", "scene", "page", "label", "status", "error", "file", "share_url", "link"])?;
    for entry in entries {
        let (file, share_url) = match &entry.generated {
            Some(ArchivedCode { code, image, share_url, .. }) => {
                (zip.add(code, image)?, share_url.clone().unwrap_or_default())
            }
            None => (String::new(), String::new()),
        };
        manifest.write_record([
            entry.row.to_string().as_str(),
            &entry.scene,
            &entry.page,
            &entry.label,
            &entry.status,
            &entry.error,
            &file,
            &share_url,
            &entry.link,
        ])?;
    }
    zip.finish(manifest)
}

/// A CSV writer with its header row written, after a BOM so Excel reads UTF-8 (Chinese labels).
pub fn manifest_writer(header: &[&str]) -> Result<csv::Writer<Vec<u8>>, ArchiveError> {
    let mut bom = Vec::from("\u{feff}".as_bytes());
    bom.reserve(4096);
    let mut writer = csv::Writer::from_writer(bom);
    writer.write_record(header)?;
    Ok(writer)
}

/// A ZIP filling up with code images under the team's names (numbered on a clash), closed with
/// `manifest.csv`.
struct ImagesZip<'a> {
    zip: ZipWriter<Cursor<Vec<u8>>>,
    namer: &'a FileNamer,
    names: UniqueNames,
}

impl<'a> ImagesZip<'a> {
    fn new(namer: &'a FileNamer) -> Self {
        let mut names = UniqueNames::default();
        names.claim(MANIFEST_STEM, "csv");
        Self { zip: ZipWriter::new(Cursor::new(Vec::new())), namer, names }
    }

    /// Stores the image as it is (it is compressed already); returns the name it got.
    fn add(&mut self, code: &CodeSummary, image: &[u8]) -> Result<String, ArchiveError> {
        let name = self.names.claim(&self.namer.stem(code), code.image_type.extension());
        self.zip.start_file(name.as_str(), entry_options(&code.created_at, CompressionMethod::Stored))?;
        self.zip.write_all(image)?;
        Ok(name)
    }

    /// Stores a PNG drawn from the code beside its image (`original`: the name that got), named
    /// after it so the two sort together.
    fn add_rendition(
        &mut self,
        code: &CodeSummary,
        original: &str,
        rendition: &Rendition,
    ) -> Result<String, ArchiveError> {
        let stem = original.rsplit_once('.').map_or(original, |(stem, _)| stem);
        let name = self.names.claim(&format!("{stem}-{}", rendition.kind), "png");
        self.zip.start_file(name.as_str(), entry_options(&code.created_at, CompressionMethod::Stored))?;
        self.zip.write_all(&rendition.png)?;
        Ok(name)
    }

    fn finish(mut self, manifest: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, ArchiveError> {
        let bytes = manifest.into_inner().map_err(|e| ArchiveError::Io(e.into_error()))?;
        let now = chrono::Utc::now().to_rfc3339();
        self.zip.start_file(MANIFEST_NAME, entry_options(&now, CompressionMethod::Deflated))?;
        self.zip.write_all(&bytes)?;
        Ok(self.zip.finish()?.into_inner())
    }
}

/// ZIP times have no zone; UTC is as good a guess as any and matches the manifest.
fn entry_options(rfc3339: &str, method: CompressionMethod) -> SimpleFileOptions {
    let options = SimpleFileOptions::default().compression_method(method).unix_permissions(0o644);
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .and_then(|t| zip::DateTime::try_from(t.naive_utc()).ok())
        .map_or(options, |t| options.last_modified_time(t))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use chrono_tz::Tz;
    use wxacode::file_name::NameTemplate;

    use super::*;
    use crate::models::codes::tests::code;

    fn entry_names(zip: Vec<u8>) -> Vec<String> {
        let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        (0..archive.len()).map(|i| archive.by_index(i).unwrap().name().to_owned()).collect()
    }

    fn archived(id: i64, scene: &str) -> ArchivedCode {
        let mut summary = code(false, false, false, true);
        summary.id = id;
        summary.request = wxacode::CodeRequest::parse(&wxacode::CodeRequestInput {
            scene: scene.into(),
            ..Default::default()
        })
        .unwrap();
        ArchivedCode { code: summary, image: vec![1, 2, 3], share_url: None, renditions: Vec::new() }
    }

    #[test]
    fn entries_follow_the_template_and_clashes_are_numbered() {
        let namer = FileNamer::new(NameTemplate::parse("{scene}").unwrap(), Tz::UTC, &[]);
        let mut twin = archived(2, "a=1");
        twin.renditions.push(Rendition { kind: "poster", png: vec![9] });
        let codes = [archived(1, "a=1"), twin, archived(3, "manifest")];
        let names = entry_names(codes_archive(&codes, &namer).unwrap());
        assert_eq!(names, ["a_1.jpg", "a_1 (2).jpg", "a_1 (2)-poster.png", "manifest.jpg", MANIFEST_NAME]);
        let mut manifest = String::new();
        let zip = codes_archive(&codes, &namer).unwrap();
        zip::ZipArchive::new(Cursor::new(zip))
            .unwrap()
            .by_name(MANIFEST_NAME)
            .unwrap()
            .read_to_string(&mut manifest)
            .unwrap();
        assert!(
            manifest.contains("a_1 (2).jpg,2,") && manifest.contains(",a_1 (2)-poster.png,"),
            "{manifest}"
        );
    }
}
