//! `/s/{token}.png`: the raw image behind a share link, for embedding and saving.
//! (`/s/{token}` itself is a Leptos page.) Runs as middleware because axum
//! routes cannot match a parameter with a suffix.

use app::backend::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api_error::{ApiError, ApiLang};
use super::codes::{content_disposition, image_response};

pub async fn share_image(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let token = match (request.method(), request.uri().path().strip_prefix("/s/")) {
        (&Method::GET | &Method::HEAD, Some(rest)) => rest.strip_suffix(".png").map(str::to_owned),
        _ => None,
    };
    let Some(token) = token.filter(|t| !t.contains('/')) else {
        return next.run(request).await;
    };
    let headers: HeaderMap = request.headers().clone();
    let lang = ApiLang(wxacode::Lang::from_accept_language(
        headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or(""),
    ));
    match state.codes.shared(&token).await {
        Ok((code, bytes)) => {
            let name = code.file_name();
            // Public, but revocable: caches must check back, which the ETag makes cheap.
            image_response(
                &code,
                bytes,
                &headers,
                "public, max-age=0, must-revalidate",
                content_disposition("inline", &name),
            )
        }
        Err(error) => ApiError::new(error, lang).into_response(),
    }
}
