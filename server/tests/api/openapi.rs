//! The API's machine-readable description and its reference page.

use serde_json::{json, Value};

use crate::helpers::{assert_failure, json_of, spawn_app};

async fn document(app: &crate::helpers::TestApp) -> Value {
    let (status, document) = json_of(app.anon.get(format!("{}/api/openapi.json", app.base))).await;
    assert_eq!(status, 200, "the document is public");
    document
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_describes_every_endpoint_of_the_readme() {
    let app = spawn_app().await;
    let document = document(&app).await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"), "{}", document["openapi"]);
    let endpoints = [
        ("post", "/api/qrcode"),
        ("get", "/api/codes"),
        ("get", "/api/codes/{id}"),
        ("delete", "/api/codes/{id}"),
        ("post", "/api/codes/{id}/restore"),
        ("post", "/api/codes/{id}/share"),
        ("delete", "/api/codes/{id}/share"),
        ("put", "/api/codes/{id}/share/expiry"),
        ("get", "/api/codes/{id}/image"),
        ("get", "/api/codes/archive"),
        ("post", "/api/batches"),
        ("get", "/api/batches"),
        ("post", "/api/batches/preview"),
        ("get", "/api/batches/{id}"),
        ("get", "/api/batches/{id}/events"),
        ("post", "/api/batches/{id}/pause"),
        ("post", "/api/batches/{id}/resume"),
        ("post", "/api/batches/{id}/cancel"),
        ("get", "/api/batches/{id}/zip"),
        ("get", "/api/batches/{id}/failed.csv"),
        ("get", "/api/audit"),
        ("get", "/api/health"),
    ];
    for (method, path) in endpoints {
        assert!(document["paths"][path][method].is_object(), "{method} {path} is not documented");
    }
    let schemes = &document["components"]["securitySchemes"]["api_key"];
    assert_eq!(schemes["scheme"], "bearer", "{schemes}");
    let error = &document["components"]["schemas"]["ErrorBody"]["properties"];
    assert!(error["success"].is_object() && error["error"].is_object(), "{error}");
}

#[tokio::test]
async fn the_documented_example_of_a_generation_is_accepted() {
    let app = spawn_app().await;
    let document = document(&app).await;
    let body = &document["paths"]["/api/qrcode"]["post"]["requestBody"]["content"]["application/json"];
    let schema = match &body["schema"]["$ref"] {
        Value::String(reference) => {
            let name = reference.rsplit('/').next().unwrap();
            document["components"]["schemas"][name].clone()
        }
        _ => body["schema"].clone(),
    };
    let example = body.get("example").cloned().unwrap_or_else(|| schema["example"].clone());
    assert!(example.is_object(), "no example documented: {body}");
    let (status, answer) = app.generate(example.clone()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["scene"], example["scene"]);
    assert_eq!(answer["label"], example["label"]);
}

#[tokio::test]
async fn the_seed_compatible_answer_keeps_its_keys() {
    let app = spawn_app().await;
    let (status, answer) = app.generate(json!({ "scene": "seed=1" })).await;
    assert_eq!(status, 200, "{answer}");
    let mut keys: Vec<&str> = answer.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["code", "id", "image", "label", "page", "reused", "scene", "share_url", "success"]);
    let (status, body) = app.generate(json!({ "page": "pages/a" })).await;
    let error = assert_failure(status, &body, 400);
    assert!(error.contains("场景值"), "{error}");
    let mut keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["error", "problems", "success"]);
}

#[tokio::test]
async fn the_reference_page_is_served_without_a_key_and_from_this_server_only() {
    let app = spawn_app().await;
    let page = app.anon.get(format!("{}/api/docs/", app.base)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("https://"), "nothing is fetched from elsewhere: {html}");
    for asset in ["swagger-ui-bundle.js", "swagger-ui.css", "swagger-initializer.js"] {
        let response = app.anon.get(format!("{}/api/docs/{asset}", app.base)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{asset}");
    }
    let initializer =
        app.anon.get(format!("{}/api/docs/swagger-initializer.js", app.base)).send().await.unwrap();
    assert!(initializer.text().await.unwrap().contains("/api/openapi.json"));
}

#[tokio::test]
async fn malformed_requests_fail_in_the_asked_language_without_per_handler_code() {
    let app = spawn_app().await;
    for (request, what) in [
        (app.http.get(format!("{}/api/codes/abc", app.base)), "path"),
        (app.http.get(format!("{}/api/codes?limit=x", app.base)), "query"),
        (
            app.http
                .post(format!("{}/api/qrcode", app.base))
                .header("content-type", "application/json")
                .body("{"),
            "json",
        ),
        (app.http.get(format!("{}/api/audit?before=x", app.base)), "typed query"),
    ] {
        let (status, body) = json_of(request.header("accept-language", "en")).await;
        let error = assert_failure(status, &body, 400);
        assert!(error.starts_with("The request could not be read"), "{what}: {error}");
    }
    // A query parameter is named, and a number's problem said in the client's language.
    for (path, lang, said) in [
        ("/api/print/sheet?ids=1&copies=abc", "en", "the query parameter copies must be a whole number"),
        ("/api/print/sheet?ids=1&margin_mm=wide", "zh", "查询参数 margin_mm 须为数字"),
        ("/api/codes/1/image?download=maybe", "en", "the query parameter download must be true or false"),
    ] {
        let (status, body) =
            json_of(app.http.get(format!("{}{path}", app.base)).header("accept-language", lang)).await;
        let error = assert_failure(status, &body, 400);
        assert!(error.contains(said), "{path}: {error}");
    }
    let (status, body) =
        json_of(app.anon.get(format!("{}/api/codes", app.base)).header("accept-language", "en")).await;
    let error = assert_failure(status, &body, 401);
    assert!(error.starts_with("Sign in first"), "the auth layer's refusals are localised too: {error}");
}
