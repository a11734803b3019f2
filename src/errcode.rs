//! What WeChat's errcodes mean, in words a marketing person can act on: those of
//! `getUnlimitedQRCode`, the token endpoints and the link APIs.

use crate::message::Message;

/// The errcodes of `getUnlimitedQRCode`, the token endpoints and the link APIs the app handles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KnownErrcode {
    SystemBusy,
    InvalidCredential,
    InvalidAppId,
    InvalidAccessToken,
    InvalidArgs,
    InvalidAppSecret,
    InvalidSceneChars,
    IpNotWhitelisted,
    InvalidScene,
    MissingAccessToken,
    InvalidPage,
    AccessTokenExpired,
    RateLimited,
    ForceRefreshLimited,
    MalformedPostData,
    ApiUnauthorized,
    SceneReservedWord,
    InvalidGrantType,
    InvalidShortLinkUrl,
    InvalidLinkPath,
    InvalidLinkQuery,
    InvalidTitle,
    NoPermission,
    LinkTooFrequent,
    LinkDailyLimit,
    NotReleased,
    PermanentLinkLimit,
    ExpiryOutOfRange,
    InvalidEnvVersion,
    LinkNotFound,
    LinkQueryFailed,
}

impl KnownErrcode {
    pub const ALL: [KnownErrcode; 31] = [
        KnownErrcode::SystemBusy,
        KnownErrcode::InvalidCredential,
        KnownErrcode::InvalidAppId,
        KnownErrcode::InvalidAccessToken,
        KnownErrcode::InvalidArgs,
        KnownErrcode::InvalidAppSecret,
        KnownErrcode::InvalidSceneChars,
        KnownErrcode::IpNotWhitelisted,
        KnownErrcode::InvalidScene,
        KnownErrcode::MissingAccessToken,
        KnownErrcode::InvalidPage,
        KnownErrcode::AccessTokenExpired,
        KnownErrcode::RateLimited,
        KnownErrcode::ForceRefreshLimited,
        KnownErrcode::MalformedPostData,
        KnownErrcode::ApiUnauthorized,
        KnownErrcode::SceneReservedWord,
        KnownErrcode::InvalidGrantType,
        KnownErrcode::InvalidShortLinkUrl,
        KnownErrcode::InvalidLinkPath,
        KnownErrcode::InvalidLinkQuery,
        KnownErrcode::InvalidTitle,
        KnownErrcode::NoPermission,
        KnownErrcode::LinkTooFrequent,
        KnownErrcode::LinkDailyLimit,
        KnownErrcode::NotReleased,
        KnownErrcode::PermanentLinkLimit,
        KnownErrcode::ExpiryOutOfRange,
        KnownErrcode::InvalidEnvVersion,
        KnownErrcode::LinkNotFound,
        KnownErrcode::LinkQueryFailed,
    ];

