//! The WeChat server API client: access_token handling, `getUnlimitedQRCode`, and the link
//! APIs (`links`).

use std::num::NonZeroU32;
use std::time::Duration;

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::call_metrics::{self, observe_call};
use crate::errcode::{describe_errcode, KnownErrcode};
use crate::image_type::{looks_like_json, ImageType};
use crate::message::Message;
use crate::request::CodeRequest;
use crate::token_cache::{AccessToken, TokenCache};
use crate::wire::{CodeBody, ErrorAnswer, StableTokenBody, TokenAnswer};

mod links;
mod pacing;
pub use links::{LinkInfo, QueriedLink};
pub use pacing::{Budget, LocalPacer, Pacer};

pub const DEFAULT_API_BASE: &str = "https://api.weixin.qq.com";

#[derive(Clone, Debug)]
pub struct WeChatConfig {
    pub api_base: Url,
    pub appid: String,
    pub secret: SecretString,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    /// Pauses before each retry of a call WeChat answered with -1 (busy).
    pub busy_backoff: Vec<Duration>,
    /// Code calls allowed per minute, across everything that shares this client.
    pub calls_per_minute: NonZeroU32,
}

/// WeChat allows 5,000 getUnlimitedQRCode calls a minute; stay clear of it.
pub const DEFAULT_CALLS_PER_MINUTE: NonZeroU32 = match NonZeroU32::new(4_500) {
    Some(n) => n,
    None => unreachable!(),
};

