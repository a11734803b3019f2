//! `/api/codes…`: stored codes, their original image bytes, soft delete and share links.

use app::backend::AppState;
use app::error::AppError;
use app::models::{CodeSummary, HistoryFilter};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use wxacode::EnvVersion;

use super::api_error::{json_rejection, path_rejection, query_rejection, ApiActor, ApiError, ApiLang};

const DEFAULT_PAGE_SIZE: u32 = 50;
const MAX_PAGE_SIZE: u32 = 200;

#[derive(Deserialize)]
pub struct ListQuery {
    limit: Option<u32>,
    before: Option<i64>,
    /// Search in scene, page and label.
    q: Option<String>,
    env_version: Option<String>,
    /// Inclusive UTC dates, YYYY-MM-DD.
    from: Option<String>,
    to: Option<String>,
    #[serde(default)]
    deleted: bool,
    /// Only the codes of this batch job.
    batch: Option<i64>,
}

impl ListQuery {
    fn filter(&self) -> Result<HistoryFilter, String> {
        let env_version = match self.env_version.as_deref().filter(|v| !v.is_empty()) {
            Some(raw) => Some(EnvVersion::parse(raw).map_err(|p| p.message.en)?),
            None => None,
        };
        for (name, date) in [("from", &self.from), ("to", &self.to)] {
            if let Some(date) = date.as_deref().filter(|d| !d.is_empty()) {
                if app::backend::store::parse_date(date).is_none() {
                    return Err(format!("{name} must be a date like 2026-11-24"));
                }
            }
        }
        Ok(HistoryFilter {
            search: self.q.clone(),
            env_version,
            from: self.from.clone(),
            to: self.to.clone(),
            deleted: self.deleted,
            batch: self.batch,
        })
    }
}

pub fn code_json(state: &AppState, code: &CodeSummary) -> Value {
    let r = &code.request;
    json!({
        "id": code.id,
        "scene": r.scene.as_str(),
        "page": r.page.as_str(),
        "label": code.label.as_str(),
        "width": r.width.get(),
        "check_path": r.check_path,
        "env_version": r.env_version.as_str(),
        "auto_color": r.auto_color,
        "line_color": { "r": r.line_color.r, "g": r.line_color.g, "b": r.line_color.b },
        "is_hyaline": r.is_hyaline,
        "image_type": code.image_type.mime(),
        "byte_size": code.byte_size,
        "sha256": code.sha256,
        "created_at": code.created_at,
        "created_by": code.created_by,
        "deleted_at": code.deleted_at,
        "image_url": code.image_url(),
        "share_url": code.share_active.then(|| state.share_url(&code.share_token)),
        "share_expires_at": code.share_expires_at,
    })
}

/// Newest first, `limit` per page (≤ 200); pass `next_before` as `before` for the next page.
pub async fn list(
    State(state): State<AppState>,
    lang: ApiLang,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(query) = query.map_err(|r| query_rejection(r, lang))?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&limit) {
        return Err(ApiError::malformed(format!("limit must be between 1 and {MAX_PAGE_SIZE}"), lang));
    }
    let filter = query.filter().map_err(|detail| ApiError::malformed(detail, lang))?;
    let page = state.codes.list(&filter, limit, query.before).await.map_err(|e| ApiError::new(e, lang))?;
    Ok(Json(json!({
        "success": true,
        "codes": page.codes.iter().map(|c| code_json(&state, c)).collect::<Vec<_>>(),
        "next_before": page.next_before,
    })))
}

fn code_answer(state: &AppState, code: &CodeSummary) -> Json<Value> {
    Json(json!({ "success": true, "code": code_json(state, code) }))
}

/// Runs one operation on the code named in the path and answers with the code.
async fn on_code<Op, Fut>(
    state: AppState,
    lang: ApiLang,
    id: Result<Path<i64>, PathRejection>,
    op: Op,
) -> Result<Json<Value>, ApiError>
where
    Op: FnOnce(AppState, i64) -> Fut,
    Fut: std::future::Future<Output = Result<CodeSummary, AppError>>,
{
    let Path(id) = id.map_err(|r| path_rejection(r, lang))?;
    let code = op(state.clone(), id).await.map_err(|e| ApiError::new(e, lang))?;
    Ok(code_answer(&state, &code))
}

type CodePath = Result<Path<i64>, PathRejection>;

