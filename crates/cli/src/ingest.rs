//! `newsgraph ingest`: files and directories of articles into the store.
//!
//! A pipeline with one writer. Worker threads (one per core) read, check
//! and extract articles and encode their records; an article whose file
//! is already stored with the same content is recognised by its hash
//! before any extraction, so a re-run after an interruption only pays for
//! what is new. The calling thread applies the prepared articles in file
//! order, each in its own atomic batch, and commits them in groups: one
//! flush every [`GROUP_INTERVAL`] or [`GROUP_MAX`] articles. An article is
//! reported (its line printed, its count in the progress) only after the
//! flush that made it durable, so whatever was printed survives a crash.

use std::collections::BTreeMap;
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use newsgraph_model::{content_sha256, Document};
use newsgraph_store::{PreparedDocument, Store, WriteOutcome};

/// The longest an applied article waits for its flush.
const GROUP_INTERVAL: Duration = Duration::from_millis(100);
/// The most articles one flush covers.
const GROUP_MAX: usize = 2000;
/// Up to this many files, every article gets its line by default.
const LINES_UP_TO: usize = 200;
/// How often plain progress lines are printed when stderr is not a terminal.
const PLAIN_PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// Which per-article lines to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line per article for small runs (up to 200 files), none above.
    Auto,
    /// One line per article, always.
    All,
    /// Only the summary; no progress either.
    None,
}

/// How to run an ingest.
#[derive(Debug, Clone)]
pub struct Options {
    /// Largest article accepted, in bytes.
    pub max_bytes: usize,
    /// Which lines to print.
    pub lines: Lines,
    /// Extraction threads.
    pub jobs: usize,
    /// Also parse each sentence that holds a relation cue with the
    /// syntactic layer (the graph is the same either way).
    pub syntax: bool,
}

/// What an ingest run did.
#[derive(Debug, Default)]
pub struct Summary {
    pub files: usize,
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub relations: usize,
    pub bytes: u64,
    /// Sentences parsed by the syntactic layer (`--syntax`).
    pub parsed_sentences: usize,
    /// Stopped by a signal before every file was done.
    pub interrupted: bool,
}

impl Summary {
    fn done(&self) -> usize {
        self.added + self.replaced + self.unchanged + self.failed
    }
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

/// Sizes of what one article contributes, for its line.
#[derive(Debug, Clone, Copy)]
struct Counts {
    actors: usize,
    relations: usize,
    events: usize,
}

/// One file after a worker has seen it.
enum Work {
    Failed {
        path: PathBuf,
        reason: String,
    },
    Unchanged {
        name: String,
        bytes: u64,
        counts: Counts,
    },
    Ready {
        name: String,
        bytes: u64,
        prepared: Box<PreparedDocument>,
        /// Sentences the syntactic layer parsed.
        parsed_sentences: usize,
    },
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads, checks and extracts one file (worker side: no store writes).
fn prepare(
    store: &Store,
    path: &Path,
    max_bytes: usize,
    extract_options: &newsgraph_ingest::ExtractOptions,
) -> Work {
    let failed = |reason: String| Work::Failed {
        path: path.to_path_buf(),
        reason,
    };
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
    let doc_id = Document::id_for_file(&name);
    let stored = store
        .view()
        .document(doc_id)
        .filter(|d| d.bytes == text.len() as u64)
        .map(|d| d.sha256.clone());
    if stored.is_some_and(|sha| sha == content_sha256(text)) {
        let view = store.view();
        let relations = view.document_relations(doc_id);
        let mut events: Vec<_> = relations.iter().filter_map(|r| r.event).collect();
        events.sort();
        events.dedup();
        return Work::Unchanged {
            name,
            bytes: size,
            counts: Counts {
                actors: view.document_mentions(doc_id).len(),
                relations: relations.len(),
                events: events.len(),
            },
        };
    }
    // The trees are not read yet (the next extraction release will); a
    // model that did not load was reported before the workers started.
    let extracted = newsgraph_ingest::extract_with(&name, text, extract_options);
    let parsed_sentences = extracted.parsed.len();
    match PreparedDocument::new(extracted.graph, text) {
        Ok(prepared) => Work::Ready {
            name,
            bytes: size,
            prepared: Box::new(prepared),
            parsed_sentences,
        },
        Err(e) => failed(e.to_string()),
    }
}

/// An applied article waiting for the flush that makes it durable.
struct Pending {
    outcome: WriteOutcome,
    name: String,
    bytes: u64,
    counts: Counts,
    parsed_sentences: usize,
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
    let files = collect(paths)?;
    let started = Instant::now();
    let lines = match options.lines {
        Lines::Auto if files.len() <= LINES_UP_TO => Lines::All,
        Lines::Auto => Lines::None,
        other => other,
    };
    let show_progress = options.lines != Lines::None;
    let mut progress = Progress::new(files.len(), show_progress);
    // Load the model once, here, so that a model that cannot be read is
    // reported once rather than by every article; extraction then falls
    // back to its token rules.
    let model_loaded = match newsgraph_syntax::english() {
        Ok(_) => true,
        Err(e) => {
            progress.println(&format!(
                "warning: the syntax model did not load ({e}); extracting with the token rules alone"
            ));
            false
        }
    };
    let extract_options = newsgraph_ingest::ExtractOptions {
        syntax: options.syntax && model_loaded,
    };
    let next = AtomicUsize::new(0);
    let jobs = options.jobs.max(1);
    let (tx, rx) = mpsc::sync_channel::<(usize, Work)>(jobs * 64);
    let mut summary = Summary::default();
    let error = std::thread::scope(|scope| -> Result<Option<anyhow::Error>> {
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, files, extract_options) = (&next, &files, &extract_options);
            let worker = move || loop {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { return };
                let work = prepare(store, path, options.max_bytes, extract_options);
                if tx.send((i, work)).is_err() {
                    return;
                }
            };
            std::thread::Builder::new()
                .name("extract".into())
                .spawn_scoped(scope, worker)
                .context("starting an extraction thread")?;
        }
        drop(tx);
        let mut writer = Writer {
            store,
            lines,
            summary: &mut summary,
            progress: &mut progress,
            pending: Vec::new(),
            last_flush: Instant::now(),
            timing: Timing::default(),
        };
        let result = writer.run(rx, stop);
        tracing::debug!(timing = ?writer.timing, "writer");
        if result.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        Ok(result.err())
    })?;
    progress.finish();
    summary.files = files.len();
    summary.interrupted = error.is_none() && summary.done() < files.len();
    let view = store.view();
    let done = summary.done();
    let counted = if done == files.len() {
        format!("{done} files")
    } else {
        format!("{done} of {} files", files.len())
    };
    let parsed = if extract_options.syntax {
        format!(
            "; parsed {} sentences with the syntactic layer",
            summary.parsed_sentences
        )
    } else {
        String::new()
    };
    println!(
        "ingested {counted} in {:.2}s: {} added, {} replaced, {} unchanged, {} failed; store has {} documents, {} actors, {} relations{parsed}",
        started.elapsed().as_secs_f64(),
        summary.added,
        summary.replaced,
        summary.unchanged,
        summary.failed,
        view.document_count(),
        view.actor_count(),
        view.relation_count()
    );
    let _ = std::io::stdout().flush();
    Ok((summary, error))
}

