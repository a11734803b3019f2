//! `cargo xtask cluster` (`make cluster`): the release build as it runs for a larger team, on
//! one machine: PostgreSQL (its data kept in target/cluster/postgres), two replicas of the
//! server on 127.0.0.1:3001 and :3002, and Debian's nginx in front of them on
//! http://127.0.0.1:3000 with deploy/nginx/. Ctrl-C stops all of it.

use std::path::Path;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use crate::command;
use crate::postgres::TempPostgres;
use crate::site::Site;

const REPLICAS: [&str; 2] = ["127.0.0.1:3001", "127.0.0.1:3002"];
const PUBLIC_URL: &str = "http://127.0.0.1:3000/";

pub fn run(site: &Site) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)).context("cannot catch Ctrl-C")?;

    let dir = site.root.join("target/cluster");
    let postgres = TempPostgres::start_kept(dir.join("postgres"))?;
    postgres.ensure_database("wxacode")?;
    let database_url = format!("{}/wxacode", postgres.url());

    let mut children: Vec<(String, Child)> = Vec::new();
    let outcome = start_all(site, &dir, &database_url, &mut children).and_then(|()| {
        println!("==> wxacode on {PUBLIC_URL} (nginx → {}); Ctrl-C stops it", REPLICAS.join(", "));
        wait(&stop, &mut children)
    });
    for (_, child) in children.iter_mut().rev() {
        command::stop(child);
    }
    drop(postgres);
    outcome
}

fn start_all(
    site: &Site,
    dir: &Path,
    database_url: &str,
    children: &mut Vec<(String, Child)>,
) -> anyhow::Result<()> {
    for (i, addr) in REPLICAS.iter().enumerate() {
        let mut replica = Command::new(&site.server_exe);
        replica
            .current_dir(&site.root)
            .envs(site.server_env())
            .env("LEPTOS_SITE_ADDR", addr)
            .env("DATABASE_URL", database_url)
            .env("WXACODE_TRUST_PROXY", "true")
            .env("WXACODE_PUBLIC_URL", PUBLIC_URL);
        let child = replica.spawn().with_context(|| format!("cannot start replica {}", i + 1))?;
        children.push((format!("replica {} ({addr})", i + 1), child));
    }
    let prefix = dir.join("nginx");
    std::fs::create_dir_all(prefix.join("tmp"))?;
    for file in ["cluster.conf", "wxacode.conf"] {
        std::fs::copy(site.root.join("deploy/nginx").join(file), prefix.join(file))
            .with_context(|| format!("cannot copy deploy/nginx/{file}"))?;
    }
    let nginx = Command::new("nginx")
        .arg("-p")
        .arg(&prefix)
        .arg("-c")
        .arg(prefix.join("cluster.conf"))
        .spawn()
        .context("cannot start nginx (scripts/install-tools.sh test installs Debian's nginx)")?;
    children.push(("nginx".into(), nginx));
    Ok(())
}

/// Until Ctrl-C, or until one of them stops on its own (that ends the cluster, loudly).
fn wait(stop: &AtomicBool, children: &mut [(String, Child)]) -> anyhow::Result<()> {
    while !stop.load(Ordering::SeqCst) {
        for (name, child) in children.iter_mut() {
            if let Some(status) = child.try_wait()? {
                anyhow::bail!("{name} stopped ({status})");
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(())
}
