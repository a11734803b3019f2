//! The real server binary as its own process (for SIGKILL, and for several replicas).

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use wxacode::simulator::{SimulatorHandle, SANDBOX_APPID, SANDBOX_SECRET};

use crate::helpers::http_client;

pub struct ServerProcess {
    pub child: Child,
    pub base: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `target/…/server` on a free port against `sim`, with `env` on top, and waits until it answers.
pub async fn start_binary(sim: &SimulatorHandle, database_url: &str, env: &[(&str, &str)]) -> ServerProcess {
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("LEPTOS_OUTPUT_NAME", "wxacode")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_SITE_PKG_DIR", "pkg")
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("DATABASE_URL", database_url)
        .env("WECHAT_APPID", SANDBOX_APPID)
        .env("WECHAT_SECRET", SANDBOX_SECRET)
        .env("WECHAT_API_BASE", sim.base_url().as_str())
        .env("WXACODE_ADMIN_EMAIL", crate::helpers::ADMIN_EMAIL)
        .env("WXACODE_ADMIN_PASSWORD", crate::helpers::ADMIN_PASSWORD)
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let server = ServerProcess { child, base: format!("http://127.0.0.1:{port}") };
    let http = http_client();
    let deadline = Instant::now() + Duration::from_secs(30);
    while http.get(format!("{}/api/health", server.base)).send().await.is_err() {
        assert!(Instant::now() < deadline, "the server binary never answered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server
}
