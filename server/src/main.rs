use std::process::ExitCode;

use leptos::config::get_configuration;
use server::startup::shutdown_signal;
use server::{telemetry, Application, Config};

fn main() -> ExitCode {
    if let Err(error) = telemetry::init() {
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
    match runtime.block_on(run()) {
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
