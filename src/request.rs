//! The parameters of `getUnlimitedQRCode`, parsed from untrusted input.
//!
//! `CodeRequestInput` is what a form or a JSON body carries; `CodeRequest` can
//! only be built through [`CodeRequest::parse`], which reports every problem at
//! once so a form can mark all bad fields in one go.

use serde::{Deserialize, Serialize};

use crate::message::Message;

pub const SCENE_MAX_CHARS: usize = 32;
/// Besides ASCII letters and digits, the only characters WeChat accepts in a scene.
pub const SCENE_SPECIAL_CHARS: &str = "!#$&'()*+,/:;=?@-._~";
/// WeChat reserves this key inside scenes (errcode 85096).
pub const SCENE_RESERVED_WORD: &str = "scancode_time";
pub const PAGE_MAX_CHARS: usize = 128;
pub const WIDTH_MIN: u32 = 280;
pub const WIDTH_MAX: u32 = 1280;
pub const WIDTH_DEFAULT: u32 = 430;

/// Which input a problem belongs to, so a form can show it under that field.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Scene,
    Page,
    Width,
    EnvVersion,
    LineColor,
    Label,
    CheckPath,
    AutoColor,
    IsHyaline,
    /// A living code's target page.
    TargetPage,
    /// A living code's parameters.
    Params,
    /// Where a paused or ended living code sends people.
    FallbackPage,
    /// A living code's end date.
    EndsAt,
    /// A spreadsheet row's kind of code: direct or living.
    Mode,
    /// Which link API: URL Link, Scheme or Short Link.
    LinkKind,
    /// A link's query.
    Query,
    /// How many days a link lives.
    ExpireDays,
    /// A Short Link's title.
    Title,
    /// Whether a Short Link never ends.
    Permanent,
    /// A label sheet's paper, grid, margins or gaps.
    Sheet,
    /// The cell a label sheet starts at.
    StartCell,
    /// How many labels of each code.
    Copies,
    /// A file naming template.
    NameTemplate,
    /// The lines of text under each code on a label sheet.
    Lines,
    /// A label sheet's free text.
    Text,
    /// A poster's white border.
    Padding,
}

/// Stable machine-readable identity of a validation problem.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    SceneEmpty,
    SceneTooLong,
    SceneInvalidChars,
    SceneReservedWord,
    PageLeadingSlash,
    PageHasQuery,
    PageInvalidChars,
    PageMalformed,
    PageTooLong,
    WidthOutOfRange,
    /// A width typed with a fraction, or not as a number.
    WidthNotWhole,
    EnvVersionUnknown,
    LineColorOutOfRange,
    LabelTooLong,
    LabelControlChars,
    /// A spreadsheet cell that cannot be read as its column's type.
    CellUnreadable,
    TargetPageEmpty,
    ParamKeyEmpty,
    ParamKeyInvalid,
    ParamKeyDuplicate,
    ParamValueControlChars,
    ParamsTooLarge,
    EndsAtPast,
    /// `k=` and 8 letters or digits: the shape of a living code's key.
    SceneReservedForLiving,
    LinkKindUnknown,
    QueryTooLong,
    ExpireDaysOutOfRange,
    /// A Short Link lives 30 days or forever, nothing else.
    ShortLinkLifeFixed,
    ShortLinkReleaseOnly,
    TitleTooLong,
    TitleControlChars,
    TitleOnlyForShortLinks,
    PermanentOnlyForShortLinks,
    SheetMeasureInvalid,
    SheetGridInvalid,
    /// Cells too small for a code to scan from paper.
    SheetCellTooSmall,
    StartCellOutOfRange,
    CopiesOutOfRange,
    NameTemplateInvalid,
    NameTemplateUnknownField,
    /// A template without a field would give every file the same name.
    NameTemplateNoField,
    /// A sheet name that is neither a preset nor `custom`.
    SheetUnknown,
    LineFieldUnknown,
    TooManyLines,
    TextTooLong,
    TextControlChars,
    /// A free-text line chosen without its text.
    TextEmpty,
    PosterSizeOutOfRange,
    PaddingOutOfRange,
    /// Cut marks asked for where a margin leaves them no room.
    CutMarksNoRoom,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub field: Field,
    pub code: ProblemCode,
    pub message: Message,
}

