//! `/api/print…`: label sheets as PDF.

use app::backend::AppState;
use app::models::print::PrintSourceInput;
use axum::extract::State;
use axum::response::Response;
use utoipa::IntoResponses;
use wxacode::sheet_request::SheetInput;

use super::api_error::{ApiActor, ApiError, ApiQuery};
use super::files::download;
use app::models::errors::ErrorBody;

/// Failures of a label sheet.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "describes answers for the document; handlers fail through ApiError")]
pub enum PrintErrors {
    /// The sheet breaks a rule (every problem is listed in `problems`: unknown sheet, cells too
    /// small to scan, start cell or copies out of range, unknown or too many lines), no or more
    /// than one source, or more than 500 codes or 2000 labels.
    #[response(status = 400)]
    Invalid(ErrorBody),
    /// No key (or a wrong or revoked one), and no live session.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// A code or job that does not exist (or of an app the key may not use), or a label no live
    /// code carries.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// The server has no print font (`WXACODE_PRINT_FONT`).
    #[response(status = 503)]
    Unavailable(ErrorBody),
}

/// A label sheet (A4 PDF): the codes of a selection (`ids`), a batch job (`batch`) or a campaign
/// (`label`), each in its cell with up to three lines of text that shrink to fit, from a starting
/// cell, in copies, with optional cut marks. Chinese text is embedded (a subset of Noto Sans CJK),
/// so it prints anywhere and can be searched and copied. A GET, so a page can offer it as a link.
#[utoipa::path(operation_id = "download_label_sheet", get, path = "/api/print/sheet", tag = "print",
    params(PrintSourceInput, SheetInput),
    responses((status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>), PrintErrors))]
pub async fn sheet(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(source): ApiQuery<PrintSourceInput>,
    ApiQuery(input): ApiQuery<SheetInput>,
) -> Result<Response, ApiError> {
    let source = source.source()?;
    let (pdf, name) = state.print.sheet(&source, &input, &actor).await?;
    Ok(download("application/pdf", &name, pdf))
}
