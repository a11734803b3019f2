//! Living codes (活码): the printed image carries only a short key in its scene
//! and always opens the mini program's landing page; the landing page asks the
//! server what the key means today — a target page with parameters that can
//! change long after printing, or a fallback page while the code is paused or ended.

use serde::{Deserialize, Serialize};

use crate::message::Message;
use crate::request::{Field, PagePath, Problem, ProblemCode};

/// A living code's scene: this prefix and [`LIVING_KEY_CHARS`] base62 characters.
pub const LIVING_SCENE_PREFIX: &str = "k=";
pub const LIVING_KEY_CHARS: usize = 8;
/// A valid scene standing in for a living code's key before the server makes it, so the code's
/// other parameters can be checked with the rules of every code.
pub const PLACEHOLDER_SCENE: &str = "k=00000000";
/// The page a living code's image opens, unless the instance names another.
pub const DEFAULT_LANDING_PAGE: &str = "pages/index/index";
/// The parameters in all, as the landing page's query (`key=value&…`, UTF-8 bytes).
pub const PARAMS_MAX_BYTES: usize = 2048;
pub const PARAM_KEY_MAX_CHARS: usize = 64;

/// Whether `scene` has the shape of a living code's (`k=` and 8 base62 characters).
/// Anything else cannot be one, so the resolver answers it without the database.
pub fn is_living_scene(scene: &str) -> bool {
    scene
        .strip_prefix(LIVING_SCENE_PREFIX)
        .is_some_and(|key| key.len() == LIVING_KEY_CHARS && key.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A direct code may not take a living code's shape: the landing page would ask the server
/// about it and find nothing.
pub fn direct_scene_problem(scene: &str) -> Option<Problem> {
    is_living_scene(scene).then(|| {
        Problem::new(
            Field::Scene,
            ProblemCode::SceneReservedForLiving,
            Message::new(
                "“k=”加 8 位字母或数字是活码专用的场景值，请换一个，或改为生成活码",
                "k= followed by 8 letters or digits is reserved for living codes: choose another scene, or make a living code",
            ),
        )
    })
}

/// The scene for a key of 8 base62 characters (the caller draws them at random).
pub fn living_scene(key: &str) -> Option<String> {
    let scene = format!("{LIVING_SCENE_PREFIX}{key}");
    is_living_scene(&scene).then_some(scene)
}

/// Whether a living code sends people to its target.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LivingStatus {
    #[default]
    Active,
    /// For now: resuming sends people to the target again.
    Paused,
    /// For good (by hand or when its end date passed).
    Ended,
}

impl LivingStatus {
    pub const ALL: [LivingStatus; 3] = [LivingStatus::Active, LivingStatus::Paused, LivingStatus::Ended];

    pub fn as_str(self) -> &'static str {
        match self {
            LivingStatus::Active => "active",
            LivingStatus::Paused => "paused",
            LivingStatus::Ended => "ended",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label(self) -> Message {
        match self {
            LivingStatus::Active => Message::new("生效中", "Active"),
            LivingStatus::Paused => Message::new("已暂停", "Paused"),
            LivingStatus::Ended => Message::new("已结束", "Ended"),
        }
    }
}

/// One parameter handed to the target page.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Param {
    pub key: String,
    pub value: String,
}

impl Param {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self { key: key.into(), value: value.into() }
    }
}

/// A target as a form or JSON body carries it, before validation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetInput {
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub params: Vec<Param>,
}

/// Where an active living code sends people: a page and its parameters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Target {
    pub page: PagePath,
    pub params: Vec<Param>,
}

impl Target {
    /// Checks the page and every parameter; rows with an empty key and value are dropped.
    pub fn parse(input: &TargetInput) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let page = input.page.trim();
        if page.is_empty() {
            problems.push(Problem::new(
                Field::TargetPage,
                ProblemCode::TargetPageEmpty,
                Message::new(
                    "请填写目标页面，例如 pages/promo/promo",
                    "Enter the target page, e.g. pages/promo/promo",
                ),
            ));
        }
        let page = PagePath::parse(page).map_err(|found| {
            let found = found.into_iter().map(|p| match p.code {
                // A direct code's advice (use the scene) does not apply: a target has parameters.
                ProblemCode::PageHasQuery => Problem::new(
                    Field::TargetPage,
                    p.code,
                    Message::new(
                        "目标页面不能带 ?参数，请把参数写在下面的参数行里",
                        "The target page must not carry a ?query: put its parameters in the rows below",
                    ),
                ),
                _ => p,
            });
            problems.extend(moved(found.collect(), Field::TargetPage))
        });
        let params = parse_params(&input.params).map_err(|found| problems.extend(found));
        match (page, params) {
            (Ok(page), Ok(params)) if problems.is_empty() => Ok(Self { page, params }),
            _ => Err(problems),
        }
    }

    pub fn to_input(&self) -> TargetInput {
        TargetInput { page: self.page.as_str().to_owned(), params: self.params.clone() }
    }

    /// `page?key=value&…` as people read it (not encoded), for the audit trail.
    pub fn display_path(&self) -> String {
        let pairs: Vec<String> = self.params.iter().map(|p| format!("{}={}", p.key, p.value)).collect();
        if pairs.is_empty() {
            self.page.as_str().to_owned()
        } else {
            format!("{}?{}", self.page.as_str(), pairs.join("&"))
        }
    }

    /// `page?key=value&…`, percent-encoded, for `wx.redirectTo` / `wx.navigateTo`.
    pub fn path(&self) -> String {
        path_with_query(self.page.as_str(), &self.params)
    }
}

