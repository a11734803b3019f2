//! The browser bundle: the wasm split at the lazy routes, wasm-bindgen's glue for the main
//! part, wasm-opt on every part, and content-hashed names the server learns from `hash.txt`.
//!
//! The parts refer to each other by name: the glue (`wxacode.js`) imports the split loader
//! (`__wasm_split.<hash>.js`) and hands it to the main wasm (under a fixed key, imports.rs); the
//! loader imports the glue and fetches the chunks. The loader's name is a placeholder until its
//! content is final; the glue's name hashes the whole bundle, so a change anywhere renames it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::command::run;
use crate::imports;
use crate::site::Site;
use crate::wasm_bindgen;

/// What leptos' `HydrationScripts` looks for until a build names the loader.
const LOADER_PLACEHOLDER: &str = "__wasm_split.______________________.js";

/// The file names the server needs (`hash.txt`): the glue and main wasm's hashes, the
/// loader's and the manifest's.
pub struct Bundle {
    pub js_hash: String,
    pub wasm_hash: String,
    pub loader_hash: String,
    pub manifest_hash: String,
    /// The modules the glue imports (its snippets, the loader), relative to the pkg directory:
    /// the server names them in each page's head, so they come beside the glue, not after it.
    pub glue_imports: Vec<String>,
}

pub fn build(site: &Site, raw_wasm: &Path) -> anyhow::Result<Bundle> {
    let pkg = site.pkg();
    let placeholder_glue = format!("/{}/{}.js", site.pkg_dir, site.output_name);
    let main_wasm = raw_wasm.with_file_name("frontend_split.wasm");
    let chunks = split(raw_wasm, &main_wasm, &pkg, &placeholder_glue)?;
    bindgen(site, &main_wasm)?;
    let glue_wasm = pkg.join(format!("{}.wasm", site.output_name));
    let glue_js = pkg.join(format!("{}.js", site.output_name));
    let bindgen_module = format!("./{}_bg.js", site.output_name);
    let renamed =
        imports::shorten(&glue_wasm, &glue_js, &bindgen_module, &format!("./{LOADER_PLACEHOLDER}"))?;
    println!("    {renamed} imports renamed");
    // The main wasm, which the first page waits for, is optimised until it stops shrinking (1 KB
    // less than one pass), on one core while the chunks get one pass each on the other.
    std::thread::scope(|scope| {
        let main = scope.spawn(|| optimize(&site.root, &glue_wasm, Passes::UntilSmallest));
        for chunk in &chunks.files {
            optimize(&site.root, chunk, Passes::One)?;
        }
        main.join().map_err(|_| anyhow::anyhow!("wasm-opt's thread panicked"))?
    })?;
    name_parts(site, &chunks, &placeholder_glue)
}

struct Chunks {
    files: Vec<PathBuf>,
    /// Split point → the chunks (file stems) it needs: what the server preloads for a page.
    prefetch: BTreeMap<String, Vec<String>>,
}

fn split(raw_wasm: &Path, main_wasm: &Path, pkg: &Path, glue: &str) -> anyhow::Result<Chunks> {
    println!("==> splitting {} at its lazy routes", raw_wasm.display());
    let input = fs::read(raw_wasm).with_context(|| format!("cannot read {}", raw_wasm.display()))?;
    let link_name = format!("./{LOADER_PLACEHOLDER}");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = pkg;
    options.main_out_path = main_wasm;
    options.link_name = &link_name;
    options.main_module = glue;
    let split = wasm_split_cli_support::transform(options)
        .map_err(|error| anyhow::anyhow!("cannot split the wasm: {error:#}"))?;
    println!("    {} chunks", split.split_modules.len());
    Ok(Chunks { files: split.split_modules, prefetch: split.prefetch_map.into_iter().collect() })
}

