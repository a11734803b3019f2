//! Every user-facing text of the core exists in Simplified Chinese and English.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the language from an HTTP `Accept-Language` value; Chinese unless
    /// English is preferred over it.
    pub fn from_accept_language(header: &str) -> Self {
        for part in header.split(',') {
            let tag = part.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            if tag.starts_with("zh") {
                return Lang::Zh;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::Zh
    }

    /// How URLs and cookies spell it: `zh` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Reads [`Lang::code`] back.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The BCP 47 tag for dates and numbers in this language.
    pub fn locale(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en-GB",
        }
    }

    /// A list as the language writes one: "2、3" in Chinese, "2, 3" in English.
    pub fn join<T: ToString>(self, items: &[T]) -> String {
        let separator = match self {
            Lang::Zh => "、",
            Lang::En => ", ",
        };
        items.iter().map(ToString::to_string).collect::<Vec<_>>().join(separator)
    }
}

/// "1 row" or "3 rows": English counts agree with their noun.
pub fn count_en(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A text in both UI languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub zh: String,
    pub en: String,
}

impl Message {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self { zh: zh.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Messages said one after another, each language with its own separator.
    pub fn joined<'a>(messages: impl IntoIterator<Item = &'a Message>, zh: &str, en: &str) -> Self {
        let mut all = Self::new(String::new(), String::new());
        for (i, message) in messages.into_iter().enumerate() {
            if i > 0 {
                all.zh.push_str(zh);
                all.en.push_str(en);
            }
            all.zh.push_str(&message.zh);
            all.en.push_str(&message.en);
        }
        all
    }

    /// Several problems said at once, one a line (error alerts keep the breaks).
    pub fn lines(messages: &[Message]) -> Self {
        Self::joined(messages, "\n", "\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_the_first_known_language() {
        let cases = [
            ("", Lang::Zh),
            ("en-US,en;q=0.9", Lang::En),
            ("zh-CN,zh;q=0.9,en;q=0.8", Lang::Zh),
            ("fr-FR,en;q=0.5", Lang::En),
            ("fr-FR", Lang::Zh),
        ];
        for (header, expected) in cases {
            assert_eq!(Lang::from_accept_language(header), expected, "header {header:?}");
        }
    }

    #[test]
    fn lists_take_the_language_s_separator() {
        assert_eq!(Lang::Zh.join(&[2, 3]), "2、3");
        assert_eq!(Lang::En.join(&[2, 3]), "2, 3");
        assert_eq!(Lang::Zh.join(&[7]), "7");
    }

    #[test]
    fn joined_messages_take_each_language_s_separator() {
        let both = Message::joined(&[Message::new("甲", "a"), Message::new("乙", "b")], "；", "; ");
        assert_eq!(both, Message::new("甲；乙", "a; b"));
        assert_eq!(Message::joined(&[], "；", "; "), Message::new("", ""));
    }

    #[test]
    fn several_messages_take_a_line_each() {
        let both = Message::lines(&[Message::new("甲", "a"), Message::new("乙", "b")]);
        assert_eq!(both, Message::new("甲\n乙", "a\nb"));
    }

    #[test]
    fn message_returns_the_text_of_the_asked_language() {
        let m = Message::new("你好", "hello");
        assert_eq!(m.get(Lang::Zh), "你好");
        assert_eq!(m.get(Lang::En), "hello");
    }
}
