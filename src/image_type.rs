//! The type of an image, told by its first bytes rather than a header.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageType {
    Jpeg,
    Png,
    Gif,
}

impl ImageType {
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(ImageType::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageType::Gif)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            ImageType::Jpeg => "image/jpeg",
            ImageType::Png => "image/png",
            ImageType::Gif => "image/gif",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageType::Jpeg => "jpg",
            ImageType::Png => "png",
            ImageType::Gif => "gif",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImageType::Jpeg => "jpeg",
            ImageType::Png => "png",
            ImageType::Gif => "gif",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [ImageType::Jpeg, ImageType::Png, ImageType::Gif].into_iter().find(|t| t.as_str() == name)
    }
}

/// Whether a response body is WeChat's errcode JSON rather than an image.
pub fn looks_like_json(content_type: Option<&str>, bytes: &[u8]) -> bool {
    let declared = content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    declared || first == Some(&b'{')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_magic_bytes_of_each_type() {
        assert_eq!(ImageType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(ImageType::Jpeg));
        assert_eq!(ImageType::sniff(b"\x89PNG\r\n\x1a\n...."), Some(ImageType::Png));
        assert_eq!(ImageType::sniff(b"GIF89a..."), Some(ImageType::Gif));
        assert_eq!(ImageType::sniff(b"GIF87a..."), Some(ImageType::Gif));
    }

    #[test]
    fn does_not_mistake_other_bytes_for_an_image() {
        for bytes in [&b""[..], b"\xFF\xD8", b"\x89PNG", b"{\"errcode\":1}", b"<html>", b"garbage"] {
            assert_eq!(ImageType::sniff(bytes), None, "{bytes:?}");
        }
    }

    #[test]
    fn names_and_extensions_match_the_type() {
        for t in [ImageType::Jpeg, ImageType::Png, ImageType::Gif] {
            assert_eq!(ImageType::from_name(t.as_str()), Some(t));
            assert!(t.mime().ends_with(t.as_str()));
        }
        assert_eq!(ImageType::Jpeg.extension(), "jpg");
    }

    #[test]
    fn json_is_recognised_by_header_or_by_body() {
        assert!(looks_like_json(Some("application/json; charset=utf-8"), b"x"));
        assert!(looks_like_json(Some("text/plain"), b"  {\"errcode\":40001}"));
        assert!(looks_like_json(None, b"{}"));
        assert!(!looks_like_json(Some("image/jpeg"), &[0xFF, 0xD8, 0xFF]));
    }
}
