//! Links that open the mini program where a code cannot be scanned — SMS, e-mail, H5 pages:
//! WeChat's URL Link, URL Scheme and Short Link, and the plaintext scheme. Their rules live
//! here once, for the browser's form and the server alike.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

use crate::message::Message;
use crate::request::{EnvVersion, Field, PagePath, Problem, ProblemCode, Scene};
use crate::scene_pairs::as_received;

/// `query` of a URL Link or Scheme, and a Short Link's whole `page_url`.
pub const QUERY_MAX_CHARS: usize = 1024;
/// The plaintext scheme's url-encoded `query`.
pub const PLAINTEXT_QUERY_MAX_CHARS: usize = 512;
/// Characters WeChat takes in a link's query besides ASCII letters and digits (else 40212).
pub const QUERY_SPECIAL_CHARS: &str = "!#$&'()*+,/:;=?@-._~%";
/// Since 2023 no URL Link or Scheme lives longer than 30 days (else 85401).
pub const EXPIRE_DAYS_MAX: i64 = 30;
/// WeChat's bounds for an expiry instant: at least a minute, at most 30 days ahead (85401).
pub const EXPIRY_MIN_SECS: i64 = 60;
pub const EXPIRY_MAX_SECS: i64 = EXPIRE_DAYS_MAX * DAY_SECS;
/// A temporary Short Link lives 30 days; a permanent one never ends.
pub const SHORT_LINK_DAYS: i64 = 30;
/// Longer titles are cut by WeChat; we keep what people type readable in lists.
pub const TITLE_MAX_CHARS: usize = 64;
pub const DAY_SECS: i64 = 86_400;

/// Which of WeChat's link APIs makes the link.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// `https://wxaurl.cn/…`: opens the mini program from any browser or app.
    #[default]
    UrlLink,
    /// `weixin://dl/business/?t=…`: iOS opens it directly; Android needs an H5 page.
    Scheme,
    /// `#小程序://名称/…`: works inside WeChat only.
    ShortLink,
}

impl LinkKind {
    pub const ALL: [LinkKind; 3] = [LinkKind::UrlLink, LinkKind::Scheme, LinkKind::ShortLink];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::UrlLink => "url_link",
            LinkKind::Scheme => "scheme",
            LinkKind::ShortLink => "short_link",
        }
    }

    pub fn label(self) -> Message {
        match self {
            LinkKind::UrlLink => Message::new("URL Link", "URL Link"),
            LinkKind::Scheme => Message::new("URL Scheme", "URL Scheme"),
            LinkKind::ShortLink => Message::new("短链接", "Short Link"),
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw.trim()).ok_or_else(|| {
            Problem::new(
                Field::LinkKind,
                ProblemCode::LinkKindUnknown,
                Message::new(
                    format!("链接类型只能是 url_link、scheme 或 short_link，收到 “{raw}”"),
                    format!("The link kind must be url_link, scheme or short_link; got \"{raw}\""),
                ),
            )
        })
    }
}

pub fn is_query_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || QUERY_SPECIAL_CHARS.contains(c)
}

/// The query a link hands the page's `onLoad(options)`, in WeChat's character set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LinkQuery(String);

impl LinkQuery {
    /// Other characters (Chinese, spaces) are percent-encoded as UTF-8, as a browser does, so
    /// `campaign=双十一` works and reaches the page as WeChat decodes it.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let encoded = encode_query(raw.trim());
        let length = encoded.chars().count();
        if length > QUERY_MAX_CHARS {
            return Err(Problem::new(
                Field::Query,
                ProblemCode::QueryTooLong,
                Message::new(
                    format!("链接参数最多 {QUERY_MAX_CHARS} 个字符（中文按编码后计算），当前 {length} 个"),
                    format!(
                        "The link's query may have at most {QUERY_MAX_CHARS} characters (Chinese counted \
                         once encoded); it has {length}"
                    ),
                ),
            ));
        }
        Ok(Self(encoded))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl TryFrom<String> for LinkQuery {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        LinkQuery::parse(&value).map_err(|problem| problem.message.en)
    }
}

impl From<LinkQuery> for String {
    fn from(value: LinkQuery) -> Self {
        value.0
    }
}

