//! Everything a request handler or server function needs, built once at start-up.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::accounts::AccountService;
use super::apps::AppService;
use super::audit::AuditService;
use super::batches::BatchService;
use super::brand::BrandService;
use super::codes::CodeService;
use super::health::Health;
use super::links::LinkService;
use super::living::LivingService;
use super::print::PrintService;
use super::settings::SettingsService;
use crate::models::instance::InstanceInfo;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub codes: Arc<CodeService>,
    pub apps: Arc<AppService>,
    pub batches: Arc<BatchService>,
    pub living: Arc<LivingService>,
    pub links: Arc<LinkService>,
    pub print: Arc<PrintService>,
    pub brand: Arc<BrandService>,
    pub settings: Arc<SettingsService>,
    pub accounts: Arc<AccountService>,
    pub audit: Arc<AuditService>,
    pub health: Arc<Health>,
    pub instance: InstanceInfo,
}
