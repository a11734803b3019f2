//! WeChat's endpoints, as the simulator answers them.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tokio::time::Instant;

use super::render::{render_code, CodeDrawing};
use super::state::{issue_into, SimState, TokenCheck};
use crate::errcode::KnownErrcode;
use crate::request::{is_scene_char, EnvVersion, SCENE_MAX_CHARS, SCENE_RESERVED_WORD, WIDTH_MAX, WIDTH_MIN};
use crate::wire::{CodeBody, StableTokenBody, TokenAnswer};

type Shared = Arc<SimState>;

const FORCE_REFRESH_PER_DAY: usize = 20;
const FORCE_REFRESH_INTERVAL: Duration = Duration::from_secs(30);
const DAY: Duration = Duration::from_secs(86_400);
/// The colour the simulator uses for `auto_color` (WeChat derives one from the app's logo).
const AUTO_COLOR: [u8; 3] = [0x07, 0x8a, 0x4e];

pub(super) fn router(state: Shared) -> Router {
    Router::new()
        .route("/cgi-bin/token", get(token))
        .route("/cgi-bin/stable_token", post(stable_token))
        .route("/wxa/getwxacodeunlimit", post(get_unlimited_code))
        .with_state(state)
}

/// WeChat answers errors with HTTP 200 and a JSON body.
pub(super) fn errcode(known: KnownErrcode) -> Response {
    errcode_raw(known.code(), known.wechat_errmsg())
}

pub(super) fn errcode_raw(code: i64, errmsg: &str) -> Response {
    Json(serde_json::json!({ "errcode": code, "errmsg": format!("{errmsg} rid: sim-{:08x}", rand_rid()) }))
        .into_response()
}

fn rand_rid() -> u32 {
    rand::random()
}

fn check_credentials(
    state: &SimState,
    grant_type: Option<&str>,
    appid: Option<&str>,
    secret: Option<&str>,
) -> Option<Response> {
    if grant_type != Some("client_credential") {
        return Some(errcode(KnownErrcode::InvalidGrantType));
    }
    let Some(known) = appid.and_then(|appid| state.secret_of(appid)) else {
        return Some(errcode(KnownErrcode::InvalidAppId));
    };
    if secret != Some(known) {
        return Some(errcode(KnownErrcode::InvalidAppSecret));
    }
    None
}

fn token_answer(value: String, expires_at: Instant) -> Response {
    let expires_in = expires_at.saturating_duration_since(Instant::now()).as_secs();
    Json(TokenAnswer { access_token: value, expires_in }).into_response()
}

/// `GET /cgi-bin/token`: always a new token, which supersedes the previous one.
async fn token(State(state): State<Shared>, Query(query): Query<HashMap<String, String>>) -> Response {
    state.count_token_call();
    let field = |name: &str| query.get(name).map(String::as_str);
    if let Some(refusal) = check_credentials(&state, field("grant_type"), field("appid"), field("secret")) {
        return refusal;
    }
    let value = state.issue_token(field("appid").unwrap_or_default());
    let ttl = state.config.token_ttl;
    Json(TokenAnswer { access_token: value, expires_in: ttl.as_secs() }).into_response()
}

/// `POST /cgi-bin/stable_token`: the live token unless `force_refresh`.
async fn stable_token(State(state): State<Shared>, body: Bytes) -> Response {
    state.count_stable_token_call();
    let Ok(body) = serde_json::from_slice::<StableTokenBody>(&body) else {
        return errcode(KnownErrcode::MalformedPostData);
    };
    if let Some(refusal) =
        check_credentials(&state, Some(&body.grant_type), Some(&body.appid), Some(&body.secret))
    {
        return refusal;
    }
    let now = Instant::now();
    let ttl = state.config.token_ttl;
    let mut all_tokens = state.tokens();
    let tokens = all_tokens.entry(body.appid.clone()).or_default();
    if body.force_refresh {
        tokens.force_refreshes.retain(|at| now.duration_since(*at) < DAY);
        if tokens.force_refreshes.len() >= FORCE_REFRESH_PER_DAY {
            return errcode(KnownErrcode::RateLimited);
        }
        if tokens.force_refreshes.last().is_some_and(|at| now.duration_since(*at) < FORCE_REFRESH_INTERVAL) {
            return errcode(KnownErrcode::ForceRefreshLimited);
        }
        tokens.force_refreshes.push(now);
    } else if let Some(live) = tokens.live.as_ref().filter(|t| now < t.expires_at) {
        return token_answer(live.value.clone(), live.expires_at);
    }
    let value = issue_into(tokens, ttl);
    let expires_at = tokens.live.as_ref().map_or(now, |t| t.expires_at);
    token_answer(value, expires_at)
}