fn encode_query(raw: &str) -> String {
    let mut encoded = String::with_capacity(raw.len());
    for c in raw.chars() {
        if is_query_char(c) {
            encoded.push(c);
        } else {
            for byte in c.encode_utf8(&mut [0; 4]).bytes() {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    encoded
}

/// The query of a link made for a code: `scene=` and the scene exactly as the page's
/// `onLoad(options)` receives it from a scan (URI-encoded), so one page handles both.
pub fn code_query(scene: &Scene) -> LinkQuery {
    LinkQuery(format!("scene={}", as_received(scene.as_str())))
}

/// A number of days as typed (a form field, a sheet cell): `Ok(None)` when empty.
pub fn parse_days(raw: &str) -> Result<Option<i64>, Problem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<f64>() {
        Ok(n) if n.fract() == 0.0 && n.abs() < 1e9 && !raw.contains(['e', 'E']) => Ok(Some(n as i64)),
        _ => Err(Problem::new(
            Field::ExpireDays,
            ProblemCode::ExpireDaysOutOfRange,
            Message::new(
                format!("有效天数须是 1 到 {EXPIRE_DAYS_MAX} 的整数，收到 “{raw}”"),
                format!("The days must be a whole number from 1 to {EXPIRE_DAYS_MAX}; got \"{raw}\""),
            ),
        )),
    }
}

/// A form's days field left empty.
pub fn days_missing() -> Problem {
    problem(
        Field::ExpireDays,
        ProblemCode::ExpireDaysOutOfRange,
        "请填写有效天数（1 到 30）",
        "Enter the number of days (1 to 30)",
    )
}

/// A spreadsheet row's link cells as typed (`link`, `link_days`), so a refused row is given
/// back whole; [`LinkRow::check`] reads them with the links' rules.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LinkRow {
    pub kind: String,
    #[serde(default)]
    pub days: String,
}

impl LinkRow {
    /// `None` when the row wants no link (both cells empty).
    pub fn read(kind: Option<&str>, days: Option<&str>) -> Option<Self> {
        let kind = kind.map(str::trim).unwrap_or_default();
        let days = days.map(str::trim).unwrap_or_default();
        (!kind.is_empty() || !days.is_empty()).then(|| Self { kind: kind.to_owned(), days: days.to_owned() })
    }

    /// The kind and days, or every problem with them.
    pub fn check(&self) -> Result<(LinkKind, Option<i64>), Vec<Problem>> {
        if self.kind.is_empty() {
            return Err(vec![problem(
                Field::LinkKind,
                ProblemCode::LinkKindUnknown,
                "填写了链接天数，却没有链接类型（url_link、scheme 或 short_link）",
                "Link days are given but no link kind (url_link, scheme or short_link)",
            )]);
        }
        let kind = match self.kind.as_str() {
            "短链接" | "短链" => LinkKind::ShortLink.as_str(),
            "URL Link" | "url link" | "urllink" => LinkKind::UrlLink.as_str(),
            "URL Scheme" | "url scheme" => LinkKind::Scheme.as_str(),
            other => other,
        };
        let days = parse_days(&self.days).map_err(|problem| vec![problem])?;
        let input = LinkRequestInput {
            kind: Some(kind.to_owned()),
            expire_days: days,
            ..LinkRequestInput::default()
        };
        let request = LinkRequest::parse(&input)?;
        Ok((request.kind, days))
    }
}

/// How long a link lives.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkLife {
    /// Ends this many whole days after it is made (1–30).
    Days(u8),
    /// A Short Link that never ends (WeChat allows 100,000 per mini program, ever).
    Permanent,
}

impl LinkLife {
    /// The end as unix seconds for a link made at `now`; `None` for a permanent one.
    pub fn ends_at(self, now: i64) -> Option<i64> {
        match self {
            LinkLife::Days(days) => Some(now + i64::from(days) * DAY_SECS),
            LinkLife::Permanent => None,
        }
    }
}

