//! wasm-bindgen's JS glue for the main wasm, from its library (`wasm-bindgen-cli-support`)
//! rather than its command line: nothing to install, and about 150 fewer crates to compile on a
//! fresh machine than `cargo install wasm-bindgen-cli` (a web server, an HTTP client, clap…).
//! The glue and the wasm must come from exactly the same wasm-bindgen version or the bundle
//! fails at load; both versions are read from Cargo.lock and compared before anything is built.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context};

/// Fails unless Cargo.lock pins the library this build links to the wasm-bindgen the browser
/// code is compiled against (xtask/Cargo.toml's `=` version must move with it).
pub fn check_locked(root: &Path) -> anyhow::Result<()> {
    let lock = fs::read_to_string(root.join("Cargo.lock")).context("cannot read Cargo.lock")?;
    let browser = locked_version(&lock, "wasm-bindgen")?;
    let glue = locked_version(&lock, "wasm-bindgen-cli-support")?;
    if browser != glue {
        bail!(
            "Cargo.lock has wasm-bindgen {browser} but wasm-bindgen-cli-support {glue}: \
             set xtask/Cargo.toml's wasm-bindgen-cli-support to \"={browser}\""
        );
    }
    Ok(())
}

/// The version of the crate `name` in a Cargo.lock's text.
fn locked_version(lock: &str, name: &str) -> anyhow::Result<String> {
    let name_line = format!("\nname = \"{name}\"\n");
    lock.split("[[package]]")
        .find(|entry| entry.contains(&name_line))
        .and_then(|entry| entry.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"').to_owned())
        .with_context(|| format!("no {name} in Cargo.lock"))
}

/// `wasm-bindgen --target=web --keep-lld-exports --out-name=NAME --out-dir=OUT WASM`, as the
/// command line sets the library up for those flags.
pub fn generate(wasm: &Path, out_name: &str, out_dir: &Path) -> anyhow::Result<()> {
    println!("==> wasm-bindgen (web, keeping lld's exports) {} → {}", wasm.display(), out_dir.display());
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(wasm)
        .web(true)?
        // The chunks link to symbols of the main wasm that only the linker exported.
        .keep_lld_exports(true)
        .out_name(out_name)
        .omit_default_module_path(false);
    bindgen.generate(out_dir).map_err(|error| anyhow::anyhow!("wasm-bindgen failed: {error:#}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glue_library_is_the_browser_codes_wasm_bindgen() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace");
        check_locked(root).expect("the two versions agree");
    }

    #[test]
    fn versions_are_read_per_crate_not_by_prefix() {
        let lock = "[[package]]\nname = \"wasm-bindgen-shared\"\nversion = \"9.9.9\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(locked_version(lock, "wasm-bindgen").unwrap(), "0.2.130");
        assert!(locked_version(lock, "wasm-bindgen-cli-support").is_err());
    }
}