fn bindgen(site: &Site, main_wasm: &Path) -> anyhow::Result<()> {
    let pkg = site.pkg();
    wasm_bindgen::generate(main_wasm, site.output_name, &pkg)?;
    // HydrationScripts loads <name>.wasm, not wasm-bindgen's <name>_bg.wasm.
    fs::rename(
        pkg.join(format!("{}_bg.wasm", site.output_name)),
        pkg.join(format!("{}.wasm", site.output_name)),
    )?;
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Passes {
    One,
    UntilSmallest,
}

/// npm's binaryen, fetched by the tools script; Debian's (108) breaks hydration.
fn optimize(root: &Path, wasm: &Path, passes: Passes) -> anyhow::Result<()> {
    let ours = root.join("tools/binaryen/node_modules/.bin/wasm-opt");
    let wasm_opt = if ours.exists() { ours } else { PathBuf::from("wasm-opt") };
    let mut command = Command::new(wasm_opt);
    if passes == Passes::UntilSmallest {
        command.arg("--converge");
    }
    run(command
        // The chunks come straight from the split, with their function names: strip them.
        .args([
            "-Oz",
            // Folds constant address offsets into loads and stores (2.4 KB gzip less). Sound
            // because rustc links the stack first: the low 1 KB is the stack's far end.
            "--low-memory-unused",
            "--strip-debug",
            "--strip-producers",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(wasm))
}

/// Renames every part after its content and points each at the others' final names.
fn name_parts(site: &Site, chunks: &Chunks, placeholder_glue: &str) -> anyhow::Result<Bundle> {
    let pkg = site.pkg();
    let glue_path = pkg.join(format!("{}.js", site.output_name));
    let wasm_path = pkg.join(format!("{}.wasm", site.output_name));
    let loader_path = pkg.join(LOADER_PLACEHOLDER);
    let mut glue = fs::read_to_string(&glue_path).context("no wasm-bindgen glue")?;
    let main_wasm = fs::read(&wasm_path).context("no main wasm")?;
    let mut loader = fs::read_to_string(&loader_path).context("the split wrote no loader")?;

    let mut glue_imports = name_snippets(&pkg, &mut glue)?;
    let mut chunk_names = BTreeMap::new();
    let mut whole = Sha256::new();
    for chunk in &chunks.files {
        let bytes = fs::read(chunk)?;
        let hash = content_hash(&bytes);
        let stem = file_stem(chunk)?;
        let hashed = format!("{stem}.{hash}");
        fs::rename(chunk, pkg.join(format!("{hashed}.wasm")))?;
        replace_once_or_more(&mut loader, &format!("\"./{stem}.wasm\""), &format!("\"./{hashed}.wasm\""))?;
        whole.update(hashed.as_bytes());
        chunk_names.insert(stem, hashed);
    }
    whole.update(glue.as_bytes());
    whole.update(&main_wasm);
    whole.update(loader.as_bytes());
    let js_hash = short_hash(&whole.finalize());
    let final_glue = format!("/{}/{}.{js_hash}.js", site.pkg_dir, site.output_name);
    replace_once_or_more(&mut loader, &format!("\"{placeholder_glue}\""), &format!("\"{final_glue}\""))?;

    let loader_hash = content_hash(loader.as_bytes());
    let loader_name = format!("__wasm_split.{loader_hash}.js");
    fs::write(pkg.join(&loader_name), &loader)?;
    fs::remove_file(&loader_path)?;
    replace_once_or_more(&mut glue, LOADER_PLACEHOLDER, &loader_name)?;
    fs::write(pkg.join(format!("{}.{js_hash}.js", site.output_name)), &glue)?;
    fs::remove_file(&glue_path)?;
    let wasm_hash = content_hash(&main_wasm);
    fs::write(pkg.join(format!("{}.{wasm_hash}.wasm", site.output_name)), &main_wasm)?;
    fs::remove_file(&wasm_path)?;

    let prefetch: BTreeMap<&String, Vec<&String>> = chunks
        .prefetch
        .iter()
        .map(|(split, stems)| (split, stems.iter().filter_map(|stem| chunk_names.get(stem)).collect()))
        .collect();
    let manifest = serde_json::to_string(&prefetch)?;
    let manifest_hash = content_hash(manifest.as_bytes());
    fs::write(pkg.join(format!("__wasm_split_manifest.{manifest_hash}.json")), manifest)?;
    glue_imports.push(loader_name);
    Ok(Bundle { js_hash, wasm_hash, loader_hash, manifest_hash, glue_imports })
}

/// wasm-bindgen names a snippet after its crate, not its content (`snippets/app-<crate
/// hash>/inline0.js`), yet every file under /pkg/ is served as immutable: a changed snippet
/// would never reach a browser that had the old one. Each gets its content's hash in its name,
/// as the chunks do. (Inline snippets import nothing, so nothing else points at them.)
fn name_snippets(pkg: &Path, glue: &mut String) -> anyhow::Result<Vec<String>> {
    let mut names = Vec::new();
    let snippets = pkg.join("snippets");
    if !snippets.exists() {
        return Ok(names);
    }
    for crate_dir in fs::read_dir(&snippets)? {
        let crate_dir = crate_dir?.path();
        let crate_name = file_name(&crate_dir)?;
        for snippet in fs::read_dir(&crate_dir)? {
            let snippet = snippet?.path();
            if snippet.extension().is_none_or(|extension| extension != "js") {
                continue;
            }
            let stem = file_stem(&snippet)?;
            let hashed = format!("{stem}.{}.js", content_hash(&fs::read(&snippet)?));
            let from = format!("'./snippets/{crate_name}/{stem}.js'");
            let to = format!("'./snippets/{crate_name}/{hashed}'");
            replace_once_or_more(glue, &from, &to)?;
            fs::rename(&snippet, crate_dir.join(&hashed))?;
            names.push(format!("snippets/{crate_name}/{hashed}"));
        }
    }
    names.sort();
    Ok(names)
}

fn file_name(path: &Path) -> anyhow::Result<String> {
    path.file_name()
        .and_then(|s| s.to_str())
        .map(str::to_owned)
        .with_context(|| format!("a file without a name: {}", path.display()))
}

fn file_stem(path: &Path) -> anyhow::Result<String> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .map(str::to_owned)
        .with_context(|| format!("a file without a name: {}", path.display()))
}

/// 16 bytes of SHA-256 in URL-safe base64: 22 characters, the placeholder's length.
pub fn content_hash(bytes: &[u8]) -> String {
    short_hash(&Sha256::digest(bytes))
}

fn short_hash(digest: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
}

fn replace_once_or_more(text: &mut String, from: &str, to: &str) -> anyhow::Result<()> {
    if !text.contains(from) {
        bail!("expected {from} in the bundle's JavaScript");
    }
    *text = text.replace(from, to);
    Ok(())
}
