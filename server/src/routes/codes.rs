//! `/api/codes…`: stored codes, their original image bytes, soft delete, share links and ZIPs.

use app::backend::AppState;
use app::models::brand::ZipExtras;
use app::models::codes::{CodeSummary, HistoryFilter};
use app::models::instance::InstanceInfo;
use app::models::print::parse_ids;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wxacode::{EnvVersion, LineColor};

use super::api_error::{ApiActor, ApiError, ApiJson, ApiPath, ApiQuery};
use super::docs::{ChangeErrors, ReadErrors};
use super::files::{download, image_response, NamingParams};
use app::error::AppError;

const DEFAULT_PAGE_SIZE: u32 = 50;
const MAX_PAGE_SIZE: u32 = 200;

/// A stored code as the REST API shows it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CodeView {
    pub id: i64,
    /// The mini program (AppID) it opens.
    pub app: String,
    pub scene: String,
    /// Empty for the mini program's home page.
    pub page: String,
    pub label: String,
    pub width: u32,
    pub check_path: bool,
    pub env_version: EnvVersion,
    pub auto_color: bool,
    pub line_color: LineColor,
    pub is_hyaline: bool,
    /// `image/jpeg`, or `image/png` when transparent.
    pub image_type: String,
    pub byte_size: i64,
    pub sha256: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// The account's email or `API key: name` that generated it.
    pub created_by: String,
    /// RFC 3339, when (softly) deleted.
    pub deleted_at: Option<String>,
    /// Where the original image downloads from (needs a key or a session).
    pub image_url: String,
    /// The public share link, while it is active.
    pub share_url: Option<String>,
    /// RFC 3339, when the share link ends by itself.
    pub share_expires_at: Option<String>,
    /// Whether the public share page shows the label and page.
    pub share_shows_label: bool,
    /// Set for a living code (活码): what a resolve answers now, and its scans.
    pub living: Option<app::models::codes::LivingBrief>,
}

impl CodeView {
    pub fn new(code: &CodeSummary, instance: &InstanceInfo) -> Self {
        let r = &code.request;
        Self {
            id: code.id,
            app: code.appid.clone(),
            scene: r.scene.as_str().to_owned(),
            page: r.page.as_str().to_owned(),
            label: code.label.as_str().to_owned(),
            width: r.width.get(),
            check_path: r.check_path,
            env_version: r.env_version,
            auto_color: r.auto_color,
            line_color: r.line_color,
            is_hyaline: r.is_hyaline,
            image_type: code.image_type.mime().to_owned(),
            byte_size: code.byte_size,
            sha256: code.sha256.clone(),
            created_at: code.created_at.clone(),
            created_by: code.created_by.clone(),
            deleted_at: code.deleted_at.clone(),
            image_url: code.image_url(),
            share_url: code.share_active.then(|| instance.share_url(&code.share_token)),
            share_expires_at: code.share_expires_at.clone(),
            share_shows_label: code.share_shows_label,
            living: code.living.clone(),
        }
    }
}

/// One code.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CodeAnswer {
    pub success: bool,
    pub code: CodeView,
}

impl CodeAnswer {
    fn new(code: &CodeSummary, instance: &InstanceInfo) -> Json<Self> {
        Json(Self { success: true, code: CodeView::new(code, instance) })
    }
}

/// A page of codes, newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CodeList {
    pub success: bool,
    pub codes: Vec<CodeView>,
    /// Pass it as `before` for the next page; `null` on the last one.
    pub next_before: Option<i64>,
    /// How many codes match the filters, across all pages.
    pub total: u64,
}

/// The history's filters (the same names as the `/history` page's address) and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(
    dead_code,
    reason = "documents the parameters; the handler reads them with HistoryFilter::from_query"
)]
pub struct ListParams {
    /// Codes per page, 1–200 (default 50).
    pub limit: Option<u32>,
    /// The `next_before` of the previous page.
    pub before: Option<i64>,
    /// Search in scene, page, label, and a living code's target page and `key=value` parameters
    /// (substring, any case; 3+ characters use the trigram index).
    pub q: Option<String>,
    /// `release`, `trial` or `develop` (`env` is read too).
    pub env_version: Option<EnvVersion>,
    /// First day, `YYYY-MM-DD`, in the zone `tz`.
    pub from: Option<String>,
    /// Last day, inclusive, `YYYY-MM-DD`, in the zone `tz`.
    pub to: Option<String>,
    /// `true`: only deleted codes.
    pub deleted: Option<bool>,
    /// Only the codes of this batch job.
    pub batch: Option<i64>,
    /// `true`: only living codes (活码).
    pub living: Option<bool>,
    /// `newest` (default) or `scans`: most scanned living codes first, direct codes last.
    pub sort: Option<String>,
    /// The IANA time zone whose days `from` and `to` are, e.g. `Asia/Shanghai`; default `UTC`.
    pub tz: Option<String>,
    /// Only the codes of this mini program (AppID).
    pub app: Option<String>,
}

