//! The team's settings: today the template downloads and ZIP entries are named by.

use serde::{Deserialize, Serialize};

/// The team's settings, as the API and the settings page show them.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSettings {
    /// How downloaded images and ZIP entries are named, e.g. `{label}_{scene}_{id}`. Fields:
    /// `{label}`, `{scene}`, `{id}`, `{page}`, `{date}` (the day it was generated), `{app}` (the
    /// mini program's name). Unsafe characters become `_`; clashes in a ZIP are numbered.
    pub name_template: String,
    /// The template in use while none is set.
    pub default_name_template: String,
    /// Who last changed the settings (email or "API key: name"); empty while they are the defaults.
    pub updated_by: String,
    /// When they were last changed (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// A change of the team's settings (admins).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamSettingsInput {
    /// The new naming template; see [`TeamSettings::name_template`].
    pub name_template: String,
}
