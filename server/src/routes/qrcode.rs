//! `POST /api/qrcode`: the original design's endpoint, with every option and a label.

use app::backend::AppState;
use app::error::AppError;
use app::models::{CodeSummary, GenerateForm};
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

use super::api_error::{json_rejection, ApiActor, ApiError, ApiLang};
use super::codes::code_json;

#[derive(Deserialize)]
pub struct GenerateBody {
    #[serde(flatten)]
    form: GenerateForm,
    /// Ask WeChat even when the same parameters were generated before.
    #[serde(default)]
    force: bool,
}

pub async fn generate(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(actor): ApiActor,
    body: Result<Json<GenerateBody>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(body) = body.map_err(|r| json_rejection(r, lang))?;
    let (request, label) =
        body.form.parse().map_err(|problems| ApiError::new(AppError::Invalid { problems }, lang))?;
    let generated = state
        .codes
        .generate(&request, &label, body.force, &actor)
        .await
        .map_err(|e| ApiError::new(e, lang))?;
    let (_, bytes) = state.codes.image(generated.code.id).await.map_err(|e| ApiError::new(e, lang))?;
    Ok(Json(success_json(&state, &generated.code, &bytes, generated.reused)))
}

fn success_json(state: &AppState, code: &CodeSummary, bytes: &[u8], reused: bool) -> Value {
    json!({
        "success": true,
        "image": format!("data:{};base64,{}", code.image_type.mime(), STANDARD.encode(bytes)),
        "scene": code.request.scene.as_str(),
        "page": code.request.page.as_str(),
        "label": code.label.as_str(),
        "id": code.id,
        "share_url": state.share_url(&code.share_token),
        "reused": reused,
        "code": code_json(state, code),
    })
}
