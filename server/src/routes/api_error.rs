//! Every REST failure is `{"success":false,"error":"…"}` JSON with the status
//! that `AppError` names, in the language the client asked for.
//!
//! Handlers just return `Err(AppError)` (or a rejected extractor does): the
//! [`ApiError`] it becomes renders in Chinese and rides along in the response's
//! extensions, and [`localize_errors`] renders it again for a client that asked
//! for English. So no handler needs to know the language to fail well.

use app::backend::actor::{Actor, Source};
use app::error::AppError;
use app::models::batches::{BatchRejection, InvalidRowView};
use app::models::errors::ErrorBody;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use wxacode::batch::Preview;
use wxacode::{Lang, Message};

/// The language of a request, from `Accept-Language` (Chinese by default).
#[derive(Clone, Copy, Debug)]
pub struct ApiLang(pub Lang);

impl ApiLang {
    pub fn of(headers: &HeaderMap) -> Self {
        let header = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
        ApiLang(Lang::from_accept_language(header))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(&parts.headers))
    }
}

/// Who is calling the REST API, for permission checks and the audit trail.
pub struct ApiActor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for ApiActor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiActor(Actor::from_parts(parts, Source::Api)))
    }
}

/// A JSON body; a malformed one is a 400 (a too large one a 413) in the usual shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// A query string; an unreadable one is a 400 in the usual shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// Path parameters; unreadable ones (`/api/codes/abc`) are a 400 in the usual shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// A failed REST request: the error and, for batch uploads, what the upload held.
#[derive(Clone, Debug)]
pub struct ApiError {
    pub error: AppError,
    batch: Option<BatchDetails>,
}

/// What a refused batch upload tells the client besides the error.
#[derive(Clone, Debug, Default)]
struct BatchDetails {
    headers: Option<Vec<String>>,
    preview: Option<Preview>,
}

impl ApiError {
    /// A refused upload that names the sheet's headers, so the client can map its columns.
    pub fn with_headers(error: AppError, headers: Vec<String>) -> Self {
        Self { error, batch: Some(BatchDetails { headers: Some(headers), preview: None }) }
    }

    /// A refused upload that lists every invalid row and duplicate.
    pub fn with_preview(error: AppError, preview: Preview) -> Self {
        Self { error, batch: Some(BatchDetails { headers: None, preview: Some(preview) }) }
    }

    fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The response in `lang`, carrying itself for [`localize_errors`].
    fn render(self, lang: Lang) -> Response {
        let body = ErrorBody::new(&self.error, lang);
        let mut response = match &self.batch {
            None => (self.status(), Json(body)).into_response(),
            Some(details) => {
                let preview = details.preview.as_ref();
                let rejection = BatchRejection {
                    body,
                    headers: details.headers.clone(),
                    invalid: preview.map(|p| InvalidRowView::list(&p.invalid, lang)),
                    duplicates: preview.map(|p| p.duplicates.clone()),
                    valid_rows: preview.map(|p| p.valid.len()),
                };
                (self.status(), Json(rejection)).into_response()
            }
        };
        response.extensions_mut().insert(self);
        response
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self { error, batch: None }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.render(Lang::default())
    }
}

/// Renders a failed answer again in the language the request asked for.
pub async fn localize_errors(request: Request, next: Next) -> Response {
    let ApiLang(lang) = ApiLang::of(request.headers());
    let mut response = next.run(request).await;
    match response.extensions_mut().remove::<ApiError>() {
        Some(error) if lang != Lang::default() => error.render(lang),
        _ => response,
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            let message =
                Message::new("请求体太大（最多 2 MB）", "The request body is too large (2 MB at most)");
            return AppError::TooLarge { message }.into();
        }
        AppError::malformed(rejection.body_text()).into()
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        unreadable_query(&rejection.body_text()).into()
    }
}

/// A query parameter that could not be read, named, and why in the client's language where the
/// reason is a common one (serde's own words otherwise).
fn unreadable_query(text: &str) -> AppError {
    let detail = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(text);
    let Some((param, why)) = detail.split_once(": ").filter(|(param, _)| {
        !param.is_empty() && param.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    }) else {
        return AppError::malformed(text);
    };
    let (zh, en) = if why.contains("invalid digit") || why.contains("number too large") {
        ("须为整数".to_owned(), "must be a whole number".to_owned())
    } else if why.contains("invalid float literal") {
        ("须为数字".to_owned(), "must be a number".to_owned())
    } else if why.contains("`true` or `false`") {
        ("须为 true 或 false".to_owned(), "must be true or false".to_owned())
    } else {
        (format!("无法读取（{why}）"), format!("cannot be read ({why})"))
    };
    AppError::Rejected {
        message: Message::new(
            format!("请求格式错误：查询参数 {param} {zh}"),
            format!("The request could not be read: the query parameter {param} {en}"),
        ),
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        AppError::malformed(rejection.body_text()).into()
    }
}

/// Anything under `/api/` that no route takes.
pub async fn unknown_endpoint() -> ApiError {
    AppError::NotFound.into()
}
