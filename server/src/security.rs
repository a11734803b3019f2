//! Security headers. Pages get a Content-Security-Policy whose script nonce is
//! the one Leptos puts on its own inline (hydration and streaming) scripts;
//! every response gets the headers that stop sniffing, framing and referrer leaks.

use axum::http::header::{
    HeaderName, HeaderValue, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::Router;
use leptos::prelude::use_context;
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy of a rendered page. `'wasm-unsafe-eval'` lets the app's own wasm
/// compile; inline style attributes (colour swatches) need `'unsafe-inline'` for styles.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Called in the context of each page render: sets the page's CSP with its nonce.
pub fn provide_page_policy() {
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

/// Adds the headers every response carries, unless a handler set its own.
pub fn with_response_headers(router: Router) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(header(X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(X_FRAME_OPTIONS, "DENY"))
        // Share links carry their token in the path: never hand it to other sites.
        .layer(header(REFERRER_POLICY, "same-origin"))
}

#[cfg(test)]
mod tests {
    use super::page_policy;

    #[test]
    fn the_policy_allows_only_this_nonce_and_no_framing() {
        let policy = page_policy("abc");
        assert!(policy.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'"));
    }
}