impl Problem {
    pub fn new(field: Field, code: ProblemCode, message: Message) -> Self {
        Self { field, code, message }
    }
}

/// The scene value handed to the mini program's `onLoad(options.scene)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Scene(String);

impl Scene {
    pub fn parse(raw: &str) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        if raw.is_empty() {
            problems.push(Problem::new(
                Field::Scene,
                ProblemCode::SceneEmpty,
                Message::new("场景值 scene 不能为空", "The scene must not be empty"),
            ));
            return Err(problems);
        }
        let length = raw.chars().count();
        if length > SCENE_MAX_CHARS {
            problems.push(Problem::new(
                Field::Scene,
                ProblemCode::SceneTooLong,
                Message::new(
                    format!("场景值最多 {SCENE_MAX_CHARS} 个字符，当前 {length} 个"),
                    format!("The scene may have at most {SCENE_MAX_CHARS} characters; it has {length}"),
                ),
            ));
        }
        let invalid = distinct_chars(raw, |c| !is_scene_char(c));
        if !invalid.is_empty() {
            let shown = quote_chars(&invalid);
            problems.push(Problem::new(
                Field::Scene,
                ProblemCode::SceneInvalidChars,
                Message::new(
                    format!("场景值含不允许的字符：{shown}。只能使用数字、英文字母和 {SCENE_SPECIAL_CHARS}"),
                    format!(
                        "The scene contains characters WeChat does not accept: {shown}. Use digits, \
                         letters and {SCENE_SPECIAL_CHARS} only"
                    ),
                ),
            ));
        }
        if raw.to_ascii_lowercase().contains(SCENE_RESERVED_WORD) {
            problems.push(Problem::new(
                Field::Scene,
                ProblemCode::SceneReservedWord,
                Message::new(
                    format!("场景值不能包含微信保留字 {SCENE_RESERVED_WORD}"),
                    format!("The scene must not contain {SCENE_RESERVED_WORD}, which WeChat reserves"),
                ),
            ));
        }
        if problems.is_empty() {
            Ok(Self(raw.to_owned()))
        } else {
            Err(problems)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Scene {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Scene::parse(&value).map_err(|problems| first_english(&problems))
    }
}

impl From<Scene> for String {
    fn from(value: Scene) -> Self {
        value.0
    }
}

pub fn is_scene_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || SCENE_SPECIAL_CHARS.contains(c)
}

/// A mini program page such as `pages/detail/detail`; empty means the home page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PagePath(String);

impl PagePath {
    pub fn parse(raw: &str) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        if raw.starts_with('/') {
            problems.push(Problem::new(
                Field::Page,
                ProblemCode::PageLeadingSlash,
                Message::new(
                    "页面路径不能以 / 开头，例如 pages/index/index",
                    "The page must not start with /, e.g. pages/index/index",
                ),
            ));
        }
        if raw.contains('?') {
            problems.push(Problem::new(
                Field::Page,
                ProblemCode::PageHasQuery,
                Message::new(
                    "页面路径不能带参数（?），参数请放在场景值 scene 中",
                    "The page must not carry a query (?); put parameters in the scene",
                ),
            ));
        }
        let invalid = distinct_chars(raw, |c| !is_page_char(c) && c != '?');
        if !invalid.is_empty() {
            let shown = quote_chars(&invalid);
            problems.push(Problem::new(
                Field::Page,
                ProblemCode::PageInvalidChars,
                Message::new(
                    format!("页面路径含不允许的字符：{shown}。只能使用英文字母、数字和 _ - . /"),
                    format!("The page contains characters that cannot be in a path: {shown}. Use letters, digits and _ - . / only"),
                ),
            ));
        }
        let body = raw.trim_start_matches('/');
        if !body.is_empty() && (body.ends_with('/') || body.contains("//")) {
            problems.push(Problem::new(
                Field::Page,
                ProblemCode::PageMalformed,
                Message::new(
                    "页面路径不能以 / 结尾，也不能包含连续的 //",
                    "The page must not end with / or contain //",
                ),
            ));
        }
        let length = raw.chars().count();
        if length > PAGE_MAX_CHARS {
            problems.push(Problem::new(
                Field::Page,
                ProblemCode::PageTooLong,
                Message::new(
                    format!("页面路径最多 {PAGE_MAX_CHARS} 个字符，当前 {length} 个"),
                    format!("The page may have at most {PAGE_MAX_CHARS} characters; it has {length}"),
                ),
            ));
        }
        if problems.is_empty() {
            Ok(Self(raw.to_owned()))
        } else {
            Err(problems)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_home(&self) -> bool {
        self.0.is_empty()
    }
}

impl TryFrom<String> for PagePath {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PagePath::parse(&value).map_err(|problems| first_english(&problems))
    }
}

