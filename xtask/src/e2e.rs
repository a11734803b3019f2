//! `cargo xtask e2e`: the release server on a fresh database with the sandbox simulator on
//! 127.0.0.1:3901 (the tests steer it through /__sim/*), then Playwright against it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::command;
use crate::site::Site;

/// Where the tests' server listens unless `E2E_ADDR` says otherwise (e.g. beside a `make run`).
const DEFAULT_ADDR: &str = "127.0.0.1:3000";

fn addr() -> String {
    std::env::var("E2E_ADDR").unwrap_or_else(|_| DEFAULT_ADDR.into())
}

pub fn run(site: &Site, playwright_args: &[String]) -> anyhow::Result<()> {
    // Another server there would answer the health check and take the tests.
    let addr = addr();
    if std::net::TcpListener::bind(&addr).is_err() {
        bail!("{addr} is in use: stop what listens there (a `make run`?) or set E2E_ADDR to a free address");
    }
    let dir = site.root.join("target/e2e");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let admin_email = std::env::var("E2E_ADMIN_EMAIL").unwrap_or_else(|_| "admin@example.com".into());
    let admin_password = std::env::var("E2E_ADMIN_PASSWORD").unwrap_or_else(|_| "e2e admin password".into());
    let log = std::fs::File::create(dir.join("server.log"))?;
    let mut server = Command::new(&site.server_exe)
        .current_dir(&site.root)
        .envs(site.server_env())
        .env("LEPTOS_SITE_ADDR", &addr)
        .env("DATABASE_URL", format!("sqlite://{}", dir.join("wxacode.db").display()))
        .env("WXACODE_SANDBOX_ADDR", "127.0.0.1:3901")
        // The first admin the tests sign in as (end2end/tests/fixtures.ts: ADMIN).
        .env("WXACODE_ADMIN_EMAIL", admin_email)
        .env("WXACODE_ADMIN_PASSWORD", admin_password)
        // Mini programs added in the tests seal their AppSecret with it.
        .env("WXACODE_SECRET_KEY", "ZTJlLW9ubHkta2V5LW5vdC1zZWNyZXQtYXQtYWxsISE=")
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("cannot start the server")?;
    let outcome = wait_until_healthy(&mut server, &addr).and_then(|()| {
        command::run(
            Command::new("npx")
                .current_dir(site.root.join("end2end"))
                .env("BASE_URL", format!("http://{addr}"))
                .args(["playwright", "test"])
                .args(playwright_args),
        )
    });
    command::stop(&mut server);
    outcome.with_context(|| format!("server log: {}", dir.join("server.log").display()))
}

/// Until `/api/health` answers 200; fails at once if the server exits.
fn wait_until_healthy(server: &mut Child, addr: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(status) = server.try_wait()? {
            bail!("the server stopped at start ({status})");
        }
        if health_answers(addr) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("the server did not answer /api/health within 60 s")
}

fn health_answers(addr: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr) else { return false };
    let request = format!("GET /api/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut answer = String::new();
    stream.set_read_timeout(Some(Duration::from_secs(5))).is_ok()
        && stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && answer.starts_with("HTTP/1.1 200")
}