    pub fn code(self) -> i64 {
        match self {
            KnownErrcode::SystemBusy => -1,
            KnownErrcode::InvalidCredential => 40001,
            KnownErrcode::InvalidAppId => 40013,
            KnownErrcode::InvalidAccessToken => 40014,
            KnownErrcode::InvalidArgs => 40097,
            KnownErrcode::InvalidAppSecret => 40125,
            KnownErrcode::InvalidSceneChars => 40129,
            KnownErrcode::IpNotWhitelisted => 40164,
            KnownErrcode::InvalidScene => 40169,
            KnownErrcode::MissingAccessToken => 41001,
            KnownErrcode::InvalidPage => 41030,
            KnownErrcode::AccessTokenExpired => 42001,
            KnownErrcode::RateLimited => 45009,
            KnownErrcode::ForceRefreshLimited => 45011,
            KnownErrcode::MalformedPostData => 47001,
            KnownErrcode::ApiUnauthorized => 48001,
            KnownErrcode::SceneReservedWord => 85096,
            KnownErrcode::InvalidGrantType => 40002,
            KnownErrcode::InvalidShortLinkUrl => 40066,
            KnownErrcode::InvalidLinkPath => 40165,
            KnownErrcode::InvalidLinkQuery => 40212,
            KnownErrcode::InvalidTitle => 40225,
            KnownErrcode::NoPermission => 43104,
            KnownErrcode::LinkTooFrequent => 44990,
            KnownErrcode::LinkDailyLimit => 44993,
            KnownErrcode::NotReleased => 85079,
            KnownErrcode::PermanentLinkLimit => 85400,
            KnownErrcode::ExpiryOutOfRange => 85401,
            KnownErrcode::InvalidEnvVersion => 85402,
            KnownErrcode::LinkNotFound => 85403,
            KnownErrcode::LinkQueryFailed => 85406,
        }
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The errmsg WeChat sends with this code (the simulator sends the same).
    pub fn wechat_errmsg(self) -> &'static str {
        match self {
            KnownErrcode::SystemBusy => "system error",
            KnownErrcode::InvalidCredential => "invalid credential, access_token is invalid or not latest",
            KnownErrcode::InvalidAppId => "invalid appid",
            KnownErrcode::InvalidAccessToken => "invalid access_token",
            KnownErrcode::InvalidArgs => "invalid args",
            KnownErrcode::InvalidAppSecret => "invalid appsecret",
            KnownErrcode::InvalidSceneChars => "invalid scene",
            KnownErrcode::IpNotWhitelisted => "invalid ip, not in whitelist",
            KnownErrcode::InvalidScene => "invalid length for scene, or the data is not json string",
            KnownErrcode::MissingAccessToken => "access_token missing",
            KnownErrcode::InvalidPage => "invalid page",
            KnownErrcode::AccessTokenExpired => "access_token expired",
            KnownErrcode::RateLimited => "reach max api daily quota limit",
            KnownErrcode::ForceRefreshLimited => "api minute-quota reach limit",
            KnownErrcode::MalformedPostData => "data format error",
            KnownErrcode::ApiUnauthorized => "api unauthorized",
            KnownErrcode::SceneReservedWord => "not allow include scancode_time field",
            KnownErrcode::InvalidGrantType => "invalid grant_type",
            KnownErrcode::InvalidShortLinkUrl => "invalid url",
            KnownErrcode::InvalidLinkPath => "invalid weapp pagepath",
            KnownErrcode::InvalidLinkQuery => "invalid query",
            KnownErrcode::InvalidTitle => "invalid page title",
            KnownErrcode::NoPermission => "this appid does not have permission",
            KnownErrcode::LinkTooFrequent => "api freq out of limit",
            KnownErrcode::LinkDailyLimit => "reach max api daily quota limit",
            KnownErrcode::NotReleased => "miniprogram has no online release",
            KnownErrcode::PermanentLinkLimit => "reach max long time quota limit",
            KnownErrcode::ExpiryOutOfRange => "time limit between 1min and 30days",
            KnownErrcode::InvalidEnvVersion => "invalid env_version",
            KnownErrcode::LinkNotFound => "scheme not exist",
            KnownErrcode::LinkQueryFailed => "query failed",
        }
    }

    /// True for the codes after which a fresh access_token may succeed.
    pub fn is_token_rejected(self) -> bool {
        matches!(
            self,
            KnownErrcode::InvalidCredential
                | KnownErrcode::InvalidAccessToken
                | KnownErrcode::AccessTokenExpired
        )
    }

