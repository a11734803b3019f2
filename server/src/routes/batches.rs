//! `/api/batches…`: batch jobs from a CSV/XLSX upload or JSON rows, their
//! progress and control, and their results as a ZIP or a failed-rows CSV.

use std::convert::Infallible;
use std::time::Duration;

use app::backend::batches::sheet::{read_sheet, Sheet, SheetError, MAX_UPLOAD_BYTES};
use app::backend::batches::template::TemplateFormat;
use app::backend::AppState;
use app::error::AppError;
use app::models::batches::{BatchCreated, BatchPreview, BatchSummary, BatchView, InvalidRowView};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::stream::{self, Stream};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use wxacode::batch::{Column, ColumnMap, ParamColumns, RowDefaults};
use wxacode::{EnvVersion, Lang, LineColor, LineColorInput};

use super::api_error::{ApiActor, ApiError, ApiLang, ApiPath, ApiQuery};
use super::docs::{ChangeErrors, ReadErrors, UploadErrors};
use super::files::read_at_most;
use super::files::{download, NamingParams};

/// How often a progress stream looks for changes.
const EVENT_POLL: Duration = Duration::from_millis(300);

#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadParams {
    /// The job's name (default: the upload's name, or "batch").
    pub name: Option<String>,
    /// Start with the valid rows even when some are invalid (they are listed in `skipped_invalid`).
    #[serde(default)]
    pub allow_invalid: bool,
    /// Column kinds in sheet order, separated by commas, when the headers are not recognised:
    /// `-,scene,label` (`-`: not used). Kinds: scene, page, label, width, env_version,
    /// check_path, auto_color, line_color, is_hyaline.
    pub columns: Option<String>,
    /// For rows that leave `check_path` empty (default `true`: WeChat checks the page is published).
    pub check_path: Option<bool>,
    /// For rows that leave `env_version` empty (default `release`).
    pub env_version: Option<EnvVersion>,
    /// The mini program (AppID) of every row; default: the default app. `GET /api/apps` lists them.
    pub app: Option<String>,
}

/// The JSON alternative to a spreadsheet.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "双十一门店", "rows": [
    {"scene": "store=1", "label": "北京门店", "page": "pages/store/store"},
    {"scene": "store=2", "label": "上海门店", "width": 640}
]}))]
pub struct JsonBatch {
    pub name: Option<String>,
    /// The mini program (AppID) of every row; default: the default app.
    #[serde(default)]
    pub app: Option<String>,
    #[serde(default)]
    pub allow_invalid: bool,
    /// One object per code, with the generator's fields (`scene` required).
    #[schema(value_type = Vec<Object>)]
    pub rows: Vec<serde_json::Map<String, Value>>,
}

/// The rows of an upload (a sheet or JSON rows) and what the request asks for.
struct Upload {
    sheet: Sheet,
    name: Option<String>,
    app: Option<String>,
    allow_invalid: bool,
    columns: Option<ColumnMap>,
    defaults: RowDefaults,
}

impl Upload {
    async fn read(params: UploadParams, headers: &HeaderMap, body: Body) -> Result<Self, ApiError> {
        let bytes = read_at_most(body, MAX_UPLOAD_BYTES).await.ok_or_else(too_large)?;
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let columns =
            params.columns.as_deref().map(parse_columns).transpose().map_err(AppError::malformed)?;
        let defaults = RowDefaults { check_path: params.check_path, env_version: params.env_version };
        if is_json {
            let batch: JsonBatch = serde_json::from_slice(&bytes)
                .map_err(|e| AppError::malformed(format!("expected {{\"rows\": [...]}}: {e}")))?;
            Ok(Upload {
                sheet: json_sheet(batch.rows),
                name: params.name.or(batch.name),
                app: params.app.or(batch.app),
                allow_invalid: params.allow_invalid || batch.allow_invalid,
                columns,
                defaults,
            })
        } else {
            let sheet = read_sheet(&bytes).map_err(sheet_error)?;
            Ok(Upload {
                sheet,
                name: params.name,
                app: params.app,
                allow_invalid: params.allow_invalid,
                columns,
                defaults,
            })
        }
    }
}

