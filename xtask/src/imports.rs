//! Short names for the JS functions the main wasm imports from wasm-bindgen's glue.
//!
//! wasm-bindgen names each one `__wbg_<name>_<16 hex digits>`: 265 names and 12.7 KB of the main
//! wasm, 5 KB of it after gzip, since hex digits hardly compress. Only the glue and the main wasm
//! use these names (the chunks reach JS through the main wasm's table), so both are renamed here,
//! between wasm-bindgen and wasm-opt. A glue whose layout this does not recognise fails the build.
//!
//! The split loader's imports get a fixed module name too: as a file name it carries the
//! loader's hash, which carries the glue's, so every change to the glue changed the main wasm's
//! bytes (and its gzip size by up to 1 KB, from a 22-character name).

use std::fs;
use std::path::Path;

use anyhow::{bail, Context};
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};

/// What the main wasm calls the split loader's module: only a key of the glue's imports object.
const LOADER_KEY: &str = "s";

/// Renames the imports from `module` in `wasm` and their definitions in `glue`, and the module
/// `loader` to a fixed key in both; returns how many imports were renamed.
pub fn shorten(wasm: &Path, glue: &Path, module: &str, loader: &str) -> anyhow::Result<usize> {
    let input = fs::read(wasm).with_context(|| format!("cannot read {}", wasm.display()))?;
    let mut js = fs::read_to_string(glue).with_context(|| format!("cannot read {}", glue.display()))?;
    let mut output = wasm_encoder::Module::new();
    let mut renamed = 0;
    for payload in wasmparser::Parser::new(0).parse_all(&input) {
        let payload = payload.context("the main wasm does not parse")?;
        if let wasmparser::Payload::ImportSection(reader) = payload {
            let mut section = wasm_encoder::ImportSection::new();
            for import in reader.into_imports() {
                let import = import.context("the main wasm's imports do not parse")?;
                let ty = RoundtripReencoder.entity_type(import.ty)?;
                if import.module == module {
                    let short = short_name(renamed);
                    rename_in_glue(&mut js, import.name, &short)?;
                    section.import(import.module, &short, ty);
                    renamed += 1;
                } else if import.module == loader {
                    section.import(LOADER_KEY, import.name, ty);
                } else {
                    section.import(import.module, import.name, ty);
                }
            }
            output.section(&section);
        } else if let Some((id, range)) = payload.as_section() {
            let (start, end) = (usize::try_from(range.start)?, usize::try_from(range.end)?);
            output.section(&wasm_encoder::RawSection { id, data: &input[start..end] });
        }
    }
    rename_loader_key(&mut js, loader)?;
    fs::write(wasm, output.finish()).with_context(|| format!("cannot write {}", wasm.display()))?;
    fs::write(glue, js).with_context(|| format!("cannot write {}", glue.display()))?;
    Ok(renamed)
}

/// `a`…`Z`, then `aa`…: valid JS property names, none of them `__proto__`.
fn short_name(mut index: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = String::new();
    loop {
        name.insert(0, char::from(LETTERS[index % LETTERS.len()]));
        index /= LETTERS.len();
        if index == 0 {
            return name;
        }
        index -= 1;
    }
}

/// The glue defines each import once, as an indented `name: function…` entry of its imports object.
fn rename_in_glue(js: &mut String, name: &str, short: &str) -> anyhow::Result<()> {
    let key = format!("{name}: ");
    let entries: Vec<usize> =
        js.match_indices(&key).map(|(at, _)| at).filter(|&at| js[..at].ends_with(' ')).collect();
    let [at] = entries[..] else {
        bail!("the glue defines the import {name} {} times, not once", entries.len());
    };
    js.replace_range(at..at + name.len(), short);
    Ok(())
}

/// The imports object names each module the wasm imports once per import (`"./m.js": import1,`);
/// the glue's `import … from "./m.js"` lines, which load the file, keep its real name.
fn rename_loader_key(js: &mut String, loader: &str) -> anyhow::Result<()> {
    let key = format!("\"{loader}\": import");
    if !js.contains(&key) {
        bail!("the glue's imports object has no {key}");
    }
    *js = js.replace(&key, &format!("\"{LOADER_KEY}\": import"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_distinct_letters() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!(names[0], "a");
        assert_eq!(names[51], "Z");
        assert_eq!(names[52], "aa");
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert!(names.iter().all(|name| name.bytes().all(|b| b.is_ascii_alphabetic())));
    }

    #[test]
    fn the_glue_entry_is_renamed_not_a_longer_name_ending_alike() {
        let mut js = String::from("    x__wbg_f_1: function() {},\n    __wbg_f_1: function() {},\n");
        rename_in_glue(&mut js, "__wbg_f_1", "a").unwrap();
        assert_eq!(js, "    x__wbg_f_1: function() {},\n    a: function() {},\n");
    }

    #[test]
    fn the_loader_keeps_its_file_name_in_imports_and_gets_a_key_in_the_object() {
        let mut js = String::from(
            "import * as import1 from \"./l.js\"\n    const imports = {\n        \"./l.js\": import1,\n",
        );
        rename_loader_key(&mut js, "./l.js").unwrap();
        assert_eq!(
            js,
            "import * as import1 from \"./l.js\"\n    const imports = {\n        \"s\": import1,\n"
        );
        assert!(rename_loader_key(&mut js, "./l.js").is_err());
    }

    #[test]
    fn a_glue_without_the_entry_fails() {
        let mut js = String::from("const f = __wbg_f_1;\n");
        assert!(rename_in_glue(&mut js, "__wbg_f_1", "a").is_err());
    }
}
