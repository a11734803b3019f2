//! One WeChat client per mini program: its own token cache and single-flight, its own
//! code and link limiters (WeChat counts per AppID), so apps never slow each other.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::SecretString;
use url::Url;
use wxacode::client::Budget;
use wxacode::{WeChatClient, WeChatConfig};

use crate::backend::budget;
use crate::backend::db::Db;
use crate::error::AppError;

/// How every app's client reaches WeChat.
#[derive(Clone, Debug)]
pub struct WeChatSetup {
    pub api_base: Url,
    /// The built-in simulator, which serves sandbox apps.
    pub sandbox_base: Url,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Code calls per minute, per app.
    pub calls_per_minute: NonZeroU32,
}

impl WeChatSetup {
    /// A client for `appid`, paced through the database when replicas share it.
    pub fn client(
        &self,
        db: &Db,
        appid: &str,
        secret: SecretString,
        sandbox: bool,
    ) -> Result<WeChatClient, AppError> {
        let base = if sandbox { self.sandbox_base.clone() } else { self.api_base.clone() };
        let config = WeChatConfig {
            timeout: self.timeout,
            connect_timeout: self.connect_timeout.min(self.timeout),
            calls_per_minute: self.calls_per_minute,
            ..WeChatConfig::new(base, appid, secret)
        };
        let client = WeChatClient::new(config).map_err(AppError::from)?;
        let codes = Budget::per_minute(self.calls_per_minute);
        Ok(match budget::shared_pacers(db, appid, codes, WeChatClient::link_budget()) {
            Some((codes, links)) => client.paced_by(codes, links),
            None => client,
        })
    }
}

/// Built clients by AppID, each with the secret version it was built from.
#[derive(Default)]
pub struct ClientCache {
    by_app: Mutex<HashMap<String, (i64, Arc<WeChatClient>)>>,
}

impl ClientCache {
    /// The client built from `version` of the app's secret, if it is the one cached.
    pub fn get(&self, appid: &str, version: i64) -> Option<Arc<WeChatClient>> {
        let cached = self.lock();
        cached.get(appid).filter(|(v, _)| *v == version).map(|(_, client)| Arc::clone(client))
    }

    pub fn put(&self, appid: &str, version: i64, client: Arc<WeChatClient>) {
        self.lock().insert(appid.to_owned(), (version, client));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (i64, Arc<WeChatClient>)>> {
        // A panic elsewhere while holding it leaves a usable map.
        self.by_app.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