impl From<PagePath> for String {
    fn from(value: PagePath) -> Self {
        value.0
    }
}

fn is_page_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_-./".contains(c)
}

/// Image width in pixels, within WeChat's bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u32")]
pub struct Width(u32);

impl Width {
    pub fn parse(raw: i64) -> Result<Self, Problem> {
        if (i64::from(WIDTH_MIN)..=i64::from(WIDTH_MAX)).contains(&raw) {
            Ok(Self(raw as u32))
        } else {
            Err(Problem::new(
                Field::Width,
                ProblemCode::WidthOutOfRange,
                Message::new(
                    format!("宽度须在 {WIDTH_MIN} 到 {WIDTH_MAX} 像素之间，当前为 {raw}"),
                    format!("The width must be between {WIDTH_MIN} and {WIDTH_MAX} px; it is {raw}"),
                ),
            ))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// A width as typed into a form: blank is the default (`None`); a whole number is read (its
    /// bounds are `parse`'s); anything else, `430.5` say, is refused rather than rounded.
    pub fn parse_text(text: &str) -> Result<Option<i64>, Problem> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        // `640.0` is whole too. Integers only: float parsing added ~17 KB to the browser's code.
        let whole = match text.split_once('.') {
            Some((whole, zeros)) if !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') => whole,
            Some(_) => "",
            None => text,
        };
        match whole.parse::<i64>() {
            Ok(width) => Ok(Some(width)),
            Err(_) => Err(Problem::new(
                Field::Width,
                ProblemCode::WidthNotWhole,
                Message::new(
                    format!("宽度须为整数像素，当前为 {text}"),
                    format!("The width must be a whole number of pixels; it is {text}"),
                ),
            )),
        }
    }
}

impl Default for Width {
    fn default() -> Self {
        Self(WIDTH_DEFAULT)
    }
}

impl TryFrom<i64> for Width {
    type Error = String;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Width::parse(value).map_err(|p| p.message.en)
    }
}

impl From<Width> for u32 {
    fn from(value: Width) -> Self {
        value.0
    }
}

/// Which version of the mini program the code opens.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EnvVersion {
    #[default]
    Release,
    Trial,
    Develop,
}

impl EnvVersion {
    pub const ALL: [EnvVersion; 3] = [EnvVersion::Release, EnvVersion::Trial, EnvVersion::Develop];

    pub fn as_str(self) -> &'static str {
        match self {
            EnvVersion::Release => "release",
            EnvVersion::Trial => "trial",
            EnvVersion::Develop => "develop",
        }
    }

    pub fn label(self) -> Message {
        match self {
            EnvVersion::Release => Message::new("正式版", "Release"),
            EnvVersion::Trial => Message::new("体验版", "Trial"),
            EnvVersion::Develop => Message::new("开发版", "Develop"),
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Problem> {
        Self::ALL.into_iter().find(|v| v.as_str() == raw).ok_or_else(|| {
            Problem::new(
                Field::EnvVersion,
                ProblemCode::EnvVersionUnknown,
                Message::new(
                    format!("版本 env_version 只能是 release、trial 或 develop，收到 “{raw}”"),
                    format!("env_version must be release, trial or develop; got \"{raw}\""),
                ),
            )
        })
    }
}

/// Line colour used when `auto_color` is off.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LineColor {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl LineColor {
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// Parses `#rrggbb`, as an HTML colour input gives it.
    pub fn from_hex(hex: &str) -> Option<Self> {
        let digits = hex.strip_prefix('#')?;
        if digits.len() != 6 || !digits.is_ascii() {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
        Some(Self { r: channel(0)?, g: channel(2)?, b: channel(4)? })
    }
}

/// Untrusted colour channels, wide enough to report out-of-range values.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineColorInput {
    pub r: i64,
    pub g: i64,
    pub b: i64,
}