    pub fn message(self) -> Message {
        let (zh, en) = match self {
            KnownErrcode::SystemBusy => ("微信系统繁忙，请稍后再试", "WeChat is busy; please try again shortly"),
            KnownErrcode::InvalidCredential => (
                "access_token 无效或已被刷新，请检查 AppID 和 AppSecret",
                "The access_token is invalid or was superseded; check the AppID and AppSecret",
            ),
            KnownErrcode::InvalidAppId => ("AppID 无效，请检查配置", "The AppID is invalid; check the configuration"),
            KnownErrcode::InvalidAccessToken => ("access_token 不合法", "The access_token is not valid"),
            KnownErrcode::InvalidArgs => (
                "参数不合法（请检查宽度等选项）",
                "WeChat rejected the arguments (check the width and other options)",
            ),
            KnownErrcode::InvalidAppSecret => (
                "AppSecret 错误，请检查配置",
                "The AppSecret is wrong; check the configuration",
            ),
            KnownErrcode::InvalidSceneChars => (
                "场景值含有微信不接受的字符",
                "The scene contains characters WeChat does not accept",
            ),
            KnownErrcode::IpNotWhitelisted => (
                "服务器 IP 不在小程序后台的 IP 白名单中",
                "This server's IP address is not on the mini program's IP whitelist",
            ),
            KnownErrcode::InvalidScene => (
                "场景值为空或超过 32 个字符",
                "The scene is empty or longer than 32 characters",
            ),
            KnownErrcode::MissingAccessToken => ("请求缺少 access_token", "The request carried no access_token"),
            KnownErrcode::InvalidPage => (
                "页面不存在或小程序尚未发布该页面；请检查路径，或关闭“校验页面路径”",
                "The page does not exist in the published mini program; check the path or turn off check_path",
            ),
            KnownErrcode::AccessTokenExpired => ("access_token 已过期", "The access_token has expired"),
            KnownErrcode::RateLimited => (
                "调用太频繁，已超过微信的频率限制（每分钟 5000 次），请稍后再试",
                "Too many calls: WeChat's rate limit (5,000 per minute) was reached; try again shortly",
            ),
            KnownErrcode::ForceRefreshLimited => (
                "强制刷新 access_token 次数已达上限",
                "The access_token force-refresh limit was reached",
            ),
            KnownErrcode::MalformedPostData => ("请求数据格式错误", "WeChat could not read the request body"),
            KnownErrcode::ApiUnauthorized => (
                "小程序没有调用该接口的权限（请确认已发布并开通）",
                "This mini program is not authorised to use the API (is it published?)",
            ),
            KnownErrcode::SceneReservedWord => (
                "场景值不能包含保留字 scancode_time",
                "The scene must not contain the reserved word scancode_time",
            ),
            KnownErrcode::InvalidGrantType => (
                "无权限生成链接：个人主体的小程序不能生成 URL Link 和 URL Scheme（或 grant_type 错误）",
                "No permission: mini programs registered by individuals cannot make URL Links or Schemes (or the grant_type is wrong)",
            ),
            KnownErrcode::InvalidShortLinkUrl => (
                "短链接的页面无效：须是已发布小程序中存在的页面，页面加参数不超过 1024 个字符",
                "The Short Link's page is not valid: it must exist in the released mini program, with its query 1,024 characters at most",
            ),
            KnownErrcode::InvalidLinkPath => (
                "链接的页面在已发布的小程序中不存在，请检查路径",
                "The link's page does not exist in the released mini program; check the path",
            ),
            KnownErrcode::InvalidLinkQuery => (
                "链接参数含微信不接受的字符或超过 1024 个字符",
                "The link's query has characters WeChat does not accept, or is longer than 1,024 characters",
            ),
            KnownErrcode::InvalidTitle => (
                "短链接的标题无效，请换一个标题",
                "WeChat refused the Short Link's title; choose another",
            ),
            KnownErrcode::NoPermission => (
                "该小程序没有使用此接口的权限（请检查小程序的主体类型和已开通的能力）",
                "This mini program may not use the API (check its registration type and enabled capabilities)",
            ),
            KnownErrcode::LinkTooFrequent => (
                "生成链接太频繁（每秒最多 100 次），请稍后再试",
                "Links are being made too fast (at most 100 a second); try again shortly",
            ),
            KnownErrcode::LinkDailyLimit => (
                "今天生成的 URL Link 和 URL Scheme 已达微信上限（每天 50 万个），请明天再试",
                "Today's limit of URL Links and Schemes (500,000 a day) is reached; try again tomorrow",
            ),
            KnownErrcode::NotReleased => (
                "小程序还没有发布线上版本，无法生成链接",
                "The mini program has no released version yet, so no link can be made",
            ),
            KnownErrcode::PermanentLinkLimit => (
                "永久有效的链接已达微信上限（每个小程序累计 10 万个），请改用 30 天有效的链接",
                "The limit of permanent links (100,000 per mini program, ever) is reached; make a 30-day link instead",
            ),
            KnownErrcode::ExpiryOutOfRange => (
                "链接的有效期须在 1 分钟到 30 天之间",
                "A link must live between 1 minute and 30 days",
            ),
            KnownErrcode::InvalidEnvVersion => (
                "版本 env_version 无效，只能是 release、trial 或 develop",
                "The env_version is not valid: it must be release, trial or develop",
            ),
            KnownErrcode::LinkNotFound => (
                "微信找不到这个链接（可能属于其他小程序，或已被清理）",
                "WeChat does not know this link (it may belong to another mini program, or be gone)",
            ),
            KnownErrcode::LinkQueryFailed => (
                "无法查询这个链接，请确认它属于当前小程序",
                "This link cannot be looked up; check that it belongs to this mini program",
            ),
        };
        Message::new(zh, en)
    }
}

