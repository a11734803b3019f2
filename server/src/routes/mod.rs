//! The REST API under `/api`, compatible with the original design's clients.

mod api_error;
mod archive;
mod codes;
mod health;
mod qrcode;
pub mod share;

use app::backend::AppState;
use axum::routing::{get, post};
use axum::Router;

pub use api_error::ApiError;

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/api/health", get(health::health))
        .route("/api/qrcode", post(qrcode::generate))
        .route("/api/codes", get(codes::list))
        .route("/api/codes/archive", get(archive::archive))
        .route("/api/codes/{id}", get(codes::show).delete(codes::delete))
        .route("/api/codes/{id}/restore", post(codes::restore))
        .route("/api/codes/{id}/share", post(codes::reissue_share).delete(codes::revoke_share))
        .route("/api/codes/{id}/image", get(codes::image))
        .route("/api/{*rest}", axum::routing::any(api_error::unknown_endpoint))
}
