//! Everything a request handler or server function needs, built once at start-up.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::SqlitePool;

use super::accounts::AccountService;
use super::batch::BatchService;
use super::CodeService;
use crate::models::InstanceInfo;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub codes: Arc<CodeService>,
    pub batches: Arc<BatchService>,
    pub accounts: Arc<AccountService>,
    pub instance: InstanceInfo,
}

impl AppState {
    pub fn share_url(&self, share_token: &str) -> String {
        self.instance.share_url(share_token)
    }
}