/// A spreadsheet row's living code: its target and fallback (the scene is made when generated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LivingRow {
    pub target: TargetInput,
    #[serde(default)]
    pub fallback_page: String,
}

/// The page a paused or ended code opens instead (empty: the mini program's home page).
pub fn parse_fallback_page(raw: &str) -> Result<PagePath, Vec<Problem>> {
    PagePath::parse(raw.trim()).map_err(|found| moved(found, Field::FallbackPage))
}

/// The landing page baked into a living code's image (never empty: it must resolve the key).
pub fn parse_landing_page(raw: &str) -> Result<PagePath, Vec<Problem>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return PagePath::parse(DEFAULT_LANDING_PAGE);
    }
    PagePath::parse(raw)
}

fn parse_params(params: &[Param]) -> Result<Vec<Param>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut kept: Vec<Param> = Vec::new();
    let problem = |code, zh: String, en: String| Problem::new(Field::Params, code, Message::new(zh, en));
    for (index, param) in params.iter().enumerate() {
        let row = index + 1;
        let key = param.key.trim();
        let value = param.value.trim();
        if key.is_empty() {
            if !value.is_empty() {
                problems.push(problem(
                    ProblemCode::ParamKeyEmpty,
                    format!("第 {row} 个参数缺少名称"),
                    format!("Parameter {row} has a value but no name"),
                ));
            }
            continue;
        }
        if !is_param_key(key) {
            problems.push(problem(
                ProblemCode::ParamKeyInvalid,
                format!("参数名“{key}”无效：最多 {PARAM_KEY_MAX_CHARS} 个字符，只能用英文字母、数字和 _ - ."),
                format!(
                    "The parameter name \"{key}\" is not valid: up to {PARAM_KEY_MAX_CHARS} letters, digits, _ - or ."
                ),
            ));
        } else if kept.iter().any(|p| p.key == key) {
            problems.push(problem(
                ProblemCode::ParamKeyDuplicate,
                format!("参数名“{key}”重复了"),
                format!("The parameter name \"{key}\" appears twice"),
            ));
        }
        if value.chars().any(char::is_control) {
            problems.push(problem(
                ProblemCode::ParamValueControlChars,
                format!("参数“{key}”的值不能包含换行或控制字符"),
                format!("The value of \"{key}\" must not contain line breaks or control characters"),
            ));
        }
        kept.push(Param::new(key, value));
    }
    let bytes = params_bytes(&kept);
    if bytes > PARAMS_MAX_BYTES {
        problems.push(problem(
            ProblemCode::ParamsTooLarge,
            format!("参数合计最多 {PARAMS_MAX_BYTES} 字节（一个汉字 3 字节），当前 {bytes} 字节"),
            format!(
                "The parameters may take {PARAMS_MAX_BYTES} bytes in all (a Chinese character takes 3); they take {bytes}"
            ),
        ));
    }
    if problems.is_empty() {
        Ok(kept)
    } else {
        Err(problems)
    }
}

/// A parameter name: up to 64 letters, digits, `_`, `-` or `.` (the query the landing page builds
/// must read back the same on every phone).
pub fn is_param_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().count() <= PARAM_KEY_MAX_CHARS
        && key.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

/// The size the limit counts: `key=value` pairs joined by `&`, in UTF-8 bytes.
pub fn params_bytes(params: &[Param]) -> usize {
    let pairs: usize = params.iter().map(|p| p.key.len() + 1 + p.value.len()).sum();
    pairs + params.len().saturating_sub(1)
}

/// `page?key=value&…` with keys and values as `encodeURIComponent` writes them.
pub fn path_with_query(page: &str, params: &[Param]) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|p| {
            format!(
                "{}={}",
                crate::scene_pairs::as_received(&p.key),
                crate::scene_pairs::as_received(&p.value)
            )
        })
        .collect();
    if query.is_empty() {
        page.to_owned()
    } else {
        format!("{page}?{}", query.join("&"))
    }
}