/// `POST /wxa/getwxacodeunlimit?access_token=…`
async fn get_unlimited_code(
    State(state): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    state.count_code_call();
    let faults = state.faults();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if faults.drop_connection {
        return broken_body();
    }
    if faults.http_500 {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><body>500 Internal Server Error</body></html>",
        )
            .into_response();
    }
    if faults.garbage_body {
        return (
            [(header::CONTENT_TYPE, "application/octet-stream")],
            Bytes::from_static(b"\x00\x13\x37garbage\xfe\xff"),
        )
            .into_response();
    }
    let appid = match token_refusal(&state, &query) {
        Ok(appid) => appid,
        Err(refusal) => return errcode(refusal),
    };
    if !state.admit_code_call(&appid) {
        return errcode(KnownErrcode::RateLimited);
    }
    if let Some(code) = faults.errcode {
        let errmsg = KnownErrcode::from_code(code).map_or("simulated error", KnownErrcode::wechat_errmsg);
        return errcode_raw(code, errmsg);
    }
    let Ok(body) = serde_json::from_slice::<CodeBody>(&body) else {
        return errcode(KnownErrcode::InvalidScene);
    };
    let drawing = match check_code_body(&state, &body, appid) {
        Ok(drawing) => drawing,
        Err(known) => return errcode(known),
    };
    match tokio::task::spawn_blocking(move || render_code(&drawing)).await {
        Ok(Ok(image)) => {
            state.count_image();
            ([(header::CONTENT_TYPE, image.image_type.mime())], image.bytes).into_response()
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "simulator could not draw a code");
            errcode(KnownErrcode::SystemBusy)
        }
        Err(error) => {
            tracing::error!(%error, "simulator render task failed");
            errcode(KnownErrcode::SystemBusy)
        }
    }
}

/// Applies WeChat's rules to a code request, in the order WeChat reports them.
fn check_code_body(state: &SimState, body: &CodeBody, appid: String) -> Result<CodeDrawing, KnownErrcode> {
    let scene = body.scene.as_deref().unwrap_or("");
    if scene.is_empty() || scene.chars().count() > SCENE_MAX_CHARS {
        return Err(KnownErrcode::InvalidScene);
    }
    if !scene.chars().all(is_scene_char) {
        return Err(KnownErrcode::InvalidSceneChars);
    }
    if scene.to_ascii_lowercase().contains(SCENE_RESERVED_WORD) {
        return Err(KnownErrcode::SceneReservedWord);
    }
    let page = body.page.as_deref().unwrap_or("");
    if page.starts_with('/') || page.contains('?') {
        return Err(KnownErrcode::InvalidPage);
    }
    if body.check_path.unwrap_or(true)
        && !page.is_empty()
        && !state.config.published_pages.iter().any(|p| p == page)
    {
        return Err(KnownErrcode::InvalidPage);
    }
    let width = body.width.unwrap_or(430);
    if !(i64::from(WIDTH_MIN)..=i64::from(WIDTH_MAX)).contains(&width) {
        return Err(KnownErrcode::InvalidArgs);
    }
    if let Some(env) = body.env_version.as_deref() {
        EnvVersion::parse(env).map_err(|_| KnownErrcode::InvalidArgs)?;
    }
    let color = if body.auto_color.unwrap_or(false) {
        AUTO_COLOR
    } else {
        match body.line_color.as_ref() {
            Some(c) => {
                let channel = |v: i64| u8::try_from(v).map_err(|_| KnownErrcode::InvalidArgs);
                [channel(c.r.0)?, channel(c.g.0)?, channel(c.b.0)?]
            }
            None => [0, 0, 0],
        }
    };
    Ok(CodeDrawing {
        content: format!("{page}?scene={scene}"),
        appid,
        width: width as u32,
        color,
        transparent: body.is_hyaline.unwrap_or(false),
    })
}

/// The app a valid access_token belongs to, or WeChat's answer to a missing, superseded,
/// expired or unknown one.
fn token_refusal(state: &SimState, query: &HashMap<String, String>) -> Result<String, KnownErrcode> {
    match state.check_token(query.get("access_token").map(String::as_str)) {
        (TokenCheck::Valid, Some(appid)) => Ok(appid),
        (TokenCheck::Missing, _) => Err(KnownErrcode::MissingAccessToken),
        (TokenCheck::Superseded, _) => Err(KnownErrcode::InvalidCredential),
        (TokenCheck::Expired, _) => Err(KnownErrcode::AccessTokenExpired),
        (TokenCheck::Valid | TokenCheck::Unknown, _) => Err(KnownErrcode::InvalidAccessToken),
    }
}

/// Answers `handler` when the request's access_token is valid, else the token's errcode; the
/// injected latency and errcode faults apply as they do to code calls.
pub(super) async fn with_valid_token(
    state: &SimState,
    query: &HashMap<String, String>,
    handler: impl std::future::Future<Output = Response>,
) -> Response {
    let faults = state.faults();
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if let Err(refusal) = token_refusal(state, query) {
        return errcode(refusal);
    }
    if let Some(code) = faults.errcode {
        let errmsg = KnownErrcode::from_code(code).map_or("simulated error", KnownErrcode::wechat_errmsg);
        return errcode_raw(code, errmsg);
    }
    handler.await
}

/// Seconds since the epoch, as WeChat's expiry fields count them.
pub(super) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
}

/// A 200 whose body fails at once: the client sees the connection break.
fn broken_body() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "simulated drop",
        ))
    });
    ([(header::CONTENT_TYPE, "image/jpeg")], Body::from_stream(failing)).into_response()
}
