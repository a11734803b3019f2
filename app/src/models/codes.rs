//! Stored codes as the pages (and, through their REST views, API clients) see them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use wxacode::{CodeRequest, CodeRequestInput, EnvVersion, ImageType, Label, LivingStatus, Problem};

use crate::urls;

/// What the generator form (or a REST client) submits: WeChat's parameters and a label.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GenerateForm {
    #[serde(flatten)]
    pub input: CodeRequestInput,
    /// A campaign or channel name kept with the code (up to 100 characters; not sent to WeChat).
    #[serde(default)]
    pub label: String,
    /// The mini program (AppID) to generate for; blank: the default app.
    #[serde(default)]
    pub app: Option<String>,
}

impl GenerateForm {
    /// Every problem of a direct code's parameters and label, in form order.
    pub fn parse(&self) -> Result<(CodeRequest, Label), Vec<Problem>> {
        let parsed = self.parse_any_scene();
        match wxacode::living::direct_scene_problem(&self.input.scene) {
            None => parsed,
            Some(problem) => {
                let mut problems = parsed.err().unwrap_or_default();
                problems.insert(0, problem);
                Err(problems)
            }
        }
    }

    /// Like [`parse`](Self::parse), but a living code's key is a scene like any other.
    pub fn parse_any_scene(&self) -> Result<(CodeRequest, Label), Vec<Problem>> {
        let request = CodeRequest::parse(&self.input);
        let label = Label::parse(&self.label);
        match (request, label) {
            (Ok(request), Ok(label)) => Ok((request, label)),
            (request, label) => {
                let mut problems = request.err().unwrap_or_default();
                problems.extend(label.err());
                Err(problems)
            }
        }
    }
}

/// What the history shows of a living code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LivingBrief {
    /// What a resolve answers now.
    pub status: LivingStatus,
    pub scans: i64,
    /// Where it leads now (its parameters are on the code's page).
    #[serde(default)]
    pub target_page: String,
}

/// A stored code without its image bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSummary {
    pub id: i64,
    /// The mini program (AppID) it opens.
    #[serde(default)]
    pub appid: String,
    pub request: CodeRequest,
    pub label: Label,
    pub image_type: ImageType,
    pub byte_size: i64,
    pub sha256: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub share_token: String,
    /// False once the share link was revoked or has expired, or the code was deleted.
    pub share_active: bool,
    /// RFC 3339, when the share link was revoked.
    #[serde(default)]
    pub share_revoked_at: Option<String>,
    /// RFC 3339, when the share link ends by itself.
    #[serde(default)]
    pub share_expires_at: Option<String>,
    /// Whether the public share page shows the label and page (internal names stay inside otherwise).
    #[serde(default)]
    pub share_shows_label: bool,
    /// RFC 3339, set when the code was (softly) deleted.
    pub deleted_at: Option<String>,
    /// The account (email) or API key ("API key: name") that first generated it; empty before accounts.
    #[serde(default)]
    pub created_by: String,
    /// Set for a living code (活码): its status and scans.
    #[serde(default)]
    pub living: Option<LivingBrief>,
}

impl CodeSummary {
    /// The generator's form that makes this code.
    pub fn generate_form(&self) -> GenerateForm {
        GenerateForm {
            input: self.request.to_input(),
            label: self.label.as_str().to_owned(),
            app: Some(self.appid.clone()),
        }
    }

    pub fn image_url(&self) -> String {
        urls::code_image(self.id)
    }

    pub fn share_path(&self) -> String {
        urls::share_path(&self.share_token)
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }

    /// Why the share link works or not, as its page should say.
    pub fn share_state(&self) -> ShareState {
        if self.share_active {
            ShareState::Active
        } else if self.share_revoked_at.is_some() {
            ShareState::Revoked
        } else if self.is_deleted() {
            ShareState::CodeDeleted
        } else {
            ShareState::Expired
        }
    }
}

