//! Several mini programs in one dashboard: the app from the environment and the ones admins
//! add (AppSecrets sealed at rest), per-app WeChat clients, and who may use which app.

mod clients;
pub mod secret_key;
pub mod service;
mod store;

pub use clients::WeChatSetup;
pub use secret_key::{KeyError, SecretKey};
pub use service::{AppService, AppsStartError, DefaultApp, UsableApp};
