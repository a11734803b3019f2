//! Everything a request handler or server function needs, built once at start-up.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::SqlitePool;
use url::Url;

use super::CodeService;
use crate::models::InstanceInfo;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub codes: Arc<CodeService>,
    pub instance: InstanceInfo,
    /// Base of links handed out (share links), e.g. `https://codes.example.com/`.
    pub public_url: Url,
}

impl AppState {
    pub fn share_url(&self, share_token: &str) -> String {
        let base = self.public_url.as_str().trim_end_matches('/');
        format!("{base}/s/{share_token}")
    }
}
