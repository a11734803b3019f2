//! Posters (the code on a white card with its caption under it) and the centre-logo rendition,
//! drawn as PNG. Both start from the decoded original, which is never changed.

use std::io::Cursor;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::imageops::{self, FilterType};
use image::{DynamicImage, ImageFormat, ImageReader, Limits, Rgba, RgbaImage};
use wxacode::label_sheet::LINE_HEIGHT;
use wxacode::poster::{poster_layout, PosterChoice};

use super::font::PrintFont;

/// Decoding limits for any image this module reads: a code is at most 1280 px; a logo is
/// refused above 4096 px a side before a pixel is allocated.
const MAX_SIDE: u32 = 4096;
const MAX_DECODE_BYTES: u64 = 128 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum DrawError {
    #[error("the image cannot be read: {0}")]
    Unreadable(String),
    #[error("the image is {width} × {height} pixels; at most {MAX_SIDE} a side")]
    TooBig { width: u32, height: u32 },
    #[error("the PNG could not be written: {0}")]
    Encode(String),
    /// A logo that would shrink to a line in the centre circle.
    #[error("the logo is {width} × {height} pixels; too thin or too small to show")]
    Proportions { width: u32, height: u32 },
}

/// A logo narrower than this, or longer than [`MAX_LOGO_ASPECT`] times its breadth, would be a
/// speck or a hairline in the centre circle.
pub const MIN_LOGO_SIDE: u32 = 16;
pub const MAX_LOGO_ASPECT: u32 = 4;

/// Decodes PNG or JPEG (told by its bytes, not its name) within the limits: the header is read
/// first, so an oversized image is refused before a pixel is allocated.
pub fn decode(bytes: &[u8]) -> Result<RgbaImage, DrawError> {
    let reader = || {
        let reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| DrawError::Unreadable(e.to_string()))?;
        match reader.format() {
            Some(ImageFormat::Png | ImageFormat::Jpeg) => Ok(reader),
            _ => Err(DrawError::Unreadable("not a PNG or JPEG".into())),
        }
    };
    let (width, height) = reader()?.into_dimensions().map_err(|e| DrawError::Unreadable(e.to_string()))?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(DrawError::TooBig { width, height });
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = reader()?;
    reader.limits(limits);
    reader.decode().map(|image| image.to_rgba8()).map_err(|e| DrawError::Unreadable(e.to_string()))
}

pub fn encode_png(image: &RgbaImage) -> Result<Vec<u8>, DrawError> {
    let mut bytes = Cursor::new(Vec::new());
    DynamicImage::ImageRgba8(image.clone())
        .write_to(&mut bytes, ImageFormat::Png)
        .map_err(|e| DrawError::Encode(e.to_string()))?;
    Ok(bytes.into_inner())
}

/// The code on a white card, resized to the asked side, its lines centred under it.
pub fn poster(
    code: &RgbaImage,
    lines: &[String],
    choice: &PosterChoice,
    font: &PrintFont,
) -> Result<Vec<u8>, DrawError> {
    let side = choice.size.unwrap_or(code.width()).max(1);
    let face = font.glyphs().map_err(DrawError::Unreadable)?;
    let lines: Vec<String> = lines.iter().map(|line| font.printable(line)).collect();
    let layout = poster_layout(side, choice.padding, &lines, |line| font.em_width(line));
    let white = Rgba([255, 255, 255, 255]);
    let mut card = RgbaImage::from_pixel(layout.width, layout.height, white);
    let resized;
    let code = if code.width() == side && code.height() == side {
        code
    } else {
        resized = imageops::resize(code, side, side, FilterType::Lanczos3);
        &resized
    };
    // A transparent code (is_hyaline) lands on the white card.
    imageops::overlay(&mut card, code, i64::from(layout.code_x), i64::from(layout.code_y));
    let size = layout.text.size_pt as f32;
    let scaled = face.as_scaled(em_scale(&face, size));
    let line_height = f64::from(size) * LINE_HEIGHT;
    for (n, line) in layout.text.lines.iter().enumerate() {
        let width = font.em_width(line) * f64::from(size);
        let left = (f64::from(layout.width) - width) / 2.0;
        // The baseline: the line's box top plus the ascent, the leading split above and below.
        let top = f64::from(layout.text_top) + line_height * n as f64;
        let baseline = top
            + (line_height - f64::from(scaled.ascent() - scaled.descent())) / 2.0
            + f64::from(scaled.ascent());
        draw_line(&mut card, &face, size, line, left as f32, baseline as f32);
    }
    encode_png(&card)
}

