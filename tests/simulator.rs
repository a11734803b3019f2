//! The simulator speaks WeChat's wire format and errcodes, over real HTTP.

use std::time::Duration;

use serde_json::{json, Value};
use wxacode::simulator::{Faults, SimulatorConfig, SimulatorHandle, SANDBOX_APPID, SANDBOX_SECRET};

struct Sim {
    handle: SimulatorHandle,
    http: reqwest::Client,
}

async fn sim(config: SimulatorConfig) -> Sim {
    let handle = SimulatorHandle::spawn(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    Sim { handle, http: reqwest::Client::new() }
}

impl Sim {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.handle.base_url())
    }

    async fn token(&self, appid: &str, secret: &str) -> Value {
        let query = [("grant_type", "client_credential"), ("appid", appid), ("secret", secret)];
        self.http.get(self.url("cgi-bin/token")).query(&query).send().await.unwrap().json().await.unwrap()
    }

    async fn stable_token(&self, force_refresh: bool) -> Value {
        let body = json!({ "grant_type": "client_credential", "appid": SANDBOX_APPID, "secret": SANDBOX_SECRET, "force_refresh": force_refresh });
        self.http
            .post(self.url("cgi-bin/stable_token"))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Returns the errcode, or 0 for an image.
    async fn code(&self, token: &str, body: &str) -> i64 {
        let response = self
            .http
            .post(self.url("wxa/getwxacodeunlimit"))
            .query(&[("access_token", token)])
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "WeChat answers errors with HTTP 200");
        let is_json = response.headers()["content-type"].to_str().unwrap().contains("json");
        let bytes = response.bytes().await.unwrap();
        if is_json {
            serde_json::from_slice::<Value>(&bytes).unwrap()["errcode"].as_i64().unwrap()
        } else {
            assert!(wxacode::ImageType::sniff(&bytes).is_some());
            0
        }
    }
}

fn live(answer: &Value) -> String {
    answer["access_token"].as_str().unwrap_or_else(|| panic!("no token in {answer}")).to_owned()
}

#[tokio::test]
async fn credentials_are_checked() {
    let sim = sim(SimulatorConfig::default()).await;
    assert_eq!(sim.token("wrong", SANDBOX_SECRET).await["errcode"], 40013);
    assert_eq!(sim.token(SANDBOX_APPID, "wrong").await["errcode"], 40125);
    assert_eq!(sim.token(SANDBOX_APPID, SANDBOX_SECRET).await["expires_in"], 7200);
}

