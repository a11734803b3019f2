//! WeChat's JSON shapes, shared by the client and the simulator.

use serde::{Deserialize, Serialize};

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
    fn colour_channels_may_arrive_as_strings() {
        let c: WireColor = serde_json::from_str(r#"{"r":"10","g":20,"b":" 30 "}"#).unwrap();
        assert_eq!((c.r.0, c.g.0, c.b.0), (10, 20, 30));
    }
}
