//! The audit trail (admins).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::context::{state, with_status};
use crate::error::AppError;
use crate::models::audit::AuditPage;

pub const AUDIT_PAGE_SIZE: u32 = 50;

/// One page of the audit trail, newest first; `action` keeps one kind of event, `actor` one account
/// or key, `app` one mini program.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn list_audit(
    action: Option<String>,
    actor: Option<String>,
    app: Option<String>,
    before: Option<i64>,
) -> Result<AuditPage, AppError> {
    use crate::backend::audit::{Action, Filter};
    let filter = Filter { action: action.as_deref().and_then(Action::parse), code_id: None, actor, app };
    with_status(state()?.audit.page(&super::context::actor(), &filter, before, AUDIT_PAGE_SIZE).await)
}
