//! The client's address behind a reverse proxy. Only the proxy's own entry in
//! `X-Forwarded-For` (the last one) can be trusted: earlier ones come from the
//! client and could name anyone, which would let an attacker dodge the
//! per-address sign-in throttle.

use app::backend::actor::ClientIp;
use axum::extract::Request;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

pub async fn from_forwarded_for(mut request: Request, next: Next) -> Response {
    if let Some(ip) = last_forwarded_for(request.headers()) {
        request.extensions_mut().insert(ClientIp(ip));
    }
    next.run(request).await
}

fn last_forwarded_for(headers: &HeaderMap) -> Option<String> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?.to_str().ok()?;
    let ip = last.rsplit(',').next()?.trim();
    ip.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_proxys_own_entry_is_the_client() {
        let mut headers = HeaderMap::new();
        assert_eq!(last_forwarded_for(&headers), None);
        headers.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.7"));
        assert_eq!(last_forwarded_for(&headers).as_deref(), Some("203.0.113.7"));
        headers.append("x-forwarded-for", HeaderValue::from_static("2001:db8::1"));
        assert_eq!(last_forwarded_for(&headers).as_deref(), Some("2001:db8::1"));
        headers.insert("x-forwarded-for", HeaderValue::from_static("not an address"));
        assert_eq!(last_forwarded_for(&headers), None);
    }
}