/// What a job from this upload would be, without creating it.
#[utoipa::path(operation_id = "preview_batch", post, path = "/api/batches/preview", tag = "batches", params(UploadParams),
    request_body(description = "A CSV (UTF-8 or GBK), tab-separated rows, an XLSX file, or JSON rows",
        content((String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (JsonBatch = "application/json"))),
    responses((status = 200, description = "What the job would be", body = BatchPreview), UploadErrors))]
pub async fn preview(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiQuery(params): ApiQuery<UploadParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<BatchPreview>, ApiError> {
    let upload = Upload::read(params, &headers, body).await?;
    let map = upload.columns.clone().unwrap_or_else(|| ColumnMap::detect(&upload.sheet.headers));
    let preview = state
        .batches
        .preview(&upload.sheet, upload.columns, &upload.defaults)
        .map_err(|error| ApiError::with_headers(error, upload.sheet.headers.clone()))?;
    Ok(Json(BatchPreview::new(upload.sheet.headers, map.0, &preview, lang)))
}

/// Starts a background job of one code per valid row. Any invalid row refuses
/// the whole upload (every row's problems listed) unless `allow_invalid=true`.
#[utoipa::path(operation_id = "create_batch", post, path = "/api/batches", tag = "batches", params(UploadParams),
    request_body(description = "A CSV (UTF-8 or GBK), tab-separated rows, an XLSX file, or JSON rows",
        content((String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (JsonBatch = "application/json"))),
    responses((status = 201, description = "The job, started", body = BatchCreated), UploadErrors))]
pub async fn create(
    State(state): State<AppState>,
    ApiLang(lang): ApiLang,
    ApiActor(actor): ApiActor,
    ApiQuery(params): ApiQuery<UploadParams>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let upload = Upload::read(params, &headers, body).await?;
    let preview = state.batches.preview(&upload.sheet, upload.columns, &upload.defaults)?;
    if preview.valid.is_empty() || (!preview.invalid.is_empty() && !upload.allow_invalid) {
        let error = AppError::rejected(
            format!("{} 行有问题，任务未创建（可修正后重新上传，或选择只生成有效行）", preview.invalid.len()),
            format!(
                "{} rows have problems; no job was created (fix them, or start with the valid rows only)",
                preview.invalid.len()
            ),
        );
        return Err(ApiError::with_preview(error, preview));
    }
    let name = upload.name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| default_job_name(lang));
    let batch = state.batches.create(&name, &preview, upload.app.as_deref(), &actor).await?;
    let created = BatchCreated {
        success: true,
        batch: batch.into(),
        skipped_invalid: InvalidRowView::list(&preview.invalid, lang),
        duplicates: preview.duplicates,
    };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Server-sent events (`event: progress`, the job as JSON) whenever the job
/// changes; the stream ends once it is finished, paused or cancelled and its last rows are in.
#[utoipa::path(operation_id = "batch_events", get, path = "/api/batches/{id}/events", tag = "batches", params(("id" = i64, Path)),
    responses((status = 200, description = "`text/event-stream` of `progress` events, each a BatchView",
        content_type = "text/event-stream", body = BatchView), ReadErrors))]
pub async fn events(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let first = state.batches.get(id, &actor).await?;
    let updates = stream::unfold(Some((state, first, true)), move |step| {
        let actor = actor.clone();
        async move {
            let (state, previous, first_event) = step?;
            let mut current = previous.clone();
            if !first_event {
                loop {
                    tokio::time::sleep(EVENT_POLL).await;
                    current = state.batches.get(id, &actor).await.ok()?;
                    if current != previous {
                        break;
                    }
                }
            }
            let event =
                Event::default().event("progress").json_data(BatchView::from(current.clone())).ok()?;
            let next = (!current.is_at_rest()).then_some((state, current, false));
            Some((Ok(event), next))
        }
    });
    Ok(Sse::new(updates).keep_alive(KeepAlive::default()))
}

