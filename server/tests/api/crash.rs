//! The real server binary, killed with SIGKILL in the middle of a batch job.

use std::time::{Duration, Instant};

use serde_json::Value;
use wxacode::simulator::{Faults, SimulatorConfig, SimulatorHandle};

use crate::helpers::{api_key, client_with_key, json_of};
use crate::processes::start_binary;

/// On PostgreSQL the killed process's rows wait for their lease to end (on SQLite a starting
/// server owns every claim at once).
const LEASE: &[(&str, &str)] = &[("WXACODE_BATCH_LEASE_SECS", "35"), ("WECHAT_CALLS_PER_MINUTE", "60000")];

async fn job(http: &reqwest::Client, base: &str, id: i64) -> Value {
    let body: Value =
        http.get(format!("{base}/api/batches/{id}")).send().await.unwrap().json().await.unwrap();
    body["batch"].clone()
}

#[tokio::test]
async fn kill_dash_nine_mid_job_and_the_restarted_server_finishes_it_once_per_row() {
    let sim =
        SimulatorHandle::spawn(SimulatorConfig::default(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    sim.set_faults(Faults { latency_ms: 40, ..Faults::default() });
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::helpers::fresh_database_url(&dir, "crash").await;

    let mut first = start_binary(&sim, &database_url, LEASE).await;
    let http = client_with_key(&api_key(&database_url, wxacode::Role::Member).await);
    let mut csv = String::from("scene,label\n");
    for i in 1..=60 {
        csv.push_str(&format!("kill={i},row {i}\n"));
    }
    let (_, created) = json_of(http.post(format!("{}/api/batches", first.base)).body(csv)).await;
    let id = created["batch"]["id"].as_i64().expect("a job");
    let deadline = Instant::now() + Duration::from_secs(30);
    while job(&http, &first.base, id).await["done"].as_i64().unwrap() < 8 {
        assert!(Instant::now() < deadline, "the job never got going");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.child.kill().expect("SIGKILL");
    first.child.wait().unwrap();
    let images_at_kill = sim.counters().images_returned;
    assert!(images_at_kill < 60, "killed mid-job");

    sim.set_faults(Faults::default());
    let second = start_binary(&sim, &database_url, LEASE).await;
    let deadline = Instant::now() + Duration::from_secs(90);
    let finished = loop {
        let batch = job(&http, &second.base, id).await;
        if batch["status"] != "running" {
            break batch;
        }
        assert!(Instant::now() < deadline, "the job did not finish after the restart: {batch}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        (finished["status"].as_str(), finished["done"].as_i64()),
        (Some("finished"), Some(60)),
        "{finished}"
    );
    let (_, codes) = json_of(http.get(format!("{}/api/codes?limit=200", second.base))).await;
    assert_eq!(codes["codes"].as_array().unwrap().len(), 60, "exactly one stored code per row");
}