/// What the mini program sees for a launch scene value (`wx_scene`), if it is a common one.
pub fn wx_scene_name(value: i64) -> Option<Message> {
    let (zh, en) = match value {
        1011 => ("扫描二维码", "Scanned a QR code"),
        1012 => ("长按识别二维码", "Long-pressed a QR code"),
        1013 => ("相册选取二维码", "QR code from the album"),
        1047 => ("扫描小程序码", "Scanned the code"),
        1048 => ("长按识别小程序码", "Long-pressed the code"),
        1049 => ("相册选取小程序码", "Code from the album"),
        _ => return None,
    };
    Some(Message::new(zh, en))
}

/// Problems of a page field, reported under another field.
fn moved(problems: Vec<Problem>, field: Field) -> Vec<Problem> {
    problems.into_iter().map(|p| Problem { field, ..p }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(page: &str, params: &[(&str, &str)]) -> Result<Target, Vec<ProblemCode>> {
        let params = params.iter().map(|(k, v)| Param::new(*k, *v)).collect();
        Target::parse(&TargetInput { page: page.into(), params })
            .map_err(|found| found.into_iter().map(|p| p.code).collect())
    }

    #[test]
    fn a_living_scene_is_k_and_eight_base62_characters() {
        assert!(is_living_scene("k=aZ09bY18"));
        assert_eq!(living_scene("aZ09bY18").as_deref(), Some("k=aZ09bY18"));
        for not in ["k=aZ09bY1", "k=aZ09bY18x", "k=aZ09bY1-", "x=aZ09bY18", "", "k=", "k=ääääääää"] {
            assert!(!is_living_scene(not), "{not}");
        }
        assert!(living_scene("short").is_none());
    }

    #[test]
    fn direct_codes_leave_the_living_shape_alone() {
        assert_eq!(
            direct_scene_problem("k=aZ09bY18").map(|p| p.code),
            Some(ProblemCode::SceneReservedForLiving)
        );
        assert!(direct_scene_problem("k=aZ09bY1").is_none());
        assert!(direct_scene_problem("id=1").is_none());
    }

    #[test]
    fn a_target_takes_a_page_and_utf8_parameters() {
        let found =
            target(" pages/promo/promo ", &[("campaign", "双十一"), ("", ""), ("ch", " poster ")]).unwrap();
        assert_eq!(found.page.as_str(), "pages/promo/promo");
        assert_eq!(found.params, vec![Param::new("campaign", "双十一"), Param::new("ch", "poster")]);
        assert_eq!(found.path(), "pages/promo/promo?campaign=%E5%8F%8C%E5%8D%81%E4%B8%80&ch=poster");
        assert_eq!(target("pages/a/a", &[]).unwrap().path(), "pages/a/a");
    }

    #[test]
    fn every_problem_of_a_target_is_reported_under_its_field() {
        assert_eq!(target("", &[]), Err(vec![ProblemCode::TargetPageEmpty]));
        assert_eq!(target("/pages/a", &[]), Err(vec![ProblemCode::PageLeadingSlash]));
        let found = Target::parse(&TargetInput { page: "/a".into(), params: vec![] }).unwrap_err();
        assert_eq!(found[0].field, Field::TargetPage);
        assert_eq!(
            target(
                "pages/a/a",
                &[("a b", "1"), ("x", "1"), ("x", "2"), ("", "orphan"), ("y", "line\nbreak")]
            ),
            Err(vec![
                ProblemCode::ParamKeyInvalid,
                ProblemCode::ParamKeyDuplicate,
                ProblemCode::ParamKeyEmpty,
                ProblemCode::ParamValueControlChars
            ])
        );
    }

    #[test]
    fn parameters_fit_in_two_kilobytes() {
        // "v=" + 682 three-byte characters = 2048 bytes exactly.
        let fits = "汉".repeat(682);
        assert!(target("pages/a/a", &[("v", &fits)]).is_ok());
        let over = format!("{fits}x");
        assert_eq!(target("pages/a/a", &[("v", &over)]), Err(vec![ProblemCode::ParamsTooLarge]));
        assert_eq!(params_bytes(&[Param::new("a", "1"), Param::new("b", "22")]), 8);
    }

    #[test]
    fn the_landing_page_is_never_empty_and_the_fallback_may_be() {
        assert_eq!(parse_landing_page(" ").unwrap().as_str(), DEFAULT_LANDING_PAGE);
        assert_eq!(parse_fallback_page("").unwrap().as_str(), "");
        assert_eq!(parse_fallback_page("/x").unwrap_err()[0].field, Field::FallbackPage);
    }

    #[test]
    fn statuses_read_back_what_they_write() {
        for status in LivingStatus::ALL {
            assert_eq!(LivingStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(LivingStatus::parse("deleted"), None);
    }
}
