//! Server functions, one file per domain: thin wrappers that take the state
//! from context and call the domain's service, so the logic is testable
//! without Leptos. Their endpoints live under [`crate::urls::RPC_PREFIX`].

pub mod accounts;
pub mod apps;
pub mod audit;
pub mod batches;
pub mod brand;
pub mod codes;
pub mod instance;
pub mod links;
pub mod living;
pub mod print;
pub mod settings;

#[cfg(feature = "ssr")]
mod context {
    use leptos::prelude::*;

    use crate::backend::actor::{Actor, Source};
    use crate::backend::AppState;
    use crate::error::AppError;

    /// The browser session asking, for permission checks and the audit trail.
    pub fn actor() -> Actor {
        match use_context::<axum::http::request::Parts>() {
            Some(parts) => Actor::from_parts(&parts, Source::Web),
            None => Actor::anonymous(Source::Web),
        }
    }

    /// Adds a `Set-Cookie` header to the server function's response.
    pub fn set_cookie(value: &str) {
        let response = use_context::<leptos_axum::ResponseOptions>();
        match (response, axum::http::HeaderValue::from_str(value)) {
            (Some(response), Ok(value)) => response.append_header(axum::http::header::SET_COOKIE, value),
            _ => tracing::error!("cannot set the session cookie"),
        }
    }

    /// Whether this call is a form the browser posted by itself (it asks for a page back).
    fn is_plain_form_post() -> bool {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(axum::http::header::ACCEPT)?
                    .to_str()
                    .ok()
                    .map(|accept| accept.contains("text/html"))
            })
            .unwrap_or(false)
    }

    /// The session token the browser sent, if any.
    pub fn session_token() -> Option<String> {
        let parts = use_context::<axum::http::request::Parts>()?;
        let header = parts.headers.get(axum::http::header::COOKIE)?.to_str().ok()?;
        crate::backend::accounts::cookie::session_token(header)
    }

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            AppError::Internal
        })
    }

    /// Gives the HTTP response the error's status, so failures are visible in logs and tools.
    /// Not to a form the browser posted before the page's script ran: server_fn answers that with
    /// a redirect back to the page, the error in its address, which a status would turn into a
    /// page of raw JSON.
    pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if is_plain_form_post() {
            return result;
        }
        if let Err(error) = &result {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                let status = axum::http::StatusCode::from_u16(error.status_code())
                    .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
                response.set_status(status);
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use leptos::server_fn::ServerFn;

    use crate::urls;

    #[test]
    fn the_public_server_functions_answer_where_the_url_map_says() {
        let paths = [
            accounts::SignIn::PATH,
            accounts::CompleteSetup::PATH,
            accounts::SetupState::PATH,
            accounts::SignOut::PATH,
            codes::GetSharedCode::PATH,
        ];
        let expected: Vec<String> =
            urls::PUBLIC_SERVER_FUNCTIONS.iter().map(|name| urls::rpc(name)).collect();
        assert_eq!(paths.to_vec(), expected);
    }

    use super::{accounts, codes};
}