/// The single writer: applies articles in file order and commits them in
/// groups.
struct Writer<'a> {
    store: &'a Store,
    lines: Lines,
    summary: &'a mut Summary,
    progress: &'a mut Progress,
    pending: Vec<Pending>,
    last_flush: Instant,
    timing: Timing,
}

/// Where the writer's time went (logged at debug level: `RUST_LOG=debug`).
#[derive(Debug, Default)]
struct Timing {
    waiting: Duration,
    applying: Duration,
    flushing: Duration,
    flushes: usize,
}

impl Writer<'_> {
    fn run(&mut self, rx: mpsc::Receiver<(usize, Work)>, stop: &AtomicBool) -> Result<()> {
        // Workers finish out of order; articles are applied in file order
        // so that a run's result does not depend on thread timing (the
        // first document to name an actor sets its display name).
        let mut early: BTreeMap<usize, Work> = BTreeMap::new();
        let mut next = 0usize;
        loop {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let work = match early.remove(&next) {
                Some(work) => work,
                None => {
                    let wait = GROUP_INTERVAL.saturating_sub(self.last_flush.elapsed());
                    let waited = Instant::now();
                    let received = rx.recv_timeout(wait);
                    self.timing.waiting += waited.elapsed();
                    match received {
                        Ok((i, work)) => {
                            early.insert(i, work);
                            continue;
                        }
                        Err(RecvTimeoutError::Timeout) => {
                            self.commit()?;
                            continue;
                        }
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
            };
            next += 1;
            self.apply(work)?;
            if self.pending.len() >= GROUP_MAX || self.last_flush.elapsed() >= GROUP_INTERVAL {
                self.commit()?;
            }
        }
        // Dropping the receiver releases workers blocked on a full queue.
        drop(rx);
        self.commit()
    }

    fn apply(&mut self, work: Work) -> Result<()> {
        match work {
            Work::Failed { path, reason } => {
                self.progress
                    .println(&format!("skipped {}: {reason}", path.display()));
                self.summary.failed += 1;
                self.progress.advance(1, 0);
            }
            Work::Unchanged {
                name,
                bytes,
                counts,
            } => self.pending.push(Pending {
                outcome: WriteOutcome::Unchanged,
                name,
                bytes,
                counts,
                parsed_sentences: 0,
            }),
            Work::Ready {
                name,
                bytes,
                prepared,
                parsed_sentences,
            } => {
                let graph = prepared.graph();
                let counts = Counts {
                    actors: graph.mentions.len(),
                    relations: graph.relations.len(),
                    events: graph.events.len(),
                };
                let applying = Instant::now();
                let outcome = self
                    .store
                    .apply_prepared(*prepared)
                    .with_context(|| format!("storing '{name}'"))?;
                self.timing.applying += applying.elapsed();
                self.pending.push(Pending {
                    outcome,
                    name,
                    bytes,
                    counts,
                    parsed_sentences,
                });
            }
        }
        Ok(())
    }

    /// Flushes, then reports every article the flush made durable.
    fn commit(&mut self) -> Result<()> {
        self.last_flush = Instant::now();
        if self.pending.is_empty() {
            return Ok(());
        }
        if self
            .pending
            .iter()
            .any(|p| p.outcome != WriteOutcome::Unchanged)
        {
            let flushing = Instant::now();
            self.store.flush_blocking().with_context(|| {
                format!(
                    "making the last {} articles durable (none of them was reported)",
                    self.pending.len()
                )
            })?;
            self.timing.flushing += flushing.elapsed();
            self.timing.flushes += 1;
        }
        let mut out = String::new();
        let mut bytes = 0;
        for p in self.pending.drain(..) {
            let verb = match p.outcome {
                WriteOutcome::Added => {
                    self.summary.added += 1;
                    "added"
                }
                WriteOutcome::Replaced => {
                    self.summary.replaced += 1;
                    "replaced"
                }
                WriteOutcome::Unchanged => {
                    self.summary.unchanged += 1;
                    "unchanged"
                }
            };
            self.summary.relations += p.counts.relations;
            self.summary.parsed_sentences += p.parsed_sentences;
            self.summary.bytes += p.bytes;
            bytes += p.bytes;
            if self.lines == Lines::All {
                out.push_str(&format!(
                    "{verb:9} {}: {} actors, {} relations, {} events\n",
                    p.name, p.counts.actors, p.counts.relations, p.counts.events
                ));
            }
            self.progress.advance(1, 0);
        }
        self.progress.advance(0, bytes);
        if !out.is_empty() {
            self.progress.suspend(|| {
                let mut stdout = std::io::stdout().lock();
                let _ = stdout.write_all(out.as_bytes());
                let _ = stdout.flush();
            });
        }
        self.progress.tick();
        Ok(())
    }
}

/// Progress on stderr: an indicatif bar on a terminal, a plain line every
/// few seconds otherwise, nothing when quiet.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    total: usize,
    done: usize,
    bytes: u64,
    started: Instant,
    last_line: Instant,
}

