//! The binary's commands, run as an operator runs them, beside a running server.

use std::process::Output;

use serde_json::json;

use crate::helpers::{client_with_key, json_of, spawn_app};

/// Runs `server ARGS…` on the database at `database_url` (blocking: the server under
/// test runs on its own thread).
fn server_command(database_url: &str, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env_remove("WECHAT_APPID")
        .env_remove("RUST_LOG_FORMAT")
        .output()
        .expect("the server binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn keys_create_prints_a_working_key_once_and_the_trail_records_it() {
    let app = spawn_app().await;
    let made =
        server_command(&app.database_url, &["keys", "create", "--name", "deploy bot", "--role", "member"]);
    assert!(made.status.success(), "{}", text(&made.stderr));
    let stdout = text(&made.stdout);
    let key = stdout.trim();
    assert!(key.starts_with("wxa_") && stdout.lines().count() == 1, "only the key on stdout: {stdout:?}");

    // The running server takes it at once, with the role asked for.
    let bot = client_with_key(key);
    let (status, body) =
        json_of(bot.post(format!("{}/api/qrcode", app.base)).json(&json!({ "scene": "cli=1" }))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.stored_codes().await[0]["created_by"], "API key: deploy bot");
    let (status, _) = json_of(bot.get(format!("{}/api/audit", app.base))).await;
    assert_eq!(status, 403, "a member key is not an admin key");

    let (_, trail) = app.get_json("/api/audit?action=api_key_create").await;
    let event = trail["events"]
        .as_array()
        .and_then(|events| {
            events.iter().find(|e| e["detail"].as_str().is_some_and(|d| d.starts_with("deploy bot")))
        })
        .cloned()
        .expect("the key's creation is in the trail");
    assert_eq!(event["source"], "cli");
    assert_eq!(event["actor"], "command line");
    assert!(!trail.to_string().contains(key), "the secret is never in the trail");

    // A live key already has that name: refused, nothing printed.
    let again =
        server_command(&app.database_url, &["keys", "create", "--name", "deploy bot", "--role", "viewer"]);
    assert!(!again.status.success());
    assert!(again.stdout.is_empty());
    assert!(text(&again.stderr).contains("already named \"deploy bot\""), "{}", text(&again.stderr));

    let bad_role = server_command(&app.database_url, &["keys", "create", "--name", "x", "--role", "owner"]);
    assert!(!bad_role.status.success());
    assert!(text(&bad_role.stderr).contains("admin, member or viewer"), "{}", text(&bad_role.stderr));
}

#[tokio::test]
async fn backup_copies_the_database_while_the_server_runs_and_never_overwrites() {
    let app = spawn_app().await;
    let (status, body) = app.generate(json!({ "scene": "backup=1" })).await;
    assert_eq!(status, 200, "{body}");
    let code = app.stored_codes().await.remove(0);
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("copy.db");
    let copy_arg = copy.to_str().expect("a UTF-8 path");

    let done = server_command(&app.database_url, &["backup", copy_arg]);
    if app.backend() == "postgres" {
        assert!(!done.status.success());
        assert!(text(&done.stderr).contains("pg_dump"), "{}", text(&done.stderr));
        return;
    }
    assert!(done.status.success(), "{}", text(&done.stderr));

    // The copy is a database of its own, with the code and its image.
    let copy_url = format!("sqlite://{copy_arg}");
    let db = app::backend::db::connect(&copy_url).await.expect("the copy opens");
    let sql = "SELECT codes.scene, length(code_images.bytes) FROM codes JOIN code_images ON code_images.code_id = codes.id";
    let (scene, bytes): (String, i64) =
        app::on_db!(&db, |pool| sqlx::query_as(sql).fetch_one(pool).await).expect("the code is in the copy");
    assert_eq!(scene, "backup=1");
    assert_eq!(bytes, code["byte_size"].as_i64().expect("byte_size"));
    db.close().await;

    // The server is still fine, and a second backup to the same path is refused.
    let (status, _) = app.get_json("/api/codes").await;
    assert_eq!(status, 200);
    let again = server_command(&app.database_url, &["backup", copy_arg]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("already exists"), "{}", text(&again.stderr));
    let nowhere = dir.path().join("missing/dir/copy.db");
    let missing = server_command(&app.database_url, &["backup", nowhere.to_str().expect("path")]);
    assert!(text(&missing.stderr).contains("does not exist"), "{}", text(&missing.stderr));
}