/// Whether a share link opens its page, and if not, why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareState {
    Active,
    /// Someone revoked it (whether or not it also had an expiry).
    Revoked,
    /// Its expiry passed.
    Expired,
    /// The code is deleted; restoring it brings the link back.
    CodeDeleted,
}

/// Most codes one ZIP download holds: a campaign's worth, while one archive in memory stays small.
pub const MAX_ARCHIVE_CODES: usize = 500;

/// Which codes the history shows. The page URL and `GET /api/codes` carry it
/// in one spelling (see [`HistoryFilter::PARAMS`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryFilter {
    /// A substring of scene, page, label, or a living code's target and `key=value` parameters.
    pub search: Option<String>,
    pub env_version: Option<EnvVersion>,
    /// Inclusive days.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Show deleted codes instead of live ones.
    pub deleted: bool,
    /// Only the codes of this batch job.
    #[serde(default)]
    pub batch: Option<i64>,
    /// Only living codes (活码).
    #[serde(default)]
    pub living: bool,
    /// The order: newest first, or most scanned first.
    #[serde(default)]
    pub sort: HistorySort,
    /// The IANA time zone whose days `from` and `to` name (UTC when unset).
    #[serde(default)]
    pub tz: Option<String>,
    /// Only the codes of this mini program (AppID).
    #[serde(default)]
    pub app: Option<String>,
    /// Set by the service, never by a client: the apps the reader may see (`None`: all).
    #[serde(skip)]
    pub visible_apps: Option<Vec<String>>,
}

/// The order of the history.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistorySort {
    #[default]
    Newest,
    /// Most scanned living codes first (then the newest); direct codes last.
    Scans,
}

impl HistorySort {
    pub fn as_str(self) -> &'static str {
        match self {
            HistorySort::Newest => "newest",
            HistorySort::Scans => "scans",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [HistorySort::Newest, HistorySort::Scans].into_iter().find(|s| s.as_str() == raw)
    }
}

/// A history query that could not be read, e.g. a date that is no date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadParam {
    pub name: &'static str,
    pub expected: &'static str,
    pub got: String,
}

impl std::fmt::Display for BadParam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} must be {}, not {:?}", self.name, self.expected, self.got)
    }
}

