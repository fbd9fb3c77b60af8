//! `newsgraph ingest`: article files, directories of them and JSON-lines
//! feeds into the store, through the shared write pipeline
//! ([`crate::pipeline`]): extraction on every core, one writer, group
//! commits, each article reported once durable.
//!
//! A `.txt` file is one article named by its file name. A feed
//! (`*.jsonl`, `*.ndjson`, gzipped or not) holds one article per line in
//! the format `extract --jsonl` reads ([`crate::article`]), named by its
//! id; its url, outlet, date and author are kept on the document.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use anyhow::Result;
use newsgraph_store::{PreparedDocument, Store};

use crate::article;
use crate::inputs::{self, Items};
use crate::output::errln;
use crate::pipeline::{self, Item, Lines, Summary, Work};

/// How to run an ingest.
#[derive(Debug, Clone)]
pub struct Options {
    /// Largest article accepted, in bytes.
    pub max_bytes: usize,
    /// Which lines to print.
    pub lines: Lines,
    /// Extraction threads.
    pub jobs: usize,
    /// Also report how many sentences the syntactic layer parsed.
    pub syntax: bool,
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads, checks and extracts one article file (worker side: no store
/// writes).
fn prepare_file(
    store: &Store,
    path: &Path,
    max_bytes: usize,
    extract_options: &newsgraph_ingest::ExtractOptions,
) -> Work {
    let failed = |reason: String| Work::failed(path.display().to_string(), reason);
    let name = file_name(path);
    let bytes = match std::fs::metadata(path) {
        Ok(m) if m.len() > max_bytes as u64 => {
            return failed(format!(
                "{} bytes, over the limit of {max_bytes} bytes",
                m.len()
            ))
        }
        _ => match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return failed(e.to_string()),
        },
    };
    let text = match newsgraph_ingest::decode_article(&name, &bytes, max_bytes) {
        Ok(t) => t,
        Err(e) => return failed(e.to_string()),
    };
    let size = bytes.len() as u64;
    // Skip by content before extracting: a re-run costs a hash per file.
    if let Some(unchanged) = Work::unchanged(store, &name, &name, text, size) {
        return unchanged;
    }
    let extracted = newsgraph_ingest::extract_with(&name, text, extract_options);
    let parsed_sentences = extracted.parsed.len();
    ready(name, size, extracted.graph, text, parsed_sentences)
}

/// Reads, checks and extracts one article of a feed.
fn prepare_line(
    store: &Store,
    what: &str,
    raw: &[u8],
    max_bytes: usize,
    extract_options: &newsgraph_ingest::ExtractOptions,
) -> Work {
    let article = match article::from_line(what, raw, max_bytes) {
        Ok(article) => article,
        Err(rejected) => {
            // The message starts with `what`, which the line's report gives.
            let reason = rejected
                .message
                .strip_prefix(what)
                .map_or(rejected.message.as_str(), |rest| {
                    rest.trim_start_matches(':').trim_start()
                });
            return Work::failed(what, reason);
        }
    };
    let name = format!("{} ({what})", article.name);
    let size = raw.len() as u64;
    if let Some(unchanged) = Work::unchanged(store, &name, &article.name, &article.text, size) {
        return unchanged;
    }
    let extracted = article.extract(extract_options);
    ready(
        name,
        size,
        extracted.graph,
        &article.text,
        extracted.parsed_sentences,
    )
}

fn ready(
    name: String,
    bytes: u64,
    graph: newsgraph_model::DocumentGraph,
    text: &str,
    parsed_sentences: usize,
) -> Work {
    match PreparedDocument::new(graph, text) {
        Ok(prepared) => Work::Ready {
            name,
            bytes,
            prepared: Box::new(prepared),
            parsed_sentences,
        },
        Err(e) => Work::failed(name, e.to_string()),
    }
}

/// Ingests every article under `paths`; stops early (after the current
/// group) when `stop` is set. Returns what was done even when a store
/// error ended the run early (the error is the second value).
pub fn ingest_paths(
    store: &Store,
    paths: &[PathBuf],
    options: &Options,
    stop: &AtomicBool,
) -> Result<(Summary, Option<anyhow::Error>)> {
    let inputs = inputs::for_ingest(paths)?;
    let only_files = inputs
        .iter()
        .all(|i| matches!(i, inputs::Input::Article(_)));
    let started = std::time::Instant::now();
    // Load the model once, here, so that a model that cannot be read is
    // reported once rather than by every article; extraction then falls
    // back to its token rules.
    let model_loaded = match newsgraph_syntax::english() {
        Ok(_) => true,
        Err(e) => {
            errln!(
                "warning: the syntax model did not load ({e}); extracting with the token rules alone"
            );
            false
        }
    };
    let extract_options = newsgraph_ingest::ExtractOptions {
        syntax: options.syntax && model_loaded,
    };
    let run = pipeline::Run {
        store,
        lines: options.lines,
        jobs: options.jobs,
        total: inputs::count(&inputs),
        stop,
    };
    let max_bytes = options.max_bytes;
    let prepare = |item: Item| match item {
        Item::File(path) => prepare_file(store, &path, max_bytes, &extract_options),
        Item::Line {
            origin,
            number,
            bytes,
        } => prepare_line(
            store,
            &Item::line_name(&origin, number),
            &bytes,
            max_bytes,
            &extract_options,
        ),
        other => other.failure(max_bytes),
    };
    let items = Items::new(inputs, article::max_line(max_bytes));
    let (summary, error) = pipeline::run(&run, items, prepare)?;
    let unit = if only_files { "files" } else { "articles" };
    let parsed = if extract_options.syntax {
        format!(
            "; parsed {} sentences with the syntactic layer",
            summary.parsed_sentences
        )
    } else {
        String::new()
    };
    let error = pipeline::print_summary(
        &summary.line("ingested", unit, started, store, &parsed),
        error,
    )?;
    Ok((summary, error))
}

/// `newsgraph ingest`: exit code 0, 1 if any article failed, 130 when
/// interrupted (see [`pipeline::run_to_exit_code`]).
pub async fn run(
    store: std::sync::Arc<Store>,
    paths: Vec<PathBuf>,
    options: Options,
) -> Result<std::process::ExitCode> {
    pipeline::run_to_exit_code("ingest", move |stop| {
        ingest_paths(&store, &paths, &options, stop)
    })
    .await
}
