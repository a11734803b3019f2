//! How bytes travel: responses compressed (gzip or brotli, as the browser accepts),
//! and the site's `/pkg` files cached for a year when their names carry a content hash.

use axum::extract::Request;
use axum::http::header::{HeaderValue, CACHE_CONTROL};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, DefaultPredicate};

/// Compresses what compresses: not images, ZIPs or XLSX (already compressed), not
/// event streams (each event must go out at once), not tiny answers. Files precompressed
/// at build time go out as they are.
pub fn compression() -> CompressionLayer<impl Predicate> {
    let predicate = DefaultPredicate::new()
        .and(SizeAbove::new(1024))
        .and(NotForContentType::const_new("application/zip"))
        .and(NotForContentType::const_new("application/vnd.openxmlformats"));
    CompressionLayer::new().gzip(true).br(true).compress_when(predicate)
}

/// A hashed file never changes under its name; an unhashed one must be revalidated.
pub async fn cache_site_files(hashed: bool, request: Request, next: Next) -> Response {
    let is_site_file = request.uri().path().starts_with(app::urls::ASSETS_PREFIX);
    let mut response = next.run(request).await;
    if is_site_file && response.status().is_success() {
        let policy = if hashed { "public, max-age=31536000, immutable" } else { "no-cache" };
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    response
}
