//! The write pipeline `ingest` and `import` share: one reader, worker
//! threads, one writer.
//!
//! The reader walks the inputs in order and numbers each item (an article
//! file, or one line of a JSON-lines file). Worker threads (one per core)
//! turn items into prepared documents: reading, checking, extracting or
//! decoding, and encoding the records, with no store writes; an item whose
//! content is already stored is recognised by its hash first, so a re-run
//! after an interruption only pays for what is new. The calling thread
//! applies the prepared documents in item order, each in its own atomic
//! batch, and commits them in groups: one flush every [`GROUP_INTERVAL`]
//! or [`GROUP_MAX`] documents. An item is reported (its line printed, its
//! count in the progress) only after the flush that made it durable, so
//! whatever was printed survives a crash.

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use newsgraph_model::{content_sha256, Document};
use newsgraph_store::{PreparedDocument, Store, WriteOutcome};

use crate::output::{self, errln};

/// The longest an applied document waits for its flush.
const GROUP_INTERVAL: Duration = Duration::from_millis(100);
/// The most documents one flush covers.
const GROUP_MAX: usize = 2000;
/// Up to this many items, every one gets its line by default.
const LINES_UP_TO: usize = 200;
/// How often plain progress lines are printed when stderr is not a terminal.
const PLAIN_PROGRESS_EVERY: Duration = Duration::from_secs(5);

/// Which per-item lines to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// One line per item for small runs (up to 200 known items), none above.
    Auto,
    /// One line per item, always.
    All,
    /// Only the summary; no progress either.
    None,
}

impl Lines {
    /// From the `--verbose` and `--quiet` flags.
    pub fn from_flags(verbose: bool, quiet: bool) -> Lines {
        if verbose {
            Lines::All
        } else if quiet {
            Lines::None
        } else {
            Lines::Auto
        }
    }
}

/// One unit of input, numbered by the reader.
pub enum Item {
    /// An article file.
    File(PathBuf),
    /// One line of a JSON-lines input (without its `\n`).
    Line {
        /// The input it comes from (a file name, or `-`).
        origin: Arc<str>,
        /// Its line number there, from 1.
        number: usize,
        bytes: Vec<u8>,
    },
    /// A line longer than the reader keeps.
    LongLine {
        origin: Arc<str>,
        number: usize,
        bytes: usize,
        limit: usize,
    },
    /// An input that could not be read (from where it failed on).
    Unreadable { name: String, reason: String },
}

impl Item {
    /// How a line is named in messages ("feed.jsonl line 4").
    pub fn line_name(origin: &str, number: usize) -> String {
        format!("{origin} line {number}")
    }

    /// The failure an item that holds no document comes to: a line too
    /// long for `--max-bytes`, an input that could not be read, or
    /// (where lines are expected) a file.
    pub fn failure(self, max_bytes: usize) -> Work {
        match self {
            Item::LongLine {
                origin,
                number,
                bytes,
                limit,
            } => Work::failed(
                Item::line_name(&origin, number),
                format!(
                    "{bytes} bytes, over the limit of {limit} bytes for --max-bytes {max_bytes}"
                ),
            ),
            Item::Unreadable { name, reason } => Work::failed(name, reason),
            Item::File(path) => Work::failed(path.display().to_string(), "not a JSON-lines input"),
            Item::Line { origin, number, .. } => Work::failed(
                Item::line_name(&origin, number),
                "a line where an article file was expected",
            ),
        }
    }
}

/// Sizes of what one document contributes, for its line.
#[derive(Debug, Clone, Copy)]
pub struct Counts {
    pub actors: usize,
    pub relations: usize,
    pub events: usize,
}

impl Counts {
    /// What a stored document holds.
    fn stored(store: &Store, document: newsgraph_model::DocumentId) -> Counts {
        let view = store.view();
        let relations = view.document_relations(document);
        let mut events: Vec<_> = relations.iter().filter_map(|r| r.event).collect();
        events.sort();
        events.dedup();
        Counts {
            actors: view.document_mentions(document).len(),
            relations: relations.len(),
            events: events.len(),
        }
    }
}

