//! Mini programs as the dashboard and the REST API show them. The AppSecret never
//! appears here: it goes in once (a form, a request body) and is never sent back.

use serde::{Deserialize, Serialize};
use wxacode::Message;

/// One mini program the dashboard serves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppView {
    pub appid: String,
    /// Empty for the app from the environment, which the UI names in the reader's language.
    pub name: String,
    /// `#rrggbb`, the badge beside its codes.
    pub colour: String,
    pub initials: String,
    /// Served by the built-in WeChat simulator.
    pub sandbox: bool,
    /// Defined by `WECHAT_APPID` / `WECHAT_SECRET` (or sandbox mode): not editable in the dashboard.
    pub from_env: bool,
    /// The page living codes of this app open.
    pub landing_page: String,
    /// Pages known to be published; empty when unknown (nothing is checked before WeChat).
    pub published_pages: Vec<String>,
    /// `release`, `trial` or `develop`: the generator's default.
    pub env_version: String,
    /// An AppSecret is stored (encrypted) for it; it is never shown.
    pub has_secret: bool,
    /// RFC 3339; empty for the app from the environment.
    pub updated_at: String,
}

impl AppView {
    /// The name to show, in `zh` or English when the app has none of its own.
    pub fn display_name(&self, zh: bool) -> String {
        match (self.name.is_empty(), self.sandbox, zh) {
            (false, _, _) => self.name.clone(),
            (true, true, true) => "沙箱小程序".into(),
            (true, true, false) => "Sandbox mini program".into(),
            (true, false, true) => "默认小程序".into(),
            (true, false, false) => "Default mini program".into(),
        }
    }
}

/// What an admin fills in to add or change an app. `secret` is only read when adding
/// (replacing it is its own action); sandbox apps have none.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppInput {
    pub name: String,
    /// Required for real apps; a sandbox app gets one assigned.
    #[serde(default)]
    pub appid: String,
    #[serde(default)]
    pub secret: String,
    #[serde(default)]
    pub sandbox: bool,
    #[serde(default)]
    pub landing_page: String,
    /// One page per line (or a list through the API, joined by the caller).
    #[serde(default)]
    pub published_pages: String,
    #[serde(default)]
    pub env_version: String,
    #[serde(default)]
    pub colour: String,
    #[serde(default)]
    pub initials: String,
}

/// The outcome of "test connection": WeChat gave a token, or why not, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConnectionReport {
    pub ok: bool,
    pub errcode: Option<i64>,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub message: Message,
}

/// Which apps an account or API key may use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "appids", rename_all = "snake_case")]
pub enum AppScope {
    #[default]
    All,
    Only(Vec<String>),
}

impl AppScope {
    pub fn allows(&self, appid: &str) -> bool {
        match self {
            AppScope::All => true,
            AppScope::Only(appids) => appids.iter().any(|a| a == appid),
        }
    }

    /// From a list of AppIDs: an empty list means every app.
    pub fn from_list(appids: Vec<String>) -> Self {
        if appids.is_empty() {
            AppScope::All
        } else {
            AppScope::Only(appids)
        }
    }
}

/// The apps a person may pick from, and the one their forms start with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppChoices {
    pub apps: Vec<AppView>,
    /// The app last used by this person (or the default app) when they may still use it.
    pub preferred: String,
}

impl AppChoices {
    pub fn find(&self, appid: &str) -> Option<&AppView> {
        self.apps.iter().find(|app| app.appid == appid)
    }
}

/// One account or API key on the access list, and the apps it may use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessHolder {
    /// `account` or `key`.
    pub kind: String,
    pub id: i64,
    /// The email, or the key's name.
    pub name: String,
    pub role: wxacode::Role,
    pub scope: AppScope,
}

/// Whose access an admin changes.
pub const ACCESS_KINDS: [&str; 2] = ["account", "key"];
