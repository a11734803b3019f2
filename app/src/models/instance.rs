//! Facts about the running instance that pages show.

use serde::{Deserialize, Serialize};

/// Whether this instance runs against the simulator, for which AppID, and where share links point.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceInfo {
    pub sandbox: bool,
    pub appid: String,
    /// Base of share links, e.g. `https://codes.example.com` (no trailing slash).
    pub public_url: String,
    /// The page every living code's image opens; it resolves the code's key.
    #[serde(default)]
    pub landing_page: String,
}

impl InstanceInfo {
    pub fn share_url(&self, share_token: &str) -> String {
        crate::urls::share_url(&self.public_url, share_token)
    }
}
