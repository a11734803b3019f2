//! `miniprogram/wxacode.js` under Node, against this server over real HTTP.

use serde_json::json;

use crate::helpers::{json_of, spawn_app};

#[tokio::test]
async fn the_mini_program_module_resolves_against_the_running_server() {
    let app = spawn_app().await;
    let mut scenes = Vec::new();
    for _ in 0..2 {
        let body = json!({
            "target": {"page": "pages/promo/promo", "params": [{"key": "campaign", "value": "双十一"}, {"key": "ch", "value": "poster"}]},
            "fallback_page": "pages/sorry/sorry",
        });
        let (status, answer) =
            json_of(app.http.post(format!("{}/api/living-codes", app.base)).json(&body)).await;
        assert_eq!(status, 200, "{answer}");
        scenes.push((
            answer["code"]["id"].as_i64().unwrap(),
            answer["living"]["scene"].as_str().unwrap().to_owned(),
        ));
    }
    let (paused_id, _) = scenes[1];
    let (status, _) = json_of(
        app.http
            .patch(format!("{}/api/codes/{paused_id}/living", app.base))
            .json(&json!({"status": "paused"})),
    )
    .await;
    assert_eq!(status, 200);

    // The server runs on its own thread and runtime: waiting here blocks nothing it needs.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let output = std::process::Command::new("node")
        .args(["--test", "miniprogram/"])
        .current_dir(root)
        .env("WXACODE_BASE", &app.base)
        .env("WXACODE_ACTIVE_SCENE", &scenes[0].1)
        .env("WXACODE_PAUSED_SCENE", &scenes[1].1)
        .output()
        .expect("node runs (Node 18 or later is needed, as for the browser tests)");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{report}\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(report.contains("# pass 6") && report.contains("# skipped 0"), "{report}");
}
