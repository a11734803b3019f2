//! `cargo xtask <command>`: the site's build and run without compiling cargo-leptos.
//!
//! - `build`: the server (release) and the browser bundle compiled at once, then the bundle split
//!   at its lazy routes, wasm-bindgen (its library, at Cargo.lock's version), wasm-opt, the
//!   stylesheet and public files, content-hashed names and precompressed copies in
//!   `target/site`, as `cargo leptos build --release --precompress --split` made them.
//! - `bundle`: `build` without the server (a quick look at the bundle after a browser change).
//! - `serve`: `build`, then the server with the site's settings (`make run`).
//! - `e2e`: `build`, then the server on a fresh database and Playwright against it.
//! - `postgres COMMAND…`: COMMAND with a throwaway PostgreSQL server (the integration suite on it).
//! - `cluster`: `build`, then PostgreSQL, two replicas and nginx on one port (`make cluster`).
//!
//! The settings the server reads (`LEPTOS_*`) come from `[[workspace.metadata.leptos]]`'s
//! values, fixed here in [`site::Site`]; `cargo leptos watch` keeps working beside this.

mod bundle;
mod cluster;
mod command;
mod e2e;
mod imports;
mod postgres;
mod site;
mod wasm_bindgen;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => site::build().map(|_| ()),
        Some("bundle") => site::build_with(site::Server::Skip).map(|_| ()),
        Some("serve") => site::build().and_then(|site| site.serve()),
        Some("e2e") => site::build().and_then(|site| e2e::run(&site, &args[1..])),
        Some("postgres") => postgres::run_with(&args[1..]),
        Some("cluster") => site::build().and_then(|site| cluster::run(&site)),
        _ => {
            eprintln!(
                "usage: cargo xtask build | bundle | serve | e2e [playwright arguments] | postgres COMMAND… | cluster"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error:#}");
            ExitCode::FAILURE
        }
    }
}
