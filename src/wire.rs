//! WeChat's JSON shapes, shared by the client and the simulator.

use serde::{Deserialize, Serialize};

use crate::link::{LinkLife, LinkRequest};
use crate::request::{CodeRequest, LineColor};

/// Body of `POST /wxa/getwxacodeunlimit`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeBody {
    pub scene: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check_path: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_color: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_color: Option<WireColor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_hyaline: Option<bool>,
}

/// WeChat's `line_color`: channels as numbers (some SDKs send strings).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireColor {
    pub r: serde_json_number::Channel,
    pub g: serde_json_number::Channel,
    pub b: serde_json_number::Channel,
}

impl From<&CodeRequest> for CodeBody {
    fn from(request: &CodeRequest) -> Self {
        let LineColor { r, g, b } = request.line_color;
        Self {
            scene: Some(request.scene.as_str().to_owned()),
            page: (!request.page.is_home()).then(|| request.page.as_str().to_owned()),
            width: Some(request.width.get().into()),
            check_path: Some(request.check_path),
            env_version: Some(request.env_version.as_str().to_owned()),
            auto_color: Some(request.auto_color),
            line_color: Some(WireColor { r: r.into(), g: g.into(), b: b.into() }),
            is_hyaline: Some(request.is_hyaline),
        }
    }
}

/// Body of `POST /cgi-bin/stable_token`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StableTokenBody {
    pub grant_type: String,
    pub appid: String,
    pub secret: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub force_refresh: bool,
}

/// A successful token answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenAnswer {
    pub access_token: String,
    pub expires_in: u64,
}

/// WeChat's error answer (HTTP 200 with this JSON body).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorAnswer {
    pub errcode: i64,
    #[serde(default)]
    pub errmsg: String,
}

/// `expire_type` 1 with `expire_interval` days (the client's choice), or 0 with `expire_time`
/// (unix seconds): WeChat takes either. `is_expire` is obsolete and never sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkExpiry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire_type: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire_time: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire_interval: Option<i64>,
}

impl LinkExpiry {
    fn from_life(life: LinkLife) -> Self {
        match life {
            LinkLife::Days(days) => {
                Self { expire_type: Some(1), expire_time: None, expire_interval: Some(i64::from(days)) }
            }
            // Never asked of URL Links and Schemes (the rules refuse it); the longest WeChat allows.
            LinkLife::Permanent => {
                Self { expire_type: Some(1), expire_time: None, expire_interval: Some(30) }
            }
        }
    }
}

/// Body of `POST /wxa/generate_urllink`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrlLinkBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_version: Option<String>,
    #[serde(flatten)]
    pub expiry: LinkExpiry,
}

/// `jump_wxa` of `POST /wxa/generatescheme`: where the scheme opens.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JumpWxa {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_version: Option<String>,
}

/// Body of `POST /wxa/generatescheme`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jump_wxa: Option<JumpWxa>,
    #[serde(flatten)]
    pub expiry: LinkExpiry,
}

/// Body of `POST /wxa/genwxashortlink`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortLinkBody {
    pub page_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_title: Option<String>,
    #[serde(default)]
    pub is_permanent: bool,
}

