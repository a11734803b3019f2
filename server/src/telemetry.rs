//! Logging setup. Secrets and access tokens are never logged: the client
//! strips URLs from transport errors and `AccessToken`'s Debug hides it.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    // A second init (tests) is harmless; the first subscriber stays.
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_target(true).try_init();
}
