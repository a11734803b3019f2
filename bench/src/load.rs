//! Closed-loop load: keep-alive clients, each sending its next request as its last answer
//! arrives, on a thread of their own.

use std::time::{Duration, Instant};

use anyhow::bail;
use reqwest::header::HeaderMap;

/// One request the clients repeat.
#[derive(Clone, Debug)]
pub struct Target {
    pub url: String,
    /// `Some`: POST this JSON; `None`: GET.
    pub json: Option<serde_json::Value>,
}

impl Target {
    pub fn get(url: impl Into<String>) -> Self {
        Self { url: url.into(), json: None }
    }

    pub fn post(url: impl Into<String>, json: serde_json::Value) -> Self {
        Self { url: url.into(), json: Some(json) }
    }
}

pub struct Figures {
    pub rate: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// `connections` clients for `length`; client i sends `targets[i % targets.len()]` (one target
/// per replica spreads the load over them). Any answer but 2xx fails the run.
pub async fn load(
    targets: &[Target],
    headers: &HeaderMap,
    connections: usize,
    length: Duration,
) -> anyhow::Result<Figures> {
    let (targets, headers) = (targets.to_vec(), headers.clone());
    let latencies = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<Duration>> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async move {
            let deadline = Instant::now() + length;
            let mut workers = Vec::new();
            for i in 0..connections {
                let http = reqwest::Client::builder().default_headers(headers.clone()).build()?;
                let target = targets[i % targets.len()].clone();
                workers.push(tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    while Instant::now() < deadline {
                        let started = Instant::now();
                        let request = match &target.json {
                            Some(json) => http.post(&target.url).json(json),
                            None => http.get(&target.url),
                        };
                        let answer = request.send().await?;
                        let status = answer.status();
                        answer.bytes().await?;
                        if !status.is_success() {
                            bail!("{}: {status} under load", target.url);
                        }
                        latencies.push(started.elapsed());
                    }
                    Ok(latencies)
                }));
            }
            let mut all = Vec::new();
            for worker in workers {
                all.extend(worker.await??);
            }
            Ok(all)
        })
    })
    .await??;
    let mut latencies = latencies;
    latencies.sort();
    let at = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Ok(Figures { rate: latencies.len() as f64 / length.as_secs_f64(), p50_ms: at(0.50), p99_ms: at(0.99) })
}
