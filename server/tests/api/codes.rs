use serde_json::json;

use crate::helpers::{assert_failure, scene, spawn_app};

#[tokio::test]
async fn codes_are_listed_newest_first_in_keyset_pages() {
    let app = spawn_app().await;
    for i in 0..5 {
        assert_eq!(app.generate(scene(&format!("p={i}"))).await.0, 200);
    }
    let (status, first) = app.get_json("/api/codes?limit=2").await;
    assert_eq!(status, 200);
    let scenes = |page: &serde_json::Value| -> Vec<String> {
        page["codes"].as_array().unwrap().iter().map(|c| c["scene"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(scenes(&first), vec!["p=4", "p=3"]);
    let before = first["next_before"].as_i64().expect("another page");
    let (_, second) = app.get_json(&format!("/api/codes?limit=2&before={before}")).await;
    assert_eq!(scenes(&second), vec!["p=2", "p=1"]);
    let before = second["next_before"].as_i64().unwrap();
    let (_, last) = app.get_json(&format!("/api/codes?limit=2&before={before}")).await;
    assert_eq!(scenes(&last), vec!["p=0"]);
    assert_eq!(last["next_before"], json!(null));
    assert_eq!(last["total"], json!(5));
}

#[tokio::test]
async fn a_last_page_that_is_exactly_full_offers_no_next_page() {
    let app = spawn_app().await;
    for i in 0..4 {
        assert_eq!(app.generate(scene(&format!("e={i}"))).await.0, 200);
    }
    let (_, first) = app.get_json("/api/codes?limit=2").await;
    let before = first["next_before"].as_i64().expect("another page");
    let (_, second) = app.get_json(&format!("/api/codes?limit=2&before={before}")).await;
    assert_eq!(second["codes"].as_array().unwrap().len(), 2);
    assert_eq!(second["next_before"], json!(null), "{second}");
    assert_eq!(second["total"], json!(4));
}

#[tokio::test]
async fn one_code_is_shown_with_all_its_parameters() {
    let app = spawn_app().await;
    let (_, generated) = app
        .generate(json!({ "scene": "x=1", "page": "pages/index/index", "env_version": "trial", "check_path": false, "auto_color": true }))
        .await;
    let id = generated["id"].as_i64().unwrap();
    let (status, body) = app.get_json(&format!("/api/codes/{id}")).await;
    assert_eq!(status, 200, "{body}");
    let code = &body["code"];
    assert_eq!(code["scene"], "x=1");
    assert_eq!(code["page"], "pages/index/index");
    assert_eq!(code["env_version"], "trial");
    assert_eq!(code["check_path"], json!(false));
    assert_eq!(code["auto_color"], json!(true));
    assert_eq!(code["sha256"].as_str().unwrap().len(), 64);
    assert!(code["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(code["image_url"], format!("/api/codes/{id}/image"));
}

#[tokio::test]
async fn missing_codes_and_bad_ids_and_unknown_endpoints_answer_json() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/api/codes/999").await;
    assert_failure(status, &body, 404);
    let (status, body) = app.get_json("/api/codes/999/image").await;
    assert_failure(status, &body, 404);
    let (status, body) = app.get_json("/api/codes/abc").await;
    assert_failure(status, &body, 400);
    let (status, body) = app.get_json("/api/codes?limit=0").await;
    assert_failure(status, &body, 400);
    let (status, body) = app.get_json("/api/codes?limit=1000").await;
    assert_failure(status, &body, 400);
    let (status, body) = app.get_json("/api/nothing-here").await;
    assert_failure(status, &body, 404);
}

#[tokio::test]
async fn the_image_answers_conditional_requests_with_304() {
    let app = spawn_app().await;
    let (_, generated) = app.generate(scene("e=1")).await;
    let url = format!("{}/api/codes/{}/image", app.base, generated["id"]);
    let first = app.http.get(&url).send().await.unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = app.http.get(&url).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn health_reports_the_database_and_mode() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/api/health").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["sandbox"], json!(false));
    assert!(body["timestamp"].as_str().unwrap().contains('T'));
}

#[tokio::test]
async fn the_generator_page_is_rendered_on_the_server() {
    let app = spawn_app().await;
    let response = app.http.get(format!("{}/", app.base)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"scene\""), "form is rendered");
    assert!(html.contains("生成小程序码"));
    assert!(!html.contains(wxacode::simulator::SANDBOX_SECRET), "the secret never reaches a page");
    let missing = app.http.get(format!("{}/no/such/page", app.base)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}
