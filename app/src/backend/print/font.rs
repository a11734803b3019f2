//! The font labels are printed in: one face of a CJK-capable font file (Debian's
//! `fonts-noto-cjk` by default), measured here so text is fitted before it is drawn, and
//! embedded (subset to the glyphs used) by the PDF writer.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use skrifa::instance::{LocationRef, Size};
use skrifa::raw::{FileRef, TableProvider};
use skrifa::{FontRef, MetadataProvider};

/// Where Debian's `fonts-noto-cjk` puts Noto Sans CJK.
pub const DEFAULT_FONT_PATH: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("cannot read the print font {path}: {source} (install Debian's fonts-noto-cjk, or set WXACODE_PRINT_FONT to a TTF/OTF/TTC with Chinese glyphs)")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("the print font {path} has no face with Chinese glyphs (set WXACODE_PRINT_FONT to a TTF/OTF/TTC with Chinese glyphs)")]
    NoChinese { path: PathBuf },
}

/// A loaded face: its bytes (one copy, shared with the PDF writer), which face of the file, and
/// its advance widths.
pub struct PrintFont {
    data: Arc<Vec<u8>>,
    index: u32,
    units_per_em: f64,
    /// For text drawn with it.
    pub krilla: krilla::text::Font,
}

impl std::fmt::Debug for PrintFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrintFont").field("index", &self.index).field("bytes", &self.data.len()).finish()
    }
}

impl PrintFont {
    /// Loads the file at `path`; in a collection, the Simplified Chinese face (else the first
    /// face that has Chinese glyphs).
    pub fn load(path: &Path) -> Result<Self, FontError> {
        let data = Arc::new(
            std::fs::read(path).map_err(|source| FontError::Unreadable { path: path.to_owned(), source })?,
        );
        let no_chinese = || FontError::NoChinese { path: path.to_owned() };
        let index = chinese_face(&data).ok_or_else(no_chinese)?;
        let units_per_em = FontRef::from_index(&data, index)
            .ok()
            .and_then(|font| font.head().ok())
            .map(|head| f64::from(head.units_per_em()))
            .ok_or_else(no_chinese)?;
        let krilla = krilla::text::Font::new(Arc::clone(&data).into(), index).ok_or_else(no_chinese)?;
        Ok(Self { data, index, units_per_em, krilla })
    }

    /// `text` without the characters this font cannot draw (emoji in Noto Sans CJK, say), which
    /// would print as empty boxes; the spaces they leave are closed up.
    pub fn printable(&self, text: &str) -> String {
        let Ok(font) = FontRef::from_index(&self.data, self.index) else {
            return text.to_owned();
        };
        let charmap = font.charmap();
        let kept: String = text.chars().filter(|c| c.is_whitespace() || charmap.map(*c).is_some()).collect();
        kept.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The face for rasterising (posters), read from the same bytes.
    pub fn glyphs(&self) -> Result<ab_glyph::FontRef<'_>, String> {
        ab_glyph::FontRef::try_from_slice_and_index(&self.data, self.index).map_err(|e| e.to_string())
    }

    /// The width of `text` in ems (a character the font lacks counts as one em).
    pub fn em_width(&self, text: &str) -> f64 {
        let Ok(font) = FontRef::from_index(&self.data, self.index) else {
            return text.chars().count() as f64;
        };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
        text.chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|glyph| metrics.advance_width(glyph))
                    .map_or(1.0, |w| f64::from(w) / self.units_per_em)
            })
            .sum()
    }
}

/// The face to print with: a "SC" face when the file is a collection of regional faces.
fn chinese_face(data: &[u8]) -> Option<u32> {
    let count = match FileRef::new(data).ok()? {
        FileRef::Font(_) => 1,
        FileRef::Collection(collection) => collection.len(),
    };
    let has_chinese =
        |index: u32| FontRef::from_index(data, index).is_ok_and(|font| font.charmap().map('码').is_some());
    let is_simplified = |index: u32| {
        FontRef::from_index(data, index).is_ok_and(|font| {
            font.localized_strings(skrifa::string::StringId::FAMILY_NAME)
                .any(|name| name.to_string().ends_with(" SC"))
        })
    };
    let faces = 0..count;
    faces
        .clone()
        .find(|i| is_simplified(*i) && has_chinese(*i))
        .or_else(|| faces.clone().find(|i| has_chinese(*i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_font_has_a_simplified_chinese_face_measured_in_ems() {
        // Installed with the test tools (`scripts/install-tools.sh test`).
        let font = PrintFont::load(Path::new(DEFAULT_FONT_PATH)).expect("fonts-noto-cjk is installed");
        assert!((font.em_width("码") - 1.0).abs() < 0.01, "CJK is one em wide");
        let latin = font.em_width("id");
        assert!(latin > 0.3 && latin < 1.5, "{latin}");
        assert_eq!(font.printable("🎉 双十一  Sale 🛒"), "双十一 Sale", "no empty boxes for emoji");
    }

    #[test]
    fn a_missing_font_names_the_setting_and_the_package() {
        let error = PrintFont::load(Path::new("/nowhere/font.ttc")).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("WXACODE_PRINT_FONT") && text.contains("fonts-noto-cjk"), "{text}");
    }
}