pub async fn show(
    State(state): State<AppState>,
    lang: ApiLang,
    id: CodePath,
) -> Result<Json<Value>, ApiError> {
    on_code(state, lang, id, |s, id| async move { s.codes.get(id).await }).await
}

/// `DELETE /api/codes/{id}`: soft delete; `POST /api/codes/{id}/restore` undoes it.
pub async fn delete(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(actor): ApiActor,
    id: CodePath,
) -> Result<Json<Value>, ApiError> {
    on_code(state, lang, id, |s, id| async move { s.codes.set_deleted(id, true, &actor).await }).await
}

pub async fn restore(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(actor): ApiActor,
    id: CodePath,
) -> Result<Json<Value>, ApiError> {
    on_code(state, lang, id, |s, id| async move { s.codes.set_deleted(id, false, &actor).await }).await
}

/// `POST /api/codes/{id}/share`: a new share link (the old one stops working).
pub async fn reissue_share(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(actor): ApiActor,
    id: CodePath,
) -> Result<Json<Value>, ApiError> {
    on_code(state, lang, id, |s, id| async move { s.codes.reissue_share(id, &actor).await }).await
}

/// `DELETE /api/codes/{id}/share`: the share link stops working.
pub async fn revoke_share(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(actor): ApiActor,
    id: CodePath,
) -> Result<Json<Value>, ApiError> {
    on_code(state, lang, id, |s, id| async move { s.codes.revoke_share(id, &actor).await }).await
}

#[derive(Deserialize)]
pub struct ExpiryBody {
    expires_at: Option<String>,
}

/// `PUT /api/codes/{id}/share/expiry {"expires_at": "…" | null}`: when the share link ends by itself.
pub async fn set_share_expiry(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(actor): ApiActor,
    id: CodePath,
    body: Result<Json<ExpiryBody>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(body) = body.map_err(|r| json_rejection(r, lang))?;
    let end = app::models::parse_expiry(body.expires_at.as_deref()).map_err(|e| ApiError::new(e, lang))?;
    on_code(state, lang, id, |s, id| async move { s.codes.set_share_expiry(id, end, &actor).await }).await
}

/// The original bytes, as a download named after the label and scene.
pub async fn image(
    State(state): State<AppState>,
    lang: ApiLang,
    id: Result<Path<i64>, PathRejection>,
    request_headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|r| path_rejection(r, lang))?;
    let (code, bytes) = state.codes.image(id).await.map_err(|e| ApiError::new(e, lang))?;
    let disposition = content_disposition("attachment", &code.file_name());
    Ok(image_response(&code, bytes, &request_headers, "private, max-age=31536000, immutable", disposition))
}

/// The image with validators: a stored image never changes, so its sha256 is its ETag.
pub fn image_response(
    code: &CodeSummary,
    bytes: Vec<u8>,
    request_headers: &HeaderMap,
    cache_control: &'static str,
    disposition: HeaderValue,
) -> Response {
    let mut headers = HeaderMap::new();
    // A hex digest in quotes is always a valid header value.
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}\"", code.sha256)) {
        if request_headers.get(header::IF_NONE_MATCH) == Some(&etag) {
            headers.insert(header::ETAG, etag);
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(code.image_type.mime()));
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    (headers, bytes).into_response()
}

/// A generated file (ZIP, CSV) as a download that caches must not keep.
pub fn download(content_type: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, content_disposition("attachment", name)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}

/// `attachment; filename="ascii"; filename*=UTF-8''…`: Chinese labels survive in every browser.
pub fn content_disposition(kind: &str, file_name: &str) -> HeaderValue {
    let ascii: String =
        file_name.chars().map(|c| if c.is_ascii_graphic() && c != '"' { c } else { '_' }).collect();
    let value = if ascii == file_name {
        format!("{kind}; filename=\"{ascii}\"")
    } else {
        let encoded = percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
        format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_file_names_are_given_as_they_are() {
        let value = content_disposition("attachment", "wxacode-id_1.jpg");
        assert_eq!(value.to_str().unwrap(), "attachment; filename=\"wxacode-id_1.jpg\"");
    }

    #[test]
    fn non_ascii_file_names_get_an_ascii_fallback_and_an_encoded_original() {
        let value = content_disposition("attachment", "wxacode-上海-a.png");
        assert_eq!(
            value.to_str().unwrap(),
            "attachment; filename=\"wxacode-__-a.png\"; filename*=UTF-8''wxacode%2D%E4%B8%8A%E6%B5%B7%2Da%2Epng"
        );
    }
}
