//! Files the API hands out (stored images with validators, generated ZIPs and CSVs, and the
//! `Content-Disposition` that names them in any language) and takes (uploads, within a limit).

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::IntoParams;

use app::backend::actor::Actor;
use app::backend::settings::FileNamer;
use app::backend::AppState;
use app::error::AppError;
use app::models::codes::CodeSummary;

/// How a download is named: by the team's template (`GET /api/settings`) unless one is given.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NamingParams {
    /// The IANA time zone the name's `{date}` is counted in (default UTC).
    pub tz: Option<String>,
    /// A template for this download instead of the team's, e.g. `{label}_{id}`.
    pub name_template: Option<String>,
}

impl NamingParams {
    pub async fn namer(&self, state: &AppState, actor: &Actor) -> Result<FileNamer, AppError> {
        state.settings.namer(self.tz.as_deref(), self.name_template.as_deref(), actor).await
    }
}

/// The image with validators. A stored image never changes, but its name follows the team's
/// template: the ETag is the image's sha256 and its name's, so a renamed file is sent again.
pub fn image_response(
    code: &CodeSummary,
    bytes: Vec<u8>,
    request_headers: &HeaderMap,
    cache_control: &'static str,
    (kind, file_name): (&str, &str),
) -> Response {
    let mut headers = HeaderMap::new();
    let name_digest = hex::encode(&Sha256::digest(file_name.as_bytes())[..6]);
    // Hex digests in quotes are always a valid header value.
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{}-{name_digest}\"", code.sha256)) {
        if request_headers.get(header::IF_NONE_MATCH) == Some(&etag) {
            headers.insert(header::ETAG, etag);
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(code.image_type.mime()));
    headers.insert(header::CONTENT_DISPOSITION, content_disposition(kind, file_name));
    (headers, bytes).into_response()
}

/// A generated file (ZIP, CSV) as a download that caches must not keep.
pub fn download(content_type: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, content_disposition("attachment", name)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response()
}

/// `attachment; filename="ascii"; filename*=UTF-8''…`: Chinese labels survive in every browser.
pub fn content_disposition(kind: &str, file_name: &str) -> HeaderValue {
    let ascii: String =
        file_name.chars().map(|c| if c.is_ascii_graphic() && c != '"' { c } else { '_' }).collect();
    let value = if ascii == file_name {
        format!("{kind}; filename=\"{ascii}\"")
    } else {
        let encoded = percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
        format!("{kind}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// The body if it holds at most `limit` bytes. A longer one is still read to its
/// end (and dropped; the server's body ceiling bounds it) so that the client,
/// still sending, receives the 413 and its explanation rather than a reset
/// connection.
pub async fn read_at_most(body: Body, limit: usize) -> Option<Vec<u8>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_file_names_are_given_as_they_are() {
        let value = content_disposition("attachment", "wxacode-id_1.jpg");
        assert_eq!(value.to_str().unwrap(), "attachment; filename=\"wxacode-id_1.jpg\"");
    }

    #[test]
    fn non_ascii_file_names_get_an_ascii_fallback_and_an_encoded_original() {
        let value = content_disposition("attachment", "wxacode-上海-a.png");
        assert_eq!(
            value.to_str().unwrap(),
            "attachment; filename=\"wxacode-__-a.png\"; filename*=UTF-8''wxacode%2D%E4%B8%8A%E6%B5%B7%2Da%2Epng"
        );
    }
}