/// What a form or JSON body carries before validation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRequestInput {
    /// `url_link` (default), `scheme` or `short_link`.
    #[serde(default)]
    pub kind: Option<String>,
    /// A released page without query; empty: the home page.
    #[serde(default)]
    pub page: Option<String>,
    /// `key=value&…`; other characters than WeChat's are percent-encoded.
    #[serde(default)]
    pub query: Option<String>,
    /// URL Link and Scheme: `release` (default), `trial` or `develop`. Short Links open the released version.
    #[serde(default)]
    pub env_version: Option<String>,
    /// URL Link and Scheme: 1–30 days (default 30).
    #[serde(default)]
    pub expire_days: Option<i64>,
    /// Short Link: the title shown in WeChat.
    #[serde(default)]
    pub title: Option<String>,
    /// Short Link: never ends (default: 30 days).
    #[serde(default)]
    pub permanent: Option<bool>,
}

/// A complete, valid request for one of the three link APIs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LinkRequest {
    pub kind: LinkKind,
    pub page: PagePath,
    pub query: LinkQuery,
    pub env_version: EnvVersion,
    pub life: LinkLife,
    /// Short Links only; empty otherwise.
    pub title: String,
}

impl LinkRequest {
    /// Validates every field and returns all problems found, in field order.
    pub fn parse(input: &LinkRequestInput) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let kind = match input.kind.as_deref().filter(|k| !k.trim().is_empty()) {
            Some(raw) => LinkKind::parse(raw).map_err(|p| problems.push(p)).ok(),
            None => Some(LinkKind::default()),
        };
        let page = PagePath::parse(input.page.as_deref().unwrap_or("").trim())
            .map_err(|found| problems.extend(found.into_iter().map(query_goes_in_its_field)))
            .ok();
        let query = LinkQuery::parse(input.query.as_deref().unwrap_or("")).map_err(|p| problems.push(p)).ok();
        let env_version = match input.env_version.as_deref().filter(|e| !e.trim().is_empty()) {
            Some(raw) => EnvVersion::parse(raw.trim()).map_err(|p| problems.push(p)).ok(),
            None => Some(EnvVersion::default()),
        };
        let title = input.title.as_deref().unwrap_or("").trim().to_owned();
        let permanent = input.permanent.unwrap_or(false);
        let life = match kind {
            Some(LinkKind::ShortLink) => {
                short_link_rules(input, env_version, &mut problems);
                check_title(&title, &mut problems);
                Some(if permanent { LinkLife::Permanent } else { LinkLife::Days(SHORT_LINK_DAYS as u8) })
            }
            Some(_) => {
                if permanent {
                    problems.push(problem(
                        Field::Permanent,
                        ProblemCode::PermanentOnlyForShortLinks,
                        "只有短链接可以永久有效；URL Link 和 URL Scheme 最长 30 天",
                        "Only Short Links can be permanent; URL Links and Schemes live 30 days at most",
                    ));
                }
                if !title.is_empty() {
                    problems.push(problem(
                        Field::Title,
                        ProblemCode::TitleOnlyForShortLinks,
                        "只有短链接有标题",
                        "Only Short Links have a title",
                    ));
                }
                expire_days(input.expire_days).map_err(|p| problems.push(p)).ok().map(LinkLife::Days)
            }
            None => None,
        };
        match (kind, page, query, env_version, life) {
            (Some(kind), Some(page), Some(query), Some(env_version), Some(life)) if problems.is_empty() => {
                let request = Self { kind, page, query, env_version, life, title };
                match request.page_url_fits() {
                    Ok(()) => Ok(request),
                    Err(problem) => Err(vec![problem]),
                }
            }
            _ => Err(problems),
        }
    }

    /// A Short Link's `page_url`: the page and its query.
    pub fn page_url(&self) -> String {
        match self.query.is_empty() {
            true => self.page.as_str().to_owned(),
            false => format!("{}?{}", self.page.as_str(), self.query.as_str()),
        }
    }

    fn page_url_fits(&self) -> Result<(), Problem> {
        let length = self.page_url().chars().count();
        if self.kind == LinkKind::ShortLink && length > QUERY_MAX_CHARS {
            return Err(Problem::new(
                Field::Query,
                ProblemCode::QueryTooLong,
                Message::new(
                    format!("短链接的页面加参数最多 {QUERY_MAX_CHARS} 个字符，当前 {length} 个"),
                    format!("A Short Link's page and query may have at most {QUERY_MAX_CHARS} characters; it has {length}"),
                ),
            ));
        }
        Ok(())
    }
}

