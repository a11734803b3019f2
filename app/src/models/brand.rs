//! Centre logos: whose logo it is, and what the API says about one.

use serde::{Deserialize, Serialize};
use wxacode::poster::PosterInput;

/// The largest logo upload.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// The refusal of a logo over [`MAX_LOGO_BYTES`], with its size in KB when known.
pub fn logo_too_large(kb: Option<usize>) -> crate::error::AppError {
    let max = MAX_LOGO_BYTES / 1024;
    let message = match kb {
        Some(kb) => wxacode::Message::new(
            format!("标志图片最大 {max} KB，这张有 {kb} KB"),
            format!("A logo is at most {max} KB; this one is {kb} KB"),
        ),
        None => {
            wxacode::Message::new(format!("标志图片最大 {max} KB"), format!("A logo is at most {max} KB"))
        }
    };
    crate::error::AppError::TooLarge { message }
}

/// Whose logo: an app's (used by all its codes) or one code's (wins over its app's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogoOwner {
    App(String),
    Code(i64),
}

impl LogoOwner {
    /// Its key in storage.
    pub fn key(&self) -> String {
        match self {
            LogoOwner::App(appid) => format!("app:{appid}"),
            LogoOwner::Code(id) => format!("code:{id}"),
        }
    }
}

/// A stored logo.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogoView {
    /// `app` or `code`: whose logo it is.
    pub owner: String,
    /// The app's AppID, for an app's logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    /// The code's id, for a code's own logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_id: Option<i64>,
    /// Of the stored PNG (changes with every new logo, so it can key a cache).
    pub sha256: String,
    pub width: u32,
    pub height: u32,
}

impl LogoView {
    pub fn new(owner: &LogoOwner, sha256: &str, width: u32, height: u32) -> Self {
        let (kind, app, code_id) = match owner {
            LogoOwner::App(appid) => ("app", Some(appid.clone()), None),
            LogoOwner::Code(id) => ("code", None, Some(*id)),
        };
        Self { owner: kind.to_owned(), app, code_id, sha256: sha256.to_owned(), width, height }
    }
}

/// The address query of a poster, in the REST API's names (defaults left out).
pub fn poster_query(input: &PosterInput) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(size) = input.size {
        query.append_pair("size", &size.to_string());
    }
    if let Some(padding) = input.padding {
        query.append_pair("padding", &padding.to_string());
    }
    if let Some(lines) = &input.lines {
        query.append_pair("lines", lines);
    }
    if let Some(text) = &input.text {
        query.append_pair("text", text);
    }
    query.finish()
}

/// What a ZIP of codes holds besides each original: `with=poster,logo`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZipExtras {
    /// Each code's poster (default settings: label and scene under it).
    pub poster: bool,
    /// Each code with its logo, for the codes that have one (their own or their app's).
    pub logo: bool,
}

impl ZipExtras {
    pub fn parse(raw: Option<&str>) -> Result<Self, String> {
        let mut extras = Self::default();
        for part in raw.unwrap_or_default().split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "poster" => extras.poster = true,
                "logo" => extras.logo = true,
                other => {
                    return Err(format!("with takes poster and logo, separated by commas, not {other:?}"))
                }
            }
        }
        Ok(extras)
    }

    pub fn any(self) -> bool {
        self.poster || self.logo
    }

    /// `poster,logo`, as `with=` spells it.
    pub fn as_query(self) -> String {
        [(self.poster, "poster"), (self.logo, "logo")]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| name)
            .collect::<Vec<_>>()
            .join(",")
    }
}
