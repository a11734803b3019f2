//! Stored codes as the pages (and, through their REST views, API clients) see them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use wxacode::{CodeRequest, CodeRequestInput, EnvVersion, ImageType, Label, Problem};

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
}

impl GenerateForm {
    /// Every problem of the parameters and the label, in form order.
    pub fn parse(&self) -> Result<(CodeRequest, Label), Vec<Problem>> {
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

/// A stored code without its image bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSummary {
    pub id: i64,
    pub request: CodeRequest,
    pub label: Label,
    pub image_type: ImageType,
    pub byte_size: i64,
    pub sha256: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub share_token: String,
    /// False once the share link was revoked or has expired.
    pub share_active: bool,
    /// RFC 3339, when the share link ends by itself.
    #[serde(default)]
    pub share_expires_at: Option<String>,
    /// RFC 3339, set when the code was (softly) deleted.
    pub deleted_at: Option<String>,
    /// The account (email) or API key ("API key: name") that first generated it; empty before accounts.
    #[serde(default)]
    pub created_by: String,
}

impl CodeSummary {
    pub fn image_url(&self) -> String {
        urls::code_image(self.id)
    }

    pub fn share_path(&self) -> String {
        urls::share_path(&self.share_token)
    }

    /// A file name for downloads: the label (if any) and scene, made safe for file systems.
    pub fn file_name(&self) -> String {
        let stem = if self.label.as_str().is_empty() {
            self.request.scene.as_str().to_owned()
        } else {
            format!("{}-{}", self.label.as_str(), self.request.scene.as_str())
        };
        download_file_name(&stem, self.image_type)
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

/// Most codes one ZIP download holds: a campaign's worth, while one archive in memory stays small.
pub const MAX_ARCHIVE_CODES: usize = 500;

/// Which codes the history shows. The page URL and `GET /api/codes` carry it
/// in one spelling (see [`HistoryFilter::PARAMS`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryFilter {
    /// Matched against scene, page and label.
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
    pub const PARAMS: [&'static str; 6] = ["q", "env_version", "from", "to", "deleted", "batch"];
    /// Names earlier page links used, still read: `env` for `env_version`.
    const LEGACY_ENV: &'static str = "env";

    /// The query string of this filter (only what is set), plus the page position.
    pub fn to_query(&self, before: Option<i64>) -> String {
        let [q, env_version, from, to, deleted, batch] = Self::PARAMS;
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(search) = self.search.as_deref().filter(|s| !s.trim().is_empty()) {
            query.append_pair(q, search);
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
        let [q, env_version, from, to, deleted, batch] = Self::PARAMS;
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
        let filter = HistoryFilter {
            search: get(q),
            env_version: env.and_then(|v| EnvVersion::parse(&v).ok()),
            from: from_day.as_deref().and_then(parse_day),
            to: to_day.as_deref().and_then(parse_day),
            deleted: deleted_flag.as_deref().and_then(parse_flag).unwrap_or(false),
            batch: batch_id.and_then(|v| v.parse().ok()),
        };
        (filter, bad)
    }

    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

fn parse_day(text: &str) -> Option<NaiveDate> {
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
    pub label: String,
    pub page: String,
    pub image_type: ImageType,
    pub width: u32,
}

/// Keeps letters of any script (labels are often Chinese) and replaces what file systems dislike.
pub fn download_file_name(stem: &str, image_type: ImageType) -> String {
    let safe = |c: char| c.is_alphanumeric() || "-_.".contains(c);
    let stem: String = stem.chars().map(|c| if safe(c) { c } else { '_' }).collect();
    let stem = stem.trim_matches('.');
    let stem = if stem.is_empty() { "wxacode" } else { stem };
    format!("wxacode-{stem}.{}", image_type.extension())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(query: &str) -> (HistoryFilter, Vec<BadParam>) {
        let pairs: HashMap<String, String> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        HistoryFilter::from_query(|key| pairs.get(key).cloned())
    }

    #[test]
    fn file_names_are_safe_and_carry_the_right_extension() {
        assert_eq!(
            download_file_name("id=123&type=product", ImageType::Jpeg),
            "wxacode-id_123_type_product.jpg"
        );
        assert_eq!(download_file_name("a/b:c", ImageType::Png), "wxacode-a_b_c.png");
        assert_eq!(download_file_name("..", ImageType::Png), "wxacode-wxacode.png");
        assert_eq!(download_file_name("v1.2", ImageType::Png), "wxacode-v1.2.png");
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
        };
        let query = filter.to_query(Some(42));
        assert_eq!(read(&query), (filter, vec![]), "{query}");
        assert!(query.ends_with("before=42"));
        assert_eq!(HistoryFilter::default().href(None), "/history");
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
        let (filter, bad) = read("q=%20a%20&from=yesterday&env_version=prod&batch=x&deleted=maybe");
        assert_eq!(filter, HistoryFilter { search: Some("a".into()), ..HistoryFilter::default() });
        let names: Vec<&str> = bad.iter().map(|b| b.name).collect();
        assert_eq!(names, ["env_version", "from", "deleted", "batch"]);
        assert_eq!(bad[1].to_string(), "from must be a date like 2026-11-24, not \"yesterday\"");
    }
}
