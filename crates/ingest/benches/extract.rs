//! Extraction throughput: words per second on one core, over a synthetic
//! corpus (`shared/bench/gen_corpus.py`). Prints one JSON line.
//!
//! `cargo bench -p newsgraph-ingest --bench extract -- [CORPUS_DIR]`
//! (default: generates 10,000 articles with seed 7 under target/bench-corpus).

use std::path::{Path, PathBuf};
use std::time::Instant;

fn corpus_dir() -> PathBuf {
    if let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with('-')) {
        return PathBuf::from(dir);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("target/bench-corpus/10000-7");
    if !dir.join("manifest.json").exists() {
        let script = root.join("../shared/bench/gen_corpus.py");
        eprintln!("generating the corpus with {}", script.display());
        let status = std::process::Command::new("python3")
            .arg(&script)
            .args(["--articles", "10000", "--seed", "7", "--out"])
            .arg(&dir)
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("cannot generate the corpus; pass a directory of .txt articles");
            std::process::exit(2);
        }
    }
    dir
}

fn main() {
    let dir = corpus_dir();
    let mut articles: Vec<(String, String)> = Vec::new();
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    entries.sort();
    for path in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
    {
        if let Ok(text) = std::fs::read_to_string(path) {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            articles.push((name, text));
        }
    }
    let words: usize = articles
        .iter()
        .map(|(_, t)| t.split_whitespace().count())
        .sum();
    let bytes: usize = articles.iter().map(|(_, t)| t.len()).sum();
    // Warm up the lexicon outside the timed loop.
    let _ = newsgraph_ingest::extract("warmup.txt", "Warm up said the lexicon.");
    let mut relations = 0usize;
    let started = Instant::now();
    for (name, text) in &articles {
        relations += newsgraph_ingest::extract(name, text).relations.len();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{{\"bench\":\"extract\",\"articles\":{},\"words\":{words},\"bytes\":{bytes},\"seconds\":{secs:.3},\"words_per_sec\":{:.0},\"mb_per_sec\":{:.2},\"articles_per_sec\":{:.0},\"relations\":{relations}}}",
        articles.len(),
        words as f64 / secs,
        bytes as f64 / secs / 1e6,
        articles.len() as f64 / secs
    );
}
