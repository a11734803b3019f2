use std::process::ExitCode;

use leptos::config::get_configuration;
use server::startup::shutdown_signal;
use server::{telemetry, Application, Config};

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One clear line: what failed and why.
            tracing::error!("wxacode cannot start: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let leptos_options = get_configuration(None)?.leptos_options;
    let app = Application::build(config, leptos_options).await?;
    app.run_until(shutdown_signal()).await?;
    Ok(())
}
