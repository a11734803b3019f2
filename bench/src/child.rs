//! The server under test in a child process (this same program, re-run with
//! `BENCH_SERVE_DATABASE` set), so its memory and threads are its own.

use std::io::BufRead;

use anyhow::{bail, Context};
use leptos::prelude::LeptosOptions;
use server::config::Config;
use server::Application;

/// The first admin of every benchmark's server.
pub const ADMIN_EMAIL: &str = "bench@example.com";
pub const ADMIN_PASSWORD: &str = "bench admin password";

/// Set in the child: the database it serves.
const SERVE: &str = "BENCH_SERVE_DATABASE";

/// A benchmark's `main`: in the child, the server until stdin closes; in the parent, `run` on
/// one thread (the load's own clients run on threads of their own).
pub fn main<F>(run: impl FnOnce() -> F) -> anyhow::Result<()>
where
    F: std::future::Future<Output = anyhow::Result<()>>,
{
    if let Ok(database_url) = std::env::var(SERVE) {
        return server::startup::runtime()?.block_on(serve(database_url));
    }
    tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?.block_on(run())
}

/// The real server on a free port, its address on stdout, until stdin closes. Configured from
/// the environment like the real one, with the benchmark's admin and no limit on resolves
/// (every request comes from one address, and raw speed is the question).
async fn serve(database_url: String) -> anyhow::Result<()> {
    let mut config = Config::from_lookup(|name| match name {
        "WXACODE_ADMIN_EMAIL" => Some(ADMIN_EMAIL.into()),
        "WXACODE_ADMIN_PASSWORD" => Some(ADMIN_PASSWORD.into()),
        "WXACODE_RESOLVE_PER_CLIENT_PER_MINUTE" | "WXACODE_RESOLVE_TOTAL_PER_SECOND" => {
            Some("10000000".into())
        }
        "DATABASE_URL" | "LEPTOS_SITE_ADDR" => None,
        other => std::env::var(other).ok(),
    })?;
    config.database_url = database_url;
    let options = LeptosOptions::builder()
        .output_name("wxacode")
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build();
    let app = Application::build(config, options).await?;
    println!("{}", app.addr());
    app.run_until(async {
        let mut rest = Vec::new();
        let _ = tokio::io::AsyncReadExt::read_to_end(&mut tokio::io::stdin(), &mut rest).await;
    })
    .await?;
    Ok(())
}

/// The server in a child process; [`ServerProcess::stop`] (or dropping it) closes its stdin,
/// which stops it.
pub struct ServerProcess {
    child: std::process::Child,
    pub base: String,
}

impl ServerProcess {
    pub fn spawn(database_url: &str) -> anyhow::Result<Self> {
        let mut child = std::process::Command::new(std::env::current_exe()?)
            .env(SERVE, database_url)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut addr = String::new();
        std::io::BufReader::new(stdout).read_line(&mut addr)?;
        if addr.trim().is_empty() {
            bail!("the server did not start");
        }
        Ok(Self { child, base: format!("http://{}", addr.trim()) })
    }

    /// Its resident memory now (and at its peak), in MB.
    pub fn memory(&self) -> Memory {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|line| line.starts_with(name))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
                .map_or(f64::NAN, |kb| kb / 1024.0)
        };
        Memory {
            rss: field("VmRSS:"),
            peak: field("VmHWM:"),
            anonymous: field("RssAnon:"),
            file: field("RssFile:"),
        }
    }

    pub fn stop(mut self) -> anyhow::Result<()> {
        drop(self.child.stdin.take());
        let status = self.child.wait()?;
        if !status.success() {
            bail!("the server stopped with {status}");
        }
        Ok(())
    }
}

/// A process's resident memory, in MB.
#[derive(Clone, Copy)]
pub struct Memory {
    pub rss: f64,
    pub peak: f64,
    /// Its own: heap, stacks, SQLite's page caches.
    pub anonymous: f64,
    /// Mapped from files, mostly the binary's code: shared with other processes of the same
    /// binary, and the kernel can drop it under pressure.
    pub file: f64,
}

impl std::fmt::Display for Memory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RSS {:.0} MB (its own {:.0}, code and files mapped {:.0}), peak {:.0} MB",
            self.rss, self.anonymous, self.file, self.peak
        )
    }
}
