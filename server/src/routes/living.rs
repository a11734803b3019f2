//! Living codes (活码): `POST /api/living-codes`, a code's living settings and
//! scans under `/api/codes/{id}/…`, and the public resolve API `GET /api/r/{scene}`
//! that the mini program's landing page calls.

use app::backend::living::ScanHit;
use app::backend::AppState;
use app::error::AppError;
use app::models::codes::GenerateForm;
use app::models::living::{LivingChange, LivingCode, LivingForm, ResolveAnswer, ScanSummary};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use wxacode::{LivingStatus, TargetInput};

use super::api_error::{ApiActor, ApiError, ApiJson, ApiLang, ApiPath, ApiQuery};
use super::codes::CodeView;
use super::docs::{ChangeErrors, GenerateErrors, ReadErrors};
use super::files::download;
use super::resolve_limits::ResolveLimiter;

/// A living code's settings and scan counter.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LivingView {
    /// `k=` and 8 base62 characters: what the printed image carries.
    pub scene: String,
    /// Where an active code sends people.
    pub target: TargetInput,
    /// The target as one path with its query, ready for `wx.redirectTo`.
    pub target_path: String,
    /// What a resolve answers now (`ended` once `ends_at` has passed).
    pub status: LivingStatus,
    /// RFC 3339, UTC.
    pub ends_at: Option<String>,
    /// Where a paused or ended code sends people (empty: the mini program's home page).
    pub fallback_page: String,
    pub scans: i64,
    pub last_scan_at: Option<String>,
    pub updated_at: String,
}

impl From<&LivingCode> for LivingView {
    fn from(living: &LivingCode) -> Self {
        Self {
            scene: living.scene.clone(),
            target: living.target.to_input(),
            target_path: living.target.path(),
            status: living.status,
            ends_at: living.ends_at.clone(),
            fallback_page: living.fallback_page.as_str().to_owned(),
            scans: living.scans,
            last_scan_at: living.last_scan_at.clone(),
            updated_at: living.updated_at.clone(),
        }
    }
}

/// A living code to make. `page` is the landing page the image opens (default: the
/// instance's `WXACODE_LANDING_PAGE`); the app makes the `scene`.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "label": "双十一 · 上海门店海报",
    "target": {"page": "pages/promo/promo", "params": [{"key": "campaign", "value": "双十一"}, {"key": "ch", "value": "poster"}]},
    "fallback_page": "pages/index/index",
    "ends_at": "2026-12-31T23:59:59+08:00"
}))]
pub struct CreateLivingRequest {
    #[serde(flatten)]
    pub code: GenerateForm,
    pub target: TargetInput,
    #[serde(default)]
    pub fallback_page: String,
    /// RFC 3339; past it the code answers as ended.
    #[serde(default)]
    pub ends_at: Option<String>,
}

/// A code with its living settings.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LivingAnswer {
    pub success: bool,
    pub code: CodeView,
    pub living: LivingView,
}

/// Makes a living code: a fresh key as its scene, the landing page as its page.
#[utoipa::path(operation_id = "create_living_code", post, path = "/api/living-codes", tag = "living",
    request_body = CreateLivingRequest,
    responses((status = 200, description = "The new code and its living settings", body = LivingAnswer), GenerateErrors))]
pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<CreateLivingRequest>,
) -> Result<Json<LivingAnswer>, ApiError> {
    let mut code = body.code;
    state.codes.apps().fill_default_version(&mut code, &actor).await;
    let form =
        LivingForm { code, target: body.target, fallback_page: body.fallback_page, ends_at: body.ends_at };
    let (generated, living) = state.living.create(&form, &actor).await?;
    Ok(Json(LivingAnswer {
        success: true,
        code: CodeView::new(&generated.code, &state.instance),
        living: LivingView::from(&living),
    }))
}

async fn answer(
    state: &AppState,
    living: &LivingCode,
    actor: &app::backend::actor::Actor,
) -> Result<Json<LivingAnswer>, ApiError> {
    let code = state.codes.get(living.code_id, actor).await?;
    Ok(Json(LivingAnswer {
        success: true,
        code: CodeView::new(&code, &state.instance),
        living: living.into(),
    }))
}

/// A code's living settings; 404 for a direct code.
#[utoipa::path(operation_id = "get_living_code", get, path = "/api/codes/{id}/living", tag = "living", params(("id" = i64, Path)),
    responses((status = 200, description = "The code and its living settings", body = LivingAnswer), ReadErrors))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LivingAnswer>, ApiError> {
    answer(&state, &state.living.get(id).await?, &actor).await
}