impl LineColorInput {
    pub fn parse(self) -> Result<LineColor, Problem> {
        let channel = |v: i64| u8::try_from(v).ok();
        match (channel(self.r), channel(self.g), channel(self.b)) {
            (Some(r), Some(g), Some(b)) => Ok(LineColor { r, g, b }),
            _ => Err(Problem::new(
                Field::LineColor,
                ProblemCode::LineColorOutOfRange,
                Message::new(
                    format!(
                        "线条颜色 r、g、b 须在 0 到 255 之间，当前为 ({}, {}, {})",
                        self.r, self.g, self.b
                    ),
                    format!(
                        "line_color r, g and b must be between 0 and 255; got ({}, {}, {})",
                        self.r, self.g, self.b
                    ),
                ),
            )),
        }
    }
}

impl LineColorInput {
    /// The nearest colour: each channel clamped to 0–255 (for inputs that must show something).
    pub fn clamped(self) -> LineColor {
        let channel = |v: i64| v.clamp(0, 255) as u8;
        LineColor { r: channel(self.r), g: channel(self.g), b: channel(self.b) }
    }
}

impl From<LineColor> for LineColorInput {
    fn from(c: LineColor) -> Self {
        Self { r: c.r.into(), g: c.g.into(), b: c.b.into() }
    }
}

/// What a form or JSON body carries before validation. Absent options take
/// WeChat's defaults, except `check_path`, which defaults to true as WeChat's does.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRequestInput {
    #[serde(default)]
    pub scene: String,
    #[serde(default)]
    pub page: Option<String>,
    #[serde(default)]
    pub width: Option<i64>,
    #[serde(default)]
    pub check_path: Option<bool>,
    #[serde(default)]
    pub env_version: Option<String>,
    #[serde(default)]
    pub auto_color: Option<bool>,
    #[serde(default)]
    pub line_color: Option<LineColorInput>,
    #[serde(default)]
    pub is_hyaline: Option<bool>,
}

/// A complete, valid `getUnlimitedQRCode` request.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CodeRequest {
    pub scene: Scene,
    pub page: PagePath,
    pub width: Width,
    pub check_path: bool,
    pub env_version: EnvVersion,
    pub auto_color: bool,
    pub line_color: LineColor,
    pub is_hyaline: bool,
}

impl CodeRequest {
    /// Validates every field and returns all problems found, in field order.
    pub fn parse(input: &CodeRequestInput) -> Result<Self, Vec<Problem>> {
        let mut problems = Vec::new();
        let scene = Scene::parse(&input.scene).map_err(|p| problems.extend(p)).ok();
        let page = PagePath::parse(input.page.as_deref().unwrap_or("")).map_err(|p| problems.extend(p)).ok();
        let width = match input.width {
            Some(raw) => Width::parse(raw).map_err(|p| problems.push(p)).ok(),
            None => Some(Width::default()),
        };
        let env_version = match input.env_version.as_deref() {
            Some(raw) => EnvVersion::parse(raw).map_err(|p| problems.push(p)).ok(),
            None => Some(EnvVersion::default()),
        };
        let line_color = match input.line_color {
            Some(raw) => raw.parse().map_err(|p| problems.push(p)).ok(),
            None => Some(LineColor::default()),
        };
        match (scene, page, width, env_version, line_color) {
            (Some(scene), Some(page), Some(width), Some(env_version), Some(line_color))
                if problems.is_empty() =>
            {
                Ok(Self {
                    scene,
                    page,
                    width,
                    check_path: input.check_path.unwrap_or(true),
                    env_version,
                    auto_color: input.auto_color.unwrap_or(false),
                    line_color,
                    is_hyaline: input.is_hyaline.unwrap_or(false),
                })
            }
            _ => Err(problems),
        }
    }

