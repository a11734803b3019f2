//! The audit trail: who generated, downloaded in bulk, shared, revoked, deleted,
//! restored, signed in (or failed to), and what happened to batch jobs, accounts
//! and API keys.

mod service;
mod store;

pub use crate::models::audit::{AuditAction as Action, AuditEvent, AuditPage};
pub use service::{AuditService, Subject};
pub use store::Filter;
