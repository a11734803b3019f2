//! File names from a template such as `{label}_{scene}_{id}`: what a team sorts its downloads
//! and ZIP entries by. Every character a file system or an archive tool might refuse is replaced,
//! and names that clash are numbered.

use std::collections::HashSet;

use crate::message::Message;
use crate::request::{Field, Problem, ProblemCode};

/// The team default unless an admin sets another: sorted by label, told apart by id.
pub const DEFAULT_TEMPLATE: &str = "{label}_{scene}_{id}";
/// A stem longer than this is cut (on a character boundary): archive tools and Windows choke on
/// long paths, and nobody reads further.
pub const MAX_STEM_CHARS: usize = 100;
/// File systems take 255 bytes a name (a Chinese character is 3): room is left for a clash's
/// number, a rendition's suffix and the extension.
pub const MAX_STEM_BYTES: usize = 180;
const MAX_TEMPLATE_CHARS: usize = 200;

/// The fields a template may name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Placeholder {
    Label,
    Scene,
    Id,
    Page,
    Date,
    App,
}

impl Placeholder {
    const ALL: [Placeholder; 6] = [
        Placeholder::Label,
        Placeholder::Scene,
        Placeholder::Id,
        Placeholder::Page,
        Placeholder::Date,
        Placeholder::App,
    ];

    fn name(self) -> &'static str {
        match self {
            Placeholder::Label => "label",
            Placeholder::Scene => "scene",
            Placeholder::Id => "id",
            Placeholder::Page => "page",
            Placeholder::Date => "date",
            Placeholder::App => "app",
        }
    }
}

/// What one code gives a template.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameFields<'a> {
    pub id: i64,
    pub scene: &'a str,
    pub label: &'a str,
    pub page: &'a str,
    /// `YYYY-MM-DD`, in the zone the reader chose.
    pub date: &'a str,
    /// The mini program's name (or AppID).
    pub app: &'a str,
}

