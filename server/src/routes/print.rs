//! `/api/print…`: label sheets as PDF.

use app::backend::AppState;
use app::models::print::PrintSourceInput;
use axum::extract::State;
use axum::response::Response;
use wxacode::sheet_request::SheetInput;

use super::api_error::{ApiActor, ApiError, ApiQuery};
use super::docs::PrintErrors;
use super::files::download;

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
    let part = source.part();
    let source = source.source()?;
    let (pdf, name) = state.print.sheet(&source, part, &input, &actor).await?;
    Ok(download("application/pdf", &name, pdf))
}