    /// A request with the given scene and every option at its default.
    pub fn with_scene(scene: Scene) -> Self {
        Self {
            scene,
            page: PagePath::default(),
            width: Width::default(),
            check_path: true,
            env_version: EnvVersion::default(),
            auto_color: false,
            line_color: LineColor::default(),
            is_hyaline: false,
        }
    }

    /// A string equal for two requests exactly when WeChat would draw the same
    /// code, used to find an already generated one.
    pub fn dedupe_key(&self) -> String {
        // The line colour only matters when auto_color is off.
        let color = if self.auto_color { "auto".to_owned() } else { self.line_color.to_hex() };
        format!(
            "v1|{}|{}|{}|{}|{}|{}|{}",
            self.scene.as_str(),
            self.page.as_str(),
            self.width.get(),
            self.check_path,
            self.env_version.as_str(),
            color,
            self.is_hyaline
        )
    }

    pub fn to_input(&self) -> CodeRequestInput {
        CodeRequestInput {
            scene: self.scene.as_str().to_owned(),
            page: Some(self.page.as_str().to_owned()),
            width: Some(self.width.get().into()),
            check_path: Some(self.check_path),
            env_version: Some(self.env_version.as_str().to_owned()),
            auto_color: Some(self.auto_color),
            line_color: Some(self.line_color.into()),
            is_hyaline: Some(self.is_hyaline),
        }
    }
}

fn distinct_chars(raw: &str, pick: impl Fn(char) -> bool) -> Vec<char> {
    let mut found: Vec<char> = Vec::new();
    for c in raw.chars().filter(|&c| pick(c)) {
        if !found.contains(&c) {
            found.push(c);
        }
    }
    found
}