/// `size` pixels to the em. (ab_glyph's own scale is the height from descender to ascender,
/// which would draw text narrower than the em widths it was fitted and centred with.)
fn em_scale(face: &FontRef<'_>, size: f32) -> PxScale {
    let units_per_em = face.units_per_em().unwrap_or(1000.0);
    PxScale::from(size * face.height_unscaled() / units_per_em)
}

/// Black text, each glyph's coverage blended onto the card.
fn draw_line(card: &mut RgbaImage, face: &FontRef<'_>, size: f32, line: &str, left: f32, baseline: f32) {
    let scale = em_scale(face, size);
    let scaled = face.as_scaled(scale);
    let mut x = left;
    for c in line.chars() {
        let id = face.glyph_id(c);
        let glyph = id.with_scale_and_position(scale, ab_glyph::point(x, baseline));
        x += scaled.h_advance(id);
        let Some(outlined) = face.outline_glyph(glyph) else { continue };
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            let px = bounds.min.x as i64 + i64::from(gx);
            let py = bounds.min.y as i64 + i64::from(gy);
            if px < 0 || py < 0 || px >= i64::from(card.width()) || py >= i64::from(card.height()) {
                return;
            }
            let pixel = card.get_pixel_mut(px as u32, py as u32);
            let keep = 1.0 - coverage.clamp(0.0, 1.0);
            for channel in 0..3 {
                pixel.0[channel] = (f32::from(pixel.0[channel]) * keep).round() as u8;
            }
        });
    }
}

/// The white circle's diameter as a share of the code's side: inside the avatar WeChat leaves in
/// the middle of every mini program code, and small enough for a plain QR code's error correction.
pub const LOGO_CIRCLE_SHARE: f64 = 0.22;
/// The logo fits in this share of the circle's diameter (a square a little inside the circle).
const LOGO_IN_CIRCLE: f64 = 0.68;
/// Uploaded logos are kept at most this many pixels a side.
pub const STORED_LOGO_SIDE: u32 = 512;

/// A logo as stored: fitted within [`STORED_LOGO_SIDE`], re-encoded as PNG (nothing of the
/// uploaded file but its pixels is kept).
pub fn normalised_logo(bytes: &[u8]) -> Result<(Vec<u8>, u32, u32), DrawError> {
    let logo = decode(bytes)?;
    let (width, height) = logo.dimensions();
    let (short, long) = (width.min(height), width.max(height));
    if short < MIN_LOGO_SIDE || long > short * MAX_LOGO_ASPECT {
        return Err(DrawError::Proportions { width, height });
    }
    let logo = if logo.width() > STORED_LOGO_SIDE || logo.height() > STORED_LOGO_SIDE {
        DynamicImage::ImageRgba8(logo)
            .resize(STORED_LOGO_SIDE, STORED_LOGO_SIDE, FilterType::Lanczos3)
            .to_rgba8()
    } else {
        logo
    };
    Ok((encode_png(&logo)?, logo.width(), logo.height()))
}

/// The code with `logo` in a white circle over its centre; everything outside the circle is the
/// original's pixels, untouched.
pub fn with_logo(code: &RgbaImage, logo: &RgbaImage) -> RgbaImage {
    let mut out = code.clone();
    let side = f64::from(code.width().min(code.height()));
    let radius = side * LOGO_CIRCLE_SHARE / 2.0;
    let (cx, cy) = (f64::from(code.width()) / 2.0, f64::from(code.height()) / 2.0);
    let first = |c: f64| (c - radius - 1.0).floor().max(0.0) as u32;
    let last = |c: f64, limit: u32| ((c + radius + 1.0).ceil() as u32).min(limit);
    for y in first(cy)..last(cy, code.height()) {
        for x in first(cx)..last(cx, code.width()) {
            let distance = ((f64::from(x) + 0.5 - cx).powi(2) + (f64::from(y) + 0.5 - cy).powi(2)).sqrt();
            // Anti-aliased edge: a pixel half inside is half white.
            let cover = (radius - distance + 0.5).clamp(0.0, 1.0);
            if cover > 0.0 {
                blend(out.get_pixel_mut(x, y), Rgba([255, 255, 255, 255]), cover);
            }
        }
    }
    let room = (radius * 2.0 * LOGO_IN_CIRCLE).floor().max(1.0) as u32;
    let fitted = DynamicImage::ImageRgba8(logo.clone()).resize(room, room, FilterType::Lanczos3).to_rgba8();
    let left = (cx - f64::from(fitted.width()) / 2.0).round() as i64;
    let top = (cy - f64::from(fitted.height()) / 2.0).round() as i64;
    imageops::overlay(&mut out, &fitted, left, top);
    out
}

