//! WeChat's link APIs: `generate_urllink`, `generatescheme`, `genwxashortlink`, and the
//! query endpoints. Same token handling as code calls, their own rate limiter.

use std::num::NonZeroU32;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::{api_error, read_ok_body, WeChatClient, WeChatError};
use crate::link::{LinkKind, LinkRequest};
use crate::token_cache::AccessToken;
use crate::wire::{
    LinkInfoAnswer, QuerySchemeBody, QueryUrlLinkBody, SchemeAnswer, SchemeBody, ShortLinkAnswer,
    ShortLinkBody, UrlLinkAnswer, UrlLinkBody,
};

/// WeChat allows URL Links and Schemes 100 calls a second per mini program (else 44990);
/// stay a little under, with a burst of at most a second's worth.
const LINK_CALLS_PER_SECOND: u32 = 90;

pub(super) fn link_budget() -> super::Budget {
    super::Budget::per_second(NonZeroU32::new(LINK_CALLS_PER_SECOND).unwrap_or(NonZeroU32::MIN))
}

/// What WeChat says a URL Link or Scheme opens.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct LinkInfo {
    #[serde(default)]
    pub appid: String,
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub env_version: String,
    /// Unix seconds.
    #[serde(default)]
    pub create_time: i64,
    /// Unix seconds; 0 when it never ends.
    #[serde(default)]
    pub expire_time: i64,
}

/// A link WeChat can describe (Short Links have no query endpoint).
#[derive(Clone, Copy, Debug)]
pub enum QueriedLink<'a> {
    UrlLink(&'a str),
    Scheme(&'a str),
}

impl WeChatClient {
    /// Makes the link `request` describes and returns it as WeChat wrote it.
    #[tracing::instrument(name = "wechat.generate_link", skip_all, fields(kind = request.kind.as_str()))]
    pub async fn generate_link(&self, request: &LinkRequest) -> Result<String, WeChatError> {
        match request.kind {
            LinkKind::UrlLink => {
                let body = UrlLinkBody::from(request);
                let answer: UrlLinkAnswer =
                    self.link_call("wxa/generate_urllink", "generate_urllink", &body).await?;
                Ok(answer.url_link)
            }
            LinkKind::Scheme => {
                let body = SchemeBody::from(request);
                let answer: SchemeAnswer =
                    self.link_call("wxa/generatescheme", "generatescheme", &body).await?;
                Ok(answer.openlink)
            }
            LinkKind::ShortLink => {
                let body = ShortLinkBody::from(request);
                let answer: ShortLinkAnswer =
                    self.link_call("wxa/genwxashortlink", "genwxashortlink", &body).await?;
                Ok(answer.link)
            }
        }
    }

    /// What a URL Link or Scheme opens and until when (85403 when WeChat does not know it).
    #[tracing::instrument(name = "wechat.query_link", skip_all)]
    pub async fn query_link(&self, link: QueriedLink<'_>) -> Result<LinkInfo, WeChatError> {
        let answer: LinkInfoAnswer = match link {
            QueriedLink::UrlLink(url_link) => {
                let body = QueryUrlLinkBody { url_link: url_link.to_owned(), query_type: 0 };
                self.link_call("wxa/query_urllink", "query_urllink", &body).await?
            }
            QueriedLink::Scheme(scheme) => {
                let body = QuerySchemeBody { scheme: scheme.to_owned(), query_type: 0 };
                self.link_call("wxa/queryscheme", "queryscheme", &body).await?
            }
        };
        answer
            .info()
            .ok_or_else(|| WeChatError::InvalidResponse { detail: "no link info in the answer".into() })
    }

    async fn link_call<B, A>(&self, path: &str, endpoint: &'static str, body: &B) -> Result<A, WeChatError>
    where
        B: serde::Serialize + Sync,
        A: DeserializeOwned,
    {
        self.call_with_token(&self.link_limiter, endpoint, |token| self.post_json(path, token, body)).await
    }

    /// POSTs `body` as JSON and reads WeChat's answer: an errcode other than 0 is an error.
    async fn post_json<B, A>(&self, path: &str, token: AccessToken, body: &B) -> Result<A, WeChatError>
    where
        B: serde::Serialize,
        A: DeserializeOwned,
    {
        let response = self
            .http
            .post(self.endpoint(path))
            .query(&[("access_token", token.expose())])
            .json(body)
            .send()
            .await
            .map_err(WeChatError::from_transport)?;
        let (_, bytes) = read_ok_body(response).await?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| WeChatError::InvalidResponse { detail: format!("answer is not JSON: {e}") })?;
        if let Some(error) = api_error(&value) {
            return Err(error);
        }
        serde_json::from_value(value)
            .map_err(|e| WeChatError::InvalidResponse { detail: format!("unexpected answer: {e}") })
    }
}
