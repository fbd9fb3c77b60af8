//! `newsgraph backup`, `restore` and `verify`: the store's dump (format in
//! `newsgraph_store::backup`) to and from files, and its invariant check.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use newsgraph_store::Store;

use crate::output::outln;

/// Writes the dump to a temporary file beside `output`, syncs it, then
/// renames it over `output`: an interrupted backup never leaves a partial
/// file under the requested name.
pub fn backup(store: &Store, output: &Path) -> Result<()> {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dump".into());
    let partial = output.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let result = (|| -> Result<newsgraph_store::DumpSummary> {
        let file = std::fs::File::create(&partial)
            .with_context(|| format!("creating '{}'", partial.display()))?;
        let summary = store
            .backup(&file)
            .with_context(|| format!("writing the dump '{}'", partial.display()))?;
        file.sync_all()
            .with_context(|| format!("syncing '{}'", partial.display()))?;
        std::fs::rename(&partial, output)
            .with_context(|| format!("renaming the dump to '{}'", output.display()))?;
        Ok(summary)
    })();
    match result {
        Ok(summary) => outln!(
            "backed up {} records ({:.1} MB) of store format {} from '{}' to '{}'",
            summary.records,
            summary.bytes as f64 / 1e6,
            summary.format_version,
            store.path().display(),
            output.display()
        )
        .context("the dump is complete, but its report was not written"),
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// Restores a dump into the new store `db`, then opens it (which migrates
/// an older format and rebuilds the graph) to report what it holds.
pub fn restore(input: &Path, db: &Path) -> Result<()> {
    let file =
        std::fs::File::open(input).with_context(|| format!("opening '{}'", input.display()))?;
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating the store's directory '{}'", parent.display()))?;
    }
    let summary = newsgraph_store::backup::restore(file, db)
        .with_context(|| format!("restoring '{}' into '{}'", input.display(), db.display()))?;
    let store = Store::open(db)
        .with_context(|| format!("opening the restored store '{}'", db.display()))?;
    let view = store.view();
    outln!(
        "restored {} records ({:.1} MB) into '{}': {} documents, {} actors, {} relations",
        summary.records,
        summary.bytes as f64 / 1e6,
        db.display(),
        view.document_count(),
        view.actor_count(),
        view.relation_count()
    )
    .context("the store is restored, but its report was not written")
}

/// Prints every violation of the store's invariants; exit code 1 if any.
pub fn verify(store: &Store) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let problems = store
        .verify()
        .with_context(|| format!("verifying '{}'", store.path().display()))?;
    for problem in &problems {
        outln!("violation: {problem}")?;
    }
    let view = store.view();
    let what = format!(
        "{} documents, {} actors, {} relations, {} events",
        view.document_count(),
        view.actor_count(),
        view.relation_count(),
        view.event_count()
    );
    if problems.is_empty() {
        outln!(
            "store '{}' is consistent: {what} (checked in {:.2}s)",
            store.path().display(),
            started.elapsed().as_secs_f64()
        )?;
        Ok(ExitCode::SUCCESS)
    } else {
        outln!(
            "store '{}' has {} violations: {what}",
            store.path().display(),
            problems.len()
        )?;
        Ok(ExitCode::from(1))
    }
}