/// Newest first, `limit` per page; pass `next_before` as `before` for the next page.
#[utoipa::path(operation_id = "list_codes", get, path = "/api/codes", tag = "codes", params(ListParams),
    responses((status = 200, description = "A page of codes", body = CodeList), ReadErrors))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(pairs): ApiQuery<Vec<(String, String)>>,
) -> Result<Json<CodeList>, ApiError> {
    let get = |name: &str| pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone());
    let (filter, bad) = HistoryFilter::from_query(get);
    if let Some(bad) = bad.first() {
        return Err(AppError::malformed(bad.to_string()).into());
    }
    let limit = match get("limit").map(|raw| raw.trim().parse::<u32>()) {
        None => DEFAULT_PAGE_SIZE,
        Some(Ok(limit)) if (1..=MAX_PAGE_SIZE).contains(&limit) => limit,
        Some(_) => {
            return Err(AppError::malformed(format!("limit must be between 1 and {MAX_PAGE_SIZE}")).into())
        }
    };
    let before = match get("before").filter(|b| !b.trim().is_empty()).map(|raw| raw.trim().parse::<i64>()) {
        None => None,
        Some(Ok(before)) => Some(before),
        Some(Err(_)) => return Err(AppError::malformed("before must be a code id").into()),
    };
    let page = state.codes.list(&filter, limit, before, &actor).await?;
    let codes = page.codes.iter().map(|c| CodeView::new(c, &state.instance)).collect();
    Ok(Json(CodeList { success: true, codes, next_before: page.next_before, total: page.total }))
}

/// One code with every parameter, size, sha256, time and links.
#[utoipa::path(operation_id = "get_code", get, path = "/api/codes/{id}", tag = "codes", params(("id" = i64, Path)),
    responses((status = 200, description = "The code, after the change", body = CodeAnswer), ReadErrors))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CodeAnswer>, ApiError> {
    Ok(CodeAnswer::new(&state.codes.get(id, &actor).await?, &state.instance))
}

/// Soft delete: the code leaves the history (`?deleted=true` lists it) and its share link stops.
#[utoipa::path(operation_id = "delete_code", delete, path = "/api/codes/{id}", tag = "codes", params(("id" = i64, Path)),
    responses((status = 200, description = "The code, after the change", body = CodeAnswer), ChangeErrors))]
pub async fn delete(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CodeAnswer>, ApiError> {
    Ok(CodeAnswer::new(&state.codes.set_deleted(id, true, &actor).await?, &state.instance))
}

/// Undoes a soft delete.
#[utoipa::path(operation_id = "restore_code", post, path = "/api/codes/{id}/restore", tag = "codes", params(("id" = i64, Path)),
    responses((status = 200, description = "The code, after the change", body = CodeAnswer), ChangeErrors))]
pub async fn restore(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CodeAnswer>, ApiError> {
    Ok(CodeAnswer::new(&state.codes.set_deleted(id, false, &actor).await?, &state.instance))
}

/// A new share link; the old one stops working and the new one has no expiry.
#[utoipa::path(operation_id = "reissue_share_link", post, path = "/api/codes/{id}/share", tag = "codes", params(("id" = i64, Path)),
    responses((status = 200, description = "The code, after the change", body = CodeAnswer), ChangeErrors))]
pub async fn reissue_share(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CodeAnswer>, ApiError> {
    Ok(CodeAnswer::new(&state.codes.reissue_share(id, &actor).await?, &state.instance))
}

/// The share link stops working (404 from then on).
#[utoipa::path(operation_id = "revoke_share_link", delete, path = "/api/codes/{id}/share", tag = "codes", params(("id" = i64, Path)),
    responses((status = 200, description = "The code, after the change", body = CodeAnswer), ChangeErrors))]
pub async fn revoke_share(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<CodeAnswer>, ApiError> {
    Ok(CodeAnswer::new(&state.codes.revoke_share(id, &actor).await?, &state.instance))
}

/// When the share link ends by itself.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"expires_at": "2026-12-31T23:59:59+08:00"}))]
pub struct ExpiryRequest {
    /// An RFC 3339 instant that lies ahead; `null` keeps the link until revoked.
    pub expires_at: Option<String>,
}

/// Sets or clears the share link's expiry; expired links answer 404 like revoked ones.
#[utoipa::path(operation_id = "set_share_expiry", put, path = "/api/codes/{id}/share/expiry", tag = "codes", params(("id" = i64, Path)),
    request_body = ExpiryRequest, responses((status = 200, description = "The code, after the change", body = CodeAnswer), ChangeErrors))]
