use crate::helpers::{scene, spawn_app, spawn_app_with};
use std::time::Duration;
use wxacode::simulator::{Faults, SimulatorConfig};

#[tokio::test]
async fn a_superseded_token_is_replaced_and_the_call_retried_once() {
    let app = spawn_app().await;
    assert_eq!(app.generate(scene("a=1")).await.0, 200);
    // Someone else calls /cgi-bin/token: our cached token is now stale (40001).
    app.sim.rotate_token();
    let (status, body) = app.generate(scene("a=2")).await;
    assert_eq!(status, 200, "{body}");
    let counters = app.counters();
    assert_eq!(counters.stable_token_calls, 2, "{counters:?}");
    assert_eq!(counters.code_calls, 3, "first call, rejected call, retry: {counters:?}");
}

#[tokio::test]
async fn an_expired_token_is_replaced() {
    let app = spawn_app().await;
    assert_eq!(app.generate(scene("a=1")).await.0, 200);
    app.sim.expire_tokens();
    let (status, body) = app.generate(scene("a=2")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.counters().stable_token_calls, 2);
}

#[tokio::test]
async fn a_token_is_reused_until_its_usable_life_ends() {
    let config = SimulatorConfig { token_ttl: Duration::from_secs(2), ..Default::default() };
    let app = spawn_app_with(config, |_| {}).await;
    assert_eq!(app.generate(scene("a=1")).await.0, 200);
    assert_eq!(app.generate(scene("a=2")).await.0, 200);
    assert_eq!(app.counters().token_fetches(), 1);
    // Usable for half of a short lifetime: after 1 s a new one is fetched before WeChat would refuse it.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(app.generate(scene("a=3")).await.0, 200);
    let counters = app.counters();
    assert_eq!(counters.token_fetches(), 2, "{counters:?}");
    assert_eq!(counters.code_calls, 3, "no call was refused: {counters:?}");
}

#[tokio::test]
async fn a_token_that_keeps_being_refused_is_retried_only_once() {
    let app = spawn_app().await;
    app.fault(Faults { errcode: Some(40001), ..Default::default() });
    let (status, body) = app.generate(scene("a=1")).await;
    crate::helpers::assert_failure(status, &body, 502);
    assert_eq!(body["errcode"], 40001);
    assert_eq!(app.counters().code_calls, 2);
    assert_eq!(app.counters().stable_token_calls, 2);
}

#[tokio::test]
async fn wrong_credentials_are_reported_with_the_errcode() {
    let app =
        spawn_app_with(SimulatorConfig { secret: "another".into(), ..Default::default() }, |_| {}).await;
    let (status, body) = app.generate(scene("a=1")).await;
    let error = crate::helpers::assert_failure(status, &body, 502);
    assert_eq!(body["errcode"], 40125);
    assert!(error.contains("AppSecret"), "{error}");
    assert_eq!(app.counters().code_calls, 0);
}
