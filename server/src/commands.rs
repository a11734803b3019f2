//! What the binary does besides serving: `server backup PATH` and
//! `server keys create --name … --role …`, for operators and provisioning scripts.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use app::backend::accounts::AccountService;
use app::backend::actor::Actor;
use app::backend::audit::AuditService;
use app::backend::db;
use clap::{Parser, Subcommand};
use wxacode::Role;

use crate::Config;

#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "wxacode: the dashboard and REST API (configured by environment variables, see the README)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the dashboard and the REST API (what `server` alone does).
    Serve,
    /// Write a consistent copy of the SQLite database (DATABASE_URL) to PATH, while the app runs.
    Backup {
        /// Where the copy goes; must not exist yet.
        path: PathBuf,
    },
    /// API keys, without the dashboard.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create an API key and print it (only here, only once) on stdout; the audit trail records it.
    Create {
        /// A name unique among live keys, shown in the audit trail as "API key: NAME".
        #[arg(long)]
        name: String,
        /// admin, member or viewer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| format!("{text:?} is not a role: admin, member or viewer"))
}

/// `server backup PATH`.
pub async fn backup(config: &Config, path: PathBuf) -> anyhow::Result<()> {
    db::backup(&config.database_url, &path).await?;
    tracing::info!(path = %path.display(), "backup written");
    Ok(())
}

/// `server keys create`: the new key's secret, to print.
pub async fn create_key(config: &Config, name: &str, role: Role) -> anyhow::Result<String> {
    let pool = db::connect(&config.database_url)
        .await
        .with_context(|| format!("cannot open the database {}", config.database_url))?;
    let audit = Arc::new(AuditService::new(pool.clone()));
    let accounts =
        AccountService::new(pool.clone(), audit, config.sessions.clone(), config.sign_in_throttle.clone());
    let created = accounts.create_key(name, role, &Actor::command_line()).await;
    pool.close().await;
    let key = created.map_err(|error| anyhow::anyhow!("{}", error.display(wxacode::Lang::En)))?;
    Ok(key.secret)
}
