//! Accounts and API keys as the pages see them.

use serde::{Deserialize, Serialize};
use wxacode::{Permission, Role};

/// Where setting up the first admin stands, as the setup page should say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SetupStage {
    /// An admin exists: sign in instead.
    Done,
    /// No account yet, and the link is the valid one: show the form.
    Ready,
    /// No account yet, but no link or not the current one (each start prints a new one).
    NeedsLink,
}

/// The signed-in account (or API key) as the UI needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub email: String,
    pub role: Role,
}

impl CurrentUser {
    pub fn can(&self, permission: Permission) -> bool {
        self.role.can(permission)
    }
}

/// An account as the users page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    pub role: RoleName,
    pub created_at: String,
    pub last_sign_in: Option<String>,
    pub disabled_at: Option<String>,
}

#[cfg(feature = "ssr")]
crate::backend::row::from_row!(UserSummary {
    id,
    email,
    role: String,
    created_at,
    last_sign_in,
    disabled_at
});

/// An API key as the keys page lists it; the key itself is never stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeySummary {
    pub id: i64,
    pub name: String,
    /// The key's first characters, to tell keys apart.
    pub prefix: String,
    pub role: RoleName,
    pub created_by: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

#[cfg(feature = "ssr")]
crate::backend::row::from_row!(ApiKeySummary {
    id,
    name,
    prefix,
    role: String,
    created_by,
    created_at,
    last_used_at,
    revoked_at
});

/// A key just created: the only time its secret is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub key: ApiKeySummary,
    pub secret: String,
}

/// A stored role; reading an unknown one from the database is an error, not a guess.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoleName(pub Role);

impl TryFrom<String> for RoleName {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Role::parse(&value).map(RoleName).ok_or_else(|| format!("unknown role {value:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_from_their_stored_name() {
        assert_eq!(RoleName::try_from(Role::Viewer.as_str().to_owned()), Ok(RoleName(Role::Viewer)));
        assert!(RoleName::try_from("root".to_owned()).is_err());
    }
}
