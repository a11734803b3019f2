//! wasm-bindgen-cli, which must be exactly the version in Cargo.lock or the bundle fails at
//! load. Installed here rather than before the build: compiling it takes minutes that the
//! server's and the bundle's builds leave a core free for.

use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context};

/// The wasm-bindgen version Cargo.lock holds.
pub fn locked_version(root: &Path) -> anyhow::Result<String> {
    let lock = fs::read_to_string(root.join("Cargo.lock")).context("cannot read Cargo.lock")?;
    lock.split("[[package]]")
        .find(|entry| entry.contains("\nname = \"wasm-bindgen\"\n"))
        .and_then(|entry| entry.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"').to_owned())
        .context("no wasm-bindgen in Cargo.lock")
}

/// What `wasm-bindgen --version` says, if it runs.
fn installed_version() -> Option<String> {
    let output = Command::new("wasm-bindgen").arg("--version").output().ok()?;
    Some(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Whether `wasm-bindgen --version` ("wasm-bindgen 0.2.130") names the locked version.
fn is_locked(installed: &str, locked: &str) -> bool {
    installed.ends_with(locked)
}

/// The install to run beside the build, when the installed CLI is missing or another version.
pub fn install_if_missing(locked: &str) -> Option<Command> {
    if installed_version().is_some_and(|installed| is_locked(&installed, locked)) {
        return None;
    }
    let mut install = Command::new("cargo");
    // Not --locked: its lock file names a crate version the registry lacks.
    install.args(["install", "wasm-bindgen-cli", "--version", locked, "--force"]);
    Some(install)
}

/// Fails unless the CLI on the PATH is the locked version.
pub fn check(locked: &str) -> anyhow::Result<()> {
    let Some(installed) = installed_version() else {
        bail!("wasm-bindgen is not on the PATH (cargo installs it to ~/.cargo/bin)");
    };
    if !is_locked(&installed, locked) {
        bail!("wasm-bindgen is {installed}, Cargo.lock needs {locked}");
    }
    Ok(())
}
