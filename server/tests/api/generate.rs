use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;
use wxacode::simulator::SimulatorConfig;

use crate::helpers::{scene, spawn_app, spawn_app_with};

fn decode_data_uri(uri: &str) -> (String, Vec<u8>) {
    let rest = uri.strip_prefix("data:").expect("data URI");
    let (mime, data) = rest.split_once(";base64,").expect("base64 data URI");
    (mime.to_owned(), STANDARD.decode(data).expect("valid base64"))
}

#[tokio::test]
async fn a_generated_code_is_stored_listed_and_downloadable_with_the_simulators_exact_bytes() {
    let app = spawn_app().await;
    let (status, body) =
        app.generate(json!({ "scene": "id=123&type=product", "page": "pages/detail/detail" })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success"], json!(true));
    assert_eq!(body["scene"], "id=123&type=product");
    assert_eq!(body["page"], "pages/detail/detail");
    let id = body["id"].as_i64().expect("id");
    let share_url = body["share_url"].as_str().unwrap();
    assert!(share_url.starts_with(&format!("{}/s/", app.base)), "{share_url}");
    assert!(share_url.rsplit('/').next().unwrap().len() >= 22, "share token carries 128 bits");
    let (mime, image) = decode_data_uri(body["image"].as_str().unwrap());
    assert_eq!(mime, "image/jpeg");

    let listed = app.stored_codes().await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], json!(id));
    assert_eq!(listed[0]["width"], json!(430));
    assert_eq!(listed[0]["env_version"], "release");
    assert_eq!(listed[0]["byte_size"], json!(image.len()));

    let download = app.http.get(format!("{}/api/codes/{id}/image", app.base)).send().await.unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "image/jpeg");
    let disposition = download.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert_eq!(disposition, format!("attachment; filename=\"id_123_type_product_{id}.jpg\""));
    let downloaded = download.bytes().await.unwrap();
    assert_eq!(downloaded.as_ref(), image.as_slice(), "download equals the generated image");

    // Ask the simulator directly, with the live token, for the same code.
    let (_, token) = crate::helpers::json_of(
        app.http
            .post(format!("{}cgi-bin/stable_token", app.sim.base_url()))
            .json(&json!({ "grant_type": "client_credential", "appid": wxacode::simulator::SANDBOX_APPID, "secret": wxacode::simulator::SANDBOX_SECRET })),
    )
    .await;
    let direct = app
        .http
        .post(format!("{}wxa/getwxacodeunlimit", app.sim.base_url()))
        .query(&[("access_token", token["access_token"].as_str().unwrap())])
        .json(&json!({ "scene": "id=123&type=product", "page": "pages/detail/detail", "width": 430, "check_path": true, "env_version": "release", "auto_color": false, "line_color": {"r":0,"g":0,"b":0}, "is_hyaline": false }))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(direct.as_ref(), image.as_slice(), "stored bytes are the simulator's bytes");
}

#[tokio::test]
async fn a_hyaline_code_is_stored_as_png() {
    let app = spawn_app().await;
    let (status, body) = app
        .generate(json!({ "scene": "t=1", "is_hyaline": true, "width": 280, "line_color": {"r": 200, "g": 10, "b": 10} }))
        .await;
    assert_eq!(status, 200, "{body}");
    let (mime, bytes) = decode_data_uri(body["image"].as_str().unwrap());
    assert_eq!(mime, "image/png");
    assert_eq!(wxacode::ImageType::sniff(&bytes), Some(wxacode::ImageType::Png));
    let code = &app.stored_codes().await[0];
    assert_eq!(code["image_type"], "image/png");
    assert_eq!(code["is_hyaline"], json!(true));
    assert_eq!(code["width"], json!(280));
    assert_eq!(code["line_color"], json!({"r": 200, "g": 10, "b": 10}));
    let download = app.http.get(format!("{}/api/codes/{}/image", app.base, code["id"])).send().await.unwrap();
    assert!(download.headers()["content-disposition"].to_str().unwrap().ends_with(".png\""));
}

