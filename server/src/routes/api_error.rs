//! Every REST failure is `{"success":false,"error":"…"}` JSON with the status
//! that `AppError` names, in the language the client asked for.

use app::backend::audit::{Actor, Source};
use app::error::AppError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use wxacode::Lang;

/// The language of a request, from `Accept-Language` (Chinese by default).
#[derive(Clone, Copy, Debug)]
pub struct ApiLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        Ok(ApiLang(Lang::from_accept_language(header)))
    }
}

/// Who is calling the REST API, for the audit trail.
pub struct ApiActor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for ApiActor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiActor(Actor::from_parts(parts, Source::Api)))
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub error: AppError,
    pub lang: Lang,
    /// More fields for the JSON body, e.g. the rows a batch upload rejected.
    pub details: serde_json::Map<String, serde_json::Value>,
}

impl ApiError {
    pub fn new(error: AppError, ApiLang(lang): ApiLang) -> Self {
        Self { error, lang, details: serde_json::Map::new() }
    }

    pub fn with_detail(mut self, key: &str, value: serde_json::Value) -> Self {
        self.details.insert(key.to_owned(), value);
        self
    }

    pub fn malformed(detail: String, lang: ApiLang) -> Self {
        Self::new(AppError::Malformed { detail }, lang)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = json!({
            "success": false,
            "error": self.error.message().get(self.lang),
        });
        if let Some(errcode) = self.error.errcode() {
            body["errcode"] = json!(errcode);
        }
        if let AppError::Invalid { problems } = &self.error {
            body["problems"] = problems
                .iter()
                .map(|p| json!({ "field": p.field, "code": p.code, "message": p.message.get(self.lang) }))
                .collect();
        }
        for (key, value) in self.details {
            body[key] = value;
        }
        (status, Json(body)).into_response()
    }
}

pub fn json_rejection(rejection: JsonRejection, lang: ApiLang) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        let message =
            wxacode::Message::new("请求体太大（最多 2 MB）", "The request body is too large (2 MB at most)");
        return ApiError::new(AppError::TooLarge { message }, lang);
    }
    ApiError::malformed(rejection.body_text(), lang)
}

pub fn query_rejection(rejection: QueryRejection, lang: ApiLang) -> ApiError {
    ApiError::malformed(rejection.body_text(), lang)
}

pub fn path_rejection(rejection: PathRejection, lang: ApiLang) -> ApiError {
    ApiError::malformed(rejection.body_text(), lang)
}

pub async fn unknown_endpoint(lang: ApiLang) -> ApiError {
    ApiError::new(AppError::NotFound, lang)
}
