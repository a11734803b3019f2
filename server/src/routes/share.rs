//! `/s/{token}.png`: the raw image behind a share link, for embedding and saving.
//! (`/s/{token}` itself is a Leptos page.) Runs as middleware because axum
//! routes cannot match a parameter with a suffix.

use app::backend::AppState;
use app::urls;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api_error::ApiError;
use super::files::image_response;
use app::error::AppError;

pub async fn share_image(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let token = match (request.method(), request.uri().path().strip_prefix(urls::SHARE_PREFIX)) {
        (&Method::GET | &Method::HEAD, Some(rest)) => rest.strip_suffix(".png").map(str::to_owned),
        _ => None,
    };
    let Some(token) = token.filter(|t| !t.contains('/')) else {
        return next.run(request).await;
    };
    let shared = async {
        let (code, bytes) = state.codes.shared(&token).await?;
        let name = state.settings.public_namer().await?.shared_file_name(&code);
        Ok::<_, AppError>((code, bytes, name))
    };
    match shared.await {
        Ok((code, bytes, name)) => {
            // Public, but revocable: caches must check back, which the ETag makes cheap.
            image_response(
                &code,
                bytes,
                request.headers(),
                "public, max-age=0, must-revalidate",
                ("inline", &name),
            )
        }
        Err(error) => ApiError::from(error).into_response(),
    }
}
