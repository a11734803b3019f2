//! `/api/batches…`: batch jobs from a CSV/XLSX upload or JSON rows, their
//! progress and control, and their results as a ZIP or a failed-rows CSV.

use app::backend::batch::sheet::{read_sheet, Sheet, SheetError, MAX_UPLOAD_BYTES};
use app::backend::AppState;
use app::error::AppError;
use app::models::BatchSummary;
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use serde_json::{json, Value};
use std::convert::Infallible;
use wxacode::batch::{Column, ColumnMap, Preview};
use wxacode::{Lang, LineColor, LineColorInput};

use super::api_error::{path_rejection, query_rejection, ApiActor, ApiError, ApiLang};
use super::codes::download;

#[derive(Deserialize, Default)]
pub struct CreateQuery {
    name: Option<String>,
    /// Start with the valid rows even when some are invalid.
    #[serde(default)]
    allow_invalid: bool,
    /// Comma-separated column kinds in sheet order (`scene,page,label,-`), when headers differ.
    columns: Option<String>,
}

/// JSON alternative to an upload.
#[derive(Deserialize)]
struct JsonBatch {
    name: Option<String>,
    #[serde(default)]
    allow_invalid: bool,
    rows: Vec<serde_json::Map<String, Value>>,
}

/// The rows of an upload (a sheet or JSON rows) and what the request asks for.
struct Upload {
    sheet: Sheet,
    name: Option<String>,
    allow_invalid: bool,
    columns: Option<ColumnMap>,
}

/// The body if it holds at most `limit` bytes. A longer one is still read to its
/// end (and dropped; the server's body ceiling bounds it) so that the client,
/// still sending, receives the 413 and its explanation rather than a reset
/// connection.
async fn read_at_most(body: Body, limit: usize) -> Option<Vec<u8>> {
    use futures_util::StreamExt;
    let mut chunks = body.into_data_stream();
    let mut bytes = Vec::new();
    let mut over = false;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.ok()?;
        if !over && bytes.len() + chunk.len() <= limit {
            bytes.extend_from_slice(&chunk);
        } else if !over {
            over = true;
            bytes = Vec::new();
        }
    }
    (!over).then_some(bytes)
}

async fn read_upload(
    query: CreateQuery,
    headers: &HeaderMap,
    body: Body,
    lang: ApiLang,
) -> Result<Upload, ApiError> {
    let bytes = read_at_most(body, MAX_UPLOAD_BYTES).await.ok_or_else(|| too_large(lang))?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let columns =
        query.columns.as_deref().map(parse_columns).transpose().map_err(|d| ApiError::malformed(d, lang))?;
    if is_json {
        let batch: JsonBatch = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::malformed(format!("expected {{\"rows\": [...]}}: {e}"), lang))?;
        Ok(Upload {
            sheet: json_sheet(batch.rows),
            name: query.name.or(batch.name),
            allow_invalid: query.allow_invalid || batch.allow_invalid,
            columns,
        })
    } else {
        let sheet = read_sheet(&bytes).map_err(|e| sheet_error(e, lang))?;
        Ok(Upload { sheet, name: query.name, allow_invalid: query.allow_invalid, columns })
    }
}

/// What a job from this upload would be, without creating it.
pub async fn preview(
    State(state): State<AppState>,
    lang: ApiLang,
    query: Result<Query<CreateQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let Query(query) = query.map_err(|r| query_rejection(r, lang))?;
    let upload = read_upload(query, &headers, body, lang).await?;
    let map = upload.columns.clone().unwrap_or_else(|| ColumnMap::detect(&upload.sheet.headers));
    let preview = state
        .batches
        .preview(&upload.sheet, upload.columns)
        .map_err(|e| ApiError::new(e, lang).with_detail("headers", json!(upload.sheet.headers)))?;
    let ApiLang(l) = lang;
    Ok(Json(json!({
        "success": true,
        "headers": upload.sheet.headers,
        "columns": map.0,
        "valid_rows": preview.valid.len(),
        "invalid": invalid_json(&preview, l),
        "duplicates": preview.duplicates,
    })))
}

