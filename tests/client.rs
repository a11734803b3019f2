//! The WeChat client against local HTTP servers: the simulator, and stubs
//! answering what WeChat sometimes answers.

use std::net::SocketAddr;
use std::time::Duration;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use secrecy::SecretString;
use wxacode::simulator::{SimulatorConfig, SimulatorHandle, SANDBOX_APPID, SANDBOX_SECRET};
use wxacode::{CodeRequest, ImageType, Scene, WeChatClient, WeChatConfig, WeChatError};

fn request() -> CodeRequest {
    CodeRequest::with_scene(Scene::parse("id=1").unwrap())
}

fn client_for(base: url::Url) -> WeChatClient {
    let mut config = WeChatConfig::new(base, SANDBOX_APPID, SecretString::from(SANDBOX_SECRET));
    config.timeout = Duration::from_secs(2);
    config.busy_backoff = vec![Duration::from_millis(10); 3];
    WeChatClient::new(config).unwrap()
}

/// A stub WeChat whose code endpoint answers `code_answer`.
async fn stub(
    code_answer: impl Fn() -> axum::response::Response + Clone + Send + Sync + 'static,
) -> url::Url {
    let app = Router::new()
        .route(
            "/cgi-bin/stable_token",
            post(|| async { Json(serde_json::json!({"access_token": "stub-token", "expires_in": 7200})) }),
        )
        .route(
            "/wxa/getwxacodeunlimit",
            post(move || {
                let answer = code_answer.clone();
                async move { answer() }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}").parse().unwrap()
}

#[tokio::test]
async fn a_code_from_the_simulator_is_an_image_of_the_sniffed_type() {
    let sim =
        SimulatorHandle::spawn(SimulatorConfig::default(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let client = client_for(sim.base_url());
    let image = client.get_unlimited_code(&request()).await.unwrap();
    assert_eq!(image.image_type, ImageType::Jpeg);
    let mut transparent = request();
    transparent.is_hyaline = true;
    assert_eq!(client.get_unlimited_code(&transparent).await.unwrap().image_type, ImageType::Png);
    assert_eq!(sim.counters().stable_token_calls, 1);
}

#[tokio::test]
async fn an_errcode_json_is_recognised_even_without_a_json_content_type() {
    let base = stub(|| {
        ([(header::CONTENT_TYPE, "text/plain")], r#"{"errcode":41030,"errmsg":"invalid page"}"#)
            .into_response()
    })
    .await;
    let error = client_for(base).get_unlimited_code(&request()).await.unwrap_err();
    assert!(matches!(error, WeChatError::Api { errcode: 41030, .. }), "{error:?}");
}

#[tokio::test]
async fn a_png_is_recognised_whatever_the_content_type_says() {
    let png = b"\x89PNG\r\n\x1a\n rest of a png".to_vec();
    let base =
        stub(move || ([(header::CONTENT_TYPE, "application/octet-stream")], png.clone()).into_response())
            .await;
    let image = client_for(base).get_unlimited_code(&request()).await.unwrap();
    assert_eq!(image.image_type, ImageType::Png);
}

#[tokio::test]
async fn an_empty_body_or_errcode_zero_is_an_invalid_response() {
    for answer in ["", r#"{"errcode":0,"errmsg":"ok"}"#] {
        let base = stub(move || ([(header::CONTENT_TYPE, "image/jpeg")], answer).into_response()).await;
        let error = client_for(base).get_unlimited_code(&request()).await.unwrap_err();
        assert!(matches!(error, WeChatError::InvalidResponse { .. }), "{answer:?}: {error:?}");
        assert!(error.message().zh.contains("无法识别"));
    }
}

#[tokio::test]
async fn transport_errors_never_carry_the_access_token() {
    let base = stub(|| {
        (
            [(header::CONTENT_TYPE, "image/jpeg")],
            axum::body::Body::from_stream(futures_util::stream::once(async {
                Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other("cut"))
            })),
        )
            .into_response()
    })
    .await;
    let error = client_for(base).get_unlimited_code(&request()).await.unwrap_err();
    assert!(matches!(error, WeChatError::Unreachable(_)), "{error:?}");
    let printed = format!("{error:?} {error} {:?}", std::error::Error::source(&error));
    assert!(!printed.contains("stub-token"), "{printed}");
}
