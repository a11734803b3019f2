//! The site: the release server and everything the browser loads, in `target/site`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::bundle::{self, Bundle};
use crate::command::{run, Together};
use crate::wasm_bindgen;

/// Where the browser bundle is compiled (see `build`).
const BROWSER_TARGET_DIR: &str = "target/browser";

/// What `[[workspace.metadata.leptos]]` says, for the server and the build alike.
pub struct Site {
    pub root: PathBuf,
    pub output_name: &'static str,
    pub pkg_dir: &'static str,
    pub server_exe: PathBuf,
}

impl Site {
    fn new(root: PathBuf) -> Self {
        Self { server_exe: root.join("target/release/server"), root, output_name: "wxacode", pkg_dir: "pkg" }
    }

    pub fn site_dir(&self) -> PathBuf {
        self.root.join("target/site")
    }

    pub fn pkg(&self) -> PathBuf {
        self.site_dir().join(self.pkg_dir)
    }

    /// The settings the server reads at start (leptos_config), as cargo-leptos passed them.
    pub fn server_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("LEPTOS_OUTPUT_NAME", self.output_name.into()),
            ("LEPTOS_SITE_ROOT", self.site_dir().display().to_string()),
            ("LEPTOS_SITE_PKG_DIR", self.pkg_dir.into()),
            ("LEPTOS_HASH_FILES", "true".into()),
            ("LEPTOS_ENV", "PROD".into()),
        ]
    }

    /// `make run`: the server in the foreground on `LEPTOS_SITE_ADDR` (127.0.0.1:3000).
    pub fn serve(&self) -> anyhow::Result<()> {
        let mut server = Command::new(&self.server_exe);
        server.current_dir(&self.root).envs(self.server_env());
        run(&mut server)
    }
}

fn workspace_root() -> PathBuf {
    // xtask/ sits at the workspace's top.
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

pub fn build() -> anyhow::Result<Site> {
    build_with(Server::Build)
}

/// Whether a build compiles the server beside the bundle (`cargo xtask bundle` does not: a
/// quicker look at the bundle's size after a change in the browser's code).
#[derive(PartialEq)]
pub enum Server {
    Build,
    Skip,
}

pub fn build_with(server_build: Server) -> anyhow::Result<Site> {
    let site = Site::new(workspace_root());
    wasm_bindgen::check_locked(&site.root)?;
    // The server reads its output name at compile time too (leptos_config's option_env!).
    let mut server = Command::new("cargo");
    server.current_dir(&site.root).env("LEPTOS_OUTPUT_NAME", site.output_name).args([
        "build",
        "--release",
        "--package",
        "server",
        "--bin",
        "server",
    ]);
    // The browser build's rustflags (erase_components) are in .cargo/config.toml. Its own target
    // directory, so the two builds run at once: they share no artifacts anyway (other target,
    // other profile), and one cargo would wait for the other's lock on a shared one.
    let mut browser = Command::new("cargo");
    browser.current_dir(&site.root).env("LEPTOS_OUTPUT_NAME", site.output_name).args([
        "build",
        "--package",
        "frontend",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
        "--target-dir",
        BROWSER_TARGET_DIR,
    ]);
    // The server takes longest: the bundle is split, bound and optimised while it compiles.
    let server_build =
        if server_build == Server::Build { Some(Together::spawn(&mut [&mut server])?) } else { None };
    run(&mut browser)?;

    let site_dir = site.site_dir();
    if site_dir.exists() {
        fs::remove_dir_all(&site_dir).with_context(|| format!("cannot empty {}", site_dir.display()))?;
    }
    fs::create_dir_all(site.pkg())?;
    let raw_wasm =
        site.root.join(BROWSER_TARGET_DIR).join("wasm32-unknown-unknown/wasm-release/frontend.wasm");
    let bundle = bundle::build(&site, &raw_wasm)?;
    copy_dir(&site.root.join("public"), &site_dir)?;
    let css = fs::read(site.root.join("style/main.css")).context("cannot read style/main.css")?;
    let css_hash = bundle::content_hash(&css);
    fs::write(site.pkg().join(format!("{}.{css_hash}.css", site.output_name)), css)?;
    precompress(&site.pkg())?;
    if let Some(server_build) = server_build {
        println!("==> bundle ready; waiting for the server's build");
        server_build.wait()?;
    }
    write_hash_file(&site, &bundle, &css_hash)?;
    println!("==> site ready in {}", site_dir.display());
    Ok(site)
}

fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Tells the server the hashed names (leptos' `HydrationScripts`, `HashedStylesheet`): a file
/// beside its binary.
fn write_hash_file(site: &Site, bundle: &Bundle, css_hash: &str) -> anyhow::Result<()> {
    let mut lines = format!(
        "js: {}\nwasm: {}\ncss: {css_hash}\nsplit: {}\nmanifest: {}\n",
        bundle.js_hash, bundle.wasm_hash, bundle.loader_hash, bundle.manifest_hash
    );
    // Leptos reads the lines above and passes over others; the server reads these (app's shell).
    for module in &bundle.glue_imports {
        lines.push_str(&format!("module: {module}\n"));
    }
    let hash_file = site.server_exe.with_file_name("hash.txt");
    fs::write(&hash_file, lines).with_context(|| format!("cannot write {}", hash_file.display()))
}

/// `.gz` and `.br` beside every file, served as they are to browsers that take them.
fn precompress(dir: &Path) -> anyhow::Result<()> {
    let entries: Vec<PathBuf> = fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    for path in entries {
        if path.extension().is_some_and(|e| e == "gz" || e == "br") {
            continue;
        }
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        let bytes = fs::read(&path)?;
        fs::write(with_suffix(&path, "gz"), gzip(&bytes)?)?;
        let mut brotli = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut brotli, &params)?;
        fs::write(with_suffix(&path, "br"), brotli)?;
    }
    Ok(())
}

/// Zopfli: standard gzip that any browser inflates, 4–5 % smaller than zlib's best (408 KB
/// instead of 427 for the main wasm) for about 5 s of the build, which the server's compile hides.
fn gzip(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut gzip = Vec::new();
    zopfli::compress(zopfli::Options::default(), zopfli::Format::Gzip, bytes, &mut gzip)?;
    Ok(gzip)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}
