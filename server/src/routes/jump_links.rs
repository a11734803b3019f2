//! Permanent jump links: `POST /api/jump-links`, `GET /api/jump-links`,
//! `GET /api/jump-links/{id}` (with visits per day), `DELETE /api/jump-links/{id}`, its QR code
//! as `qr.svg` / `qr.png` for print where a WeChat code does not fit — and the public
//! `GET /go/{token}` that sends each visit on.

use app::backend::AppState;
use app::error::AppError;
use app::models::instance::InstanceInfo;
use app::models::links::{ClickDay, JumpForm, JumpLink, JumpTarget};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use image::ImageEncoder;
use leptos::prelude::*;
use qrcode::render::svg;
use qrcode::QrCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wxacode::link::LinkKind;
use wxacode::Lang;

use super::api_error::{ApiActor, ApiError, ApiJson, ApiLang, ApiPath, ApiQuery};
use super::docs::{ChangeErrors, GenerateErrors, ReadErrors};

/// A jump link with its public address.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JumpView {
    /// `https://<your domain>/go/{token}`: print it, send it; it never expires until revoked.
    pub url: String,
    #[serde(flatten)]
    pub jump: JumpLink,
}

impl JumpView {
    fn new(jump: JumpLink, instance: &InstanceInfo) -> Self {
        Self { url: format!("{}{}", instance.public_url, app::urls::jump_path(&jump.token)), jump }
    }
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JumpAnswer {
    pub success: bool,
    pub jump_link: JumpView,
    /// Visits per UTC day over the last 30 days, oldest first (days without visits left out).
    pub clicks_by_day: Vec<ClickDay>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JumpList {
    pub success: bool,
    pub jump_links: Vec<JumpView>,
    pub next_before: Option<i64>,
}

/// Makes a permanent jump link to a page (or to a code's page with its scene).
#[utoipa::path(operation_id = "create_jump_link", post, path = "/api/jump-links", tag = "links",
    request_body(content = JumpForm, example = json!({"kind": "url_link", "page": "pages/promo/promo", "query": "campaign=spring", "label": "春季短信"})),
    responses((status = 200, description = "The jump link (no WeChat call until its first visit)", body = JumpAnswer), GenerateErrors))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(form): ApiJson<JumpForm>,
) -> Result<Json<JumpAnswer>, ApiError> {
    let jump = state.links.create_jump(&form, &actor).await?;
    Ok(Json(JumpAnswer {
        success: true,
        jump_link: JumpView::new(jump, &state.instance),
        clicks_by_day: vec![],
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JumpParams {
    /// Only the jump links of this code.
    pub code: Option<i64>,
    /// A substring (any case) of the name, page, query or token.
    pub q: Option<String>,
    /// 1–200 (default 50).
    pub limit: Option<u32>,
    pub before: Option<i64>,
}

/// Newest first, revoked ones included (`revoked_at` says so), each with its total visits.
#[utoipa::path(operation_id = "list_jump_links", get, path = "/api/jump-links", tag = "links", params(JumpParams),
    responses((status = 200, description = "A page of jump links", body = JumpList), ReadErrors))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<JumpParams>,
) -> Result<Json<JumpList>, ApiError> {
    let limit = super::links::page_limit(params.limit)?;
    let (jumps, next_before) =
        state.links.jumps(params.code, params.q.as_deref(), limit, params.before, &actor).await?;
    let jump_links = jumps.into_iter().map(|jump| JumpView::new(jump, &state.instance)).collect();
    Ok(Json(JumpList { success: true, jump_links, next_before }))
}

/// One jump link, with its visits per day.
#[utoipa::path(operation_id = "get_jump_link", get, path = "/api/jump-links/{id}", tag = "links", params(("id" = i64, Path)),
    responses((status = 200, description = "The jump link and its visits", body = JumpAnswer), ReadErrors))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<JumpAnswer>, ApiError> {
    let jump = state.links.jump(id, &actor).await?;
    let clicks_by_day = state.links.jump_clicks(id, &actor).await?;
    Ok(Json(JumpAnswer { success: true, jump_link: JumpView::new(jump, &state.instance), clicks_by_day }))
}

/// Revokes it: `/go/{token}` answers 404 from now on.
#[utoipa::path(operation_id = "revoke_jump_link", delete, path = "/api/jump-links/{id}", tag = "links", params(("id" = i64, Path)),
    responses((status = 200, description = "The jump link, revoked", body = JumpAnswer), ChangeErrors))]
pub async fn revoke(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<JumpAnswer>, ApiError> {
    let jump = state.links.revoke_jump(id, &actor).await?;
    let clicks_by_day = state.links.jump_clicks(id, &actor).await?;
    Ok(Json(JumpAnswer { success: true, jump_link: JumpView::new(jump, &state.instance), clicks_by_day }))
}

/// The jump link as an ordinary QR code, in SVG (for print).
#[utoipa::path(operation_id = "jump_link_qr_svg", get, path = "/api/jump-links/{id}/qr.svg", tag = "links", params(("id" = i64, Path)),
    responses((status = 200, description = "SVG", content_type = "image/svg+xml"), ReadErrors))]
