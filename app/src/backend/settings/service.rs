//! Settings' one public face: the team's settings, read by anyone signed in and changed by
//! admins, and the [`FileNamer`] they give downloads and ZIPs.

use std::sync::Arc;

use wxacode::file_name::{NameTemplate, DEFAULT_TEMPLATE};
use wxacode::Permission;

use super::namer::FileNamer;
use super::store::{self, NAME_TEMPLATE};
use crate::backend::actor::Actor;
use crate::backend::apps::AppService;
use crate::backend::audit::{Action, AuditService, Subject};
use crate::backend::db::Db;
use crate::backend::zone::time_zone;
use crate::error::AppError;
use crate::models::settings::{TeamSettings, TeamSettingsInput};

pub struct SettingsService {
    pool: Db,
    apps: Arc<AppService>,
    audit: Arc<AuditService>,
}

impl SettingsService {
    pub fn new(pool: Db, apps: Arc<AppService>, audit: Arc<AuditService>) -> Self {
        Self { pool, apps, audit }
    }

    /// The team's settings; anyone signed in may read them.
    pub async fn team(&self, actor: &Actor) -> Result<TeamSettings, AppError> {
        if actor.role.is_none() {
            return Err(AppError::Unauthorized);
        }
        let stored = store::get(&self.pool, NAME_TEMPLATE).await?;
        Ok(match stored {
            Some(setting) => TeamSettings {
                name_template: setting.value,
                default_name_template: DEFAULT_TEMPLATE.to_owned(),
                updated_by: setting.updated_by,
                updated_at: Some(setting.updated_at),
            },
            None => TeamSettings {
                name_template: DEFAULT_TEMPLATE.to_owned(),
                default_name_template: DEFAULT_TEMPLATE.to_owned(),
                updated_by: String::new(),
                updated_at: None,
            },
        })
    }

    /// Changes the team's settings (admins); a template is stored as the core reads it back.
    pub async fn set_team(&self, input: &TeamSettingsInput, actor: &Actor) -> Result<TeamSettings, AppError> {
        actor.require(Permission::Administer)?;
        let template = NameTemplate::parse(&input.name_template)
            .map_err(|problem| AppError::Invalid { problems: vec![problem] })?
            .as_string();
        let before = self.template().await?.as_string();
        if template != before {
            store::put(&self.pool, NAME_TEMPLATE, &template, &actor.name).await?;
            let detail = format!("name_template: {before} → {template}");
            self.audit.record(actor, Action::SettingsChange, Subject::default().detail(detail)).await;
        }
        self.team(actor).await
    }

    /// Names files by `template` (when a request brings its own) or the team's, with `{date}`
    /// as a clock in `zone` shows it (UTC when none).
    pub async fn namer(
        &self,
        zone: Option<&str>,
        template: Option<&str>,
        actor: &Actor,
    ) -> Result<FileNamer, AppError> {
        if actor.role.is_none() {
            return Err(AppError::Unauthorized);
        }
        let zone = time_zone(zone)?;
        let template = match template.map(str::trim).filter(|t| !t.is_empty()) {
            Some(raw) => {
                NameTemplate::parse(raw).map_err(|problem| AppError::Invalid { problems: vec![problem] })?
            }
            None => self.template().await?,
        };
        Ok(FileNamer::new(template, zone, &self.apps.all().await?))
    }

    /// Names files anyone holding a share link may download (UTC dates).
    pub async fn public_namer(&self) -> Result<FileNamer, AppError> {
        Ok(FileNamer::new(self.template().await?, chrono_tz::Tz::UTC, &self.apps.all().await?))
    }

    /// The team's template; one stored by an older release and no longer readable gives way to
    /// the default rather than failing every download.
    async fn template(&self) -> Result<NameTemplate, AppError> {
        let stored = store::get(&self.pool, NAME_TEMPLATE).await?;
        Ok(stored.and_then(|setting| NameTemplate::parse(&setting.value).ok()).unwrap_or_default())
    }
}