impl Progress {
    fn new(total: usize, show: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (show && terminal).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            let style = indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{wide_bar}] {pos}/{len} articles, {msg}, ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            plain: show && !terminal,
            total,
            done: 0,
            bytes: 0,
            started: Instant::now(),
            last_line: Instant::now(),
        }
    }

    fn advance(&mut self, articles: usize, bytes: u64) {
        self.done += articles;
        self.bytes += bytes;
    }

    fn rate(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.started.elapsed().as_secs_f64().max(1e-3)
    }

    fn tick(&mut self) {
        if let Some(bar) = &self.bar {
            bar.set_position(self.done as u64);
            bar.set_message(format!("{:.1} MB/s", self.rate()));
        } else if self.plain && self.last_line.elapsed() >= PLAIN_PROGRESS_EVERY {
            self.last_line = Instant::now();
            let elapsed = self.started.elapsed().as_secs_f64();
            let eta = if self.done > 0 {
                elapsed / self.done as f64 * (self.total - self.done.min(self.total)) as f64
            } else {
                0.0
            };
            eprintln!(
                "progress: {}/{} articles, {:.1} MB at {:.1} MB/s, {:.0}s elapsed, ETA {:.0}s",
                self.done,
                self.total,
                self.bytes as f64 / 1e6,
                self.rate(),
                elapsed,
                eta
            );
        }
    }

    fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn suspend(&self, f: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `newsgraph ingest`: runs the pipeline off the async runtime, turns
/// Ctrl-C or SIGTERM into a clean stop (a second Ctrl-C exits at once;
/// nothing unacknowledged is lost either way, since it was never reported),
/// and maps the outcome to the exit code: 0, 1 if any file failed, 130
/// when interrupted.
pub async fn run(
    store: std::sync::Arc<Store>,
    paths: Vec<PathBuf>,
    options: Options,
) -> Result<std::process::ExitCode> {
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let signals = {
        let stop = stop.clone();
        tokio::spawn(async move {
            stop_signal().await;
            stop.store(true, Ordering::SeqCst);
            eprintln!("stopping after the current group (Ctrl-C again to quit at once)");
            stop_signal().await;
            std::process::exit(130);
        })
    };
    let outcome = tokio::task::spawn_blocking({
        let stop = stop.clone();
        move || ingest_paths(&store, &paths, &options, &stop)
    })
    .await
    .context("the ingest task failed")?;
    signals.abort();
    let (summary, error) = outcome?;
    if let Some(error) = error {
        return Err(error.context("ingest stopped; every article reported above is stored"));
    }
    if summary.interrupted {
        eprintln!(
            "interrupted after {} of {} files; everything reported is stored: run the same command again to resume",
            summary.done(),
            summary.files
        );
        return Ok(std::process::ExitCode::from(130));
    }
    Ok(if summary.failed > 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    })
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