/// What to change; absent fields stay as they are.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({"target": {"page": "pages/new/new", "params": [{"key": "ch", "value": "poster"}]}, "status": "paused"}))]
pub struct LivingPatch {
    pub target: Option<TargetInput>,
    /// `active`, `paused` or `ended` (an ended code stays ended).
    pub status: Option<LivingStatus>,
    /// RFC 3339 ahead of now; `""` removes the end date.
    pub ends_at: Option<String>,
    pub fallback_page: Option<String>,
}

/// Retargets, pauses, resumes or ends a living code, or changes its end date or fallback page.
/// The next resolve answers the change. Every change is in the audit trail.
#[utoipa::path(operation_id = "change_living_code", patch, path = "/api/codes/{id}/living", tag = "living", params(("id" = i64, Path)),
    request_body = LivingPatch,
    responses((status = 200, description = "The code, after the change", body = LivingAnswer), ChangeErrors))]
pub async fn change(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<LivingPatch>,
) -> Result<Json<LivingAnswer>, ApiError> {
    let change = LivingChange {
        target: patch.target,
        status: patch.status,
        ends_at: patch.ends_at,
        fallback_page: patch.fallback_page,
    };
    answer(&state, &state.living.change(id, &change, &actor).await?, &actor).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ZoneParams {
    /// The IANA time zone whose days are counted, e.g. `Asia/Shanghai`; default `UTC`.
    pub tz: Option<String>,
}

/// A code's scans: totals, the last 30 days, and by launch scene.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ScansAnswer {
    pub success: bool,
    pub total: i64,
    pub today: i64,
    pub last_7_days: i64,
    pub last_30_days: i64,
    /// Distinct client ids the mini program sent.
    pub unique_clients: i64,
    /// The last 30 days, oldest first: `{"day": "2026-11-26", "scans": 3}`.
    pub days: Vec<DayScans>,
    /// Most first; `wx_scene` null when the mini program did not send one.
    pub by_wx_scene: Vec<WxSceneScans>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DayScans {
    pub day: String,
    pub scans: i64,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WxSceneScans {
    pub wx_scene: Option<i64>,
    pub scans: i64,
}

impl From<ScanSummary> for ScansAnswer {
    fn from(s: ScanSummary) -> Self {
        Self {
            success: true,
            total: s.total,
            today: s.today,
            last_7_days: s.last_7_days,
            last_30_days: s.last_30_days,
            unique_clients: s.unique_clients,
            days: s.days.into_iter().map(|d| DayScans { day: d.day, scans: d.scans }).collect(),
            by_wx_scene: s
                .by_wx_scene
                .into_iter()
                .map(|w| WxSceneScans { wx_scene: w.wx_scene, scans: w.scans })
                .collect(),
        }
    }
}

/// Scan counts of a living code, days in the zone `tz`.
#[utoipa::path(operation_id = "get_scans", get, path = "/api/codes/{id}/scans", tag = "living",
    params(("id" = i64, Path), ZoneParams),
    responses((status = 200, description = "The counts", body = ScansAnswer), ReadErrors))]
pub async fn scans(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(zone): ApiQuery<ZoneParams>,
) -> Result<Json<ScansAnswer>, ApiError> {
    state.codes.get(id, &actor).await?;
    Ok(Json(state.living.scans(id, zone.tz.as_deref()).await?.into()))
}

/// Every scan event of a living code: time (in `tz`), `wx_scene`, its name (in the language of
/// `Accept-Language`), and the hashed client id.
#[utoipa::path(operation_id = "download_scans", get, path = "/api/codes/{id}/scans.csv", tag = "living",
    params(("id" = i64, Path), ZoneParams),
    responses((status = 200, description = "The CSV (UTF-8 with BOM)", content_type = "text/csv", body = String), ReadErrors))]
pub async fn scans_csv(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(zone): ApiQuery<ZoneParams>,
    ApiLang(lang): ApiLang,
) -> Result<Response, ApiError> {
    state.codes.get(id, &actor).await?;
    let bytes = state.living.events_csv(id, zone.tz.as_deref(), lang).await?;
    Ok(download("text/csv; charset=utf-8", &format!("wxacode-{id}-scans.csv"), bytes))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(
    dead_code,
    reason = "documents the parameters; the handler reads them leniently from the query pairs"
)]
pub struct ResolveParams {
    /// The launch scene value the mini program saw (`wx.getLaunchOptionsSync().scene`):
    /// 1047 scan, 1048 long-press, 1049 from the album. Unreadable values are ignored.
    pub wx_scene: Option<String>,
    /// Any stable id of the phone the mini program chooses to send (e.g. a random id it keeps
    /// in storage); only its salted hash is stored, for counting distinct scanners.
    pub client: Option<String>,
}