/// Bodies of `POST /wxa/query_urllink` and `POST /wxa/queryscheme`; `query_type` 0: the
/// link's details, 1: the visits it has left.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryUrlLinkBody {
    pub url_link: String,
    #[serde(default)]
    pub query_type: u8,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuerySchemeBody {
    pub scheme: String,
    #[serde(default)]
    pub query_type: u8,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrlLinkAnswer {
    pub url_link: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemeAnswer {
    pub openlink: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortLinkAnswer {
    pub link: String,
}

/// The answer of the query endpoints: `url_link_info` or `scheme_info`.
#[cfg(feature = "client")]
#[derive(Clone, Debug, Deserialize)]
pub struct LinkInfoAnswer {
    url_link_info: Option<crate::client::LinkInfo>,
    scheme_info: Option<crate::client::LinkInfo>,
}

#[cfg(feature = "client")]
impl LinkInfoAnswer {
    pub fn info(self) -> Option<crate::client::LinkInfo> {
        self.url_link_info.or(self.scheme_info)
    }
}

fn optional(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

impl From<&LinkRequest> for UrlLinkBody {
    fn from(request: &LinkRequest) -> Self {
        Self {
            path: optional(request.page.as_str()),
            query: optional(request.query.as_str()),
            env_version: Some(request.env_version.as_str().to_owned()),
            expiry: LinkExpiry::from_life(request.life),
        }
    }
}

impl From<&LinkRequest> for SchemeBody {
    fn from(request: &LinkRequest) -> Self {
        Self {
            jump_wxa: Some(JumpWxa {
                path: optional(request.page.as_str()),
                query: optional(request.query.as_str()),
                env_version: Some(request.env_version.as_str().to_owned()),
            }),
            expiry: LinkExpiry::from_life(request.life),
        }
    }
}

impl From<&LinkRequest> for ShortLinkBody {
    fn from(request: &LinkRequest) -> Self {
        Self {
            page_url: Some(request.page_url()),
            page_title: optional(&request.title),
            is_permanent: request.life == LinkLife::Permanent,
        }
    }
}

pub mod serde_json_number {
    //! A colour channel that accepts `12` as well as `"12"`.
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct Channel(pub i64);

    impl From<u8> for Channel {
        fn from(v: u8) -> Self {
            Channel(v.into())
        }
    }

    impl Serialize for Channel {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_i64(self.0)
        }
    }

    impl<'de> Deserialize<'de> for Channel {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            #[derive(Deserialize)]
            #[serde(untagged)]
            enum Raw {
                Number(i64),
                Text(String),
            }
            match Raw::deserialize(d)? {
                Raw::Number(n) => Ok(Channel(n)),
                Raw::Text(t) => t.trim().parse().map(Channel).map_err(serde::de::Error::custom),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{PagePath, Scene};

    #[test]
    fn the_home_page_is_sent_without_a_page_field() {
        let request = CodeRequest::with_scene(Scene::parse("a=1").unwrap());
        let json = serde_json::to_value(CodeBody::from(&request)).unwrap();
        assert!(json.get("page").is_none(), "{json}");
        assert_eq!(json["scene"], "a=1");
        assert_eq!(json["width"], 430);
        assert_eq!(json["env_version"], "release");
    }

    #[test]
    fn a_page_and_colour_are_sent_as_wechat_expects() {
        let mut request = CodeRequest::with_scene(Scene::parse("a=1").unwrap());
        request.page = PagePath::parse("pages/a/a").unwrap();
        request.line_color = LineColor { r: 1, g: 2, b: 3 };
        let json = serde_json::to_value(CodeBody::from(&request)).unwrap();
        assert_eq!(json["page"], "pages/a/a");
        assert_eq!(json["line_color"], serde_json::json!({"r": 1, "g": 2, "b": 3}));
    }

    #[test]
    fn a_url_link_is_asked_for_in_days_without_is_expire() {
        let input = crate::link::LinkRequestInput {
            page: Some("pages/a/a".into()),
            query: Some("id=1".into()),
            expire_days: Some(7),
            ..Default::default()
        };
        let request = LinkRequest::parse(&input).unwrap();
        let json = serde_json::to_value(UrlLinkBody::from(&request)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"path": "pages/a/a", "query": "id=1", "env_version": "release", "expire_type": 1, "expire_interval": 7})
        );
        let scheme = serde_json::to_value(SchemeBody::from(&request)).unwrap();
        assert_eq!(
            scheme["jump_wxa"],
            serde_json::json!({"path": "pages/a/a", "query": "id=1", "env_version": "release"})
        );
        assert_eq!(scheme["expire_interval"], 7);
    }

    #[test]
    fn a_short_link_sends_its_page_url_title_and_permanence() {
        let input = crate::link::LinkRequestInput {
            kind: Some("short_link".into()),
            page: Some("pages/a/a".into()),
            query: Some("id=1".into()),
            title: Some("双十一".into()),
            permanent: Some(true),
            ..Default::default()
        };
        let json = serde_json::to_value(ShortLinkBody::from(&LinkRequest::parse(&input).unwrap())).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"page_url": "pages/a/a?id=1", "page_title": "双十一", "is_permanent": true})
        );
    }

    #[test]
    fn colour_channels_may_arrive_as_strings() {
        let c: WireColor = serde_json::from_str(r#"{"r":"10","g":20,"b":" 30 "}"#).unwrap();
        assert_eq!((c.r.0, c.g.0, c.b.0), (10, 20, 30));
    }
}
