//! Draws a real, scannable code image, as WeChat sends it: JPEG on white, or
//! PNG on a transparent background when `is_hyaline`.

use std::io::Cursor;

use image::{imageops, DynamicImage, ImageFormat, Rgba, RgbaImage};
use qrcode::QrCode;

use crate::client::CodeImage;
use crate::image_type::ImageType;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeDrawing {
    /// What the QR code encodes (`page?scene=…`).
    pub content: String,
    /// The mini program the code opens; written into the image's metadata, so tests can
    /// tell which app's token drew it.
    pub appid: String,
    /// Side of the square image in pixels.
    pub width: u32,
    pub color: [u8; 3],
    pub transparent: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("content does not fit in a QR code")]
    Qr(#[from] qrcode::types::QrError),
    #[error("image encoding failed")]
    Encode(#[from] image::ImageError),
}

pub fn render_code(drawing: &CodeDrawing) -> Result<CodeImage, RenderError> {
    let code = QrCode::new(drawing.content.as_bytes())?;
    let [r, g, b] = drawing.color;
    let light = if drawing.transparent { Rgba([255, 255, 255, 0]) } else { Rgba([255, 255, 255, 255]) };
    let symbol: RgbaImage = code
        .render::<Rgba<u8>>()
        .dark_color(Rgba([r, g, b, 255]))
        .light_color(light)
        .quiet_zone(true)
        .max_dimensions(drawing.width, drawing.width)
        .build();
    // The renderer sizes in whole modules; centre it on a canvas of the exact width.
    let mut canvas = RgbaImage::from_pixel(drawing.width, drawing.width, light);
    let x = i64::from(drawing.width.saturating_sub(symbol.width()) / 2);
    let y = i64::from(drawing.width.saturating_sub(symbol.height()) / 2);
    imageops::overlay(&mut canvas, &symbol, x, y);

    let mut bytes = Cursor::new(Vec::new());
    let image_type = if drawing.transparent {
        DynamicImage::ImageRgba8(canvas).write_to(&mut bytes, ImageFormat::Png)?;
        ImageType::Png
    } else {
        DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(canvas).to_rgb8())
            .write_to(&mut bytes, ImageFormat::Jpeg)?;
        ImageType::Jpeg
    };
    let bytes =
        with_comment(bytes.into_inner(), image_type, &format!("wxacode-simulator appid={};", drawing.appid));
    Ok(CodeImage { bytes, image_type })
}

/// Adds a text comment to an encoded image: a JPEG COM segment after SOI, or a PNG tEXt
/// chunk after IHDR. Readers ignore both.
fn with_comment(mut bytes: Vec<u8>, image_type: ImageType, text: &str) -> Vec<u8> {
    match image_type {
        ImageType::Jpeg => {
            let length = (text.len() + 2) as u16;
            let mut segment = vec![0xFF, 0xFE];
            segment.extend_from_slice(&length.to_be_bytes());
            segment.extend_from_slice(text.as_bytes());
            bytes.splice(2..2, segment);
        }
        ImageType::Png => {
            // Signature (8) + IHDR (4 length + 4 type + 13 data + 4 CRC).
            const AFTER_IHDR: usize = 8 + 25;
            let mut data = b"Comment\0".to_vec();
            data.extend_from_slice(text.as_bytes());
            let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
            let mut hasher = crc32fast::Hasher::new();
            hasher.update(b"tEXt");
            hasher.update(&data);
            chunk.extend_from_slice(b"tEXt");
            chunk.extend_from_slice(&data);
            chunk.extend_from_slice(&hasher.finalize().to_be_bytes());
            bytes.splice(AFTER_IHDR..AFTER_IHDR, chunk);
        }
        // The simulator never draws one.
        ImageType::Gif => {}
    }
    bytes
}

/// The AppID a simulator image says drew it.
pub fn drawn_for(bytes: &[u8]) -> Option<String> {
    let marker = b"wxacode-simulator appid=";
    let start = bytes.windows(marker.len()).position(|w| w == marker)? + marker.len();
    let rest = &bytes[start..];
    let end = rest.iter().position(|b| *b == b';')?;
    String::from_utf8(rest[..end].to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawing(transparent: bool) -> CodeDrawing {
        CodeDrawing {
            content: "pages/index/index?scene=id=1".into(),
            appid: "wx1234567890abcdef".into(),
            width: 430,
            color: [200, 0, 0],
            transparent,
        }
    }

    #[test]
    fn an_opaque_code_is_a_jpeg_of_the_requested_width() {
        let image = render_code(&drawing(false)).unwrap();
        assert_eq!(image.image_type, ImageType::Jpeg);
        assert_eq!(ImageType::sniff(&image.bytes), Some(ImageType::Jpeg));
        let decoded = image::load_from_memory(&image.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (430, 430));
        assert_eq!(drawn_for(&image.bytes).as_deref(), Some("wx1234567890abcdef"));
    }

    #[test]
    fn a_hyaline_code_is_a_png_with_a_transparent_background_and_the_line_colour() {
        let image = render_code(&drawing(true)).unwrap();
        assert_eq!(ImageType::sniff(&image.bytes), Some(ImageType::Png));
        let decoded = image::load_from_memory(&image.bytes).unwrap().to_rgba8();
        assert_eq!(decoded.get_pixel(0, 0).0[3], 0, "corner should be transparent");
        assert!(decoded.pixels().any(|p| p.0 == [200, 0, 0, 255]), "line colour should be drawn");
        assert_eq!(drawn_for(&image.bytes).as_deref(), Some("wx1234567890abcdef"));
    }

    #[test]
    fn extreme_widths_are_drawn_exactly() {
        for width in [280, 1280] {
            let image = render_code(&CodeDrawing { width, ..drawing(true) }).unwrap();
            let decoded = image::load_from_memory(&image.bytes).unwrap();
            assert_eq!(decoded.width(), width);
        }
    }
}
