use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use futures::future::join_all;
use wxacode::simulator::SimulatorConfig;

use crate::helpers::{scene, spawn_app_with};

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
