//! The mini programs a dashboard serves: what an AppID, a name, a badge colour and
//! initials may be. One dashboard holds several; every code belongs to one.

use serde::{Deserialize, Serialize};

use crate::message::Message;

/// Every sandbox AppID starts so; the built-in simulator knows them all.
pub const SANDBOX_APPID_PREFIX: &str = "wxsandbox";
/// The built-in simulator's AppSecret for every sandbox AppID: nothing to keep secret.
pub const SANDBOX_SECRET: &str = "sandbox-secret-not-for-production";
pub const APP_NAME_MAX_CHARS: usize = 40;
pub const APP_INITIALS_MAX_CHARS: usize = 2;
/// The AppSecret WeChat issues is 32 hex digits; allow some slack for other servers.
pub const APP_SECRET_MAX_CHARS: usize = 128;

/// A mini program's AppID: `wx` and 16 lower-case hex digits (WeChat's), or a sandbox id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AppId(String);

impl AppId {
    /// Trimmed and lower-cased: WeChat writes AppIDs in lower case, people copy them any way.
    pub fn parse(raw: &str) -> Result<Self, Message> {
        let lowered = raw.trim().to_ascii_lowercase();
        let raw = lowered.as_str();
        if raw.is_empty() {
            return Err(Message::new("请填写 AppID", "Enter the AppID"));
        }
        let sandbox = raw
            .strip_prefix(SANDBOX_APPID_PREFIX)
            .is_some_and(|rest| (1..=12).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit()));
        let wechat = raw.len() == 18
            && raw.starts_with("wx")
            && raw[2..].bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if sandbox || wechat {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Message::new(
                format!("AppID 应为 wx 加 16 位十六进制字符（如 wx1234567890abcdef），而不是 {raw:?}"),
                format!("An AppID is wx and 16 hex digits (like wx1234567890abcdef), not {raw:?}"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Served by the built-in WeChat simulator.
    pub fn is_sandbox(&self) -> bool {
        self.0.starts_with(SANDBOX_APPID_PREFIX)
    }
}

impl std::fmt::Display for AppId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AppId {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        AppId::parse(&value).map_err(|m| m.en)
    }
}

impl From<AppId> for String {
    fn from(value: AppId) -> Self {
        value.0
    }
}

/// What people call the mini program in the dashboard.
pub fn parse_app_name(raw: &str) -> Result<String, Message> {
    let name = raw.trim();
    let length = name.chars().count();
    if length == 0 {
        return Err(Message::new("请填写小程序名称", "Enter the mini program's name"));
    }
    if length > APP_NAME_MAX_CHARS {
        return Err(Message::new(
            format!("名称最多 {APP_NAME_MAX_CHARS} 个字符，当前 {length} 个"),
            format!("The name may have at most {APP_NAME_MAX_CHARS} characters; it has {length}"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Message::new("名称不能包含换行或控制字符", "The name must not contain line breaks"));
    }
    Ok(name.to_owned())
}

/// The badge's colour: `#rrggbb`, lower-cased.
pub fn parse_app_colour(raw: &str) -> Result<String, Message> {
    let colour = raw.trim().to_ascii_lowercase();
    let hex = colour.strip_prefix('#').unwrap_or("");
    if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(colour)
    } else {
        Err(Message::new(
            format!("颜色应为 #rrggbb（如 #07c160），而不是 {raw:?}"),
            format!("A colour is #rrggbb (like #07c160), not {raw:?}"),
        ))
    }
}

/// The badge's letters: as given (at most two characters), or taken from the name.
pub fn app_initials(raw: &str, name: &str) -> Result<String, Message> {
    let given = raw.trim();
    if given.chars().count() > APP_INITIALS_MAX_CHARS {
        return Err(Message::new(
            format!("缩写最多 {APP_INITIALS_MAX_CHARS} 个字符"),
            format!("Initials have at most {APP_INITIALS_MAX_CHARS} characters"),
        ));
    }
    if !given.is_empty() {
        return Ok(given.to_uppercase());
    }
    // "Member Club" → "MC"; "会员俱乐部" → "会员".
    let words: Vec<&str> = name.split_whitespace().collect();
    let initials: String = if words.len() >= 2 && words.iter().all(|w| w.is_ascii()) {
        words.iter().filter_map(|w| w.chars().next()).take(APP_INITIALS_MAX_CHARS).collect()
    } else {
        name.chars().filter(|c| !c.is_whitespace()).take(APP_INITIALS_MAX_CHARS).collect()
    };
    Ok(initials.to_uppercase())
}

/// An AppSecret as typed: no spaces inside, sensible length. Never echoed back.
pub fn check_app_secret(raw: &str) -> Result<&str, Message> {
    let secret = raw.trim();
    if secret.is_empty() {
        return Err(Message::new("请填写 AppSecret", "Enter the AppSecret"));
    }
    if secret.chars().count() > APP_SECRET_MAX_CHARS
        || secret.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Message::new(
            "AppSecret 格式不对：应为小程序后台“开发管理 → 开发设置”中的 32 位字符串",
            "That is not an AppSecret: copy the 32-character string from the mini program's \
             Development settings",
        ));
    }
    Ok(secret)
}

/// A colour for a new app's badge, picked by how many apps exist already.
pub fn suggested_colour(existing: usize) -> &'static str {
    const PALETTE: [&str; 6] = ["#07c160", "#1677ff", "#fa8c16", "#722ed1", "#eb2f96", "#13a8a8"];
    PALETTE[existing % PALETTE.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appids_are_wechats_shape_or_the_sandboxs() {
        assert!(AppId::parse(" wx1234567890abcdef ").is_ok());
        assert!(AppId::parse("wxsandbox0000000001").unwrap().is_sandbox());
        assert!(!AppId::parse("wx1234567890abcdef").unwrap().is_sandbox());
        assert_eq!(AppId::parse("WX1234567890ABCDEF").unwrap().as_str(), "wx1234567890abcdef");
        for bad in ["", "wx123", "xx1234567890abcdef", "wx1234567890abcdeg", "wxsandbox"] {
            assert!(AppId::parse(bad).is_err(), "{bad:?}");
        }
        assert!(AppId::parse("wx12").unwrap_err().zh.contains("十六进制"));
    }

    #[test]
    fn names_colours_and_initials() {
        assert_eq!(parse_app_name("  会员商城 ").unwrap(), "会员商城");
        assert!(parse_app_name(" ").is_err());
        assert!(parse_app_name(&"名".repeat(41)).is_err());
        assert_eq!(parse_app_colour("#07C160").unwrap(), "#07c160");
        assert!(parse_app_colour("green").is_err());
        assert_eq!(app_initials("", "Member Club").unwrap(), "MC");
        assert_eq!(app_initials("", "会员俱乐部").unwrap(), "会员");
        assert_eq!(app_initials("", "shop").unwrap(), "SH");
        assert_eq!(app_initials("g", "Game").unwrap(), "G");
        assert!(app_initials("abc", "x").is_err());
    }

    #[test]
    fn secrets_are_one_word() {
        assert_eq!(check_app_secret(" 0123456789abcdef0123456789abcdef ").unwrap().len(), 32);
        assert!(check_app_secret("").is_err());
        assert!(check_app_secret("two words").is_err());
    }
}
