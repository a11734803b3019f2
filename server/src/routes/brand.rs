//! Centre logos (`/api/apps/{appid}/logo`, `/api/codes/{id}/logo`) and the renditions drawn from
//! a code's original (`/api/codes/{id}/branded.png`, `/api/codes/{id}/poster.png`).

use app::backend::AppState;
use app::models::brand::{logo_too_large, LogoOwner, LogoView, MAX_LOGO_BYTES};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use wxacode::poster::PosterInput;

use super::api_error::{ApiActor, ApiError, ApiPath, ApiQuery};
use super::docs::{LogoErrors, ReadErrors};
use super::files::{content_disposition, read_at_most, NamingParams};

#[derive(Serialize, ToSchema)]
pub struct LogoAnswer {
    pub success: bool,
    pub logo: LogoView,
}

async fn upload(
    state: &AppState,
    owner: LogoOwner,
    actor: &app::backend::actor::Actor,
    request: Request,
) -> Result<Json<LogoAnswer>, ApiError> {
    // The size the client announced, to say how far over it is.
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
        .map(|bytes| bytes.div_ceil(1024));
    let bytes =
        read_at_most(request.into_body(), MAX_LOGO_BYTES).await.ok_or_else(|| logo_too_large(announced))?;
    let logo = state.brand.set_logo(&owner, &bytes, actor).await?;
    Ok(Json(LogoAnswer { success: true, logo }))
}

fn png(bytes: Vec<u8>, disposition: HeaderValue) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/png")),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache")),
        ],
        bytes,
    )
        .into_response()
}

/// Sets the app's logo, drawn in the centre of its codes' logo renditions (admins). The body is
/// the image: PNG or JPEG, at most 1 MB and 4096 pixels a side; it is stored re-encoded as PNG
/// within 512 pixels.
#[utoipa::path(operation_id = "set_app_logo", put, path = "/api/apps/{appid}/logo", tag = "brand", params(("appid" = String, Path)),
    request_body(description = "The logo", content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"))),
    responses((status = 200, description = "The stored logo", body = LogoAnswer), LogoErrors))]
pub async fn set_app_logo(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(appid): ApiPath<String>,
    request: Request,
) -> Result<Json<LogoAnswer>, ApiError> {
    upload(&state, LogoOwner::App(appid), &actor, request).await
}

/// The app's logo as stored (PNG).
#[utoipa::path(operation_id = "get_app_logo", get, path = "/api/apps/{appid}/logo", tag = "brand", params(("appid" = String, Path)),
    responses((status = 200, description = "The logo", content_type = "image/png", body = Vec<u8>), ReadErrors))]
pub async fn app_logo(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(appid): ApiPath<String>,
) -> Result<Response, ApiError> {
    let (_, bytes) = state.brand.logo(&LogoOwner::App(appid), &actor).await?;
    Ok(png(bytes, content_disposition("inline", "logo.png")))
}

/// Removes the app's logo (admins).
#[utoipa::path(operation_id = "remove_app_logo", delete, path = "/api/apps/{appid}/logo", tag = "brand", params(("appid" = String, Path)),
    responses((status = 204, description = "Removed"), LogoErrors))]
pub async fn remove_app_logo(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(appid): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    state.brand.remove_logo(&LogoOwner::App(appid), &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sets this code's own logo (wins over its app's). The body is the image: PNG or JPEG, at most
/// 1 MB and 4096 pixels a side.
#[utoipa::path(operation_id = "set_code_logo", put, path = "/api/codes/{id}/logo", tag = "brand", params(("id" = i64, Path)),
    request_body(description = "The logo", content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"))),
    responses((status = 200, description = "The stored logo", body = LogoAnswer), LogoErrors))]
pub async fn set_code_logo(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    request: Request,
) -> Result<Json<LogoAnswer>, ApiError> {
    upload(&state, LogoOwner::Code(id), &actor, request).await
}

/// This code's own logo as stored (PNG); 404 when it has none (its app's may still apply).
#[utoipa::path(operation_id = "get_code_logo", get, path = "/api/codes/{id}/logo", tag = "brand", params(("id" = i64, Path)),
    responses((status = 200, description = "The logo", content_type = "image/png", body = Vec<u8>), ReadErrors))]
pub async fn code_logo(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let (_, bytes) = state.brand.logo(&LogoOwner::Code(id), &actor).await?;
    Ok(png(bytes, content_disposition("inline", "logo.png")))
}

/// Removes this code's own logo (its app's applies again, if any).
#[utoipa::path(operation_id = "remove_code_logo", delete, path = "/api/codes/{id}/logo", tag = "brand", params(("id" = i64, Path)),
    responses((status = 204, description = "Removed"), LogoErrors))]
pub async fn remove_code_logo(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    state.brand.remove_logo(&LogoOwner::Code(id), &actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The code with its logo (its own, else its app's) in a white circle over the centre, as PNG.
/// Only the centre differs from the original, which stays as WeChat made it at `/image`.
#[utoipa::path(operation_id = "get_code_branded", get, path = "/api/codes/{id}/branded.png", tag = "brand",
    params(("id" = i64, Path), NamingParams),
    responses((status = 200, description = "The rendition", content_type = "image/png", body = Vec<u8>), ReadErrors))]
pub async fn branded(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(naming): ApiQuery<NamingParams>,
) -> Result<Response, ApiError> {
    let namer = naming.namer(&state, &actor).await?;
    let (code, bytes) = state.brand.branded(id, &actor).await?;
    Ok(png(bytes, content_disposition("attachment", &namer.rendition_name(&code, "logo"))))
}

/// The code on a white card with one or two lines of text under it, as PNG.
#[utoipa::path(operation_id = "get_code_poster", get, path = "/api/codes/{id}/poster.png", tag = "brand",
    params(("id" = i64, Path), PosterInput, NamingParams),
    responses((status = 200, description = "The poster", content_type = "image/png", body = Vec<u8>), ReadErrors))]
pub async fn poster(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(input): ApiQuery<PosterInput>,
    ApiQuery(naming): ApiQuery<NamingParams>,
) -> Result<Response, ApiError> {
    let namer = naming.namer(&state, &actor).await?;
    let (code, bytes) = state.brand.poster(id, &input, &actor).await?;
    Ok(png(bytes, content_disposition("attachment", &namer.rendition_name(&code, "poster"))))
}