/// One item after a worker has seen it.
pub enum Work {
    Failed {
        name: String,
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

impl Work {
    /// The failure of an item that is not a document.
    pub fn failed(name: impl Into<String>, reason: impl Into<String>) -> Work {
        Work::Failed {
            name: name.into(),
            reason: reason.into(),
        }
    }

    /// `Unchanged` when the store holds the document named `file` with
    /// exactly this text (checked by length, then hash); `None` otherwise.
    pub fn unchanged(
        store: &Store,
        name: &str,
        file: &str,
        text: &str,
        bytes: u64,
    ) -> Option<Work> {
        let doc_id = Document::id_for_file(file);
        let stored = store
            .view()
            .document(doc_id)
            .filter(|d| d.bytes == text.len() as u64)
            .map(|d| d.sha256.clone())?;
        (stored == content_sha256(text)).then(|| Work::Unchanged {
            name: name.to_owned(),
            bytes,
            counts: Counts::stored(store, doc_id),
        })
    }
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Items read (articles, or lines).
    pub items: usize,
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub relations: usize,
    pub bytes: u64,
    /// Sentences parsed by the syntactic layer (`ingest --syntax`).
    pub parsed_sentences: usize,
    /// Stopped by a signal before every item was done.
    pub interrupted: bool,
}

impl Summary {
    pub fn done(&self) -> usize {
        self.added + self.replaced + self.unchanged + self.failed
    }

    /// The summary line: "`verb` 5 `unit` in 0.41s: 5 added, ...; store
    /// has ...", then `extra`.
    pub fn line(
        &self,
        verb: &str,
        unit: &str,
        started: Instant,
        store: &Store,
        extra: &str,
    ) -> String {
        let done = self.done();
        let counted = if done == self.items {
            format!("{done} {unit}")
        } else {
            format!("{done} of {} {unit}", self.items)
        };
        let view = store.view();
        format!(
            "{verb} {counted} in {:.2}s: {} added, {} replaced, {} unchanged, {} failed; store has {} documents, {} actors, {} relations{extra}",
            started.elapsed().as_secs_f64(),
            self.added,
            self.replaced,
            self.unchanged,
            self.failed,
            view.document_count(),
            view.actor_count(),
            view.relation_count()
        )
    }
}

/// How to run the pipeline.
pub struct Run<'a> {
    pub store: &'a Store,
    /// Which lines to print.
    pub lines: Lines,
    /// Worker threads.
    pub jobs: usize,
    /// How many items there will be, when known before reading them.
    pub total: Option<usize>,
    /// Set to stop early (after the current group).
    pub stop: &'a AtomicBool,
}

/// Runs the pipeline over `items` (read on a thread of their own, in
/// order), with `prepare` on every worker. Returns what was done even when
/// a store error ended the run early (the error is the second value).
pub fn run<I, P>(run: &Run<'_>, items: I, prepare: P) -> Result<(Summary, Option<anyhow::Error>)>
where
    I: Iterator<Item = Item> + Send,
    P: Fn(Item) -> Work + Sync,
{
    let lines = match (run.lines, run.total) {
        (Lines::Auto, Some(total)) if total <= LINES_UP_TO => Lines::All,
        (Lines::Auto, _) => Lines::None,
        (other, _) => other,
    };
    let mut progress = Progress::new(run.total, run.lines != Lines::None);
    let jobs = run.jobs.max(1);
    let stop = run.stop;
    let (item_tx, item_rx) = mpsc::sync_channel::<(usize, Item)>(jobs * 64);
    // The workers own the item receiver together: when the last of them
    // stops (on a stop, or when the writer has gone), it is dropped and a
    // reader blocked on a full queue is released.
    let item_rx = Arc::new(Mutex::new(item_rx));
    let (tx, rx) = mpsc::sync_channel::<(usize, Work)>(jobs * 64);
    let read = AtomicUsize::new(0);
    let mut summary = Summary::default();
    let error = std::thread::scope(|scope| -> Result<Option<anyhow::Error>> {
        // Owned here, so that an early return (a thread that did not
        // start) drops it, and workers blocked on a full queue stop.
        let rx = rx;
        let read = &read;
        std::thread::Builder::new()
            .name("read".into())
            .spawn_scoped(scope, move || {
                for (i, item) in items.enumerate() {
                    if stop.load(Ordering::Relaxed) || item_tx.send((i, item)).is_err() {
                        return;
                    }
                    read.store(i + 1, Ordering::Relaxed);
                }
            })
            .context("starting the reading thread")?;
        for _ in 0..jobs {
            let tx = tx.clone();
            let item_rx = item_rx.clone();
            let prepare = &prepare;
            let worker = move || loop {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                // A poisoned lock means another worker panicked: stop too.
                let next = match item_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((i, item)) = next else { return };
                if tx.send((i, prepare(item))).is_err() {
                    return;
                }
            };
            if let Err(e) = std::thread::Builder::new()
                .name("prepare".into())
                .spawn_scoped(scope, worker)
            {
                stop.store(true, Ordering::Relaxed);
                return Err(e).context("starting a worker thread");
            }
        }
        drop(item_rx);
        drop(tx);
        let mut writer = Writer {
            store: run.store,
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
    // Every item read was sent; the reader stops early only on a stop.
    summary.items = match run.total {
        Some(total) => total,
        None => read.load(Ordering::Relaxed),
    };
    summary.interrupted = error.is_none()
        && stop.load(Ordering::Relaxed)
        && run.total.is_none_or(|total| summary.done() < total);
    Ok((summary, error))
}

/// An applied document waiting for the flush that makes it durable.
struct Pending {
    outcome: WriteOutcome,
    name: String,
    bytes: u64,
    counts: Counts,
    parsed_sentences: usize,
}

/// The single writer: applies documents in item order and commits them
/// in groups.
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
        // Workers finish out of order; documents are applied in item order
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
            Work::Failed { name, reason } => {
                self.progress.println(&format!("skipped {name}: {reason}"));
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

    /// Flushes, then reports every document the flush made durable.
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
                    "making the last {} documents durable (none of them was reported)",
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
            // The documents are durable whatever happens to their lines: a
            // reader that has gone is no error, and a failed write costs
            // the lines, not the run.
            if let Err(e) = self.progress.suspend(|| output::stdout(&out)) {
                self.lines = Lines::None;
                self.progress.println(&format!(
                    "warning: {e:#}; no more lines per article (the articles are stored all the same)"
                ));
            }
        }
        self.progress.tick();
        Ok(())
    }
}

/// Progress on stderr: an indicatif bar on a terminal (a counter when the
/// total is not known in advance), a plain line every few seconds
/// otherwise, nothing when quiet.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    total: Option<usize>,
    done: usize,
    bytes: u64,
    started: Instant,
    last_line: Instant,
}

impl Progress {
    fn new(total: Option<usize>, show: bool) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = (show && terminal).then(|| {
            let (bar, template) = match total {
                Some(total) => (
                    indicatif::ProgressBar::new(total as u64),
                    "{elapsed_precise} [{wide_bar}] {pos}/{len} articles, {msg}, ETA {eta}",
                ),
                None => (
                    indicatif::ProgressBar::new_spinner(),
                    "{elapsed_precise} {spinner} {pos} articles, {msg}",
                ),
            };
            let style = indicatif::ProgressStyle::with_template(template)
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
            let of_total = match self.total {
                Some(total) => {
                    let eta = if self.done > 0 {
                        elapsed / self.done as f64 * (total - self.done.min(total)) as f64
                    } else {
                        0.0
                    };
                    format!("/{total} articles, ETA {eta:.0}s")
                }
                None => " articles".to_owned(),
            };
            errln!(
                "progress: {}{of_total}, {:.1} MB at {:.1} MB/s, {:.0}s elapsed",
                self.done,
                self.bytes as f64 / 1e6,
                self.rate(),
                elapsed,
            );
        }
    }

    fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| errln!("{line}")),
            None => errln!("{line}"),
        }
    }

    fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
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