pub async fn set_share_expiry(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ExpiryRequest>,
) -> Result<Json<CodeAnswer>, ApiError> {
    let end = app::backend::codes::parse_expiry(body.expires_at.as_deref())?;
    Ok(CodeAnswer::new(&state.codes.set_share_expiry(id, end, &actor).await?, &state.instance))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ShareLabelRequest {
    /// `true`: the public share page shows the code's label and page; `false` (the default
    /// for every code): only the image and a neutral title.
    pub shown: bool,
}

/// Shows or hides the label and page on the public share page.
#[utoipa::path(operation_id = "set_share_label", put, path = "/api/codes/{id}/share/label", tag = "codes", params(("id" = i64, Path)),
    request_body = ShareLabelRequest, responses((status = 200, description = "The code, after the change", body = CodeAnswer), ChangeErrors))]
pub async fn set_share_label(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ShareLabelRequest>,
) -> Result<Json<CodeAnswer>, ApiError> {
    Ok(CodeAnswer::new(&state.codes.set_share_shows_label(id, body.shown, &actor).await?, &state.instance))
}

/// Reads how an image is wanted: for showing (cached for good) or as a download (named now).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImageParams {
    /// `true` for a download: named by the team's current template and checked with the server
    /// each time (`no-cache`), so a changed template renames it. Without it the image may be
    /// cached for a year.
    #[serde(default)]
    pub download: bool,
}

/// The original bytes, as WeChat made them, named by the team's template
/// (`{label}_{scene}_{id}` unless an admin chose another); ETag + 304.
#[utoipa::path(operation_id = "get_code_image", get, path = "/api/codes/{id}/image", tag = "codes",
    params(("id" = i64, Path), ImageParams, NamingParams),
    responses(
        (status = 200, description = "The image", content(
            (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        ReadErrors))]
pub async fn image(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(params): ApiQuery<ImageParams>,
    ApiQuery(naming): ApiQuery<NamingParams>,
    request_headers: HeaderMap,
) -> Result<Response, ApiError> {
    let namer = naming.namer(&state, &actor).await?;
    let (code, bytes) = state.codes.image(id, &actor).await?;
    let cache = match params.download {
        true => "private, no-cache",
        false => "private, max-age=31536000, immutable",
    };
    Ok(image_response(&code, bytes, &request_headers, cache, ("attachment", &namer.file_name(&code))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArchiveParams {
    /// Up to 500 code ids, separated by commas, in the order the files should appear.
    #[serde(default)]
    pub ids: String,
    /// The IANA time zone for the time in the ZIP's name and the entries' `{date}` (default UTC).
    pub tz: Option<String>,
    /// A naming template for the entries instead of the team's (`GET /api/settings`), e.g. `{label}_{id}`.
    pub name_template: Option<String>,
    /// Also drawn beside each original: `poster` (its label and scene under it) and/or `logo`
    /// (with its centre logo, for codes that have one), separated by commas.
    pub with: Option<String>,
}

/// The chosen codes as one ZIP: their images (named by the team's template, numbered on a clash) and
/// `manifest.csv` (UTF-8 with BOM). A GET, so a page can offer it as a plain link.
#[utoipa::path(operation_id = "download_codes_zip", get, path = "/api/codes/archive", tag = "codes", params(ArchiveParams),
    responses((status = 200, description = "The ZIP", content_type = "application/zip", body = Vec<u8>), ReadErrors))]
pub async fn archive(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<ArchiveParams>,
) -> Result<Response, ApiError> {
    let ids = parse_ids(&params.ids)?;
    let name = app::backend::codes::archive_file_name(ids.len(), params.tz.as_deref())?;
    let extras = ZipExtras::parse(params.with.as_deref()).map_err(AppError::malformed)?;
    let naming = NamingParams { tz: params.tz, name_template: params.name_template };
    let namer = naming.namer(&state, &actor).await?;
    let zip = match extras.any() {
        true => state.brand.archive(&ids, extras, &state.instance, &namer, &actor).await?,
        false => state.codes.archive(&ids, &state.instance, &namer, &actor).await?,
    };
    Ok(download("application/zip", &name, zip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_filters_are_the_ones_the_history_reads() {
        let documented: Vec<String> = ListParams::into_params(|| None)
            .into_iter()
            .map(|p| p.name)
            .filter(|name| name != "limit" && name != "before")
            .collect();
        assert_eq!(documented, HistoryFilter::PARAMS);
    }
}
