//! `<link rel="modulepreload">` for the modules the bundle's glue imports (wasm-bindgen's
//! snippets, the split loader). Without them a browser finds these only once it has fetched
//! and parsed the glue, a round trip later: about 180 ms of a phone's first load on 4G. The
//! build lists them in `hash.txt` as `module: …` lines, beside the hashes Leptos reads there.

use leptos::prelude::*;

#[component]
pub fn ModulePreloads(options: LeptosOptions) -> impl IntoView {
    let pkg = options.site_pkg_dir.clone();
    glue_imports(&options)
        .iter()
        .map(|module| view! { <link rel="modulepreload" href=format!("/{pkg}/{module}") /> })
        .collect_view()
}

#[cfg(feature = "ssr")]
fn glue_imports(options: &LeptosOptions) -> &'static [String] {
    static MODULES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    MODULES.get_or_init(|| {
        if !options.hash_files {
            return Vec::new();
        }
        // Where Leptos looks for it: beside the server's binary.
        let hash_file = std::env::current_exe()
            .map(|exe| exe.with_file_name(options.hash_file.as_ref()))
            .and_then(std::fs::read_to_string);
        match hash_file {
            Ok(lines) => modules_in(&lines),
            Err(error) => {
                tracing::warn!(%error, "no hash file: pages name none of the glue's modules");
                Vec::new()
            }
        }
    })
}

#[cfg(not(feature = "ssr"))]
fn glue_imports(_: &LeptosOptions) -> &'static [String] {
    &[]
}

#[cfg(any(feature = "ssr", test))]
fn modules_in(hash_file: &str) -> Vec<String> {
    hash_file
        .lines()
        .filter_map(|line| line.split_once(':'))
        .filter(|(key, _)| key.trim() == "module")
        .map(|(_, module)| module.trim().to_owned())
        .filter(|module| !module.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_lines_are_read_and_the_hashes_passed_over() {
        let hash_file =
            "js: abc\nwasm: def\nmodule: snippets/app-1/inline0.X.js\n\nmodule: __wasm_split.Y.js\nmodule:\n";
        assert_eq!(modules_in(hash_file), ["snippets/app-1/inline0.X.js", "__wasm_split.Y.js"]);
    }
}