/// Prints a run's summary line once the pipeline has returned, every
/// document stored by then: a reader that has gone is no error (see
/// [`crate::output`]), and a failed write neither hides a store error that
/// ended the run (returned as it came) nor goes unreported.
pub fn print_summary(line: &str, error: Option<anyhow::Error>) -> Result<Option<anyhow::Error>> {
    match (output::stdout(&format!("{line}\n")), error) {
        (Ok(()), error) => Ok(error),
        (Err(e), Some(error)) => {
            errln!("error: {e:#}");
            Ok(Some(error))
        }
        (Err(e), None) => {
            Err(e.context("the run is done and stored, but its summary line was not written"))
        }
    }
}

/// Runs `work` (an ingest or an import) off the async runtime, turns
/// Ctrl-C or SIGTERM into a clean stop through the flag it is given (a
/// second Ctrl-C exits at once; nothing unacknowledged is lost either
/// way, since it was never reported), and maps the outcome to the exit
/// code: 0, 1 if any item failed, 130 when interrupted.
pub async fn run_to_exit_code<F>(command: &'static str, work: F) -> Result<std::process::ExitCode>
where
    F: FnOnce(&AtomicBool) -> Result<(Summary, Option<anyhow::Error>)> + Send + 'static,
{
    let stop = Arc::new(AtomicBool::new(false));
    let signals = {
        let stop = stop.clone();
        tokio::spawn(async move {
            stop_signal().await;
            stop.store(true, Ordering::SeqCst);
            errln!("stopping after the current group (Ctrl-C again to quit at once)");
            stop_signal().await;
            std::process::exit(130);
        })
    };
    let outcome = tokio::task::spawn_blocking({
        let stop = stop.clone();
        move || work(&stop)
    })
    .await
    .with_context(|| format!("the {command} task failed"))?;
    signals.abort();
    let (summary, error) = outcome?;
    if let Some(error) = error {
        return Err(error.context(format!(
            "{command} stopped; everything reported above is stored"
        )));
    }
    if summary.interrupted {
        errln!(
            "interrupted after {} of {} items; everything reported is stored: run the same command again to resume",
            summary.done(),
            summary.items,
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