impl HistoryFilter {
    /// The query parameters, as the page URL and the REST API spell them.
    pub const PARAMS: [&'static str; 10] =
        ["q", "env_version", "from", "to", "deleted", "batch", "living", "sort", "tz", "app"];
    /// Names earlier page links used, still read: `env` for `env_version`.
    const LEGACY_ENV: &'static str = "env";

    /// The query string of this filter (only what is set), plus the page position.
    pub fn to_query(&self, before: Option<i64>) -> String {
        let [q, env_version, from, to, deleted, batch, living, sort, tz, app] = Self::PARAMS;
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(search) = self.search.as_deref().filter(|s| !s.trim().is_empty()) {
            query.append_pair(q, search);
        }
        if let Some(appid) = self.app.as_deref().filter(|a| !a.is_empty()) {
            query.append_pair(app, appid);
        }
        if let Some(env) = self.env_version {
            query.append_pair(env_version, env.as_str());
        }
        if let Some(day) = self.from {
            query.append_pair(from, &day.to_string());
        }
        if let Some(day) = self.to {
            query.append_pair(to, &day.to_string());
        }
        if self.deleted {
            query.append_pair(deleted, "true");
        }
        if let Some(id) = self.batch {
            query.append_pair(batch, &id.to_string());
        }
        if self.living {
            query.append_pair(living, "true");
        }
        if self.sort != HistorySort::Newest {
            query.append_pair(sort, self.sort.as_str());
        }
        // The zone only matters to days.
        if let Some(zone) = self.tz.as_deref().filter(|_| self.from.is_some() || self.to.is_some()) {
            query.append_pair(tz, zone);
        }
        if let Some(before) = before {
            query.append_pair("before", &before.to_string());
        }
        query.finish()
    }

    /// The history page showing this filter.
    pub fn href(&self, before: Option<i64>) -> String {
        urls::with_query(urls::HISTORY, &self.to_query(before))
    }

    /// Reads a filter from query parameters. Blank values mean "not set"; each
    /// value that cannot be read is left out and reported, so the page can
    /// ignore it while the REST API refuses the request.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> (Self, Vec<BadParam>) {
        let [q, env_version, from, to, deleted, batch, living, sort, tz, app] = Self::PARAMS;
        let get = |name: &str| get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let mut bad = Vec::new();
        let mut read =
            |name: &'static str, expected: &'static str, raw: Option<String>, ok: &dyn Fn(&str) -> bool| {
                match raw {
                    Some(raw) if !ok(&raw) => {
                        bad.push(BadParam { name, expected, got: raw });
                        None
                    }
                    raw => raw,
                }
            };
        let env = read(
            env_version,
            "release, trial or develop",
            get(env_version).or_else(|| get(Self::LEGACY_ENV)),
            &|v| EnvVersion::parse(v).is_ok(),
        );
        let day = |v: &str| parse_day(v).is_some();
        let from_day = read(from, "a date like 2026-11-24", get(from), &day);
        let to_day = read(to, "a date like 2026-11-24", get(to), &day);
        let deleted_flag = read(deleted, "true or false", get(deleted), &|v| parse_flag(v).is_some());
        let batch_id = read(batch, "a batch job id", get(batch), &|v| v.parse::<i64>().is_ok());
        let living_flag = read(living, "true or false", get(living), &|v| parse_flag(v).is_some());
        let order = read(sort, "newest or scans", get(sort), &|v| HistorySort::parse(v).is_some());
        let zone = read(tz, "an IANA time zone like Asia/Shanghai", get(tz), &looks_like_zone);
        let filter = HistoryFilter {
            search: get(q),
            env_version: env.and_then(|v| EnvVersion::parse(&v).ok()),
            from: from_day.as_deref().and_then(parse_day),
            to: to_day.as_deref().and_then(parse_day),
            deleted: deleted_flag.as_deref().and_then(parse_flag).unwrap_or(false),
            batch: batch_id.and_then(|v| v.parse().ok()),
            living: living_flag.as_deref().and_then(parse_flag).unwrap_or(false),
            sort: order.as_deref().and_then(HistorySort::parse).unwrap_or_default(),
            tz: zone,
            app: get(app),
            visible_apps: None,
        };
        (filter, bad)
    }

    pub fn is_default(&self) -> bool {
        Self { tz: None, ..self.clone() } == Self::default()
    }
}

/// The spelling of an IANA zone name ("Asia/Shanghai", "UTC", "Etc/GMT+8"); whether the zone
/// exists is the server's question, which holds the zone database.
fn looks_like_zone(text: &str) -> bool {
    text.len() <= 64
        && text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c))
}

/// `YYYY-MM-DD`, as date inputs and addresses write a day.
pub(crate) fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Yes or no in a URL: `true`/`1` and `false`/`0`.
fn parse_flag(text: &str) -> Option<bool> {
    match text {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// One page of history, newest first; `next_before` continues it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub codes: Vec<CodeSummary>,
    pub next_before: Option<i64>,
    /// How many codes match the filter, on every page.
    pub total: u64,
    /// The position of this page's first code among them, from 1.
    pub first_position: u64,
    /// Whether a newer page exists, and the `before` that opens it (`None`: the newest page).
    pub previous: Option<PageStart>,
}

/// Where a page starts: below this id, or at the newest code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageStart {
    pub before: Option<i64>,
}

/// The answer to a generation: the code, and whether it was already stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedCode {
    pub code: CodeSummary,
    pub reused: bool,
}

