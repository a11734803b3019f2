//! The AppSecret, access tokens, passwords, API keys and session tokens never
//! reach logs, pages or API answers.
//! A test binary of its own: it owns the process-wide log subscriber.

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;
use wxacode::simulator::{Faults, SimulatorConfig, SANDBOX_SECRET};

/// A mini program added in the dashboard: its AppSecret goes in once and never comes out.
const SHOP: &str = "wx00000000000000a1";
const SHOP_SECRET: &str = "5h0p5ecret5h0p5ecret5h0p5ecret00";

#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn neither_the_secret_nor_a_token_appears_in_logs_or_answers() {
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let sim = SimulatorConfig { other_apps: vec![(SHOP.into(), SHOP_SECRET.into())], ..Default::default() };
    let app = helpers::spawn_app_with(sim, |_| {}).await;
    let mut answers = Vec::new();
    let rpc = |function: &str, body: serde_json::Value| {
        let (http, url) = (app.http.clone(), format!("{}/rpc/{function}", app.base));
        async move { http.post(url).json(&body).send().await.unwrap().text().await.unwrap() }
    };
    let input = json!({ "name": "Shop", "appid": SHOP, "secret": SHOP_SECRET });
    answers.push(rpc("create_app", json!({ "input": input })).await);
    answers.push(rpc("test_app_connection", json!({ "appid": SHOP })).await);
    answers.push(app.generate(json!({ "scene": "s=1", "app": SHOP })).await.1.to_string());
    answers.push(
        rpc("replace_app_secret", json!({ "appid": SHOP, "secret": "wrong-secret-wrong-secret-000000" }))
            .await,
    );
    answers.push(rpc("test_app_connection", json!({ "appid": SHOP })).await);
    answers.push(rpc("get_app_choices", json!({})).await);
    answers.push(app.http.get(format!("{}/apps", app.base)).send().await.unwrap().text().await.unwrap());
    answers.push(app.get_json("/api/apps").await.1.to_string());
    let (_, ok) = app.generate(json!({ "scene": "s=1" })).await;
    answers.push(ok.to_string());
    // Token rotation, an expired token, transport failures: every path that logs.
    let live_token = app.sim.rotate_token();
    answers.push(app.generate(json!({ "scene": "s=2" })).await.1.to_string());
    app.sim.expire_tokens();
    answers.push(app.generate(json!({ "scene": "s=3" })).await.1.to_string());
    for faults in [
        Faults { drop_connection: true, ..Default::default() },
        Faults { http_500: true, ..Default::default() },
        Faults { errcode: Some(40001), ..Default::default() },
    ] {
        app.fault(faults);
        answers.push(app.generate(json!({ "scene": "s=4" })).await.1.to_string());
    }
    answers.push(app.http.get(format!("{}/", app.base)).send().await.unwrap().text().await.unwrap());
    answers.push(app.get_json("/api/codes").await.1.to_string());
    // Signing in (wrongly, then rightly) and browsing with the session.
    let (_, refused) = helpers::Browser::sign_in(&app, helpers::ADMIN_EMAIL, "a wrong password")
        .await
        .err()
        .expect("refused");
    answers.push(refused.to_string());
    let admin =
        helpers::Browser::sign_in(&app, helpers::ADMIN_EMAIL, helpers::ADMIN_PASSWORD).await.expect("in");
    let session_token = admin.cookie.split_once('=').expect("name=value").1.to_owned();
    answers.push(admin.answer.to_string());
    let page = admin.request(reqwest::Method::GET, "/history").send().await.unwrap();
    answers.push(page.text().await.unwrap());
    assert!(!session_token.is_empty(), "signed in");

    let log = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("fetched access_token"), "the log was captured");
    for (what, text) in std::iter::once(("log", &log)).chain(answers.iter().map(|a| ("answer", a))) {
        assert!(!text.contains(SANDBOX_SECRET), "the secret leaked into a {what}");
        assert!(!text.contains(SHOP_SECRET), "a stored AppSecret leaked into a {what}");
        assert!(!text.contains("wrong-secret-wrong-secret"), "a replaced AppSecret leaked into a {what}");
        assert!(!text.contains(helpers::TEST_SECRET_KEY), "the secret key leaked into a {what}");
        assert!(!text.contains(&live_token), "an access token leaked into a {what}");
        assert!(!text.contains("access_token="), "a token URL leaked into a {what}");
        assert!(!text.contains("SIM_"), "a simulator token leaked into a {what}");
        assert!(!text.contains(helpers::ADMIN_PASSWORD), "a password leaked into a {what}");
        assert!(!text.contains("a wrong password"), "a tried password leaked into a {what}");
        assert!(!text.contains(&app.admin_key), "an API key leaked into a {what}");
        assert!(!text.contains(&session_token), "a session token leaked into a {what}");
    }
}