/// The human message for any errcode; unknown codes keep their number and errmsg.
pub fn describe_errcode(errcode: i64, errmsg: &str) -> Message {
    match KnownErrcode::from_code(errcode) {
        Some(KnownErrcode::IpNotWhitelisted) => match refused_ip(errmsg) {
            Some(ip) => Message::new(
                format!("服务器出口 IP {ip} 不在小程序后台的 IP 白名单中：请在“开发管理 → 开发设置 → IP 白名单”中添加它"),
                format!(
                    "This server's outgoing address {ip} is not on the mini program's IP whitelist: \
                     add it under Development settings → IP whitelist"
                ),
            ),
            None => KnownErrcode::IpNotWhitelisted.message(),
        },
        Some(known) => known.message(),
        None => Message::new(
            format!("微信返回错误 {errcode}：{errmsg}"),
            format!("WeChat returned error {errcode}: {errmsg}"),
        ),
    }
}

/// The address WeChat saw, from a 40164 errmsg: `invalid ip 203.0.113.7 ipv6 ::ffff:…, not in whitelist`.
pub fn refused_ip(errmsg: &str) -> Option<&str> {
    let rest = errmsg.split("invalid ip ").nth(1)?;
    let ip = rest.split([' ', ',']).next()?;
    (!ip.is_empty() && ip.chars().all(|c| c.is_ascii_hexdigit() || c == '.' || c == ':')).then_some(ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whitelist_refusal_names_the_address_to_add() {
        let errmsg = "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 1";
        assert_eq!(refused_ip(errmsg), Some("203.0.113.7"));
        assert!(describe_errcode(40164, errmsg).en.contains("203.0.113.7"));
        assert!(describe_errcode(40164, "invalid ip, not in whitelist").en.contains("whitelist"));
        assert_eq!(refused_ip("invalid ip , not in whitelist"), None);
    }

    #[test]
    fn every_code_the_issue_names_is_known() {
        for code in [
            -1, 40001, 40013, 40014, 40097, 40125, 40129, 40169, 41001, 41030, 42001, 45009, 47001, 48001,
            85096, // The link APIs'.
            40002, 40165, 40212, 44990, 44993, 85079, 85401, 85402, 85403, 85406, 40066, 40225, 85400, 43104,
        ] {
            assert!(KnownErrcode::from_code(code).is_some(), "errcode {code} should be known");
        }
    }

    #[test]
    fn codes_round_trip_and_are_distinct() {
        for known in KnownErrcode::ALL {
            assert_eq!(KnownErrcode::from_code(known.code()), Some(known));
        }
        let mut codes: Vec<i64> = KnownErrcode::ALL.iter().map(|k| k.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), KnownErrcode::ALL.len());
    }

    #[test]
    fn only_token_errors_ask_for_a_new_token() {
        let token_errors: Vec<i64> =
            KnownErrcode::ALL.into_iter().filter(|k| k.is_token_rejected()).map(|k| k.code()).collect();
        assert_eq!(token_errors, vec![40001, 40014, 42001]);
    }

    #[test]
    fn known_codes_have_human_messages_in_both_languages() {
        for known in KnownErrcode::ALL {
            let m = known.message();
            assert!(!m.zh.is_empty() && !m.en.is_empty(), "{known:?}");
            assert!(!m.en.contains(known.wechat_errmsg()), "{known:?} should not just echo errmsg");
        }
        assert!(describe_errcode(41030, "invalid page").zh.contains("页面"));
        assert!(describe_errcode(45009, "x").en.contains("rate limit"));
    }

    #[test]
    fn unknown_codes_keep_their_number_and_errmsg() {
        let m = describe_errcode(61451, "invalid parameter");
        assert!(m.zh.contains("61451") && m.zh.contains("invalid parameter"), "{}", m.zh);
        assert!(m.en.contains("61451") && m.en.contains("invalid parameter"), "{}", m.en);
    }
}
