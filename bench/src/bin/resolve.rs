//! `make bench-resolve`: the living-code resolve API under load — resolves a second and
//! latency percentiles with every scan event persisted, then a graceful stop and a check
//! that the events in the database equal the 200 answers.
//!
//! Load comes from this process, on the same cores as the server: the figures are a floor.

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use leptos::prelude::LeptosOptions;
use serde_json::{json, Value};
use server::config::Config;
use server::Application;
use wxacode_bench::{member_key, setting};

fn main() -> anyhow::Result<()> {
    server::startup::runtime()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let seconds = setting("BENCH_SECONDS", 10);
    let connections = setting("BENCH_CONNECTIONS", 16) as usize;
    let dir = tempfile::tempdir()?;
    // Sandbox mode: the code itself comes from the embedded simulator.
    let mut config = Config::from_lookup(|_| None)?;
    config.database_url = format!("sqlite://{}/bench.db", dir.path().display());
    // Every request comes from this one address, and the raw speed is the question: no limits.
    config.resolve_limits.per_client_per_minute = NonZeroU32::new(u32::MAX).context("limit")?;
    config.resolve_limits.total_per_second = NonZeroU32::new(u32::MAX).context("limit")?;
    let database_url = config.database_url.clone();
    let options = LeptosOptions::builder()
        .output_name("wxacode")
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build();
    let app = Application::build(config, options).await?;
    let base = format!("http://{}", app.addr());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async {
        let _ = stopped.await;
    }));

    let key = member_key(&database_url).await?;
    let admin = reqwest::Client::builder()
        .default_headers(
            [(reqwest::header::AUTHORIZATION, format!("Bearer {key}").parse()?)].into_iter().collect(),
        )
        .build()?;
    let body =
        json!({"target": {"page": "pages/promo/promo", "params": [{"key": "campaign", "value": "双十一"}]}});
    let created: Value =
        admin.post(format!("{base}/api/living-codes")).json(&body).send().await?.json().await?;
    let scene = created["living"]["scene"].as_str().context("no living code made")?.to_owned();
    let url = format!("{base}/api/r/{scene}?wx_scene=1047");

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut workers = Vec::new();
    for worker in 0..connections {
        let (http, url) = (reqwest::Client::new(), format!("{url}&client=phone-{worker}"));
        workers.push(tokio::spawn(async move {
            let (mut latencies, mut ok, mut other) = (Vec::new(), 0u64, 0u64);
            while Instant::now() < deadline {
                let started = Instant::now();
                let status = http.get(&url).send().await.map(|r| r.status().as_u16()).unwrap_or(0);
                latencies.push(started.elapsed());
                if status == 200 {
                    ok += 1
                } else {
                    other += 1
                }
            }
            (latencies, ok, other)
        }));
    }
    let (mut latencies, mut ok, mut other) = (Vec::new(), 0, 0);
    for worker in workers {
        let (l, o, x) = worker.await?;
        latencies.extend(l);
        ok += o;
        other += x;
    }
    latencies.sort();
    let percentile = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let _ = stop.send(());
    server.await??;
    let pool = app::backend::db::connect(&database_url).await?;
    let stored: i64 = sqlx_count(&pool).await?;

    println!("resolve API, {connections} connections for {seconds} s (load generated on the same cores)");
    println!("  resolves/s           {:>8.0}", ok as f64 / seconds as f64);
    println!("  p50                  {:>8.2} ms", percentile(0.50).as_secs_f64() * 1000.0);
    println!("  p99                  {:>8.2} ms", percentile(0.99).as_secs_f64() * 1000.0);
    println!("  max                  {:>8.2} ms", percentile(1.0).as_secs_f64() * 1000.0);
    println!("  200 answers          {ok:>8}");
    println!("  other answers        {other:>8}");
    println!("  scan events stored   {stored:>8}");
    if stored != ok as i64 {
        bail!("{stored} scan events stored for {ok} answers");
    }
    Ok(())
}

async fn sqlx_count(db: &app::backend::db::Db) -> anyhow::Result<i64> {
    let sql = "SELECT COUNT(*) FROM scan_events";
    Ok(app::on_db!(db, |pool| sqlx::query_scalar(sql).fetch_one(pool).await)?)
}
