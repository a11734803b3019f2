//! Running the tools the build drives, loudly: each command is printed before it runs
//! and its failure names it.

use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context};

pub fn run(command: &mut Command) -> anyhow::Result<()> {
    let line = describe(command);
    println!("==> {line}");
    let started = Instant::now();
    let status = command.status().with_context(|| format!("cannot start {line}"))?;
    if !status.success() {
        bail!("{line} failed ({status})");
    }
    println!("    done in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

pub fn describe(command: &Command) -> String {
    let program = command.get_program().to_string_lossy().into_owned();
    let args = command.get_args().map(|a| a.to_string_lossy().into_owned());
    std::iter::once(program).chain(args).collect::<Vec<_>>().join(" ")
}
