//! What the browser receives about stored codes.

use serde::{Deserialize, Serialize};
use wxacode::{CodeRequest, ImageType};

/// A stored code without its image bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSummary {
    pub id: i64,
    pub request: CodeRequest,
    pub image_type: ImageType,
    pub byte_size: i64,
    pub sha256: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub share_token: String,
}

impl CodeSummary {
    pub fn image_url(&self) -> String {
        format!("/api/codes/{}/image", self.id)
    }

    pub fn share_path(&self) -> String {
        format!("/s/{}", self.share_token)
    }

    /// A file name for downloads: the scene made safe for file systems.
    pub fn file_name(&self) -> String {
        download_file_name(self.request.scene.as_str(), self.image_type)
    }
}

/// The answer to a generation: the code, and whether it was already stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedCode {
    pub code: CodeSummary,
    pub reused: bool,
}

/// Facts the UI shows about the running instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceInfo {
    pub sandbox: bool,
    pub appid: String,
}

pub fn download_file_name(scene: &str, image_type: ImageType) -> String {
    let stem: String = scene
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_matches('.');
    let stem = if stem.is_empty() { "wxacode" } else { stem };
    format!("wxacode-{stem}.{}", image_type.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_carry_the_right_extension() {
        assert_eq!(
            download_file_name("id=123&type=product", ImageType::Jpeg),
            "wxacode-id_123_type_product.jpg"
        );
        assert_eq!(
            download_file_name("a/b:c", ImageType::Png),
            "wxacode-a_b_c.png"
        );
        assert_eq!(
            download_file_name("..", ImageType::Png),
            "wxacode-wxacode.png"
        );
        assert_eq!(
            download_file_name("v1.2", ImageType::Png),
            "wxacode-v1.2.png"
        );
    }
}