/// Jobs, newest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BatchList {
    pub success: bool,
    pub batches: Vec<BatchView>,
}

/// One job.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BatchAnswer {
    pub success: bool,
    pub batch: BatchView,
}

fn batch_answer(batch: BatchSummary) -> Json<BatchAnswer> {
    Json(BatchAnswer { success: true, batch: batch.into() })
}

/// Jobs, newest first: status, counts, rate and ETA.
#[utoipa::path(operation_id = "list_batches", get, path = "/api/batches", tag = "batches", responses((status = 200, description = "The jobs", body = BatchList), ReadErrors))]
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<BatchList>, ApiError> {
    let batches = state.batches.list(&actor).await?.into_iter().map(BatchView::from).collect();
    Ok(Json(BatchList { success: true, batches }))
}

/// One job: `status` (running, paused, cancelled, finished), `total`, `done`, `failed`, `pending`, rate and ETA.
#[utoipa::path(operation_id = "get_batch", get, path = "/api/batches/{id}", tag = "batches", params(("id" = i64, Path)),
    responses((status = 200, description = "The job", body = BatchAnswer), ReadErrors))]
pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BatchAnswer>, ApiError> {
    Ok(batch_answer(state.batches.get(id, &actor).await?))
}

/// Pauses a running job at its next row.
#[utoipa::path(operation_id = "pause_batch", post, path = "/api/batches/{id}/pause", tag = "batches", params(("id" = i64, Path)),
    responses((status = 200, description = "The job", body = BatchAnswer), ChangeErrors))]
pub async fn pause(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BatchAnswer>, ApiError> {
    Ok(batch_answer(state.batches.pause(id, &actor).await?))
}

/// Resumes a paused job.
#[utoipa::path(operation_id = "resume_batch", post, path = "/api/batches/{id}/resume", tag = "batches", params(("id" = i64, Path)),
    responses((status = 200, description = "The job", body = BatchAnswer), ChangeErrors))]
pub async fn resume(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BatchAnswer>, ApiError> {
    Ok(batch_answer(state.batches.resume(id, &actor).await?))
}

/// Cancels a running or paused job at its next row.
#[utoipa::path(operation_id = "cancel_batch", post, path = "/api/batches/{id}/cancel", tag = "batches", params(("id" = i64, Path)),
    responses((status = 200, description = "The job", body = BatchAnswer), ChangeErrors))]
pub async fn cancel(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<BatchAnswer>, ApiError> {
    Ok(batch_answer(state.batches.cancel(id, &actor).await?))
}

/// Every generated image (named by the team's template) and `manifest.csv` (row, scene, page,
/// label, status, error, file, share link).
#[utoipa::path(operation_id = "download_batch_zip", get, path = "/api/batches/{id}/zip", tag = "batches",
    params(("id" = i64, Path), NamingParams),
    responses((status = 200, description = "The ZIP", content_type = "application/zip", body = Vec<u8>), ReadErrors))]
pub async fn zip(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(naming): ApiQuery<NamingParams>,
) -> Result<Response, ApiError> {
    let namer = naming.namer(&state, &actor).await?;
    let bytes = state.batches.archive(id, &state.instance, &namer, &actor).await?;
    Ok(download("application/zip", &format!("wxacode-batch-{id}.zip"), bytes))
}

/// The failed rows with their error, as a CSV ready to fix and upload again.
#[utoipa::path(operation_id = "download_failed_rows", get, path = "/api/batches/{id}/failed.csv", tag = "batches", params(("id" = i64, Path)),
    responses((status = 200, description = "The CSV (UTF-8 with BOM)", content_type = "text/csv", body = String), ReadErrors))]
