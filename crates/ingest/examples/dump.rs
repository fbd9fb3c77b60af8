//! Prints the extracted graph of every article, one JSON line each, in a
//! fixed order: the reference that a change meant to keep the output
//! identical (a speed-up, a refactor) is compared against with `cmp`.
//!
//! `cargo run --release -p newsgraph-ingest --example dump -- DIR_OR_FILE... > out.txt`
//!
//! Each argument is an article or a directory of `.txt` articles; the
//! files of a directory are taken sorted by name.

use std::path::{Path, PathBuf};

use newsgraph_ingest::{decode_article, extract, DEFAULT_MAX_BYTES};

fn articles(arg: &Path) -> Vec<PathBuf> {
    if !arg.is_dir() {
        return vec![arg.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = match std::fs::read_dir(arg) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect(),
        Err(e) => {
            eprintln!("{}: {e}", arg.display());
            std::process::exit(1);
        }
    };
    files.sort();
    files
}

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.is_empty() {
        eprintln!("usage: dump DIR_OR_FILE...");
        std::process::exit(2);
    }
    let mut out = String::new();
    for path in args.iter().flat_map(|a| articles(a)) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                std::process::exit(1);
            }
        };
        let line = match decode_article(&name, &bytes, DEFAULT_MAX_BYTES) {
            Ok(text) => serde_json::to_string(&extract(&name, text))
                .unwrap_or_else(|e| format!("{name}: cannot serialise: {e}")),
            Err(e) => format!("{name}: {e}"),
        };
        out.push_str(&line);
        out.push('\n');
    }
    print!("{out}");
}
