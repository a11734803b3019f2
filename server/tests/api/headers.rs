use crate::helpers::spawn_app;

#[tokio::test]
async fn pages_carry_a_csp_whose_nonce_is_on_every_inline_script() {
    let app = spawn_app().await;
    for path in ["/", "/history", "/batches"] {
        let page = app.http.get(format!("{}{path}", app.base)).send().await.unwrap();
        let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        let nonce = nonce_of(&policy);
        let html = page.text().await.unwrap();
        let inline_scripts = html.matches("<script").count();
        assert!(inline_scripts > 0);
        assert_eq!(
            html.matches(&format!("nonce=\"{nonce}\"")).count(),
            inline_scripts,
            "{path}: every script carries the nonce"
        );
    }
    let policy_of = |response: reqwest::Response| {
        response.headers()["content-security-policy"].to_str().unwrap().to_owned()
    };
    let first = policy_of(app.http.get(format!("{}/", app.base)).send().await.unwrap());
    let second = policy_of(app.http.get(format!("{}/", app.base)).send().await.unwrap());
    assert_ne!(nonce_of(&first), nonce_of(&second), "a fresh nonce per page");
}

fn nonce_of(policy: &str) -> String {
    policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .filter(|nonce| !nonce.is_empty())
        .expect("a nonce in the policy")
        .to_owned()
}

#[tokio::test]
async fn every_response_forbids_sniffing_framing_and_referrer_leaks() {
    let app = spawn_app().await;
    for path in ["/api/health", "/", "/api/codes/999", "/s/unknown"] {
        let response = app.http.get(format!("{}{path}", app.base)).send().await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
    }
}

#[tokio::test]
async fn an_oversized_json_body_is_refused_with_413() {
    let app = spawn_app().await;
    let huge = vec![b'x'; 3 * 1024 * 1024];
    let json = app
        .http
        .post(format!("{}/api/qrcode", app.base))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), 413, "JSON routes take at most 2 MB");
    let body: serde_json::Value = json.json().await.unwrap();
    assert_eq!(body["success"], false, "the usual error shape: {body}");
}
