//! Server functions: thin wrappers that take state from context and call the
//! backend service, so the logic is testable without Leptos.

use leptos::prelude::*;
use wxacode::CodeRequestInput;

use crate::error::AppError;
use crate::models::{GeneratedCode, InstanceInfo};

#[cfg(feature = "ssr")]
mod ssr {
    use leptos::prelude::*;

    use crate::backend::AppState;
    use crate::error::AppError;

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            AppError::Internal
        })
    }

    /// Gives the HTTP response the error's status, so failures are visible in logs and tools.
    pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
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

/// Generates (or reuses) the code for `input`; `force` always asks WeChat.
#[server(prefix = "/rpc", input = server_fn::codec::Json)]
pub async fn generate_code(
    input: CodeRequestInput,
    force: bool,
) -> Result<GeneratedCode, AppError> {
    ssr::with_status(
        async {
            let request = wxacode::CodeRequest::parse(&input)
                .map_err(|problems| AppError::Invalid { problems })?;
            ssr::state()?.codes.generate(&request, force).await
        }
        .await,
    )
}

/// Whether this instance runs against the simulator, and for which AppID.
#[server(prefix = "/rpc")]
pub async fn get_instance_info() -> Result<InstanceInfo, AppError> {
    Ok(ssr::state()?.instance)
}