fn quote_chars(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| {
            if c.is_whitespace() {
                format!("“{}”(U+{:04X})", c, *c as u32)
            } else {
                format!("“{c}”")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn first_english(problems: &[Problem]) -> String {
    problems.first().map(|p| p.message.en.clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(result: Result<impl std::fmt::Debug, Vec<Problem>>) -> Vec<ProblemCode> {
        match result {
            Ok(_) => vec![],
            Err(problems) => problems.into_iter().map(|p| p.code).collect(),
        }
    }

    #[test]
    fn scene_length_is_accepted_from_1_to_32_characters() {
        assert_eq!(codes(Scene::parse("a")), vec![]);
        assert_eq!(codes(Scene::parse(&"a".repeat(32))), vec![]);
        assert_eq!(codes(Scene::parse("")), vec![ProblemCode::SceneEmpty]);
        assert_eq!(codes(Scene::parse(&"a".repeat(33))), vec![ProblemCode::SceneTooLong]);
    }

    #[test]
    fn every_documented_special_character_is_accepted_in_a_scene() {
        for c in SCENE_SPECIAL_CHARS.chars() {
            assert_eq!(codes(Scene::parse(&format!("a{c}b"))), vec![], "char {c:?} should be allowed");
        }
        assert_eq!(codes(Scene::parse("id=123&type=product")), vec![]);
        assert_eq!(codes(Scene::parse("AZaz09")), vec![]);
    }

    #[test]
    fn characters_outside_the_charset_are_rejected_in_a_scene() {
        for bad in ["%", " ", "\"", "<", ">", "[", "]", "{", "}", "|", "\\", "^", "`", "中", "é", "\t", "😀"]
        {
            assert_eq!(
                codes(Scene::parse(&format!("id{bad}1"))),
                vec![ProblemCode::SceneInvalidChars],
                "char {bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn scene_problems_name_the_offending_characters_once() {
        let problems = Scene::parse("a%b%c中").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.zh.contains("“%” “中”"), "{}", problems[0].message.zh);
        assert!(problems[0].message.en.contains("“%” “中”"), "{}", problems[0].message.en);
    }

    #[test]
    fn a_long_scene_with_bad_characters_reports_both_problems() {
        let scene = format!("{}中", "a".repeat(32));
        assert_eq!(
            codes(Scene::parse(&scene)),
            vec![ProblemCode::SceneTooLong, ProblemCode::SceneInvalidChars]
        );
    }

    #[test]
    fn chinese_scene_length_counts_characters_not_bytes() {
        let problems = Scene::parse(&"中".repeat(11)).unwrap_err();
        assert_eq!(problems.iter().map(|p| p.code).collect::<Vec<_>>(), vec![ProblemCode::SceneInvalidChars]);
    }

    #[test]
    fn the_reserved_word_is_rejected_in_any_case() {
        assert_eq!(codes(Scene::parse("scancode_time=1")), vec![ProblemCode::SceneReservedWord]);
        assert_eq!(codes(Scene::parse("a=SCANCODE_TIME")), vec![ProblemCode::SceneReservedWord]);
    }

    #[test]
    fn page_rules() {
        let cases: [(&str, Vec<ProblemCode>); 11] = [
            ("", vec![]),
            ("pages/index/index", vec![]),
            ("pages/detail-v2/detail_v2", vec![]),
            ("/pages/index/index", vec![ProblemCode::PageLeadingSlash]),
            ("pages/index/index?id=1", vec![ProblemCode::PageHasQuery, ProblemCode::PageInvalidChars]),
            ("pages/index/index?", vec![ProblemCode::PageHasQuery]),
            ("pages/首页/index", vec![ProblemCode::PageInvalidChars]),
            ("pages/a b", vec![ProblemCode::PageInvalidChars]),
            ("pages/index/", vec![ProblemCode::PageMalformed]),
            ("pages//index", vec![ProblemCode::PageMalformed]),
            ("/", vec![ProblemCode::PageLeadingSlash]),
        ];
        for (page, expected) in cases {
            assert_eq!(codes(PagePath::parse(page)), expected, "page {page:?}");
        }
    }

    #[test]
    fn page_length_is_bounded() {
        let at_limit = format!("p/{}", "a".repeat(PAGE_MAX_CHARS - 2));
        assert_eq!(codes(PagePath::parse(&at_limit)), vec![]);
        let over = format!("p/{}", "a".repeat(PAGE_MAX_CHARS - 1));
        assert_eq!(codes(PagePath::parse(&over)), vec![ProblemCode::PageTooLong]);
    }

    #[test]
    fn a_typed_width_is_a_whole_number_or_blank() {
        assert_eq!(Width::parse_text(" 640 "), Ok(Some(640)));
        assert_eq!(Width::parse_text("640.0"), Ok(Some(640)));
        assert_eq!(Width::parse_text(""), Ok(None));
        assert_eq!(Width::parse_text("5000"), Ok(Some(5000)), "its bounds are parse's");
        for bad in ["430.5", "wide", "4,30", "NaN", "inf"] {
            assert_eq!(Width::parse_text(bad).unwrap_err().code, ProblemCode::WidthNotWhole, "{bad}");
        }
    }

    #[test]
    fn width_is_accepted_from_280_to_1280() {
        for ok in [280, 430, 1280] {
            assert!(Width::parse(ok).is_ok(), "{ok} should be accepted");
        }
        for bad in [279, 1281, 0, -1, i64::MAX] {
            assert_eq!(Width::parse(bad).unwrap_err().code, ProblemCode::WidthOutOfRange, "{bad}");
        }
    }

    #[test]
    fn env_version_accepts_only_the_three_versions() {
        for v in EnvVersion::ALL {
            assert_eq!(EnvVersion::parse(v.as_str()), Ok(v));
        }
        for bad in ["", "Release", "prod", "dev"] {
            assert_eq!(EnvVersion::parse(bad).unwrap_err().code, ProblemCode::EnvVersionUnknown, "{bad:?}");
        }
    }

    #[test]
    fn line_color_channels_are_bounded_0_to_255() {
        assert!(LineColorInput { r: 0, g: 128, b: 255 }.parse().is_ok());
        for bad in [
            LineColorInput { r: -1, g: 0, b: 0 },
            LineColorInput { r: 0, g: 256, b: 0 },
            LineColorInput { r: 0, g: 0, b: 999 },
        ] {
            assert_eq!(bad.parse().unwrap_err().code, ProblemCode::LineColorOutOfRange, "{bad:?}");
        }
    }

    #[test]
    fn an_out_of_range_colour_is_clamped_to_the_nearest_one() {
        let input = LineColorInput { r: -5, g: 300, b: 7 };
        assert_eq!(input.clamped(), LineColor { r: 0, g: 255, b: 7 });
        assert_eq!(
            LineColorInput::from(LineColor { r: 1, g: 2, b: 3 }).clamped(),
            LineColor { r: 1, g: 2, b: 3 }
        );
    }

    #[test]
    fn line_color_round_trips_through_hex() {
        let c = LineColor { r: 7, g: 193, b: 96 };
        assert_eq!(c.to_hex(), "#07c160");
        assert_eq!(LineColor::from_hex("#07c160"), Some(c));
        assert_eq!(LineColor::from_hex("07c160"), None);
        assert_eq!(LineColor::from_hex("#07c16"), None);
        assert_eq!(LineColor::from_hex("#zzzzzz"), None);
    }

    #[test]
    fn parse_applies_wechat_defaults() {
        let request =
            CodeRequest::parse(&CodeRequestInput { scene: "id=1".into(), ..Default::default() }).unwrap();
        assert_eq!(request.width.get(), WIDTH_DEFAULT);
        assert!(request.check_path);
        assert_eq!(request.env_version, EnvVersion::Release);
        assert!(!request.auto_color);
        assert!(!request.is_hyaline);
        assert!(request.page.is_home());
        assert_eq!(request, CodeRequest::with_scene(Scene::parse("id=1").unwrap()));
    }

    #[test]
    fn parse_reports_every_problem_at_once() {
        let input = CodeRequestInput {
            scene: "bad scene".into(),
            page: Some("/pages/x".into()),
            width: Some(100),
            env_version: Some("prod".into()),
            line_color: Some(LineColorInput { r: 300, g: 0, b: 0 }),
            ..Default::default()
        };
        let fields: Vec<Field> =
            CodeRequest::parse(&input).unwrap_err().into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![Field::Scene, Field::Page, Field::Width, Field::EnvVersion, Field::LineColor]
        );
    }

    #[test]
    fn every_problem_has_both_languages() {
        let input = CodeRequestInput {
            scene: format!("{}%", "x".repeat(40)),
            page: Some("/a?b".into()),
            width: Some(5000),
            env_version: Some("x".into()),
            line_color: Some(LineColorInput { r: -5, g: 0, b: 0 }),
            ..Default::default()
        };
        for p in CodeRequest::parse(&input).unwrap_err() {
            assert!(!p.message.zh.is_empty() && !p.message.en.is_empty(), "{p:?}");
            assert_ne!(p.message.zh, p.message.en, "{p:?}");
        }
    }

    #[test]
    fn dedupe_key_ignores_line_color_when_auto_color_is_on() {
        let base = CodeRequest::with_scene(Scene::parse("a=1").unwrap());
        let mut red = base.clone();
        red.line_color = LineColor { r: 255, g: 0, b: 0 };
        assert_ne!(base.dedupe_key(), red.dedupe_key());
        let (mut auto_a, mut auto_b) = (base.clone(), red.clone());
        auto_a.auto_color = true;
        auto_b.auto_color = true;
        assert_eq!(auto_a.dedupe_key(), auto_b.dedupe_key());
    }

    #[test]
    fn to_input_parses_back_to_the_same_request() {
        let mut request = CodeRequest::with_scene(Scene::parse("x=1").unwrap());
        request.page = PagePath::parse("pages/a/a").unwrap();
        request.width = Width::parse(640).unwrap();
        request.is_hyaline = true;
        assert_eq!(CodeRequest::parse(&request.to_input()), Ok(request));
    }

    #[test]
    fn validated_types_refuse_invalid_values_when_deserialized() {
        assert!(serde_json::from_str::<Scene>("\"a b\"").is_err());
        assert!(serde_json::from_str::<PagePath>("\"/x\"").is_err());
        assert!(serde_json::from_str::<Width>("100").is_err());
        assert!(serde_json::from_str::<Width>("300").is_ok());
    }
}
