//! WeChat links (URL Link, URL Scheme, Short Link): `POST /api/links`, `GET /api/links`,
//! `GET /api/links.csv`, `GET /api/links/{id}` and `POST /api/links/{id}/renew`.

use app::backend::AppState;
use app::error::AppError;
use app::models::links::{Link, LinkFilter, LinkForm, MAX_PAGE};
use axum::extract::State;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wxacode::link::LinkKind;

use super::api_error::{ApiActor, ApiError, ApiJson, ApiPath, ApiQuery};
use super::docs::{GenerateErrors, ReadErrors};
use super::files::download;

const DEFAULT_PAGE: u32 = 50;

/// `limit` of a links or jump links list: 1–200, 50 when absent.
pub fn page_limit(limit: Option<u32>) -> Result<u32, AppError> {
    let limit = limit.unwrap_or(DEFAULT_PAGE);
    match (1..=MAX_PAGE).contains(&limit) {
        true => Ok(limit),
        false => Err(AppError::malformed(format!("limit must be between 1 and {MAX_PAGE}"))),
    }
}

/// One link.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LinkAnswer {
    pub success: bool,
    pub link: Link,
}

/// A page of links, newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LinkList {
    pub success: bool,
    pub links: Vec<Link>,
    /// Pass as `before` for the next page; absent on the last.
    pub next_before: Option<i64>,
}

/// Makes a link through WeChat and keeps it. With `code_id`, the link opens that code's page
/// with its scene (`scene=…`, as the page receives it from a scan), so visits through the
/// link and scans of the code reach the page alike.
#[utoipa::path(operation_id = "create_link", post, path = "/api/links", tag = "links",
    request_body(content = LinkForm, example = json!({"kind": "url_link", "page": "pages/detail/detail", "query": "id=42&from=sms", "expire_days": 30})),
    responses((status = 200, description = "The new link", body = LinkAnswer), GenerateErrors))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(form): ApiJson<LinkForm>,
) -> Result<Json<LinkAnswer>, ApiError> {
    let link = state.links.create(&form, &actor).await?;
    Ok(Json(LinkAnswer { success: true, link }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LinkParams {
    /// A substring (any case) of the link, its page, query or title.
    pub q: Option<String>,
    /// `url_link`, `scheme` or `short_link`.
    pub kind: Option<LinkKind>,
    /// `true`: only links that still work and end within 7 days.
    pub expiring: Option<bool>,
    /// Only the links made for this code.
    pub code: Option<i64>,
    /// Only the links of this mini program (AppID).
    pub app: Option<String>,
    /// Links per page, 1–200 (default 50).
    pub limit: Option<u32>,
    /// The `next_before` of the previous page.
    pub before: Option<i64>,
}

impl LinkParams {
    fn filter(&self) -> LinkFilter {
        LinkFilter {
            q: self.q.clone(),
            kind: self.kind,
            expiring: self.expiring.unwrap_or(false),
            code: self.code,
            app: self.app.clone(),
            visible_apps: None,
        }
    }
}

/// Newest first; `expiring=true` lists what to renew this week.
#[utoipa::path(operation_id = "list_links", get, path = "/api/links", tag = "links", params(LinkParams),
    responses((status = 200, description = "A page of links", body = LinkList), ReadErrors))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<LinkParams>,
) -> Result<Json<LinkList>, ApiError> {
    let limit = page_limit(params.limit)?;
    let page = state.links.list(&params.filter(), limit, params.before, &actor).await?;
    Ok(Json(LinkList { success: true, links: page.links, next_before: page.next_before }))
}

/// Every link the filters keep, as CSV (UTF-8 with BOM): id, kind, url, page, query,
/// env_version, title, status, expires_at, code_id, renewed_from, created_by, created_at.
#[utoipa::path(operation_id = "download_links", get, path = "/api/links.csv", tag = "links", params(LinkParams),
    responses((status = 200, description = "The links as CSV", content_type = "text/csv"), ReadErrors))]
pub async fn csv(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<LinkParams>,
) -> Result<Response, ApiError> {
    let bytes = state.links.csv(&params.filter(), &actor).await?;
    Ok(download("text/csv; charset=utf-8", "wxacode-links.csv", bytes))
}

/// One link, with its status now.
#[utoipa::path(operation_id = "get_link", get, path = "/api/links/{id}", tag = "links", params(("id" = i64, Path)),
    responses((status = 200, description = "The link", body = LinkAnswer), ReadErrors))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LinkAnswer>, ApiError> {
    Ok(Json(LinkAnswer { success: true, link: state.links.get(id, &actor).await? }))
}

/// A new link with the same kind, target and lifetime; the old one works until it ends.
/// A permanent Short Link needs no renewal (400).
#[utoipa::path(operation_id = "renew_link", post, path = "/api/links/{id}/renew", tag = "links", params(("id" = i64, Path)),
    responses((status = 200, description = "The new link (`renewed_from` names the old one)", body = LinkAnswer), GenerateErrors,
        (status = 404, description = "No such link", body = app::models::errors::ErrorBody)))]
pub async fn renew(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LinkAnswer>, ApiError> {
    Ok(Json(LinkAnswer { success: true, link: state.links.renew(id, &actor).await? }))
}