/// What a share link shows: nothing that leads to other codes (no id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedCode {
    /// Empty unless the sharer chose to show it.
    pub label: String,
    /// Empty unless the sharer chose to show the label.
    pub page: String,
    pub image_type: ImageType,
    pub width: u32,
    /// Drawn by the built-in simulator: WeChat will not open it.
    #[serde(default)]
    pub sandbox: bool,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(query: &str) -> (HistoryFilter, Vec<BadParam>) {
        let pairs: HashMap<String, String> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        HistoryFilter::from_query(|key| pairs.get(key).cloned())
    }

    pub(crate) fn code(revoked: bool, expires: bool, deleted: bool, active: bool) -> CodeSummary {
        let at = Some("2026-01-01T00:00:00.000Z".to_owned());
        CodeSummary {
            id: 1,
            appid: "wxsandbox0000000001".into(),
            request: CodeRequest::parse(&CodeRequestInput { scene: "a=1".into(), ..Default::default() })
                .unwrap(),
            label: Label::default(),
            image_type: ImageType::Jpeg,
            byte_size: 1,
            sha256: String::new(),
            created_at: at.clone().unwrap(),
            share_token: "t".into(),
            share_active: active,
            share_revoked_at: at.clone().filter(|_| revoked),
            share_expires_at: at.clone().filter(|_| expires),
            share_shows_label: false,
            deleted_at: at.filter(|_| deleted),
            created_by: String::new(),
            living: None,
        }
    }

    #[test]
    fn a_revoked_link_is_called_revoked_even_when_it_had_an_expiry() {
        assert_eq!(code(true, true, false, false).share_state(), ShareState::Revoked);
        assert_eq!(code(false, true, false, false).share_state(), ShareState::Expired);
        assert_eq!(code(false, false, true, false).share_state(), ShareState::CodeDeleted);
        assert_eq!(code(false, true, false, true).share_state(), ShareState::Active);
    }

    #[test]
    fn a_filter_survives_the_round_trip_through_its_query() {
        let filter = HistoryFilter {
            search: Some("双十一 50%".into()),
            env_version: Some(EnvVersion::Trial),
            from: parse_day("2026-11-01"),
            to: parse_day("2026-11-30"),
            deleted: true,
            batch: Some(7),
            living: true,
            sort: HistorySort::Scans,
            tz: Some("Asia/Shanghai".into()),
            app: Some("wx00000000000000a1".into()),
            visible_apps: None,
        };
        let query = filter.to_query(Some(42));
        assert_eq!(read(&query), (filter, vec![]), "{query}");
        assert!(query.ends_with("before=42"));
        assert_eq!(HistoryFilter::default().href(None), "/history");
    }

    #[test]
    fn the_zone_travels_only_with_days() {
        let zoned = HistoryFilter { tz: Some("Asia/Shanghai".into()), ..HistoryFilter::default() };
        assert_eq!(zoned.href(None), "/history");
        assert!(zoned.is_default());
        let dated = HistoryFilter { from: parse_day("2026-11-26"), ..zoned };
        assert_eq!(dated.href(None), "/history?from=2026-11-26&tz=Asia%2FShanghai");
    }

    #[test]
    fn earlier_spellings_are_still_read() {
        let (filter, bad) = read("env=develop&deleted=1");
        assert_eq!(filter.env_version, Some(EnvVersion::Develop));
        assert!(filter.deleted);
        assert!(bad.is_empty());
    }

    #[test]
    fn unreadable_values_are_reported_and_left_out() {
        let (filter, bad) =
            read("q=%20a%20&from=yesterday&env_version=prod&batch=x&deleted=maybe&sort=best&tz=%27;--");
        assert_eq!(filter, HistoryFilter { search: Some("a".into()), ..HistoryFilter::default() });
        let names: Vec<&str> = bad.iter().map(|b| b.name).collect();
        assert_eq!(names, ["env_version", "from", "deleted", "batch", "sort", "tz"]);
        assert_eq!(bad[1].to_string(), "from must be a date like 2026-11-24, not \"yesterday\"");
    }
}
