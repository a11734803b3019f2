//! The crate's files import each other without cycles, and the lowest floor
//! (the URL map, the language, the browser helpers, the error type and the JSON it crosses the
//! wire as) imports nothing above it. Read from the sources: `use crate::…` and `use super::…`
//! paths, resolved to the file of the deepest module they name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");

/// A file's module path: `backend/accounts/service.rs` → backend::accounts::service.
fn module_of(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(SRC).expect("inside src");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().expect("a file name");
    match last.as_str() {
        "lib.rs" | "mod.rs" => {}
        name => parts.push(name.trim_end_matches(".rs").to_owned()),
    }
    parts
}

fn file_of(module: &[String], files: &BTreeMap<Vec<String>, PathBuf>) -> Option<Vec<String>> {
    (0..=module.len()).rev().map(|n| module[..n].to_vec()).find(|prefix| files.contains_key(prefix))
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// Every module path named by a `crate::` or `super::` path in the file's own
/// code (its `#[cfg(test)] mod tests` block left out).
fn imports(source: &str, module: &[String], is_mod_file: bool) -> Vec<Vec<String>> {
    let code = source.split("#[cfg(test)]\nmod tests").next().unwrap_or(source);
    let mut found = Vec::new();
    for (index, _) in code.match_indices("crate::").chain(code.match_indices("super::")) {
        let preceded =
            code[..index].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        if preceded {
            continue;
        }
        let rest = &code[index..];
        let path: String =
            rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
        let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        // `super` is the module around this file's module.
        let mut base: Vec<String> = match segments.first() {
            Some(&"crate") => Vec::new(),
            _ => module[..module.len().saturating_sub(1)].to_vec(),
        };
        segments.remove(0);
        while segments.first() == Some(&"super") {
            base.pop();
            segments.remove(0);
        }
        base.extend(segments.iter().map(|s| s.to_string()));
        found.push(base);
    }
    if is_mod_file {
        // A folder's mod.rs re-exports from its children: `pub use service::…`.
        for line in code.lines().map(str::trim).filter(|l| l.starts_with("pub use ")) {
            let child: String =
                line["pub use ".len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !["crate", "super", "self", "std"].contains(&child.as_str()) {
                found.push(module.iter().cloned().chain([child]).collect());
            }
        }
    }
    found
}

fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut paths = Vec::new();
    rust_files(Path::new(SRC), &mut paths);
    let files: BTreeMap<Vec<String>, PathBuf> =
        paths.into_iter().filter(|p| !p.ends_with("tests.rs")).map(|p| (module_of(&p), p)).collect();
    let mut edges = BTreeMap::new();
    for (module, path) in &files {
        let source = std::fs::read_to_string(path).expect("readable source");
        let is_mod_file = path.ends_with("mod.rs") || path.ends_with("lib.rs");
        let targets: BTreeSet<Vec<String>> = imports(&source, module, is_mod_file)
            .iter()
            .filter_map(|named| file_of(named, &files))
            .filter(|target| target != module && !target.is_empty())
            .collect();
        edges.insert(module.clone(), targets);
    }
    edges
}

fn name(module: &[String]) -> String {
    if module.is_empty() {
        "crate".into()
    } else {
        module.join("::")
    }
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let edges = graph();
    // Depth-first search; a node met again while on the stack closes a cycle.
    fn visit(
        node: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        stack: &mut Vec<Vec<String>>,
        done: &mut BTreeSet<Vec<String>>,
        cycles: &mut Vec<String>,
    ) {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let cycle: Vec<String> = stack[at..].iter().chain([node]).map(|m| name(m)).collect();
            cycles.push(cycle.join(" → "));
            return;
        }
        if !done.insert(node.clone()) {
            return;
        }
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, stack, done, cycles);
        }
        stack.pop();
    }
    let mut cycles = Vec::new();
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, &edges, &mut Vec::new(), &mut done, &mut cycles);
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
    assert!(edges.len() > 40, "the sources could not be read: {} files", edges.len());
}

#[test]
fn the_lowest_floor_imports_nothing_above_it() {
    let edges = graph();
    let floor = |m: &str| -> Vec<String> { vec![m.to_owned()] };
    let allowed: BTreeMap<&str, Vec<Vec<String>>> = BTreeMap::from([
        ("urls", vec![]),
        ("wire", vec![]),
        ("i18n", vec![floor("browser")]),
        ("browser", vec![floor("urls")]),
        ("error", vec![floor("browser"), floor("wire")]),
    ]);
    for (module, may_import) in allowed {
        let imported = &edges[&floor(module)];
        let above: Vec<String> =
            imported.iter().filter(|m| !may_import.contains(m)).map(|m| name(m)).collect();
        assert!(above.is_empty(), "{module} imports {above:?}");
    }
}
