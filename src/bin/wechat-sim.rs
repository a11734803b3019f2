//! Standalone WeChat simulator: `wechat-sim --addr 127.0.0.1:8900`.

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use wxacode::simulator::{SimulatorConfig, SimulatorHandle, SANDBOX_APPID, SANDBOX_SECRET};

/// Serves WeChat's token, getUnlimitedQRCode and link endpoints with simulated behaviour.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "WECHAT_SIM_ADDR", default_value = "127.0.0.1:8900")]
    addr: SocketAddr,
    /// AppID the simulator accepts.
    #[arg(long, env = "WECHAT_SIM_APPID", default_value = SANDBOX_APPID)]
    appid: String,
    /// AppSecret the simulator accepts.
    #[arg(long, env = "WECHAT_SIM_SECRET", default_value = SANDBOX_SECRET)]
    secret: String,
    /// More mini programs it knows, as APPID:SECRET (repeat the option for each).
    #[arg(long = "app", value_parser = app_and_secret)]
    apps: Vec<(String, String)>,
    /// Lifetime of an access_token in seconds.
    #[arg(long, default_value_t = 7200)]
    token_ttl: u64,
    /// getwxacodeunlimit calls allowed per minute before errcode 45009.
    #[arg(long, default_value_t = 5000)]
    rate_limit: u32,
    /// Calls allowed at once before the steady rate applies (default: a whole minute's worth).
    #[arg(long)]
    rate_limit_burst: Option<u32>,
    /// Published pages (comma-separated), checked when check_path is true.
    #[arg(long, value_delimiter = ',')]
    pages: Option<Vec<String>>,
    /// The mini program has no released version: link APIs answer 85079.
    #[arg(long)]
    unreleased: bool,
    /// URL Links and Schemes allowed per day before errcode 44993.
    #[arg(long, default_value_t = 500_000)]
    link_daily_limit: u32,
    /// Permanent Short Links allowed, ever, before errcode 85400.
    #[arg(long, default_value_t = 100_000)]
    permanent_short_link_cap: u32,
}

fn app_and_secret(raw: &str) -> Result<(String, String), String> {
    match raw.split_once(':') {
        Some((appid, secret)) if !appid.is_empty() && !secret.is_empty() => Ok((appid.into(), secret.into())),
        _ => Err(format!("expected APPID:SECRET, not {raw:?}")),
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let args = Args::parse();
    let defaults = SimulatorConfig::default();
    let config = SimulatorConfig {
        appid: args.appid,
        secret: args.secret,
        other_apps: args.apps,
        token_ttl: Duration::from_secs(args.token_ttl),
        rate_limit_per_minute: args.rate_limit,
        rate_limit_burst: args.rate_limit_burst,
        published_pages: args.pages.unwrap_or(defaults.published_pages),
        released: !args.unreleased,
        link_daily_limit: args.link_daily_limit,
        permanent_short_link_cap: args.permanent_short_link_cap,
        ..defaults
    };
    let _simulator = SimulatorHandle::spawn(config, args.addr).await?;
    tokio::signal::ctrl_c().await?;
    tracing::info!("shutting down");
    Ok(())
}
