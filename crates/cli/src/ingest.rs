//! `newsgraph ingest`: files and directories of articles into the store.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use newsgraph_store::{Store, WriteOutcome};

/// What an ingest run did.
#[derive(Debug, Default)]
pub struct Summary {
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub relations: usize,
}

/// The .txt files under `paths` (files given explicitly are taken whatever
/// their extension), sorted for a stable order.
fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let meta =
            std::fs::metadata(path).with_context(|| format!("cannot read '{}'", path.display()))?;
        if meta.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list '{}'", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot list '{}'", dir.display()))?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Ingests every article, printing one line per article and a summary.
pub async fn ingest_paths(store: &Store, paths: &[PathBuf], max_bytes: usize) -> Result<Summary> {
    let files = collect(paths)?;
    let mut summary = Summary::default();
    let started = std::time::Instant::now();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let bytes = match std::fs::metadata(path) {
            Ok(m) if m.len() > max_bytes as u64 => {
                eprintln!(
                    "skipped {}: {} bytes, over the limit of {max_bytes} bytes",
                    path.display(),
                    m.len()
                );
                summary.failed += 1;
                continue;
            }
            _ => match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("skipped {}: {e}", path.display());
                    summary.failed += 1;
                    continue;
                }
            },
        };
        let text = match newsgraph_ingest::decode_article(&name, &bytes, max_bytes) {
            Ok(t) => t.to_owned(),
            Err(e) => {
                eprintln!("skipped {}: {e}", path.display());
                summary.failed += 1;
                continue;
            }
        };
        let graph = {
            let name = name.clone();
            let text = text.clone();
            tokio::task::spawn_blocking(move || newsgraph_ingest::extract(&name, &text))
                .await
                .context("extraction task failed")?
        };
        let outcome = store
            .put_document(&graph, &text)
            .await
            .with_context(|| format!("storing '{}'", path.display()))?;
        let verb = match outcome {
            WriteOutcome::Added => {
                summary.added += 1;
                "added"
            }
            WriteOutcome::Replaced => {
                summary.replaced += 1;
                "replaced"
            }
            WriteOutcome::Unchanged => {
                summary.unchanged += 1;
                "unchanged"
            }
        };
        summary.relations += graph.relations.len();
        println!(
            "{verb:9} {name}: {} actors, {} relations, {} events",
            graph.mentions.len(),
            graph.relations.len(),
            graph.events.len()
        );
    }
    let view = store.view();
    println!(
        "ingested {} files in {:.2}s: {} added, {} replaced, {} unchanged, {} failed; store has {} documents, {} actors, {} relations",
        files.len(),
        started.elapsed().as_secs_f64(),
        summary.added,
        summary.replaced,
        summary.unchanged,
        summary.failed,
        view.document_count(),
        view.actor_count(),
        view.relation_count()
    );
    Ok(summary)
}
