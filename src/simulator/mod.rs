//! A WeChat server simulator: the same endpoints, wire format and errcodes as
//! `api.weixin.qq.com` for the calls wxacode makes, returning real images.
//!
//! It is the sandbox behind `make run` without an AppID, the peer of every
//! integration test, and a standalone binary (`wechat-sim`). Tests steer it
//! through [`SimulatorHandle`] in-process or through `/__sim/*` over HTTP.

mod control;
mod links;
mod render;
mod routes;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use render::{drawn_for, render_code, CodeDrawing};
use state::SimState;
pub use state::{Counters, Faults};

pub const SANDBOX_APPID: &str = "wxsandbox0000000001";
pub use crate::mini_program::SANDBOX_SECRET;

#[derive(Clone, Debug)]
pub struct SimulatorConfig {
    pub appid: String,
    pub secret: String,
    /// More mini programs it knows, as (AppID, AppSecret); each has its own tokens and limits.
    pub other_apps: Vec<(String, String)>,
    /// Also knows every `wxsandbox…` AppID, with [`SANDBOX_SECRET`] (the dashboard's sandbox apps).
    pub sandbox_family: bool,
    /// Lifetime of an issued access_token (WeChat: 7200 s).
    pub token_ttl: Duration,
    /// Calls of `getwxacodeunlimit` allowed per minute before errcode 45009.
    pub rate_limit_per_minute: u32,
    /// Calls allowed at once before the steady rate applies; `None`: a whole minute's worth.
    pub rate_limit_burst: Option<u32>,
    /// Pages of the "published" mini program, checked when check_path is true.
    pub published_pages: Vec<String>,
    /// Whether the mini program has a released version (links need one: 85079).
    pub released: bool,
    /// URL Link and Scheme calls allowed per second before 44990 (WeChat: 100).
    pub link_calls_per_second: u32,
    /// URL Links and Schemes allowed per day before 44993 (WeChat: 500,000).
    pub link_daily_limit: u32,
    /// Permanent Short Links allowed, ever, before 85400 (WeChat: 100,000).
    pub permanent_short_link_cap: u32,
    /// The name a Short Link shows: `#小程序://<name>/…`.
    pub mini_program_name: String,
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        Self {
            appid: SANDBOX_APPID.into(),
            secret: SANDBOX_SECRET.into(),
            other_apps: Vec::new(),
            sandbox_family: true,
            token_ttl: Duration::from_secs(7200),
            rate_limit_per_minute: 5000,
            rate_limit_burst: None,
            published_pages: vec![
                "pages/index/index".into(),
                "pages/detail/detail".into(),
                "pages/product/detail".into(),
                "pages/store/index".into(),
                "pages/activity/index".into(),
            ],
            released: true,
            link_calls_per_second: 100,
            link_daily_limit: 500_000,
            permanent_short_link_cap: 100_000,
            mini_program_name: "小程序码沙箱".into(),
        }
    }
}

/// A running simulator; stops when dropped.
pub struct SimulatorHandle {
    addr: SocketAddr,
    state: Arc<SimState>,
    shutdown: Option<oneshot::Sender<()>>,
}

impl SimulatorHandle {
    /// Binds `addr` (port 0 picks a free port) and serves in the background.
    pub async fn spawn(config: SimulatorConfig, addr: SocketAddr) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(SimState::new(config));
        let app = routes::router(Arc::clone(&state))
            .merge(links::router(Arc::clone(&state)))
            .merge(control::router(Arc::clone(&state)));
        let (shutdown, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "WeChat simulator stopped");
            }
        });
        tracing::info!(%addr, "WeChat simulator listening");
        Ok(Self { addr, state, shutdown: Some(shutdown) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn base_url(&self) -> url::Url {
        let text = format!("http://{}/", self.addr);
        url::Url::parse(&text).unwrap_or_else(|_| unreachable!("a socket address always forms a URL"))
    }

    pub fn counters(&self) -> Counters {
        self.state.counters()
    }

    pub fn set_faults(&self, faults: Faults) {
        self.state.set_faults(faults);
    }

    pub fn set_rate_limit(&self, per_minute: u32) {
        self.state.set_rate_limit(per_minute);
    }

    /// One app's code calls per minute (WeChat counts per AppID); the others keep theirs.
    pub fn set_app_rate_limit(&self, appid: &str, per_minute: u32) {
        self.state.set_app_rate_limit(appid, per_minute);
    }

    /// Issues a new token for the main app as `/cgi-bin/token` would, superseding the live one.
    pub fn rotate_token(&self) -> String {
        self.state.issue_token(&self.state.config.appid)
    }

    /// Makes every app's live token expire now (42001 on its next use).
    pub fn expire_tokens(&self) {
        self.state.expire_tokens();
    }

    /// URL Links and Schemes generated today.
    pub fn links_made_today(&self) -> u32 {
        self.state.links.made_today()
    }

    /// Clears faults, counters and links, and restores the configured rate limits.
    pub fn reset(&self) {
        self.state.reset();
    }
}

impl Drop for SimulatorHandle {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}
