//! `make bench-batch`: a 5,000-row batch job through the whole server (real HTTP,
//! real SQLite, the simulator as WeChat) at the default WeChat rate limit, and
//! how close its wall time comes to what the limiter allows at best.

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use leptos::prelude::LeptosOptions;
use secrecy::SecretString;
use serde_json::Value;
use server::config::{Config, WeChatMode};
use server::Application;
use wxacode::client::DEFAULT_CALLS_PER_MINUTE;
use wxacode::simulator::{SimulatorConfig, SimulatorHandle, SANDBOX_APPID, SANDBOX_SECRET};
use wxacode_bench::member_key;

const ROWS: u32 = 5_000;

fn main() -> anyhow::Result<()> {
    server::startup::runtime()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let rate = std::env::var("BENCH_CALLS_PER_MINUTE")
        .ok()
        .and_then(|v| v.parse().ok())
        .and_then(NonZeroU32::new)
        .unwrap_or(DEFAULT_CALLS_PER_MINUTE);
    // WeChat's own limit is 5,000 a minute; the simulator must not be the bottleneck here.
    let sim_config = SimulatorConfig { rate_limit_per_minute: 1_000_000, ..SimulatorConfig::default() };
    let sim = SimulatorHandle::spawn(sim_config, "127.0.0.1:0".parse()?).await?;
    let dir = tempfile::tempdir()?;
    let mut config = Config::from_lookup(|_| None)?;
    config.database_url = format!("sqlite://{}/bench.db", dir.path().display());
    config.wechat = WeChatMode::Live {
        api_base: sim.base_url(),
        appid: SANDBOX_APPID.into(),
        secret: SecretString::from(SANDBOX_SECRET),
    };
    config.calls_per_minute = rate;
    let options = LeptosOptions::builder()
        .output_name("wxacode")
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build();
    let database_url = config.database_url.clone();
    let app = Application::build(config, options).await?;
    let base = format!("http://{}", app.addr());
    tokio::spawn(app.run_until(std::future::pending()));
    let key = member_key(&database_url).await?;

    let mut csv = String::from("scene,label\n");
    for i in 1..=ROWS {
        csv.push_str(&format!("bench={i},row {i}\n"));
    }
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {key}").parse()?);
    let http = reqwest::Client::builder().default_headers(headers).build()?;
    let started = Instant::now();
    let created: Value =
        http.post(format!("{base}/api/batches?name=bench")).body(csv).send().await?.json().await?;
    let id = created["batch"]["id"].as_i64().context("no job id")?;
    let batch = loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let body: Value = http.get(format!("{base}/api/batches/{id}")).send().await?.json().await?;
        if body["batch"]["status"] != "running" {
            break body["batch"].clone();
        }
    };
    let wall = started.elapsed();
    if batch["done"].as_u64() != Some(u64::from(ROWS)) {
        bail!("the job did not finish every row: {batch}");
    }
    // The limiter allows one second's worth at once, then the steady rate.
    let burst = (rate.get() / 60).max(1);
    let minimum =
        Duration::from_secs_f64(f64::from(ROWS.saturating_sub(burst)) * 60.0 / f64::from(rate.get()));
    let counters = sim.counters();
    println!("batch of {ROWS} rows at {} calls/minute", rate.get());
    println!("  wall time            {:>8.2} s", wall.as_secs_f64());
    println!("  limiter minimum      {:>8.2} s", minimum.as_secs_f64());
    println!("  overhead             {:>8.2} %", (wall.as_secs_f64() / minimum.as_secs_f64() - 1.0) * 100.0);
    println!("  achieved rate        {:>8.0} calls/minute", f64::from(ROWS) * 60.0 / wall.as_secs_f64());
    println!("  WeChat code calls    {:>8}", counters.code_calls);
    println!("  rate-limit refusals  {:>8}", counters.code_calls - counters.images_returned);
    Ok(())
}