pub async fn qr_svg(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let code = qr_of(&state, id, &actor).await?;
    let svg = code.render::<svg::Color<'_>>().min_dimensions(256, 256).quiet_zone(true).build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// The jump link as an ordinary QR code, in PNG.
#[utoipa::path(operation_id = "jump_link_qr_png", get, path = "/api/jump-links/{id}/qr.png", tag = "links", params(("id" = i64, Path)),
    responses((status = 200, description = "PNG", content_type = "image/png"), ReadErrors))]
pub async fn qr_png(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let code = qr_of(&state, id, &actor).await?;
    let image = code.render::<image::Luma<u8>>().min_dimensions(512, 512).quiet_zone(true).build();
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(image.as_raw(), image.width(), image.height(), image::ExtendedColorType::L8)
        .map_err(|error| {
            tracing::error!(%error, "jump link QR as PNG");
            AppError::Internal
        })?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

async fn qr_of(state: &AppState, id: i64, actor: &app::backend::actor::Actor) -> Result<QrCode, AppError> {
    let view = JumpView::new(state.links.jump(id, actor).await?, &state.instance);
    QrCode::new(view.url.as_bytes()).map_err(|error| {
        tracing::error!(%error, "jump link QR");
        AppError::Internal
    })
}

/// `GET /go/{token}`: a URL Link is a redirect; a Scheme too on iOS, while Android (which
/// only opens schemes from a page) gets a page with a button. Every visit is counted.
pub async fn follow(
    State(state): State<AppState>,
    Path(token): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Response {
    let ApiLang(lang) = ApiLang::of(&headers);
    let no_store = [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))];
    // A look, not a visit: checkers and previews neither count nor spend WeChat's quota.
    if method == Method::HEAD {
        let status = match state.links.jump_exists(&token).await {
            Ok(true) => StatusCode::OK,
            Ok(false) => StatusCode::NOT_FOUND,
            Err(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        return (status, no_store).into_response();
    }
    match state.links.follow(&token).await {
        Ok(JumpTarget { kind: LinkKind::Scheme, url }) if !is_ios(&headers) => {
            (no_store, page(lang, Page::OpenScheme(&url))).into_response()
        }
        Ok(JumpTarget { url, .. }) => match HeaderValue::from_str(&url) {
            Ok(location) => (StatusCode::FOUND, no_store, [(header::LOCATION, location)]).into_response(),
            Err(_) => (StatusCode::BAD_GATEWAY, no_store, page(lang, Page::Failed)).into_response(),
        },
        Err(AppError::Missing { .. } | AppError::NotFound) => {
            (StatusCode::NOT_FOUND, no_store, page(lang, Page::Unknown)).into_response()
        }
        Err(error) => {
            tracing::warn!(?error, "a jump link could not be followed");
            (StatusCode::SERVICE_UNAVAILABLE, no_store, page(lang, Page::Failed)).into_response()
        }
    }
}

fn is_ios(headers: &HeaderMap) -> bool {
    let agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    ["iPhone", "iPad", "iPod"].iter().any(|device| agent.contains(device))
}

enum Page<'a> {
    OpenScheme(&'a str),
    Unknown,
    Failed,
}

/// A small page of its own (no script, no dashboard), escaped by Leptos' renderer.
fn page(lang: Lang, page: Page<'_>) -> Response {
    let text = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
    let (title, body) = match page {
        Page::OpenScheme(url) => {
            let url = url.to_owned();
            (
                text("打开小程序", "Open the mini program"),
                view! {
                    <p>{text("点击下面的按钮，在微信中打开小程序。", "Tap the button to open the mini program in WeChat.")}</p>
                    <p><a class="open" href=url>{text("打开小程序", "Open the mini program")}</a></p>
                    <p class="hint">{text("没有反应？请确认已安装微信，或在手机上打开此页面。", "Nothing happens? Check that WeChat is installed, or open this page on your phone.")}</p>
                }
                .into_any(),
            )
        }
        Page::Unknown => (
            text("链接不存在", "Link not found"),
            view! { <p>{text("这个链接不存在或已被停用。", "This link does not exist or was revoked.")}</p> }.into_any(),
        ),
        Page::Failed => (
            text("暂时无法打开", "Cannot open right now"),
            view! { <p>{text("暂时无法打开小程序，请稍后再试。", "The mini program cannot be opened right now; please try again shortly.")}</p> }
                .into_any(),
        ),
    };
    let html = view! {
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>{title}</title>
                <style>{JUMP_STYLE}</style>
            </head>
            <body>
                <main>
                    <h1>{title}</h1>
                    {body}
                </main>
            </body>
        </html>
    }
    .to_html();
    let csp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CONTENT_SECURITY_POLICY, csp)],
        format!("<!DOCTYPE html>{html}"),
    )
        .into_response()
}

const JUMP_STYLE: &str = "body{font-family:system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC',sans-serif;\
margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center;background:#f5f6f7;color:#1f2328}\
main{max-width:26rem;padding:2rem 1.5rem;text-align:center}h1{font-size:1.4rem}\
a.open{display:inline-block;margin:1rem 0;padding:.9rem 2.2rem;border-radius:.5rem;background:#07c160;color:#fff;\
font-size:1.1rem;text-decoration:none}.hint{color:#57606a;font-size:.9rem}";
