//! Who is asking, for every request: an API key (`Authorization: Bearer`) or a
//! session cookie. The principal found goes into the request's extensions, where
//! handlers and server functions read it; roles are checked by the services.
//! Requests without one get the sign-in page (pages) or 401 JSON (API, server
//! functions), except the few public paths. Cookie-borne writes must come from
//! this site's own pages (the `Origin` check), which with SameSite=Lax cookies
//! makes cross-site request forgery fail.

use app::backend::accounts::cookie::session_token;
use app::backend::actor::Principal;
use app::backend::AppState;
use app::error::AppError;
use app::urls;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;

use crate::routes::ApiError;

/// What a path is, for deciding how to answer a request without a principal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Area {
    /// Open to everyone: sign-in, setup, share links, health, static assets.
    Public,
    Api,
    ServerFunction,
    Page,
}

fn area(path: &str) -> Area {
    let rpc = path.strip_prefix(urls::RPC_PREFIX).and_then(|rest| rest.strip_prefix('/'));
    let public = [urls::LOGIN, urls::SETUP, urls::API_HEALTH, urls::API_READY, urls::API_OPENAPI]
        .contains(&path)
        || urls::FAVICONS.contains(&path)
        || path == urls::API_DOCS
        || path.starts_with(&format!("{}/", urls::API_DOCS))
        || path.starts_with(urls::SHARE_PREFIX)
        || path.starts_with(urls::JUMP_PREFIX)
        || path.starts_with(urls::RESOLVE_PREFIX)
        || path.starts_with(urls::ASSETS_PREFIX)
        || rpc.is_some_and(|name| urls::PUBLIC_SERVER_FUNCTIONS.contains(&name));
    if public {
        Area::Public
    } else if path.starts_with(urls::API_PREFIX) {
        Area::Api
    } else if rpc.is_some() {
        Area::ServerFunction
    } else {
        Area::Page
    }
}

pub async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let headers = request.headers();
    let bearer = bearer_token(headers);
    let session = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).and_then(session_token);
    let path_area = area(request.uri().path());
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // Browsers attach cookies on their own, so a write that relies on one (or signs in)
    // must come from this site's pages. A key is never attached on its own: no check.
    let cookie_borne = bearer.is_none() && (session.is_some() || path_area != Area::Api);
    if writes && cookie_borne && !from_own_site(headers) {
        tracing::warn!(path = request.uri().path(), "refused a cross-site write");
        let refusal = AppError::forbidden(
            "请求来源不是本站页面，已拒绝（跨站请求保护）",
            "Refused: the request did not come from this site's pages (cross-site request protection)",
        );
        return ApiError::from(refusal).into_response();
    }
    let principal = match (bearer, session) {
        (Some(key), _) => state.accounts.key_principal(key).await,
        (None, Some(token)) => state.accounts.session_principal(&token).await,
        (None, None) => Ok(None),
    };
    // Which mini programs it may use: kept apart from accounts and keys, in the apps domain.
    let principal = match principal {
        Ok(Some(mut principal)) => match state.apps.scope(&principal.subject).await {
            Ok(apps) => {
                principal.apps = apps;
                Ok(Some(principal))
            }
            Err(error) => Err(error),
        },
        other => other,
    };
    let principal = match principal {
        Ok(principal) => principal,
        Err(error) => return ApiError::from(error).into_response(),
    };
    match principal {
        // Someone signed in has no business on the sign-in page: on to where they were going.
        Some(_) if request.uri().path() == urls::LOGIN && !writes => {
            let next = request.uri().query().and_then(|q| {
                form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "next").map(|(_, v)| v.into_owned())
            });
            Redirect::to(&urls::local_path(next)).into_response()
        }
        Some(principal) => {
            request.extensions_mut().insert::<Principal>(principal);
            let mut response = next.run(request).await;
            // What a signed-in person sees must not outlive the session in a shared browser's
            // caches or back/forward cache; handlers that know better (images) set their own.
            if path_area != Area::Public {
                response
                    .headers_mut()
                    .entry(header::CACHE_CONTROL)
                    .or_insert(HeaderValue::from_static("no-store"));
            }
            response
        }
        None => match path_area {
            Area::Public => next.run(request).await,
            Area::Api => ApiError::from(AppError::Unauthorized).into_response(),
            // The server-function client decodes `AppError` itself.
            Area::ServerFunction => (StatusCode::UNAUTHORIZED, Json(AppError::Unauthorized)).into_response(),
            Area::Page => sign_in_redirect(&request),
        },
    }
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Whether a write came from a page of this site: its `Origin` names the host it was sent to.
fn from_own_site(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match (host, origin) {
        (Some(host), Some(origin)) => {
            origin.split_once("://").is_some_and(|(_, origin_host)| origin_host.eq_ignore_ascii_case(host))
        }
        _ => false,
    }
}

/// To the sign-in page, which brings the person back here afterwards.
fn sign_in_redirect(request: &Request) -> Response {
    let back = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
    Redirect::to(&urls::sign_in(back)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn only_the_sign_in_path_share_links_health_and_assets_are_public() {
        for path in [
            "/login",
            "/setup",
            "/s/abc",
            "/s/abc.png",
            "/go/abc",
            "/api/r/k=abcd1234",
            "/api/health",
            "/api/health/ready",
            "/api/openapi.json",
            "/api/docs",
            "/api/docs/index.css",
            "/pkg/wxacode.wasm",
            "/rpc/sign_in",
        ] {
            assert_eq!(area(path), Area::Public, "{path}");
        }
        assert_eq!(area("/"), Area::Page);
        assert_eq!(area("/history"), Area::Page);
        assert_eq!(area("/api/codes"), Area::Api);
        assert_eq!(area("/rpc/list_codes123"), Area::ServerFunction);
        assert_eq!(area("/rpc/sign_in_extra"), Area::ServerFunction);
        assert_eq!(area("/api/docsx"), Area::Api);
    }

    #[test]
    fn a_write_must_name_this_host_as_its_origin() {
        let headers = |origin: Option<&'static str>| {
            let mut headers = HeaderMap::new();
            headers.insert(header::HOST, HeaderValue::from_static("codes.example.com"));
            if let Some(origin) = origin {
                headers.insert(header::ORIGIN, HeaderValue::from_static(origin));
            }
            headers
        };
        assert!(from_own_site(&headers(Some("https://codes.example.com"))));
        assert!(!from_own_site(&headers(Some("https://evil.example"))));
        assert!(!from_own_site(&headers(Some("https://codes.example.com.evil.example"))));
        assert!(!from_own_site(&headers(None)));
    }

    #[test]
    fn bearer_tokens_are_read_case_insensitively() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer wxa_abc"));
        assert_eq!(bearer_token(&headers), Some("wxa_abc"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic xyz"));
        assert_eq!(bearer_token(&headers), None);
    }
}