#[tokio::test]
async fn a_new_token_supersedes_the_previous_one_but_stable_token_shares_the_live_one() {
    let sim = sim(SimulatorConfig::default()).await;
    let first = live(&sim.token(SANDBOX_APPID, SANDBOX_SECRET).await);
    let second = live(&sim.token(SANDBOX_APPID, SANDBOX_SECRET).await);
    assert_ne!(first, second);
    assert_eq!(sim.code(&first, r#"{"scene":"a=1"}"#).await, 40001);
    assert_eq!(sim.code(&second, r#"{"scene":"a=1"}"#).await, 0);
    assert_eq!(live(&sim.stable_token(false).await), second, "normal mode returns the live token");
    assert_eq!(sim.code("never-issued", r#"{"scene":"a=1"}"#).await, 40014);
    assert_eq!(sim.code("", r#"{"scene":"a=1"}"#).await, 41001);
}

#[tokio::test]
async fn force_refresh_is_limited_to_one_per_30_seconds() {
    let sim = sim(SimulatorConfig::default()).await;
    let normal = live(&sim.stable_token(false).await);
    let forced = live(&sim.stable_token(true).await);
    assert_ne!(normal, forced);
    assert_eq!(sim.stable_token(true).await["errcode"], 45011);
}

#[tokio::test]
async fn tokens_expire_after_their_ttl() {
    let sim = sim(SimulatorConfig { token_ttl: Duration::from_millis(1500), ..Default::default() }).await;
    let token = live(&sim.stable_token(false).await);
    assert_eq!(sim.code(&token, r#"{"scene":"a=1"}"#).await, 0);
    sim.handle.expire_tokens();
    assert_eq!(sim.code(&token, r#"{"scene":"a=1"}"#).await, 42001);
    assert_ne!(live(&sim.stable_token(false).await), token, "an expired token is replaced");
}

#[tokio::test]
async fn wechat_rules_are_enforced_with_their_errcodes() {
    let sim = sim(SimulatorConfig::default()).await;
    let token = live(&sim.stable_token(false).await);
    let cases = [
        ("not json", 40169),
        (r#"{"page":"pages/index/index"}"#, 40169),
        (r#"{"scene":""}"#, 40169),
        (&format!(r#"{{"scene":"{}"}}"#, "a".repeat(33)), 40169),
        (r#"{"scene":"a b"}"#, 40129),
        (r#"{"scene":"100%"}"#, 40129),
        (r#"{"scene":"scancode_time=1"}"#, 85096),
        (r#"{"scene":"a=1","page":"/pages/index/index"}"#, 41030),
        (r#"{"scene":"a=1","page":"pages/index/index?x=1"}"#, 41030),
        (r#"{"scene":"a=1","page":"pages/unpublished/x"}"#, 41030),
        (r#"{"scene":"a=1","page":"pages/unpublished/x","check_path":false}"#, 0),
        (r#"{"scene":"a=1","width":279}"#, 40097),
        (r#"{"scene":"a=1","width":1281}"#, 40097),
        (r#"{"scene":"a=1","width":1280,"line_color":{"r":"12","g":0,"b":255}}"#, 0),
        (r#"{"scene":"a=1","line_color":{"r":256,"g":0,"b":0}}"#, 40097),
        (r#"{"scene":"a=1","env_version":"prod"}"#, 40097),
    ];
    for (body, expected) in cases {
        assert_eq!(sim.code(&token, body).await, expected, "body {body}");
    }
}

#[tokio::test]
async fn the_rate_limit_answers_45009_and_counters_count() {
    let sim = sim(SimulatorConfig { rate_limit_per_minute: 2, ..Default::default() }).await;
    let token = live(&sim.stable_token(false).await);
    assert_eq!(sim.code(&token, r#"{"scene":"a=1"}"#).await, 0);
    assert_eq!(sim.code(&token, r#"{"scene":"a=2"}"#).await, 0);
    assert_eq!(sim.code(&token, r#"{"scene":"a=3"}"#).await, 45009);
    let counters = sim.handle.counters();
    assert_eq!((counters.stable_token_calls, counters.code_calls, counters.images_returned), (1, 3, 2));
}

#[tokio::test]
async fn faults_are_steerable_over_http() {
    let sim = sim(SimulatorConfig::default()).await;
    let token = live(&sim.stable_token(false).await);
    let put = sim.http.put(sim.url("__sim/faults")).json(&json!({ "errcode": 48001 })).send().await.unwrap();
    assert_eq!(put.status(), 200);
    assert_eq!(sim.code(&token, r#"{"scene":"a=1"}"#).await, 48001);
    sim.http.post(sim.url("__sim/reset")).send().await.unwrap();
    assert_eq!(sim.code(&token, r#"{"scene":"a=1"}"#).await, 0);
    let counters: Value = sim.http.get(sim.url("__sim/counters")).send().await.unwrap().json().await.unwrap();
    assert_eq!(counters["code_calls"], 1, "reset cleared the counters");
    sim.handle.set_faults(Faults { http_500: true, ..Default::default() });
    let failed = sim
        .http
        .post(sim.url("wxa/getwxacodeunlimit"))
        .query(&[("access_token", token.as_str())])
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 500);
}

#[tokio::test]
async fn each_known_app_has_its_own_tokens_limit_and_images() {
    const SHOP: &str = "wx00000000000000a1";
    let config = SimulatorConfig {
        other_apps: vec![(SHOP.into(), "shop-secret".into())],
        ..SimulatorConfig::default()
    };
    let sim = sim(config).await;
    assert_eq!(sim.token(SHOP, "wrong").await["errcode"], 40125);
    assert_eq!(sim.token("wx00000000000000b2", "shop-secret").await["errcode"], 40013);
    let shop = sim.token(SHOP, "shop-secret").await["access_token"].as_str().unwrap().to_owned();
    let sandbox = sim.token(SANDBOX_APPID, SANDBOX_SECRET).await["access_token"].as_str().unwrap().to_owned();
    // A new sandbox token does not supersede the shop's.
    let body = r#"{"scene":"a=1","check_path":false}"#;
    assert_eq!(sim.code(&shop, body).await, 0);

    let image = |token: String| {
        let http = sim.http.clone();
        let url = sim.url("wxa/getwxacodeunlimit");
        async move {
            let answer = http.post(url).query(&[("access_token", token)]).body(body).send().await.unwrap();
            wxacode::simulator::drawn_for(&answer.bytes().await.unwrap())
        }
    };
    assert_eq!(image(shop.clone()).await.as_deref(), Some(SHOP));
    assert_eq!(image(sandbox.clone()).await.as_deref(), Some(SANDBOX_APPID));

    sim.handle.set_app_rate_limit(SHOP, 1);
    assert_eq!(sim.code(&shop, body).await, 0);
    assert_eq!(sim.code(&shop, body).await, 45009, "the shop's minute is spent");
    assert_eq!(sim.code(&sandbox, body).await, 0, "the sandbox app is counted apart");

    // The dashboard's sandbox apps: any wxsandbox AppID, with the sandbox secret.
    assert!(sim.token("wxsandbox0000000002", SANDBOX_SECRET).await["access_token"].is_string());
    assert_eq!(sim.token("wxsandbox0000000002", "other").await["errcode"], 40125);
}
