//! The REST API under `/api`, compatible with the original design's clients.

mod api_error;
mod archive;
mod audit;
mod batches;
mod codes;
mod health;
mod qrcode;
pub mod share;

use app::backend::AppState;
use axum::routing::{get, post};
use axum::Router;

pub use api_error::{ApiError, ApiLang};

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/api/health", get(health::health))
        .route("/api/audit", get(audit::list))
        .route("/api/qrcode", post(qrcode::generate))
        .route("/api/codes", get(codes::list))
        .route("/api/codes/archive", get(archive::archive))
        .route("/api/codes/{id}", get(codes::show).delete(codes::delete))
        .route("/api/codes/{id}/restore", post(codes::restore))
        .route("/api/codes/{id}/share", post(codes::reissue_share).delete(codes::revoke_share))
        .route("/api/codes/{id}/share/expiry", axum::routing::put(codes::set_share_expiry))
        .route("/api/codes/{id}/image", get(codes::image))
        .route(
            "/api/batches",
            post(batches::create).get(batches::list).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/api/batches/preview",
            post(batches::preview).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/api/batches/{id}", get(batches::show))
        .route("/api/batches/{id}/events", get(batches::events))
        .route("/api/batches/{id}/pause", post(batches::pause))
        .route("/api/batches/{id}/resume", post(batches::resume))
        .route("/api/batches/{id}/cancel", post(batches::cancel))
        .route("/api/batches/{id}/zip", get(batches::zip))
        .route("/api/batches/{id}/failed.csv", get(batches::failed_csv))
        .route("/api/{*rest}", axum::routing::any(api_error::unknown_endpoint))
}
