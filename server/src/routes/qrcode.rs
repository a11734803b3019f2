//! `POST /api/qrcode`: the original design's endpoint, with every option and a label.

use app::backend::AppState;
use app::error::AppError;
use app::models::codes::GenerateForm;
use axum::extract::State;
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::api_error::{ApiActor, ApiError, ApiJson};
use super::codes::CodeView;
use super::docs::GenerateErrors;

/// A code to generate: WeChat's parameters, a label, and whether to ask WeChat
/// even when the same parameters were generated before. Only `scene` is required.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "scene": "id=123",
    "page": "pages/detail/detail",
    "label": "双十一 · 上海门店海报",
    "width": 430,
    "check_path": false,
    "env_version": "release",
    "auto_color": false,
    "line_color": {"r": 0, "g": 0, "b": 0},
    "is_hyaline": false,
    "force": false
}))]
pub struct GenerateRequest {
    #[serde(flatten)]
    pub form: GenerateForm,
    /// Ask WeChat even when the same parameters and label were generated before.
    #[serde(default)]
    pub force: bool,
}

/// The code, as the original design answered it (`success`, `image`, `scene`,
/// `page`) and with what this service adds.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GenerateAnswer {
    pub success: bool,
    /// The image as a data URI: `data:image/jpeg;base64,…` (PNG when transparent).
    pub image: String,
    pub scene: String,
    pub page: String,
    pub label: String,
    pub id: i64,
    /// The public share link.
    pub share_url: String,
    /// True when the same parameters were stored already and WeChat was not asked.
    pub reused: bool,
    pub code: CodeView,
}

/// Generates a code, or returns the stored one for the same parameters and label.
#[utoipa::path(operation_id = "generate_code", post, path = "/api/qrcode", tag = "codes", request_body = GenerateRequest,
    responses((status = 200, description = "The code and its image", body = GenerateAnswer), GenerateErrors))]
pub async fn generate(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiJson(body): ApiJson<GenerateRequest>,
) -> Result<Json<GenerateAnswer>, ApiError> {
    let mut form = body.form;
    state.codes.apps().fill_default_version(&mut form, &actor).await;
    let (request, label) = form.parse().map_err(|problems| AppError::Invalid { problems })?;
    let generated = state.codes.generate(&request, &label, body.force, form.app.as_deref(), &actor).await?;
    let code = &generated.code;
    Ok(Json(GenerateAnswer {
        success: true,
        image: format!("data:{};base64,{}", code.image_type.mime(), STANDARD.encode(&generated.image)),
        scene: code.request.scene.as_str().to_owned(),
        page: code.request.page.as_str().to_owned(),
        label: code.label.as_str().to_owned(),
        id: code.id,
        share_url: state.instance.share_url(&code.share_token),
        reused: generated.reused,
        code: CodeView::new(code, &state.instance),
    }))
}