/// `pixel` moved `share` of the way to `over` (alpha included).
fn blend(pixel: &mut Rgba<u8>, over: Rgba<u8>, share: f64) {
    for channel in 0..4 {
        let (below, above) = (f64::from(pixel.0[channel]), f64::from(over.0[channel]));
        pixel.0[channel] = (below + (above - below) * share).round() as u8;
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use wxacode::poster::PosterInput;

    use super::*;
    use crate::backend::print::font::DEFAULT_FONT_PATH;

    fn code() -> RgbaImage {
        decode(&crate::backend::print::sample_code().bytes).expect("decoded")
    }

    fn red_logo(width: u32, height: u32) -> Vec<u8> {
        encode_png(&RgbaImage::from_pixel(width, height, Rgba([220, 0, 0, 255]))).expect("png")
    }

    #[test]
    fn a_logo_changes_only_the_centre_and_sits_on_white() {
        let original = code();
        let (stored, w, h) = normalised_logo(&red_logo(1200, 600)).expect("a logo");
        assert_eq!((w, h), (512, 256), "fitted, aspect kept");
        assert!(matches!(normalised_logo(&red_logo(4000, 10)), Err(DrawError::Proportions { .. })));
        assert!(matches!(normalised_logo(&red_logo(8, 8)), Err(DrawError::Proportions { .. })));
        let branded = with_logo(&original, &decode(&stored).unwrap());
        let radius = 430.0 * LOGO_CIRCLE_SHARE / 2.0;
        let mut changed = 0;
        for (x, y, pixel) in branded.enumerate_pixels() {
            let distance =
                ((f64::from(x) + 0.5 - 215.0).powi(2) + (f64::from(y) + 0.5 - 215.0).powi(2)).sqrt();
            if distance > radius + 1.0 {
                assert_eq!(pixel, original.get_pixel(x, y), "({x}, {y}) is outside the circle");
            } else if pixel != original.get_pixel(x, y) {
                changed += 1;
            }
        }
        assert!(changed > 1000, "the centre changed: {changed} pixels");
        assert_eq!(branded.get_pixel(215, 215).0, [220, 0, 0, 255], "the logo in the middle");
        let ring = branded.get_pixel(215, (215.0 - radius + 2.0) as u32).0;
        assert_eq!(ring, [255, 255, 255, 255], "white between the logo and the code");
    }

    #[test]
    fn what_is_not_a_small_png_or_jpeg_is_refused_before_decoding() {
        assert!(matches!(decode(b"GIF89a...."), Err(DrawError::Unreadable(_))));
        assert!(matches!(decode(b"\x89PNG\r\n\x1a\nbroken"), Err(DrawError::Unreadable(_))));
        // A PNG header claiming 20000 × 20000 (a decompression bomb's shape) is refused by its header.
        let mut ihdr = 20_000u32.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
        bomb.extend(chunk(b"IHDR", &ihdr));
        bomb.extend(chunk(b"IDAT", &[]));
        bomb.extend(chunk(b"IEND", &[]));
        assert!(
            matches!(decode(&bomb), Err(DrawError::TooBig { width: 20_000, height: 20_000 })),
            "{:?}",
            decode(&bomb)
        );
    }

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
        chunk.extend_from_slice(kind);
        chunk.extend_from_slice(data);
        let crc = crc32(&chunk[4..]);
        chunk.extend_from_slice(&crc.to_be_bytes());
        chunk
    }

    /// PNG's CRC-32 (for the hand-made header above).
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn a_poster_is_the_code_on_a_card_with_its_caption() {
        let font = PrintFont::load(Path::new(DEFAULT_FONT_PATH)).expect("fonts-noto-cjk is installed");
        let choice =
            PosterInput { size: Some(300), padding: Some(20), ..PosterInput::default() }.check().unwrap();
        let png =
            poster(&code(), &["双十一 · 上海".into(), "id=1".into()], &choice, &font).expect("a poster");
        let card = decode(&png).expect("a PNG");
        assert_eq!(card.width(), 340);
        assert!(card.height() > 340 + 20, "room for the caption: {}", card.height());
        let caption = (0..card.width())
            .flat_map(|x| (320..card.height()).map(move |y| (x, y)))
            .filter(|&(x, y)| card.get_pixel(x, y).0[0] < 128)
            .count();
        assert!(caption > 200, "dark caption pixels under the code: {caption}");
        // Centred: as much white left of the caption's ink as right of it.
        let ink: Vec<u32> = (0..card.width())
            .filter(|&x| (330..card.height()).any(|y| card.get_pixel(x, y).0[0] < 128))
            .collect();
        let (left, right) = (ink[0], card.width() - 1 - ink[ink.len() - 1]);
        assert!(left.abs_diff(right) <= 4, "caption margins {left} and {right}");
        assert_eq!(card.get_pixel(5, 5).0, [255, 255, 255, 255], "a white border");
    }
}