/// The page rules tell a code to carry parameters in its scene; a link has a field of its own.
fn query_goes_in_its_field(found: Problem) -> Problem {
    match found.code {
        ProblemCode::PageHasQuery => problem(
            Field::Page,
            ProblemCode::PageHasQuery,
            "页面路径不能带参数（?），参数请填在“参数”中",
            "The page must not carry a query (?); put it in the Query field",
        ),
        _ => found,
    }
}

fn problem(field: Field, code: ProblemCode, zh: &str, en: &str) -> Problem {
    Problem::new(field, code, Message::new(zh, en))
}

fn expire_days(raw: Option<i64>) -> Result<u8, Problem> {
    match raw.unwrap_or(EXPIRE_DAYS_MAX) {
        days @ 1..=EXPIRE_DAYS_MAX => Ok(days as u8),
        days => Err(Problem::new(
            Field::ExpireDays,
            ProblemCode::ExpireDaysOutOfRange,
            Message::new(
                format!("有效期须为 1 到 {EXPIRE_DAYS_MAX} 天（微信的上限），收到 {days}"),
                format!("The link must live 1 to {EXPIRE_DAYS_MAX} days (WeChat's limit); got {days}"),
            ),
        )),
    }
}

fn short_link_rules(input: &LinkRequestInput, env_version: Option<EnvVersion>, problems: &mut Vec<Problem>) {
    if input.expire_days.is_some() {
        problems.push(problem(
            Field::ExpireDays,
            ProblemCode::ShortLinkLifeFixed,
            "短链接的有效期固定为 30 天，或选择永久有效",
            "A Short Link lives 30 days, or is permanent: it takes no number of days",
        ));
    }
    if env_version.is_some_and(|env| env != EnvVersion::Release) {
        problems.push(problem(
            Field::EnvVersion,
            ProblemCode::ShortLinkReleaseOnly,
            "短链接只能打开正式版",
            "A Short Link opens the released version only",
        ));
    }
}

fn check_title(title: &str, problems: &mut Vec<Problem>) {
    let length = title.chars().count();
    if length > TITLE_MAX_CHARS {
        problems.push(Problem::new(
            Field::Title,
            ProblemCode::TitleTooLong,
            Message::new(
                format!("标题最多 {TITLE_MAX_CHARS} 个字符，当前 {length} 个"),
                format!("The title may have at most {TITLE_MAX_CHARS} characters; it has {length}"),
            ),
        ));
    }
    if title.chars().any(char::is_control) {
        problems.push(problem(
            Field::Title,
            ProblemCode::TitleControlChars,
            "标题不能包含换行或控制字符",
            "The title must not contain line breaks or control characters",
        ));
    }
}

/// Everything but letters and digits is encoded in the plaintext scheme's query value.
const QUERY_VALUE: &AsciiSet = NON_ALPHANUMERIC;

