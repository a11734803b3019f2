//! Every failure gives its documented status and JSON, and stores nothing.

use serde_json::json;
use wxacode::simulator::{Faults, SimulatorConfig};

use crate::helpers::{assert_failure, scene, spawn_app, spawn_app_with, TestApp};

async fn assert_nothing_stored(app: &TestApp) {
    assert!(app.stored_codes().await.is_empty(), "a failed generation must store nothing");
}

#[tokio::test]
async fn the_rate_limit_gives_502_with_errcode_45009() {
    let app =
        spawn_app_with(SimulatorConfig { rate_limit_per_minute: 1, ..Default::default() }, |_| {}).await;
    assert_eq!(app.generate(scene("a=1")).await.0, 200);
    let (status, body) = app.generate(scene("a=2")).await;
    let error = assert_failure(status, &body, 502);
    assert_eq!(body["errcode"], 45009);
    assert!(error.contains("频率"), "{error}");
    assert_eq!(app.stored_codes().await.len(), 1);
}

#[tokio::test]
async fn an_unpublished_page_gives_502_with_errcode_41030() {
    let app = spawn_app().await;
    let (status, body) = app.generate(json!({ "scene": "a=1", "page": "pages/missing/missing" })).await;
    assert_failure(status, &body, 502);
    assert_eq!(body["errcode"], 41030);
    assert_nothing_stored(&app).await;
}

#[tokio::test]
async fn a_bad_scene_is_refused_before_wechat_is_called() {
    let app = spawn_app().await;
    let (status, body) = app.generate(json!({ "scene": "a b%", "page": "/pages/x", "width": 100 })).await;
    assert_failure(status, &body, 400);
    let codes: Vec<&str> =
        body["problems"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(codes, vec!["scene_invalid_chars", "page_leading_slash", "width_out_of_range"]);
    assert_eq!(app.counters().code_calls, 0);
    assert_eq!(app.counters().token_fetches(), 0);
    assert_nothing_stored(&app).await;
}

#[tokio::test]
async fn a_missing_or_too_long_scene_is_refused_like_the_seed() {
    let app = spawn_app().await;
    let (status, body) = app.generate(json!({ "page": "pages/index/index" })).await;
    let error = assert_failure(status, &body, 400);
    assert!(error.contains("不能为空"), "{error}");
    let (status, body) = app.generate(scene(&"a".repeat(33))).await;
    let error = assert_failure(status, &body, 400);
    assert!(error.contains("32"), "{error}");
}

#[tokio::test]
async fn wechat_refusing_the_scene_gives_502_with_errcode_40129() {
    let app = spawn_app().await;
    app.fault(Faults { errcode: Some(40129), ..Default::default() });
    let (status, body) = app.generate(scene("a=1")).await;
    assert_failure(status, &body, 502);
    assert_eq!(body["errcode"], 40129);
    assert_nothing_stored(&app).await;
}

#[tokio::test]
async fn a_busy_wechat_is_retried_a_few_times_then_reported() {
    let app = spawn_app().await;
    app.fault(Faults { errcode: Some(-1), ..Default::default() });
    let (status, body) = app.generate(scene("a=1")).await;
    assert_failure(status, &body, 502);
    assert_eq!(body["errcode"], -1);
    assert_eq!(app.counters().code_calls, 4, "one call and three retries");
    assert_nothing_stored(&app).await;
}

#[tokio::test]
async fn an_unknown_errcode_keeps_its_number_and_message() {
    let app = spawn_app().await;
    app.fault(Faults { errcode: Some(61451), ..Default::default() });
    let (status, body) = app.generate(scene("a=1")).await;
    let error = assert_failure(status, &body, 502);
    assert_eq!(body["errcode"], 61451);
    assert!(error.contains("61451") && error.contains("simulated error"), "{error}");
}

#[tokio::test]
async fn http_500_from_wechat_gives_502() {
    let app = spawn_app().await;
    app.fault(Faults { http_500: true, ..Default::default() });
    let (status, body) = app.generate(scene("a=1")).await;
    assert_failure(status, &body, 502);
    assert!(body.get("errcode").is_none(), "{body}");
    assert_nothing_stored(&app).await;
}

#[tokio::test]
async fn a_garbage_body_gives_502() {
    let app = spawn_app().await;
    app.fault(Faults { garbage_body: true, ..Default::default() });
    let (status, body) = app.generate(scene("a=1")).await;
    assert_failure(status, &body, 502);
    assert_nothing_stored(&app).await;
}

#[tokio::test]
async fn a_dropped_connection_gives_503() {
    let app = spawn_app().await;
    app.fault(Faults { drop_connection: true, ..Default::default() });
    let (status, body) = app.generate(scene("a=1")).await;
    assert_failure(status, &body, 503);
    assert_nothing_stored(&app).await;
}

#[tokio::test]
async fn a_slow_wechat_gives_504() {
    let app = spawn_app_with(SimulatorConfig::default(), |config| {
        config.wechat_timeout = std::time::Duration::from_secs(1);
    })
    .await;
    app.fault(Faults { latency_ms: 2_000, ..Default::default() });
    let (status, body) = app.generate(scene("a=1")).await;
    let error = assert_failure(status, &body, 504);
    assert!(error.contains("超时"), "{error}");
    assert_nothing_stored(&app).await;
}

#[tokio::test]
async fn a_dead_wechat_gives_503() {
    // Find a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = spawn_app_with(SimulatorConfig::default(), |config| {
        if let server::config::WeChatMode::Live { api_base, .. } = &mut config.wechat {
            *api_base = format!("http://127.0.0.1:{port}/").parse().unwrap();
        }
    })
    .await;
    let (status, body) = app.generate(scene("a=1")).await;
    let error = assert_failure(status, &body, 503);
    assert!(error.contains("无法连接"), "{error}");
    assert_nothing_stored(&app).await;
}

#[tokio::test]
async fn a_body_that_is_not_json_gives_400_json() {
    let app = spawn_app().await;
    let response = app
        .http
        .post(format!("{}/api/qrcode", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_failure(status, &body, 400);
    let (status, body) = app.generate(json!({ "scene": "a=1", "width": "wide" })).await;
    assert_failure(status, &body, 400);
}

#[tokio::test]
async fn errors_are_in_english_when_the_client_prefers_it() {
    let app = spawn_app().await;
    let response = app
        .http
        .post(format!("{}/api/qrcode", app.base))
        .header("accept-language", "en-US,en;q=0.9")
        .json(&scene(""))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "The scene must not be empty");
}
