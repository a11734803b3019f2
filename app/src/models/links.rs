//! Stored WeChat links (URL Link, URL Scheme, Short Link) as the links page and
//! `/api/links` show them.

use serde::{Deserialize, Serialize};
use wxacode::link::{LinkKind, LinkRequestInput};
use wxacode::{EnvVersion, Message};

/// How close to its end a link counts as expiring (the list's "expires within 7 days").
pub const EXPIRING_DAYS: i64 = 7;
/// Links a page of the list holds at most.
pub const MAX_PAGE: u32 = 200;

/// Where a link stands now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    /// Works, and will for more than 7 days (or for ever).
    Active,
    /// Works, but ends within 7 days: renew it.
    Expiring,
    /// Past its end: WeChat no longer opens it.
    Expired,
}

impl LinkStatus {
    /// From the link's end and the instant now (both RFC 3339, UTC, as stored).
    pub fn at(expires_at: Option<&str>, now: &str, in_seven_days: &str) -> Self {
        match expires_at {
            None => LinkStatus::Active,
            Some(end) if end <= now => LinkStatus::Expired,
            Some(end) if end <= in_seven_days => LinkStatus::Expiring,
            Some(_) => LinkStatus::Active,
        }
    }

    /// As the API and the CSV spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Active => "active",
            LinkStatus::Expiring => "expiring",
            LinkStatus::Expired => "expired",
        }
    }

    pub fn label(self) -> Message {
        match self {
            LinkStatus::Active => Message::new("有效", "Active"),
            LinkStatus::Expiring => Message::new("7 天内到期", "Expires within 7 days"),
            LinkStatus::Expired => Message::new("已过期", "Expired"),
        }
    }
}

/// One stored link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Link {
    pub id: i64,
    /// The mini program (AppID) it opens.
    #[serde(default, rename = "app")]
    pub appid: String,
    pub kind: LinkKind,
    /// As WeChat wrote it: `https://wxaurl.cn/…`, `weixin://dl/business/?t=…` or `#小程序://…`.
    pub url: String,
    /// The page it opens (empty: the home page).
    pub page: String,
    /// What the page's `onLoad(options)` receives, in WeChat's charset.
    pub query: String,
    pub env_version: EnvVersion,
    /// A Short Link's title; empty otherwise.
    pub title: String,
    /// RFC 3339, UTC; `None`: a permanent Short Link.
    pub expires_at: Option<String>,
    /// How many days it was made for (`None`: permanent): what a renewal asks for again.
    pub days: Option<i64>,
    pub status: LinkStatus,
    /// The code it belongs to, when it was made from one.
    pub code_id: Option<i64>,
    /// The link this one renewed.
    pub renewed_from: Option<i64>,
    /// The link that renewed this one, once it has been.
    #[serde(default)]
    pub renewed_by: Option<i64>,
    /// The account (email) or API key ("API key: name") that made it.
    pub created_by: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// A link to make: the request's fields, and optionally the code it belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LinkForm {
    #[serde(flatten)]
    pub request: LinkRequestInput,
    /// Make the link open this code's page with its scene (`scene=…` in the query), so a
    /// visit through the link reaches the page as a scan of the code does. `page` and
    /// `query` must then be left empty.
    #[serde(default)]
    pub code_id: Option<i64>,
    /// The mini program (AppID) to make it for; blank: the default app (a code's link: the code's).
    #[serde(default)]
    pub app: Option<String>,
}

/// Which links a list shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkFilter {
    /// A substring (any case) of the link, its page, query or title.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub kind: Option<LinkKind>,
    /// Only links that still work and end within 7 days.
    #[serde(default)]
    pub expiring: bool,
    /// Only the links of this code.
    #[serde(default)]
    pub code: Option<i64>,
    /// Only the links of this mini program (AppID).
    #[serde(default)]
    pub app: Option<String>,
    /// Set by the service, never by a client: the apps the reader may see (`None`: all).
    #[serde(skip)]
    pub visible_apps: Option<Vec<String>>,
}

/// One page of links, newest first; `next_before` continues it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LinkPage {
    pub links: Vec<Link>,
    pub next_before: Option<i64>,
}

/// A permanent link on the dashboard's own domain, `/go/{token}`: each visit goes on to a
/// URL Link (or Scheme) that still has a day to live, made again when the last runs out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JumpLink {
    pub id: i64,
    /// The mini program (AppID) it opens.
    #[serde(default, rename = "app")]
    pub appid: String,
    /// The public part of `/go/{token}`.
    pub token: String,
    /// `url_link` (redirects everywhere) or `scheme` (iOS is redirected, Android gets a button).
    pub kind: LinkKind,
    pub page: String,
    pub query: String,
    pub env_version: EnvVersion,
    pub label: String,
    pub code_id: Option<i64>,
    /// The WeChat link visits go to now; `None` until the first visit.
    pub current_url: Option<String>,
    /// RFC 3339, UTC: when the current WeChat link ends (a new one is made a day before).
    pub current_expires_at: Option<String>,
    pub clicks: i64,
    pub created_by: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC; a revoked jump link answers 404.
    pub revoked_at: Option<String>,
}

/// A jump link to make.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JumpForm {
    /// `url_link` (default) or `scheme`.
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub page: Option<String>,
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub env_version: Option<String>,
    /// A name for the list, e.g. the campaign.
    #[serde(default)]
    pub label: Option<String>,
    /// Open this code's page with its scene (leave page and query empty).
    #[serde(default)]
    pub code_id: Option<i64>,
    /// The mini program (AppID); blank: the default app (for a code: the code's).
    #[serde(default)]
    pub app: Option<String>,
}

/// Visits of one UTC day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClickDay {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    pub clicks: i64,
}

/// Where a visit of `/go/{token}` goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JumpTarget {
    pub kind: LinkKind,
    pub url: String,
}