/// `weixin://dl/business/?appid=…&path=…&query=…&env_version=…`: no API call, but the page
/// must first be enabled in the mini program's admin (设置 → 隐私与安全 → 明文 Scheme 拉起此小程序).
pub fn plaintext_scheme(
    appid: &str,
    page: &PagePath,
    query: &LinkQuery,
    env_version: EnvVersion,
) -> Result<String, Problem> {
    let encoded: String = utf8_percent_encode(query.as_str(), QUERY_VALUE).collect();
    let length = encoded.chars().count();
    if length > PLAINTEXT_QUERY_MAX_CHARS {
        return Err(Problem::new(
            Field::Query,
            ProblemCode::QueryTooLong,
            Message::new(
                format!("明文 Scheme 的参数编码后最多 {PLAINTEXT_QUERY_MAX_CHARS} 个字符，当前 {length} 个"),
                format!("A plaintext scheme's query may have at most {PLAINTEXT_QUERY_MAX_CHARS} characters once encoded; it has {length}"),
            ),
        ));
    }
    let appid: String = utf8_percent_encode(appid, QUERY_VALUE).collect();
    let path: String = utf8_percent_encode(page.as_str(), QUERY_VALUE).collect();
    Ok(format!(
        "weixin://dl/business/?appid={appid}&path={path}&query={encoded}&env_version={}",
        env_version.as_str()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str) -> LinkRequestInput {
        LinkRequestInput {
            kind: Some(kind.into()),
            page: Some("pages/detail/detail".into()),
            query: Some("id=42&from=sms".into()),
            ..LinkRequestInput::default()
        }
    }

    fn codes(input: &LinkRequestInput) -> Vec<ProblemCode> {
        match LinkRequest::parse(input) {
            Ok(_) => vec![],
            Err(problems) => problems.into_iter().map(|p| p.code).collect(),
        }
    }

    #[test]
    fn a_url_link_defaults_to_thirty_days_of_the_released_version() {
        let request = LinkRequest::parse(&LinkRequestInput::default()).unwrap();
        assert_eq!(request.kind, LinkKind::UrlLink);
        assert!(request.page.is_home());
        assert_eq!(request.env_version, EnvVersion::Release);
        assert_eq!(request.life, LinkLife::Days(30));
        assert_eq!(request.life.ends_at(1_000), Some(1_000 + 30 * DAY_SECS));
    }

    #[test]
    fn expiry_is_one_to_thirty_days() {
        for days in [1, 7, 30] {
            let request =
                LinkRequest::parse(&LinkRequestInput { expire_days: Some(days), ..input("scheme") });
            assert_eq!(request.unwrap().life, LinkLife::Days(days as u8));
        }
        for days in [0, -1, 31, 365] {
            let input = LinkRequestInput { expire_days: Some(days), ..input("url_link") };
            assert_eq!(codes(&input), vec![ProblemCode::ExpireDaysOutOfRange], "{days}");
        }
    }

    #[test]
    fn the_query_takes_wechats_characters_and_encodes_the_rest() {
        let all = format!("a=1&b=Z9{QUERY_SPECIAL_CHARS}");
        assert_eq!(LinkQuery::parse(&all).unwrap().as_str(), all);
        assert_eq!(
            LinkQuery::parse("campaign=双十一").unwrap().as_str(),
            "campaign=%E5%8F%8C%E5%8D%81%E4%B8%80"
        );
        assert_eq!(LinkQuery::parse("a b").unwrap().as_str(), "a%20b");
        assert!(LinkQuery::parse("  ").unwrap().is_empty());
        assert!(LinkQuery::parse(&"x".repeat(QUERY_MAX_CHARS)).is_ok());
        let too_long = LinkQuery::parse(&"x".repeat(QUERY_MAX_CHARS + 1)).unwrap_err();
        assert_eq!(too_long.code, ProblemCode::QueryTooLong);
        // 342 Chinese characters are 3 × 342 × 3 = 3,078 characters once encoded.
        assert!(LinkQuery::parse(&"双".repeat(342)).is_err());
        assert!(LinkQuery::parse(&"双".repeat(113)).is_ok());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = LinkRequestInput {
            kind: Some("url_link".into()),
            page: Some("/pages/a?x=1".into()),
            env_version: Some("beta".into()),
            expire_days: Some(90),
            permanent: Some(true),
            title: Some("标题".into()),
            ..LinkRequestInput::default()
        };
        let found = codes(&bad);
        for expected in [
            ProblemCode::PageLeadingSlash,
            ProblemCode::PageHasQuery,
            ProblemCode::EnvVersionUnknown,
            ProblemCode::PermanentOnlyForShortLinks,
            ProblemCode::TitleOnlyForShortLinks,
            ProblemCode::ExpireDaysOutOfRange,
        ] {
            assert!(found.contains(&expected), "{expected:?} missing from {found:?}");
        }
        assert_eq!(codes(&input("wechat_link")), vec![ProblemCode::LinkKindUnknown]);
    }

    #[test]
    fn short_links_are_released_thirty_days_or_permanent_with_a_title() {
        let temporary = LinkRequest::parse(&LinkRequestInput {
            title: Some(" 双十一 ".into()),
            ..input("short_link")
        });
        let temporary = temporary.unwrap();
        assert_eq!((temporary.life, temporary.title.as_str()), (LinkLife::Days(30), "双十一"));
        assert_eq!(temporary.page_url(), "pages/detail/detail?id=42&from=sms");
        let permanent =
            LinkRequest::parse(&LinkRequestInput { permanent: Some(true), ..input("short_link") });
        assert_eq!(permanent.unwrap().life.ends_at(5), None);
        let trial = LinkRequestInput { env_version: Some("trial".into()), ..input("short_link") };
        assert_eq!(codes(&trial), vec![ProblemCode::ShortLinkReleaseOnly]);
        let days = LinkRequestInput { expire_days: Some(7), ..input("short_link") };
        assert_eq!(codes(&days), vec![ProblemCode::ShortLinkLifeFixed]);
        let long_title =
            LinkRequestInput { title: Some("长".repeat(TITLE_MAX_CHARS + 1)), ..input("short_link") };
        assert_eq!(codes(&long_title), vec![ProblemCode::TitleTooLong]);
        let broken_title = LinkRequestInput { title: Some("a\nb".into()), ..input("short_link") };
        assert_eq!(codes(&broken_title), vec![ProblemCode::TitleControlChars]);
    }

    #[test]
    fn a_short_links_page_and_query_fit_in_1024_characters() {
        let query = "q=".to_owned() + &"x".repeat(QUERY_MAX_CHARS - 2);
        assert!(
            LinkRequest::parse(&LinkRequestInput { query: Some(query.clone()), ..input("url_link") }).is_ok()
        );
        let short = LinkRequestInput { query: Some(query), ..input("short_link") };
        assert_eq!(codes(&short), vec![ProblemCode::QueryTooLong]);
    }

    #[test]
    fn a_codes_link_carries_its_scene_as_a_scan_delivers_it() {
        let query = code_query(&Scene::parse("id=42&ch=sms").unwrap());
        assert_eq!(query.as_str(), "scene=id%3D42%26ch%3Dsms");
        assert_eq!(LinkQuery::parse(query.as_str()).unwrap(), query, "within WeChat's charset");
    }

    #[test]
    fn a_rows_link_cells_are_read_with_the_links_rules() {
        assert_eq!(LinkRow::read(None, None), None);
        assert_eq!(LinkRow::read(Some(" "), Some("")), None);
        let check = |kind: &str, days: &str| LinkRow::read(Some(kind), Some(days)).unwrap().check();
        assert_eq!(check("url_link", "7"), Ok((LinkKind::UrlLink, Some(7))));
        assert_eq!(check("短链接", ""), Ok((LinkKind::ShortLink, None)));
        let codes = |found: Result<(LinkKind, Option<i64>), Vec<Problem>>| {
            found.unwrap_err().into_iter().map(|p| p.code).collect::<Vec<_>>()
        };
        assert_eq!(codes(check("", "7")), vec![ProblemCode::LinkKindUnknown]);
        assert_eq!(codes(check("sms", "")), vec![ProblemCode::LinkKindUnknown]);
        assert_eq!(codes(check("scheme", "31")), vec![ProblemCode::ExpireDaysOutOfRange]);
        assert_eq!(codes(check("scheme", "seven")), vec![ProblemCode::ExpireDaysOutOfRange]);
        assert_eq!(codes(check("scheme", "2.5")), vec![ProblemCode::ExpireDaysOutOfRange]);
        assert_eq!(parse_days(" 7 "), Ok(Some(7)));
        assert_eq!(parse_days(""), Ok(None));
        assert!(parse_days("1e1").unwrap_err().message.zh.contains("1e1"));
        assert_eq!(codes(check("short_link", "7")), vec![ProblemCode::ShortLinkLifeFixed]);
    }

    #[test]
    fn the_plaintext_scheme_encodes_its_query_and_caps_it() {
        let page = PagePath::parse("pages/detail/detail").unwrap();
        let query = LinkQuery::parse("id=42&c=双").unwrap();
        let link = plaintext_scheme("wx123", &page, &query, EnvVersion::Trial).unwrap();
        assert_eq!(
            link,
            "weixin://dl/business/?appid=wx123&path=pages%2Fdetail%2Fdetail&query=id%3D42%26c%3D%25E5%258F%258C&env_version=trial"
        );
        let long = LinkQuery::parse(&"a=1&".repeat(100)).unwrap();
        assert_eq!(
            plaintext_scheme("wx123", &page, &long, EnvVersion::Release).unwrap_err().code,
            ProblemCode::QueryTooLong
        );
    }
}