impl NameFields<'_> {
    fn get(&self, placeholder: Placeholder) -> String {
        match placeholder {
            Placeholder::Label => self.label.to_owned(),
            Placeholder::Scene => self.scene.to_owned(),
            Placeholder::Id => self.id.to_string(),
            Placeholder::Page => self.page.to_owned(),
            Placeholder::Date => self.date.to_owned(),
            Placeholder::App => self.app.to_owned(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Field(Placeholder),
}

/// A checked template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameTemplate {
    parts: Vec<Part>,
}

fn problem(code: ProblemCode, zh: String, en: String) -> Problem {
    Problem::new(Field::NameTemplate, code, Message::new(zh, en))
}

fn known_list() -> String {
    Placeholder::ALL.iter().map(|p| format!("{{{}}}", p.name())).collect::<Vec<_>>().join(" ")
}

impl Default for NameTemplate {
    fn default() -> Self {
        Self::parse(DEFAULT_TEMPLATE).unwrap_or(Self { parts: vec![Part::Field(Placeholder::Scene)] })
    }
}

impl NameTemplate {
    /// Reads `{label}_{scene}_{id}`; unknown or unclosed placeholders are refused by name, and a
    /// template must name at least one field (else every file would be called the same).
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let raw = raw.trim();
        if raw.chars().count() > MAX_TEMPLATE_CHARS {
            return Err(problem(
                ProblemCode::NameTemplateInvalid,
                format!("命名模板最多 {MAX_TEMPLATE_CHARS} 个字符"),
                format!("A name template has at most {MAX_TEMPLATE_CHARS} characters"),
            ));
        }
        let mut parts = Vec::new();
        let mut rest = raw;
        let stray_close = |text: &str| {
            text.contains('}').then(|| {
                problem(
                    ProblemCode::NameTemplateInvalid,
                    format!("命名模板里的 “}}” 前面没有 “{{”：{raw}"),
                    format!("A \"}}\" in the name template has no \"{{\" before it: {raw}"),
                )
            })
        };
        while let Some(open) = rest.find('{') {
            if let Some(stray) = stray_close(&rest[..open]) {
                return Err(stray);
            }
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                return Err(problem(
                    ProblemCode::NameTemplateInvalid,
                    format!("命名模板里的 “{{” 没有对应的 “}}”：{raw}"),
                    format!("A \"{{\" in the name template is never closed: {raw}"),
                ));
            };
            if after[..close].contains('{') {
                return Err(problem(
                    ProblemCode::NameTemplateInvalid,
                    format!("字段要写成 {{label}} 这样，一对花括号：{raw}"),
                    format!("Write a field with one pair of braces, like {{label}}: {raw}"),
                ));
            }
            let name = after[..close].trim().to_ascii_lowercase();
            let Some(field) = Placeholder::ALL.into_iter().find(|p| p.name() == name) else {
                return Err(problem(
                    ProblemCode::NameTemplateUnknownField,
                    format!("命名模板里没有 {{{name}}} 这个字段；可用：{}", known_list()),
                    format!("The name template has no field {{{name}}}; use {}", known_list()),
                ));
            };
            parts.push(Part::Field(field));
            rest = &after[close + 1..];
        }
        if let Some(stray) = stray_close(rest) {
            return Err(stray);
        }
        if let Some((_, extension)) = rest.rsplit_once('.') {
            if ["jpg", "jpeg", "png", "gif", "zip"].contains(&extension.trim().to_ascii_lowercase().as_str())
            {
                return Err(problem(
                    ProblemCode::NameTemplateInvalid,
                    format!("命名模板不用写扩展名（.{extension}）：会按图片类型自动加上"),
                    format!("Leave the extension (.{extension}) out of the template: it is added by the image's type"),
                ));
            }
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        if !parts.iter().any(|p| matches!(p, Part::Field(_))) {
            return Err(problem(
                ProblemCode::NameTemplateNoField,
                format!("命名模板至少要包含一个字段，例如 {DEFAULT_TEMPLATE}；可用：{}", known_list()),
                format!(
                    "A name template needs at least one field, e.g. {DEFAULT_TEMPLATE}; use {}",
                    known_list()
                ),
            ));
        }
        Ok(Self { parts })
    }

    /// The template as written (normalised), for a settings form.
    pub fn as_string(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(text) => text.clone(),
                Part::Field(field) => format!("{{{}}}", field.name()),
            })
            .collect()
    }

    /// The file stem (no extension) for one code: safe characters only, separators left by
    /// empty fields collapsed, `code-<id>` when nothing is left.
    pub fn stem(&self, fields: &NameFields) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Field(field) => out.push_str(&fields.get(*field)),
            }
        }
        let stem = safe_stem(&out);
        if stem.is_empty() {
            format!("code-{}", fields.id)
        } else {
            stem
        }
    }
}

/// Characters no file system, ZIP tool or browser download should be handed.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '&' | '=' | '#' | '%')
}

/// `text` as a file stem: unsafe characters become `_`, runs of separators shrink to one,
/// no separator or dot at either end, at most [`MAX_STEM_CHARS`] characters and
/// [`MAX_STEM_BYTES`] bytes.
pub fn safe_stem(text: &str) -> String {
    let replaced: String = text.chars().map(|c| if unsafe_char(c) { '_' } else { c }).collect();
    let mut out = String::with_capacity(replaced.len());
    for c in replaced.chars() {
        let separator = matches!(c, '_' | '-' | ' ' | '.');
        // "a__b", "a_-_b" (an empty field between two separators) read as "a_b".
        if separator && out.ends_with(['_', '-', ' ', '.']) {
            continue;
        }
        out.push(c);
    }
    let trimmed = out.trim_matches(['_', '-', ' ', '.']);
    let mut cut = String::new();
    for c in trimmed.chars().take(MAX_STEM_CHARS) {
        if cut.len() + c.len_utf8() > MAX_STEM_BYTES {
            break;
        }
        cut.push(c);
    }
    cut.trim_end_matches(['_', '-', ' ', '.']).to_owned()
}

/// Hands out file names, numbering a clash `name (2).jpg`, `name (3).jpg` … Names are compared
/// without case, as Windows and macOS do.
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: HashSet<String>,
}

