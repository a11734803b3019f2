//! The one error type that crosses the wire: server functions return it, the
//! UI shows its message, the REST API turns it into a status and JSON.

use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use wxacode::{Lang, Message, Problem};

use crate::wire::JsonText;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The request broke domain rules; every problem is listed.
    #[error("invalid request ({} problems)", problems.len())]
    Invalid { problems: Vec<Problem> },
    /// WeChat refused or failed the call.
    #[error("WeChat error {errcode:?}")]
    WeChat { errcode: Option<i64>, message: Message },
    /// WeChat could not be reached at all.
    #[error("WeChat unreachable")]
    WeChatUnreachable { message: Message },
    /// WeChat did not answer in time.
    #[error("WeChat timed out")]
    WeChatTimeout { message: Message },
    /// The request could not be read at all (not JSON, wrong types, bad query).
    #[error("malformed request: {detail}")]
    Malformed { detail: String },
    /// A request the rules refuse that is not about a code's parameters (e.g. too many ids).
    #[error("rejected: {}", message.en)]
    Rejected { message: Message },
    /// An upload over its size limit.
    #[error("too large: {}", message.en)]
    TooLarge { message: Message },
    #[error("not found")]
    NotFound,
    /// Something other than a code does not exist; the message names it.
    #[error("missing: {}", message.en)]
    Missing { message: Message },
    /// Nobody is signed in (or the session ended, or the API key is missing or revoked).
    #[error("unauthorized")]
    Unauthorized,
    /// Signed in, but the role does not allow it.
    #[error("forbidden: {}", message.en)]
    Forbidden { message: Message },
    /// Too many failed sign-ins; try again later.
    #[error("throttled: {}", message.en)]
    Throttled { message: Message },
    /// A part of this server is not set up (e.g. the print font); the message says what to do.
    #[error("unavailable: {}", message.en)]
    Unavailable { message: Message },
    /// Anything else; the cause is logged on the server, never sent.
    #[error("internal error")]
    Internal,
    /// The server function call itself failed (network, encoding).
    #[error("server function call failed: {0}")]
    Transport(String),
}

impl AppError {
    /// A request the rules refuse, saying why in both languages.
    pub fn rejected(zh: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::Rejected { message: Message::new(zh, en) }
    }

    /// Signed in, but not allowed to; saying why in both languages.
    pub fn forbidden(zh: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::Forbidden { message: Message::new(zh, en) }
    }

    /// A request that could not be read at all; `detail` says what was expected.
    pub fn malformed(detail: impl Into<String>) -> Self {
        AppError::Malformed { detail: detail.into() }
    }

    /// The errcode WeChat answers when it is called too often (45009).
    pub fn is_rate_limited(&self) -> bool {
        self.errcode() == Some(wxacode::KnownErrcode::RateLimited.code())
    }

    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Invalid { .. } | AppError::Malformed { .. } | AppError::Rejected { .. } => 400,
            AppError::NotFound | AppError::Missing { .. } => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden { .. } => 403,
            AppError::Throttled { .. } => 429,
            AppError::TooLarge { .. } => 413,
            AppError::WeChat { .. } => 502,
            AppError::WeChatUnreachable { .. } | AppError::Unavailable { .. } => 503,
            AppError::WeChatTimeout { .. } => 504,
            AppError::Internal | AppError::Transport(_) => 500,
        }
    }

    pub fn errcode(&self) -> Option<i64> {
        match self {
            AppError::WeChat { errcode, .. } => *errcode,
            _ => None,
        }
    }

    pub fn message(&self) -> Message {
        match self {
            AppError::Invalid { problems } => {
                let join = |lang: Lang, sep: &str| {
                    problems.iter().map(|p| p.message.get(lang).to_owned()).collect::<Vec<_>>().join(sep)
                };
                Message::new(join(Lang::Zh, "；"), join(Lang::En, "; "))
            }
            AppError::WeChat { message, .. }
            | AppError::WeChatUnreachable { message }
            | AppError::WeChatTimeout { message }
            | AppError::Rejected { message }
            | AppError::TooLarge { message }
            | AppError::Forbidden { message }
            | AppError::Missing { message }
            | AppError::Throttled { message }
            | AppError::Unavailable { message } => message.clone(),
            AppError::Malformed { detail } => Message::new(
                format!("请求格式错误：{detail}"),
                format!("The request could not be read: {detail}"),
            ),
            AppError::NotFound => Message::new("找不到该小程序码", "That code does not exist"),
            AppError::Unauthorized => {
                Message::new("请先登录（或提供有效的 API 密钥）", "Sign in first (or send a valid API key)")
            }
            AppError::Internal => {
                Message::new("服务器内部错误，请稍后再试", "Internal server error; please try again")
            }
            AppError::Transport(_) => Message::new(
                "无法连接服务器，请检查网络后重试",
                "Could not reach the server; check the connection and try again",
            ),
        }
    }

    /// The message with the errcode appended, as a person should see it.
    pub fn display(&self, lang: Lang) -> String {
        let text = self.message().get(lang).to_owned();
        match self.errcode() {
            Some(code) => match lang {
                Lang::Zh => format!("{text}（错误码 {code}）"),
                Lang::En => format!("{text} (errcode {code})"),
            },
            None => text,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonText;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }

    /// Every server function's error passes here in the browser: when the session
    /// has ended (idle, signed out elsewhere, account disabled), go and sign in
    /// again and come back, instead of each page saying so on its own.
    fn de(data: leptos::server_fn::Bytes) -> Self {
        // From text, as the errors in a page's resources are read: one decoder for both.
        let error = crate::wire::decode_text(&data).unwrap_or_else(AppError::Transport);
        #[cfg(feature = "hydrate")]
        if error == AppError::Unauthorized {
            crate::browser::sign_in_again();
        }
        error
    }
}