/// Resolves a living code's scene for the mini program (no key needed). Each answer about a
/// living code counts as a scan. Rate limited per client address and in total (429 with `Retry-After`).
#[utoipa::path(operation_id = "resolve_scene", get, path = "/api/r/{scene}", tag = "living", security(()),
    params(("scene" = String, Path, description = "The scene the mini program received, decoded (`k=…`)"), ResolveParams),
    responses(
        (status = 200, description = "Active: go to the target", body = ResolveAnswer),
        (status = 404, description = "No living code has this scene", body = app::models::errors::ErrorBody),
        (status = 410, description = "Paused or ended: go to the fallback page", body = ResolveAnswer),
        (status = 429, description = "Too many resolves; try again after `Retry-After` seconds", body = app::models::errors::ErrorBody),
    ))]
pub async fn resolve(
    State(state): State<AppState>,
    Extension(limiter): Extension<std::sync::Arc<ResolveLimiter>>,
    ApiActor(actor): ApiActor,
    axum::extract::Path(scene): axum::extract::Path<String>,
    axum::extract::Query(params): axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    if let Err(wait) = limiter.check(actor.ip.as_deref()) {
        return Ok(too_many(wait));
    }
    let get = |name: &str| params.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str());
    let hit = ScanHit {
        wx_scene: get("wx_scene")
            .and_then(|s| s.trim().parse::<i64>().ok())
            .filter(|s| (0..100_000).contains(s)),
        client_id: get("client").map(str::to_owned),
    };
    let (status, answer) = state.living.resolve(&scene, hit).await?.answer().ok_or(AppError::NotFound)?;
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = (status, Json(answer)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// 429 in the usual error shape and the client's language, with `Retry-After`.
fn too_many(wait: std::time::Duration) -> Response {
    let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    let message = wxacode::Message::new(
        format!("请求太频繁，请 {seconds} 秒后再试"),
        format!("Too many requests: try again in {seconds} s"),
    );
    let mut response = ApiError::from(AppError::Throttled { message }).into_response();
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignParams {
    /// First day, `YYYY-MM-DD` in `tz` (default: 29 days before `to`).
    pub from: Option<String>,
    /// Last day, inclusive (default: today). At most 366 days in all.
    pub to: Option<String>,
    /// Count `days` for this label only (empty string: codes without a label).
    pub label: Option<String>,
    /// The IANA time zone whose days are counted; default `UTC`.
    pub tz: Option<String>,
    /// Only the living codes of this mini program (AppID).
    pub app: Option<String>,
}

/// Scans of living codes per campaign label over a period.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CampaignsAnswer {
    pub success: bool,
    pub from: String,
    pub to: String,
    /// Every label that has a living code, most scanned first.
    pub campaigns: Vec<CampaignScans>,
    /// Day by day over the period, for `label` or every campaign.
    pub days: Vec<DayScans>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CampaignScans {
    pub label: String,
    /// Living codes with this label.
    pub codes: i64,
    /// Their scans within the period.
    pub scans: i64,
}

/// Totals per campaign label (living codes only) over a period, with a per-day series.
#[utoipa::path(operation_id = "get_campaigns", get, path = "/api/campaigns", tag = "living", params(CampaignParams),
    responses((status = 200, description = "The totals", body = CampaignsAnswer), ReadErrors))]
pub async fn campaigns(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<CampaignParams>,
) -> Result<Json<CampaignsAnswer>, ApiError> {
    let from = app::models::living::read_day("from", params.from.as_deref())?;
    let to = app::models::living::read_day("to", params.to.as_deref())?;
    let (label, tz, app) = (params.label.as_deref(), params.tz.as_deref(), params.app.as_deref());
    let report = state.living.campaigns(from, to, label, tz, app, &actor).await?;
    Ok(Json(CampaignsAnswer {
        success: true,
        from: report.from,
        to: report.to,
        campaigns: report
            .campaigns
            .into_iter()
            .map(|c| CampaignScans { label: c.label, codes: c.codes, scans: c.scans })
            .collect(),
        days: report.days.into_iter().map(|d| DayScans { day: d.day, scans: d.scans }).collect(),
    }))
}