#[tokio::test]
async fn the_same_parameters_are_served_from_the_store_without_calling_wechat() {
    let app = spawn_app().await;
    let (_, first) = app.generate(scene("sku=42")).await;
    let (status, second) = app.generate(scene("sku=42")).await;
    assert_eq!(status, 200);
    assert_eq!(second["id"], first["id"]);
    assert_eq!(second["reused"], json!(true));
    assert_eq!(second["image"], first["image"]);
    assert_eq!(app.counters().code_calls, 1, "no second WeChat call");

    let (_, other_width) = app.generate(json!({ "scene": "sku=42", "width": 600 })).await;
    assert_ne!(other_width["id"], first["id"], "different options are a different code");

    let (_, forced) = app.generate(json!({ "scene": "sku=42", "force": true })).await;
    assert_eq!(forced["reused"], json!(false));
    assert_ne!(forced["id"], first["id"]);
    assert_eq!(app.counters().code_calls, 3);
    assert_eq!(app.stored_codes().await.len(), 3);
}

#[tokio::test]
async fn two_hundred_concurrent_generations_with_a_cold_token_fetch_one_token() {
    let app = spawn_app().await;
    let requests = (0..200).map(|i| app.generate(scene(&format!("n={i}"))));
    let answers = futures::future::join_all(requests).await;
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
    }
    let counters = app.counters();
    assert_eq!(counters.token_fetches(), 1, "{counters:?}");
    assert_eq!(counters.code_calls, 200);
    let (_, page) = app.get_json("/api/codes?limit=200").await;
    assert_eq!(page["codes"].as_array().unwrap().len(), 200);
}

#[tokio::test]
async fn check_path_false_allows_an_unpublished_page() {
    let app = spawn_app_with(SimulatorConfig::default(), |_| {}).await;
    let (status, body) =
        app.generate(json!({ "scene": "a=1", "page": "pages/new/new", "check_path": false })).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn the_default_sandbox_mode_generates_against_the_embedded_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let config = server::config::Config {
        database_url: crate::helpers::fresh_database_url(&dir, "sandbox").await,
        wechat: server::config::WeChatMode::Sandbox { simulator_addr: "127.0.0.1:0".parse().unwrap() },
        wechat_timeout: std::time::Duration::from_secs(2),
        calls_per_minute: wxacode::client::DEFAULT_CALLS_PER_MINUTE,
        batch_runner: Default::default(),
        public_url: Some("https://codes.example.com/".parse().unwrap()),
        first_admin: None,
        sessions: Default::default(),
        sign_in_throttle: Default::default(),
        trust_proxy: false,
        living: Default::default(),
        resolve_limits: Default::default(),
        metrics_addr: None,
        secret_key: None,
        print_font: app::backend::print::font::DEFAULT_FONT_PATH.into(),
    };
    let database_url = config.database_url.clone();
    let (base, _shutdown) = crate::helpers::start(config).await;
    let http =
        crate::helpers::client_with_key(&crate::helpers::api_key(&database_url, wxacode::Role::Member).await);
    let health: serde_json::Value =
        http.get(format!("{base}/api/health")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["sandbox"], json!(true));
    let body: serde_json::Value = http
        .post(format!("{base}/api/qrcode"))
        .json(&scene("demo=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["success"], json!(true), "{body}");
    assert!(body["share_url"].as_str().unwrap().starts_with("https://codes.example.com/s/"));
}

#[tokio::test]
async fn identical_requests_at_the_same_moment_cause_one_wechat_call() {
    let app = spawn_app().await;
    let answers = futures::future::join_all((0..20).map(|_| app.generate(scene("double=click")))).await;
    let ids: std::collections::HashSet<i64> =
        answers.iter().map(|(_, body)| body["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 1, "all get the same stored code");
    assert_eq!(app.counters().code_calls, 1);
    assert_eq!(answers.iter().filter(|(_, body)| body["reused"] == json!(false)).count(), 1);
}
