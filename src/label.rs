//! A free-text campaign or channel name kept with a code (not sent to WeChat).

use serde::{Deserialize, Serialize};

use crate::message::Message;
use crate::request::{Field, Problem, ProblemCode};

pub const LABEL_MAX_CHARS: usize = 100;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Label(String);

impl Label {
    /// Trims surrounding spaces; any language is welcome, control characters are not.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let trimmed = raw.trim();
        let length = trimmed.chars().count();
        if length > LABEL_MAX_CHARS {
            return Err(Problem::new(
                Field::Label,
                ProblemCode::LabelTooLong,
                Message::new(
                    format!("标签最多 {LABEL_MAX_CHARS} 个字符，当前 {length} 个"),
                    format!("The label may have at most {LABEL_MAX_CHARS} characters; it has {length}"),
                ),
            ));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(Problem::new(
                Field::Label,
                ProblemCode::LabelControlChars,
                Message::new(
                    "标签不能包含换行或控制字符",
                    "The label must not contain line breaks or control characters",
                ),
            ));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Label {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Label::parse(&value).map_err(|p| p.message.en)
    }
}

impl From<Label> for String {
    fn from(value: Label) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_up_to_100_characters_in_any_language_are_accepted() {
        assert_eq!(Label::parse("  双十一 · 上海门店  ").unwrap().as_str(), "双十一 · 上海门店");
        assert!(Label::parse(&"店".repeat(100)).is_ok());
        assert_eq!(Label::parse(&"店".repeat(101)).unwrap_err().code, ProblemCode::LabelTooLong);
        assert_eq!(Label::parse("").unwrap().as_str(), "");
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(Label::parse("a\nb").unwrap_err().code, ProblemCode::LabelControlChars);
        assert_eq!(Label::parse("a\u{7}b").unwrap_err().code, ProblemCode::LabelControlChars);
    }
}