pub async fn failed_csv(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let bytes = state.batches.failed_rows_csv(id, &actor).await?;
    Ok(download("text/csv; charset=utf-8", &format!("wxacode-batch-{id}-failed.csv"), bytes))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateParams {
    /// `csv` (UTF-8 with BOM) or `xlsx`.
    pub format: String,
    /// The headers' language, `zh` or `en` (default: the request's `Accept-Language`).
    pub lang: Option<String>,
}

/// A blank sheet to fill in: every column the upload recognises and one example row.
#[utoipa::path(operation_id = "download_batch_template", get, path = "/api/batches/template", tag = "batches", params(TemplateParams),
    responses((status = 200, description = "The template", content(
        (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), ReadErrors))]
pub async fn template(
    State(state): State<AppState>,
    ApiLang(asked): ApiLang,
    ApiQuery(params): ApiQuery<TemplateParams>,
) -> Result<Response, ApiError> {
    let format = TemplateFormat::parse(&params.format)
        .ok_or_else(|| AppError::malformed(format!("format must be csv or xlsx, not {:?}", params.format)))?;
    let lang = match params.lang.as_deref() {
        None => asked,
        Some(code) => Lang::from_code(code)
            .ok_or_else(|| AppError::malformed(format!("lang must be zh or en, not {code:?}")))?,
    };
    let bytes = state.batches.template(format, lang)?;
    Ok(download(format.content_type(), &format.file_name(lang), bytes))
}

/// JSON rows become a sheet with canonical headers, so both paths share one reader.
fn json_sheet(rows: Vec<serde_json::Map<String, Value>>) -> Sheet {
    // A living row's parameters: `"params": {"campaign": "双十一"}` or `[{"key": …, "value": …}]`.
    let params_of = |row: &serde_json::Map<String, Value>| -> Vec<(String, String)> {
        let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        match row.get("params") {
            Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), text(v))).collect(),
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|p| {
                    Some((p.get("key")?.as_str()?.to_owned(), p.get("value").map(text).unwrap_or_default()))
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut param_names: Vec<String> = Vec::new();
    for row in &rows {
        for (name, _) in params_of(row) {
            if !param_names.contains(&name) {
                param_names.push(name);
            }
        }
    }
    let mut headers: Vec<String> = Column::ALL.iter().map(|c| c.name().to_owned()).collect();
    headers.extend(param_names.iter().map(|name| ParamColumns::header(name)));
    let rows = rows
        .into_iter()
        .map(|row| {
            let params = params_of(&row);
            let mut cells: Vec<String> = Column::ALL
                .iter()
                .map(|column| match row.get(column.name()).or_else(|| row.get(column.field_name())) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Object(rgb)) => {
                        let channel = |k: &str| rgb.get(k).and_then(Value::as_i64).unwrap_or(-1);
                        let input = LineColorInput { r: channel("r"), g: channel("g"), b: channel("b") };
                        // An unusable colour stays as written, so the row reports it.
                        input
                            .parse()
                            .map_or_else(|_| Value::Object(rgb.clone()).to_string(), LineColor::to_hex)
                    }
                    Some(other) => other.to_string(),
                })
                .collect();
            cells.extend(param_names.iter().map(|name| {
                params.iter().find(|(key, _)| key == name).map(|(_, value)| value.clone()).unwrap_or_default()
            }));
            cells
        })
        .collect();
    // JSON rows are numbered as a person counts array items.
    Sheet { headers, rows, first_row: 1 }
}

/// A job without a name is named after when it was made, in the asker's language.
fn default_job_name(lang: Lang) -> String {
    let now = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC");
    match lang {
        Lang::Zh => format!("批量任务 {now}"),
        Lang::En => format!("Batch {now}"),
    }
}

fn parse_columns(raw: &str) -> Result<ColumnMap, String> {
    raw.split(',')
        .map(|name| match name.trim() {
            "" | "-" => Ok(None),
            name => Column::from_header(name).map(Some).ok_or_else(|| format!("unknown column {name:?}")),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(ColumnMap)
}

fn too_large() -> ApiError {
    sheet_error(SheetError::TooLarge { bytes: MAX_UPLOAD_BYTES + 1 })
}

fn sheet_error(error: SheetError) -> ApiError {
    let message = error.message();
    match error {
        SheetError::TooLarge { .. } => AppError::TooLarge { message },
        _ => AppError::Rejected { message },
    }
    .into()
}
