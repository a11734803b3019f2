//! `GET /api/codes…`: stored codes and their original image bytes.

use app::backend::AppState;
use app::error::AppError;
use app::models::CodeSummary;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::api_error::{path_rejection, query_rejection, ApiError, ApiLang};

const DEFAULT_PAGE_SIZE: u32 = 50;
const MAX_PAGE_SIZE: u32 = 200;

#[derive(Deserialize)]
pub struct ListQuery {
    limit: Option<u32>,
    before: Option<i64>,
}

pub fn code_json(state: &AppState, code: &CodeSummary) -> Value {
    let r = &code.request;
    json!({
        "id": code.id,
        "scene": r.scene.as_str(),
        "page": r.page.as_str(),
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
        "image_url": code.image_url(),
        "share_url": state.share_url(&code.share_token),
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
        return Err(ApiError::malformed(
            format!("limit must be between 1 and {MAX_PAGE_SIZE}"),
            lang,
        ));
    }
    let codes = state
        .codes
        .list(limit, query.before)
        .await
        .map_err(|e| ApiError::new(e, lang))?;
    let next_before = (codes.len() == limit as usize)
        .then(|| codes.last().map(|c| c.id))
        .flatten();
    Ok(Json(json!({
        "success": true,
        "codes": codes.iter().map(|c| code_json(&state, c)).collect::<Vec<_>>(),
        "next_before": next_before,
    })))
}

pub async fn show(
    State(state): State<AppState>,
    lang: ApiLang,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(id) = id.map_err(|r| path_rejection(r, lang))?;
    let code = state
        .codes
        .get(id)
        .await
        .map_err(|e| ApiError::new(e, lang))?;
    Ok(Json(
        json!({ "success": true, "code": code_json(&state, &code) }),
    ))
}

/// The original bytes, as a download named after the scene.
pub async fn image(
    State(state): State<AppState>,
    lang: ApiLang,
    id: Result<Path<i64>, PathRejection>,
    request_headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|r| path_rejection(r, lang))?;
    let (code, bytes) = state
        .codes
        .image(id)
        .await
        .map_err(|e| ApiError::new(e, lang))?;
    let etag = format!("\"{}\"", code.sha256);
    let header_value = |text: &str| {
        HeaderValue::from_str(text).map_err(|_| ApiError::new(AppError::Internal, lang))
    };
    let mut headers = HeaderMap::new();
    headers.insert(header::ETAG, header_value(&etag)?);
    // A stored image never changes.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    if request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Ok((StatusCode::NOT_MODIFIED, headers).into_response());
    }
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(code.image_type.mime()),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        header_value(&format!("attachment; filename=\"{}\"", code.file_name()))?,
    );
    Ok((headers, bytes).into_response())
}
