//! `GET /api/codes/archive?ids=3,2,1`: the chosen codes as one ZIP with a manifest.
//! A GET so the dashboard can offer it as a plain download link.

use app::backend::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::api_error::{query_rejection, ApiActor, ApiError, ApiLang};
use super::codes::download;

#[derive(Deserialize)]
pub struct ArchiveQuery {
    /// Comma-separated code ids, in the order the files should appear.
    #[serde(default)]
    ids: String,
}

pub async fn archive(
    State(state): State<AppState>,
    lang: ApiLang,
    ApiActor(actor): ApiActor,
    query: Result<Query<ArchiveQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|r| query_rejection(r, lang))?;
    let ids = parse_ids(&query.ids).map_err(|detail| ApiError::malformed(detail, lang))?;
    let zip = state.codes.archive(&ids, &state.instance, &actor).await.map_err(|e| ApiError::new(e, lang))?;
    let name = format!("wxacode-{}-{}.zip", chrono::Utc::now().format("%Y%m%d-%H%M%S"), ids.len());
    Ok(download("application/zip", &name, zip))
}

fn parse_ids(raw: &str) -> Result<Vec<i64>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<i64>().map_err(|_| format!("ids must be code ids separated by commas, not {part:?}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parse_ids;

    #[test]
    fn ids_are_comma_separated_and_blanks_are_ignored() {
        assert_eq!(parse_ids("3, 2,,1,"), Ok(vec![3, 2, 1]));
        assert_eq!(parse_ids(""), Ok(vec![]));
        assert!(parse_ids("1,x").unwrap_err().contains("\"x\""));
    }
}