impl WeChatConfig {
    pub fn new(api_base: Url, appid: impl Into<String>, secret: SecretString) -> Self {
        Self {
            api_base,
            appid: appid.into(),
            secret,
            connect_timeout: Duration::from_secs(3),
            timeout: Duration::from_secs(10),
            busy_backoff: vec![
                Duration::from_millis(200),
                Duration::from_millis(400),
                Duration::from_millis(800),
            ],
            calls_per_minute: DEFAULT_CALLS_PER_MINUTE,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WeChatError {
    #[error("WeChat returned errcode {errcode}: {errmsg}")]
    Api { errcode: i64, errmsg: String },
    #[error("WeChat could not be reached")]
    Unreachable(#[source] reqwest::Error),
    #[error("WeChat did not answer in time")]
    Timeout(#[source] reqwest::Error),
    #[error("WeChat answered with HTTP status {status}")]
    HttpStatus { status: u16 },
    #[error("WeChat's answer was neither an image nor an errcode: {detail}")]
    InvalidResponse { detail: String },
    #[error("the HTTP client could not be built")]
    Setup(#[source] reqwest::Error),
}

impl WeChatError {
    pub fn errcode(&self) -> Option<i64> {
        match self {
            WeChatError::Api { errcode, .. } => Some(*errcode),
            _ => None,
        }
    }

    /// What to tell the person who asked for the code.
    pub fn message(&self) -> Message {
        match self {
            WeChatError::Api { errcode, errmsg } => describe_errcode(*errcode, errmsg),
            WeChatError::Unreachable(_) => Message::new(
                "无法连接微信服务器（或连接被中断），请稍后再试",
                "WeChat's servers could not be reached (or the connection dropped); try again shortly",
            ),
            WeChatError::Timeout(_) => Message::new(
                "微信服务器响应超时，请稍后再试",
                "WeChat's servers did not answer in time; try again shortly",
            ),
            WeChatError::HttpStatus { status } => Message::new(
                format!("微信服务器异常（HTTP {status}），请稍后再试"),
                format!("WeChat's servers failed (HTTP {status}); try again shortly"),
            ),
            WeChatError::InvalidResponse { .. } => Message::new(
                "微信服务器返回了无法识别的内容，请稍后再试",
                "WeChat's servers sent something that is neither an image nor an error; try again shortly",
            ),
            WeChatError::Setup(_) => Message::new("服务器内部错误", "Internal server error"),
        }
    }

    fn from_transport(error: reqwest::Error) -> Self {
        // The URL carries the access_token: never keep it in an error that may be logged.
        let error = error.without_url();
        if error.is_timeout() {
            WeChatError::Timeout(error)
        } else {
            WeChatError::Unreachable(error)
        }
    }

    fn is_token_rejected(&self) -> bool {
        self.errcode().and_then(KnownErrcode::from_code).is_some_and(KnownErrcode::is_token_rejected)
    }

    /// WeChat asks to come back shortly: busy (-1), or links' per-second limit (44990).
    fn is_busy(&self) -> bool {
        let soon = [KnownErrcode::SystemBusy.code(), KnownErrcode::LinkTooFrequent.code()];
        self.errcode().is_some_and(|code| soon.contains(&code))
    }
}

/// An image as WeChat sent it; the type comes from its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeImage {
    pub bytes: Vec<u8>,
    pub image_type: ImageType,
}

pub struct WeChatClient {
    http: reqwest::Client,
    api_base: Url,
    appid: String,
    secret: SecretString,
    busy_backoff: Vec<Duration>,
    tokens: TokenCache,
    limiter: Arc<dyn Pacer>,
    /// URL Links, Schemes and Short Links: their own budget, apart from codes'.
    link_limiter: Arc<dyn Pacer>,
    calls_per_minute: NonZeroU32,
}

impl std::fmt::Debug for WeChatClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WeChatClient")
            .field("api_base", &self.api_base.as_str())
            .field("appid", &self.appid)
            .finish_non_exhaustive()
    }
}

impl WeChatClient {
    pub fn new(config: WeChatConfig) -> Result<Self, WeChatError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .user_agent(concat!("wxacode/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(WeChatError::Setup)?;
        let mut api_base = config.api_base;
        if !api_base.path().ends_with('/') {
            let path = format!("{}/", api_base.path());
            api_base.set_path(&path);
        }
        Ok(Self {
            http,
            api_base,
            appid: config.appid,
            secret: config.secret,
            busy_backoff: config.busy_backoff,
            tokens: TokenCache::default(),
            limiter: Arc::new(LocalPacer::new(Budget::per_minute(config.calls_per_minute))),
            link_limiter: Arc::new(LocalPacer::new(links::link_budget())),
            calls_per_minute: config.calls_per_minute,
        })
    }

    /// Paces code calls with `codes` and link calls with `links` instead of this process's
    /// own limiters (replicas sharing an AppID share its budgets).
    pub fn paced_by(self, codes: Arc<dyn Pacer>, links: Arc<dyn Pacer>) -> Self {
        Self { limiter: codes, link_limiter: links, ..self }
    }

    /// The link calls' budget (code calls: `Budget::per_minute(calls_per_minute)`).
    pub fn link_budget() -> Budget {
        links::link_budget()
    }

    pub fn appid(&self) -> &str {
        &self.appid
    }

    pub fn calls_per_minute(&self) -> NonZeroU32 {
        self.calls_per_minute
    }

    /// Calls `getUnlimitedQRCode`. A rejected token is replaced and the call
    /// retried once; a busy WeChat (-1) is retried with back-off.
    #[tracing::instrument(name = "wechat.get_unlimited_code", skip_all, fields(scene = request.scene.as_str()))]
    pub async fn get_unlimited_code(&self, request: &CodeRequest) -> Result<CodeImage, WeChatError> {
        let body = CodeBody::from(request);
        self.call_with_token(&self.limiter, "getwxacodeunlimit", |token| {
            let body = &body;
            async move { self.post_code(&token, body).await }
        })
        .await
    }

    /// One call that needs an access_token, paced by `limiter`: a rejected token is replaced
    /// and the call retried once; a busy WeChat (-1, or 44990 for links) is retried with back-off.
    async fn call_with_token<T, F, Fut>(
        &self,
        limiter: &Arc<dyn Pacer>,
        endpoint: &'static str,
        call: F,
    ) -> Result<T, WeChatError>
    where
        F: Fn(AccessToken) -> Fut,
        Fut: std::future::Future<Output = Result<T, WeChatError>>,
    {
        let mut token_retried = false;
        let mut busy_retries = self.busy_backoff.iter();
        loop {
            let attempt = match self.access_token().await {
                Ok(token) => {
                    // Every attempt spends quota, retries included.
                    let waiting = std::time::Instant::now();
                    limiter.until_ready().await;
                    call_metrics::limiter_waited(endpoint, waiting.elapsed());
                    observe_call(endpoint, call(token.clone())).await.map_err(|e| (Some(token), e))
                }
                Err(e) => Err((None, e)),
            };
            match attempt {
                Ok(answer) => return Ok(answer),
                Err((Some(token), error)) if error.is_token_rejected() && !token_retried => {
                    tracing::warn!(errcode = error.errcode(), "access_token rejected; fetching a new one");
                    self.tokens.invalidate(&token).await;
                    token_retried = true;
                }
                Err((_, error)) if error.is_busy() => match busy_retries.next() {
                    Some(pause) => {
                        tracing::warn!(?pause, errcode = error.errcode(), "WeChat busy; retrying");
                        tokio::time::sleep(*pause).await;
                    }
                    None => return Err(error),
                },
                Err((_, error)) => return Err(error),
            }
        }
    }

    /// Whether WeChat accepts this AppID and AppSecret (and this server's address): gets an
    /// access_token, from the cache when one is live.
    pub async fn check_credentials(&self) -> Result<(), WeChatError> {
        self.access_token().await.map(|_| ())
    }

    async fn access_token(&self) -> Result<AccessToken, WeChatError> {
        self.tokens
            .get_or_fetch(|| async {
                let fetched = observe_call("stable_token", self.fetch_stable_token()).await;
                call_metrics::token_fetched(fetched.is_ok());
                fetched
            })
            .await
    }

    /// `POST /cgi-bin/stable_token` in normal mode: WeChat hands out the live
    /// token, so several app instances share one without invalidating each other.
    #[tracing::instrument(name = "wechat.stable_token", skip_all)]
    async fn fetch_stable_token(&self) -> Result<(AccessToken, u64), WeChatError> {
        let url = self.endpoint("cgi-bin/stable_token");
        let body = StableTokenBody {
            grant_type: "client_credential".into(),
            appid: self.appid.clone(),
            secret: self.secret.expose_secret().to_owned(),
            force_refresh: false,
        };
        let response = self.http.post(url).json(&body).send().await.map_err(WeChatError::from_transport)?;
        let bytes = read_ok_body(response).await?.1;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| WeChatError::InvalidResponse { detail: format!("token answer is not JSON: {e}") })?;
        if let Some(error) = api_error(&value) {
            return Err(error);
        }
        let answer: TokenAnswer = serde_json::from_value(value)
            .map_err(|e| WeChatError::InvalidResponse { detail: format!("token answer: {e}") })?;
        tracing::info!(expires_in = answer.expires_in, "fetched access_token");
        Ok((AccessToken::new(answer.access_token), answer.expires_in))
    }

    async fn post_code(&self, token: &AccessToken, body: &CodeBody) -> Result<CodeImage, WeChatError> {
        let url = self.endpoint("wxa/getwxacodeunlimit");
        let response = self
            .http
            .post(url)
            .query(&[("access_token", token.expose())])
            .json(body)
            .send()
            .await
            .map_err(WeChatError::from_transport)?;
        let (content_type, bytes) = read_ok_body(response).await?;
        if looks_like_json(content_type.as_deref(), &bytes) {
            let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
                WeChatError::InvalidResponse { detail: format!("JSON answer does not parse: {e}") }
            })?;
            return Err(api_error(&value).unwrap_or_else(|| WeChatError::InvalidResponse {
                detail: "JSON answer without an errcode".into(),
            }));
        }
        match ImageType::sniff(&bytes) {
            Some(image_type) => Ok(CodeImage { bytes, image_type }),
            None => Err(WeChatError::InvalidResponse {
                detail: format!("{} bytes of unknown type ({content_type:?})", bytes.len()),
            }),
        }
    }

    fn endpoint(&self, path: &str) -> Url {
        let mut url = self.api_base.clone();
        let joined = format!("{}{path}", self.api_base.path());
        url.set_path(&joined);
        url
    }
}

async fn read_ok_body(response: reqwest::Response) -> Result<(Option<String>, Vec<u8>), WeChatError> {
    let status = response.status();
    if !status.is_success() {
        return Err(WeChatError::HttpStatus { status: status.as_u16() });
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = response.bytes().await.map_err(WeChatError::from_transport)?;
    Ok((content_type, bytes.to_vec()))
}

fn api_error(value: &serde_json::Value) -> Option<WeChatError> {
    let answer: ErrorAnswer = serde_json::from_value(value.clone()).ok()?;
    (answer.errcode != 0).then_some(WeChatError::Api { errcode: answer.errcode, errmsg: answer.errmsg })
}
