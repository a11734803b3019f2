//! Centre logos: whose logo it is, and what the API says about one.

use serde::{Deserialize, Serialize};

/// The largest logo upload.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

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