#[cfg(feature = "ssr")]
mod from_server {
    use super::AppError;
    use wxacode::WeChatError;

    impl From<WeChatError> for AppError {
        fn from(error: WeChatError) -> Self {
            let message = error.message();
            match error {
                WeChatError::Api { errcode, .. } => AppError::WeChat { errcode: Some(errcode), message },
                WeChatError::Unreachable(_) => AppError::WeChatUnreachable { message },
                WeChatError::Timeout(_) => AppError::WeChatTimeout { message },
                WeChatError::HttpStatus { .. } | WeChatError::InvalidResponse { .. } => {
                    AppError::WeChat { errcode: None, message }
                }
                WeChatError::Setup(_) => AppError::Internal,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wxacode::{CodeRequest, CodeRequestInput};

    #[test]
    fn each_kind_has_its_status() {
        let m = Message::new("a", "b");
        assert_eq!(AppError::Invalid { problems: vec![] }.status_code(), 400);
        assert_eq!(AppError::NotFound.status_code(), 404);
        assert_eq!(AppError::WeChat { errcode: Some(45009), message: m.clone() }.status_code(), 502);
        assert_eq!(AppError::WeChatUnreachable { message: m.clone() }.status_code(), 503);
        assert_eq!(AppError::WeChatTimeout { message: m }.status_code(), 504);
        assert_eq!(AppError::Internal.status_code(), 500);
        assert_eq!(AppError::Unauthorized.status_code(), 401);
        assert_eq!(AppError::Forbidden { message: Message::new("a", "b") }.status_code(), 403);
        assert_eq!(AppError::Throttled { message: Message::new("a", "b") }.status_code(), 429);
    }

    #[test]
    fn invalid_input_lists_every_problem_in_the_message() {
        let input = CodeRequestInput { scene: "a b".into(), width: Some(1), ..Default::default() };
        let problems = CodeRequest::parse(&input).unwrap_err();
        let error = AppError::Invalid { problems };
        let message = error.message();
        assert!(message.zh.contains("场景值") && message.zh.contains("宽度"), "{}", message.zh);
        assert!(message.en.contains("scene") && message.en.contains("width"), "{}", message.en);
    }

    #[test]
    fn wechat_errors_show_their_errcode() {
        let error = AppError::WeChat { errcode: Some(41030), message: wxacode::describe_errcode(41030, "") };
        assert!(error.display(Lang::Zh).ends_with("（错误码 41030）"));
        assert!(error.display(Lang::En).ends_with("(errcode 41030)"));
    }

    #[test]
    fn internal_errors_say_nothing_of_their_cause() {
        assert!(!AppError::Internal.display(Lang::En).contains("sqlx"));
    }
}
