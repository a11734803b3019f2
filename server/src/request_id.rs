//! A request id on every log line of a request (a field of its `http` span), returned as
//! `X-Request-Id`. Behind a trusted proxy the proxy's id is kept, so its access log and ours
//! name the same request; a client's own id is never trusted, so nobody forges log lines.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName};
use axum::middleware::Next;
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps `router`, whose trace span reads [`HEADER`], in the layers that set and return it.
pub fn layer(router: Router, trust_proxy: bool) -> Router {
    router
        .layer(PropagateRequestIdLayer::new(HEADER))
        .layer(SetRequestIdLayer::new(HEADER, MakeRequestUuid))
        .layer(axum::middleware::from_fn(move |mut request: Request, next: Next| async move {
            if !(trust_proxy && has_usable_id(request.headers())) {
                request.headers_mut().remove(HEADER);
            }
            next.run(request).await
        }))
}

/// Short and plain: ids from nginx (`$request_id`, 32 hex digits), UUIDs and the like.
fn has_usable_id(headers: &HeaderMap) -> bool {
    let mut ids = headers.get_all(HEADER).iter();
    match (ids.next(), ids.next()) {
        (Some(id), None) => {
            let id = id.as_bytes();
            (1..=128).contains(&id.len())
                && id.iter().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b))
        }
        _ => false,
    }
}

/// The id of a request that went through [`layer`].
pub fn of(request: &Request) -> Option<&str> {
    request.headers().get(HEADER).and_then(|id| id.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_one_short_plain_id_is_usable() {
        let with = |ids: &[&'static str]| {
            let mut headers = HeaderMap::new();
            for id in ids {
                headers.append(HEADER, HeaderValue::from_static(id));
            }
            has_usable_id(&headers)
        };
        assert!(with(&["0f3c2a9be1d44c5f8a0b7e6d5c4b3a29"]));
        assert!(with(&["4b9e3c1a-0d2f-4e6a-9b8c-7d6e5f4a3b2c"]));
        assert!(!with(&[]));
        assert!(!with(&[""]));
        assert!(!with(&["a", "b"]), "two ids: which one?");
        assert!(!with(&["id with spaces"]));
        assert!(!with(&["x\"}, {\"forged\": 1"]));
        assert!(!with(&[&*Box::leak("a".repeat(129).into_boxed_str())]));
    }
}