pub async fn create(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(actor): ApiActor,
    query: Result<Query<CreateQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|r| query_rejection(r, lang))?;
    let upload = read_upload(query, &headers, body, lang).await?;
    let preview = state.batches.preview(&upload.sheet, upload.columns).map_err(|e| ApiError::new(e, lang))?;
    let ApiLang(l) = lang;
    if preview.valid.is_empty() || (!preview.invalid.is_empty() && !upload.allow_invalid) {
        let message = wxacode::Message::new(
            format!("{} 行有问题，任务未创建（可修正后重新上传，或选择只生成有效行）", preview.invalid.len()),
            format!(
                "{} rows have problems; no job was created (fix them, or start with the valid rows only)",
                preview.invalid.len()
            ),
        );
        return Err(ApiError::new(AppError::Rejected { message }, lang)
            .with_detail("invalid", invalid_json(&preview, l))
            .with_detail("duplicates", json!(preview.duplicates))
            .with_detail("valid_rows", json!(preview.valid.len())));
    }
    let name = upload.name.unwrap_or_else(|| "batch".to_owned());
    let batch = state.batches.create(&name, &preview, &actor).await.map_err(|e| ApiError::new(e, lang))?;
    let body = json!({
        "success": true,
        "batch": batch_json(&batch),
        "skipped_invalid": invalid_json(&preview, l),
        "duplicates": preview.duplicates,
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Server-sent events: the job's summary whenever it changes, until it settles.
pub async fn events(
    State(state): State<AppState>,
    lang: ApiLang,
    id: BatchPath,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let id = batch_id(id, lang)?;
    let first = state.batches.get(id).await.map_err(|e| ApiError::new(e, lang))?;
    let updates = stream::unfold(Some((state, first, true)), move |step| async move {
        let (state, previous, first_event) = step?;
        let mut current = previous.clone();
        if !first_event {
            loop {
                tokio::time::sleep(EVENT_POLL).await;
                current = state.batches.get(id).await.ok()?;
                if current != previous {
                    break;
                }
            }
        }
        let event = Event::default().event("progress").json_data(batch_json(&current)).ok()?;
        let next = (!current.status.is_settled()).then_some((state, current, false));
        Some((Ok(event), next))
    });
    Ok(Sse::new(updates).keep_alive(KeepAlive::default()))
}

/// How often a progress stream looks for changes.
const EVENT_POLL: std::time::Duration = std::time::Duration::from_millis(300);

pub async fn list(State(state): State<AppState>, lang: ApiLang) -> Result<Json<Value>, ApiError> {
    let batches = state.batches.list().await.map_err(|e| ApiError::new(e, lang))?;
    Ok(Json(json!({ "success": true, "batches": batches.iter().map(batch_json).collect::<Vec<_>>() })))
}

type BatchPath = Result<Path<i64>, PathRejection>;

fn batch_id(path: BatchPath, lang: ApiLang) -> Result<i64, ApiError> {
    path.map(|Path(id)| id).map_err(|r| path_rejection(r, lang))
}

fn batch_answer(result: Result<BatchSummary, AppError>, lang: ApiLang) -> Result<Json<Value>, ApiError> {
    let batch = result.map_err(|e| ApiError::new(e, lang))?;
    Ok(Json(json!({ "success": true, "batch": batch_json(&batch) })))
}

pub async fn show(
    State(state): State<AppState>,
    lang: ApiLang,
    id: BatchPath,
) -> Result<Json<Value>, ApiError> {
    batch_answer(state.batches.get(batch_id(id, lang)?).await, lang)
}

pub async fn pause(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(actor): ApiActor,
    id: BatchPath,
) -> Result<Json<Value>, ApiError> {
    batch_answer(state.batches.pause(batch_id(id, lang)?, &actor).await, lang)
}

pub async fn resume(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(actor): ApiActor,
    id: BatchPath,
) -> Result<Json<Value>, ApiError> {
    batch_answer(state.batches.resume(batch_id(id, lang)?, &actor).await, lang)
}

pub async fn cancel(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(actor): ApiActor,
    id: BatchPath,
) -> Result<Json<Value>, ApiError> {
    batch_answer(state.batches.cancel(batch_id(id, lang)?, &actor).await, lang)
}

pub async fn zip(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(actor): ApiActor,
    id: BatchPath,
) -> Result<Response, ApiError> {
    let id = batch_id(id, lang)?;
    let bytes =
        state.batches.archive(id, &state.instance, &actor).await.map_err(|e| ApiError::new(e, lang))?;
    Ok(download("application/zip", &format!("wxacode-batch-{id}.zip"), bytes))
}

pub async fn failed_csv(
    State(state): State<AppState>,
    lang: ApiLang,
    id: BatchPath,
) -> Result<Response, ApiError> {
    let id = batch_id(id, lang)?;
    let bytes = state.batches.failed_rows_csv(id).await.map_err(|e| ApiError::new(e, lang))?;
    Ok(download("text/csv; charset=utf-8", &format!("wxacode-batch-{id}-failed.csv"), bytes))
}

pub fn batch_json(batch: &BatchSummary) -> Value {
    json!({
        "id": batch.id,
        "name": batch.name,
        "status": batch.status,
        "total": batch.total,
        "done": batch.done,
        "failed": batch.failed,
        "pending": batch.pending,
        "created_at": batch.created_at,
        "finished_at": batch.finished_at,
        "rate_per_minute": batch.rate_per_minute,
        "eta_seconds": batch.eta_seconds,
        "zip_url": format!("/api/batches/{}/zip", batch.id),
        "failed_csv_url": format!("/api/batches/{}/failed.csv", batch.id),
    })
}

fn invalid_json(preview: &Preview, lang: Lang) -> Value {
    preview
        .invalid
        .iter()
        .map(|row| {
            json!({
                "row": row.row,
                "scene": row.scene,
                "problems": row.problems.iter().map(|p| json!({
                    "field": p.field, "code": p.code, "message": p.message.get(lang),
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// JSON rows become a sheet with canonical headers, so both paths share one reader.
fn json_sheet(rows: Vec<serde_json::Map<String, Value>>) -> Sheet {
    let headers: Vec<String> = Column::ALL.iter().map(|c| c.name().to_owned()).collect();
    let rows = rows
        .into_iter()
        .map(|row| {
            Column::ALL
                .iter()
                .map(|column| match row.get(column.name()).or_else(|| row.get(json_key(*column))) {
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
                .collect()
        })
        .collect();
    Sheet { headers, rows }
}

/// The JSON field name of a column (the REST API's snake_case).
fn json_key(column: Column) -> &'static str {
    match column {
        Column::EnvVersion => "env_version",
        Column::CheckPath => "check_path",
        Column::AutoColor => "auto_color",
        Column::LineColor => "line_color",
        Column::IsHyaline => "is_hyaline",
        other => other.name(),
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

fn too_large(lang: ApiLang) -> ApiError {
    sheet_error(SheetError::TooLarge { bytes: MAX_UPLOAD_BYTES + 1 }, lang)
}

fn sheet_error(error: SheetError, lang: ApiLang) -> ApiError {
    let message = error.message();
    let app_error = match error {
        SheetError::TooLarge { .. } => AppError::TooLarge { message },
        _ => AppError::Rejected { message },
    };
    ApiError::new(app_error, lang)
}
