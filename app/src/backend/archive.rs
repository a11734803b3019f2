//! ZIP downloads of stored codes: one image per code, named from its label and
//! scene without collisions, and a manifest CSV that spreadsheets open as-is.

use std::collections::HashSet;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::error::AppError;
use crate::models::codes::CodeSummary;

pub const MANIFEST_NAME: &str = "manifest.csv";

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

/// Hands out file names, suffixing `-2`, `-3`… on a repeat. Names differing only in
/// case count as repeats: Windows and macOS would overwrite one with the other.
#[derive(Default)]
pub struct UniqueNames(HashSet<String>);

impl UniqueNames {
    pub fn claim(&mut self, wanted: &str) -> String {
        let (stem, ext) = match wanted.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
            _ => (wanted, String::new()),
        };
        let mut candidate = wanted.to_owned();
        let mut n = 1;
        while !self.0.insert(candidate.to_lowercase()) {
            n += 1;
            candidate = format!("{stem}-{n}{ext}");
        }
        candidate
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
pub fn codes_archive(codes: &[ArchivedCode]) -> Result<Vec<u8>, ArchiveError> {
    let mut zip = ImagesZip::new();
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
            let file = zip.add_rendition(code, rendition)?;
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
pub fn batch_archive(entries: &[BatchEntry]) -> Result<Vec<u8>, ArchiveError> {
    let mut zip = ImagesZip::new();
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

/// A ZIP filling up with code images under unique names, closed with `manifest.csv`.
struct ImagesZip {
    zip: ZipWriter<Cursor<Vec<u8>>>,
    names: UniqueNames,
}

impl ImagesZip {
    fn new() -> Self {
        let mut names = UniqueNames::default();
        names.claim(MANIFEST_NAME);
        Self { zip: ZipWriter::new(Cursor::new(Vec::new())), names }
    }

    /// Stores the image as it is (it is compressed already); returns the name it got.
    fn add(&mut self, code: &CodeSummary, image: &[u8]) -> Result<String, ArchiveError> {
        let name = self.names.claim(&code.file_name());
        self.zip.start_file(name.as_str(), entry_options(&code.created_at, CompressionMethod::Stored))?;
        self.zip.write_all(image)?;
        Ok(name)
    }

    /// Stores a PNG drawn from the code beside its image.
    fn add_rendition(&mut self, code: &CodeSummary, rendition: &Rendition) -> Result<String, ArchiveError> {
        let name = self.names.claim(&code.rendition_file_name(rendition.kind));
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
    use super::*;

    #[test]
    fn repeated_names_get_numbered_before_the_extension() {
        let mut names = UniqueNames::default();
        assert_eq!(names.claim("a.png"), "a.png");
        assert_eq!(names.claim("a.png"), "a-2.png");
        assert_eq!(names.claim("A.PNG"), "A-3.PNG");
        assert_eq!(names.claim("a-2.png"), "a-2-2.png");
        assert_eq!(names.claim("noext"), "noext");
        assert_eq!(names.claim("noext"), "noext-2");
    }

    #[test]
    fn a_code_cannot_take_the_manifests_name() {
        let mut names = UniqueNames::default();
        names.claim(MANIFEST_NAME);
        assert_eq!(names.claim("manifest.csv"), "manifest-2.csv");
    }
}
