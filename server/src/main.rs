use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use leptos::config::get_configuration;
use server::commands::{self, Cli, Command, KeysCommand};
use server::startup::shutdown_signal;
use server::{telemetry, Application, Config};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let serving = matches!(cli.command, None | Some(Command::Serve));
    if let Err(error) = telemetry::init(!serving) {
        tracing::error!("wxacode cannot start: {error}");
        return ExitCode::FAILURE;
    }
    let runtime = match server::startup::runtime() {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!("wxacode cannot start: cannot create the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if serving => {
            // One clear line: what failed and why.
            tracing::error!("wxacode cannot start: {error:#}");
            ExitCode::FAILURE
        }
        Err(error) => {
            tracing::error!("{error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    match command {
        Command::Serve => {
            let leptos_options = get_configuration(None)?.leptos_options;
            let app = Application::build(config, leptos_options).await?;
            app.run_until(shutdown_signal()).await?;
        }
        Command::Backup { path } => commands::backup(&config, path).await?,
        Command::Keys { command: KeysCommand::Create { name, role } } => {
            let secret = commands::create_key(&config, &name, role).await?;
            // The key is the command's answer: alone on stdout, for `KEY=$(server keys create …)`.
            writeln!(std::io::stdout(), "{secret}")?;
        }
    }
    Ok(())
}