impl UniqueNames {
    pub fn claim(&mut self, stem: &str, extension: &str) -> String {
        let name = |n: usize| match n {
            1 => format!("{stem}.{extension}"),
            n => format!("{stem} ({n}).{extension}"),
        };
        let mut n = 1;
        while !self.taken.insert(name(n).to_lowercase()) {
            n += 1;
        }
        name(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>() -> NameFields<'a> {
        NameFields {
            id: 42,
            scene: "id=123&c=2",
            label: "双十一 · 上海",
            page: "pages/a/b",
            date: "2026-11-27",
            app: "会员商城",
        }
    }

    #[test]
    fn a_template_fills_in_each_field_with_safe_characters() {
        let template = NameTemplate::parse("{label}_{scene}_{id}").unwrap();
        assert_eq!(template.stem(&fields()), "双十一 · 上海_id_123_c_2_42");
        assert_eq!(NameTemplate::default(), template);
        let every = NameTemplate::parse("{ DATE }-{app}-{page}").unwrap();
        assert_eq!(every.as_string(), "{date}-{app}-{page}");
        assert_eq!(every.stem(&fields()), "2026-11-27-会员商城-pages_a_b");
    }

    #[test]
    fn empty_fields_leave_no_stray_separators() {
        let template = NameTemplate::parse("{label}_{scene}_{id}").unwrap();
        let unlabelled = NameFields { label: "", ..fields() };
        assert_eq!(template.stem(&unlabelled), "id_123_c_2_42");
        let nothing = NameFields { label: "", scene: "", ..fields() };
        assert_eq!(NameTemplate::parse("{label}_{scene}").unwrap().stem(&nothing), "code-42");
        assert_eq!(template.stem(&nothing), "42");
        assert_eq!(safe_stem("../..\\etc"), "etc");
        assert_eq!(safe_stem("  a..b  "), "a.b");
    }

    #[test]
    fn long_names_are_cut_on_a_character_boundary() {
        let template = NameTemplate::parse("{label}").unwrap();
        let latin = "a".repeat(300);
        assert_eq!(template.stem(&NameFields { label: &latin, ..fields() }).len(), MAX_STEM_CHARS);
        let chinese = "码".repeat(300);
        let stem = template.stem(&NameFields { label: &chinese, ..fields() });
        assert_eq!(stem.chars().count(), MAX_STEM_BYTES / 3);
    }

    #[test]
    fn bad_templates_are_refused_by_name() {
        let unknown = NameTemplate::parse("{label}_{colour}").unwrap_err();
        assert_eq!(unknown.code, ProblemCode::NameTemplateUnknownField);
        assert!(unknown.message.en.contains("{colour}") && unknown.message.en.contains("{scene}"));
        assert_eq!(NameTemplate::parse("{label").unwrap_err().code, ProblemCode::NameTemplateInvalid);
        for stray in ["{label}}", "label}", "{{label}}", "{label}.jpg", "{id}.PNG"] {
            let refused = NameTemplate::parse(stray).unwrap_err();
            assert_eq!(refused.code, ProblemCode::NameTemplateInvalid, "{stray}");
        }
        assert!(NameTemplate::parse("{label}}").unwrap_err().message.en.contains("no \"{\" before it"));
        assert!(NameTemplate::parse("v1.2_{id}").is_ok(), "a dot is no extension");
        assert_eq!(NameTemplate::parse("poster").unwrap_err().code, ProblemCode::NameTemplateNoField);
        assert_eq!(
            NameTemplate::parse(&"{id}".repeat(100)).unwrap_err().code,
            ProblemCode::NameTemplateInvalid
        );
        assert_eq!(NameTemplate::default().as_string(), DEFAULT_TEMPLATE);
    }

    #[test]
    fn clashes_are_numbered_whatever_their_case() {
        let mut names = UniqueNames::default();
        assert_eq!(names.claim("poster", "jpg"), "poster.jpg");
        assert_eq!(names.claim("Poster", "jpg"), "Poster (2).jpg");
        assert_eq!(names.claim("poster", "jpg"), "poster (3).jpg");
        assert_eq!(names.claim("poster", "png"), "poster.png");
    }
}
