use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use futures::future::join_all;
use wxacode::simulator::SimulatorConfig;

use crate::helpers::{json_of, scene, spawn_app_with};

#[tokio::test]
async fn wechat_calls_are_spaced_to_the_configured_rate() {
    // 120 a minute: two at once, then one every half second.
    let app = spawn_app_with(SimulatorConfig::default(), |config| {
        config.calls_per_minute = NonZeroU32::new(120).unwrap();
    })
    .await;
    let started = Instant::now();
    let answers = join_all((0..6).map(|i| app.generate(scene(&format!("rate={i}"))))).await;
    let elapsed = started.elapsed();
    assert!(answers.iter().all(|(status, _)| *status == 200), "{answers:?}");
    assert_eq!(app.counters().code_calls, 6);
    // A lower bound only: a slow machine can take longer, never shorter.
    assert!(elapsed >= Duration::from_millis(1_900), "6 calls at 2/s took only {elapsed:?}");
}

#[tokio::test]
async fn a_job_and_form_requests_together_stay_under_wechats_limit() {
    // WeChat here allows 600 a minute and no more than 10 at once; the app is set to 540.
    let strict =
        SimulatorConfig { rate_limit_per_minute: 600, rate_limit_burst: Some(10), ..Default::default() };
    let app = spawn_app_with(strict, |config| {
        config.calls_per_minute = NonZeroU32::new(540).unwrap();
    })
    .await;
    let mut csv = String::from("scene\n");
    for i in 1..=30 {
        csv.push_str(&format!("job={i}\n"));
    }
    let (_, created) = json_of(app.http.post(format!("{}/api/batches", app.base)).body(csv)).await;
    let id = created["batch"]["id"].as_i64().expect("a job");
    let forms = join_all((0..10).map(|i| app.generate(scene(&format!("form={i}"))))).await;
    assert!(forms.iter().all(|(status, _)| *status == 200), "{forms:?}");
    let done = app.settled_batch(id, Duration::from_secs(30)).await;
    assert_eq!((done["status"].as_str(), done["done"].as_i64()), (Some("finished"), Some(30)), "{done}");
    let counters = app.counters();
    assert_eq!(counters.code_calls, 40);
    assert_eq!(counters.images_returned, 40, "WeChat never answered 45009");
}
