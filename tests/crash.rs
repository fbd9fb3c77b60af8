//! Crash safety: a child `newsgraph ingest` is killed with SIGKILL at a
//! random moment, the store is reopened, and every invariant is checked:
//!
//! - every article the child reported (a line printed only after the flush
//!   that made it durable) is present, with the content it had;
//! - no article is half-present: every stored document has exactly the
//!   relations, events and mentions a fresh extraction of its stored text
//!   gives (same ids, same order);
//! - `Store::verify` finds nothing: indexes in both directions agree with
//!   the records, no relation points at a missing node, and the petgraph
//!   rebuilt from disk equals the stored data.
//!
//! `CRASH_CYCLES` sets the number of kills (10 by default, `make
//! crash-test` runs 100); `CRASH_SEED` replays a run. Every fourth cycle
//! changes some articles first, so that kills also land in replacements.

// Test harness code: a panic is how a helper reports a failed check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use newsgraph_model::content_sha256;
use newsgraph_store::Store;

/// Articles in the crash corpus.
const ARTICLES: usize = 240;

/// SplitMix64: small, deterministic, good enough to pick kill moments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn articles(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

/// What one killed run acknowledged: file name -> verb.
fn run_and_kill(db: &Path, corpus: &Path, after: Duration) -> (BTreeMap<String, String>, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsgraph"))
        .arg("ingest")
        .arg(corpus)
        .arg("--db")
        .arg(db)
        .arg("--verbose")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });
    let deadline = Instant::now() + after;
    let mut finished = false;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            finished = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    if !finished {
        child.kill().unwrap(); // SIGKILL
    }
    child.wait().unwrap();
    let mut acked = BTreeMap::new();
    for line in reader.join().unwrap() {
        let mut words = line.split_whitespace();
        if let (Some(verb @ ("added" | "replaced" | "unchanged")), Some(name)) =
            (words.next(), words.next())
        {
            acked.insert(name.trim_end_matches(':').to_owned(), verb.to_owned());
        }
    }
    (acked, finished)
}

/// Checks the store after a kill; returns (documents, complete) where
/// complete means every article of the corpus is stored as it is now.
fn check(db: &Path, corpus: &Path, acked: &BTreeMap<String, String>, cycle: u64) -> (usize, bool) {
    let store = Store::open(db).unwrap_or_else(|e| panic!("cycle {cycle}: reopen failed: {e}"));
    let problems = store.verify().unwrap();
    assert!(
        problems.is_empty(),
        "cycle {cycle}: {} violations:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let view = store.view();
    let mut complete = true;
    for path in articles(corpus) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let text = newsgraph_ingest::decode_article(&name, &bytes, usize::MAX).unwrap();
        let stored = view.document_by_file(&name);
        let current = stored.is_some_and(|d| d.sha256 == content_sha256(text));
        if acked.contains_key(&name) {
            assert!(
                current,
                "cycle {cycle}: {name} was reported {} but is {}",
                acked[&name],
                if stored.is_some() {
                    "stored with other content"
                } else {
                    "missing"
                }
            );
        }
        complete &= current;
    }
    // No article is half-present: what is stored is what extracting the
    // stored text gives, relation for relation.
    for doc in view.documents() {
        let text = store.text(doc.id).unwrap().unwrap();
        assert_eq!(
            content_sha256(&text),
            doc.sha256,
            "cycle {cycle}: {}",
            doc.file
        );
        let fresh = newsgraph_ingest::extract(&doc.file, &text);
        assert_eq!(&fresh.document, doc, "cycle {cycle}: {}", doc.file);
        // (with their sentences: the view keeps spans, the store the words)
        let stored = store
            .with_sentences(&view.document_relations(doc.id))
            .unwrap();
        assert_eq!(
            stored.len(),
            fresh.relations.len(),
            "cycle {cycle}: {} has {} of its {} relations",
            doc.file,
            stored.len(),
            fresh.relations.len()
        );
        assert_eq!(stored, fresh.relations, "cycle {cycle}: {}", doc.file);
        let mut mentioned: Vec<_> = view
            .document_mentions(doc.id)
            .iter()
            .map(|a| a.id)
            .collect();
        let mut expected: Vec<_> = fresh.mentions.iter().map(|m| m.actor).collect();
        mentioned.sort();
        expected.sort();
        assert_eq!(mentioned, expected, "cycle {cycle}: {}", doc.file);
        for event in &fresh.events {
            assert_eq!(
                view.event(event.id),
                Some(event),
                "cycle {cycle}: {}",
                doc.file
            );
        }
    }
    (view.document_count(), complete)
}

/// Appends a sentence to some articles, so that the next run replaces them.
fn change_some(corpus: &Path, rng: &mut Rng, cycle: u64) -> usize {
    let files = articles(corpus);
    let mut changed = 0;
    for _ in 0..files.len() / 10 {
        let path = &files[rng.below(files.len() as u64) as usize];
        let mut text = std::fs::read_to_string(path).unwrap();
        text.push_str(&format!(
            "\nMontenegro urged Albania to reopen the border crossing, revision {cycle}.\n"
        ));
        std::fs::write(path, text).unwrap();
        changed += 1;
    }
    changed
}

#[test]
fn killed_ingests_keep_every_acknowledged_article_and_no_half_article() {
    let cycles = env_number("CRASH_CYCLES", 10);
    let seed = env_number("CRASH_SEED", 0x5eed);
    let scratch = tempfile::Builder::new()
        .prefix("newsgraph-crash-")
        .tempdir()
        .unwrap();
    let corpus = scratch.path().join("articles");
    common::write_corpus(&corpus, ARTICLES, 7);
    let total = articles(&corpus).len();
    assert!(total >= 100, "the crash corpus has {total} articles");

    // How long a whole run takes here bounds the kill moments.
    let probe_db = scratch.path().join("probe");
    let started = Instant::now();
    let (_, finished) = run_and_kill(&probe_db, &corpus, Duration::from_secs(600));
    assert!(finished, "the probe run finished");
    let full_run = started.elapsed();
    std::fs::remove_dir_all(&probe_db).unwrap();

    let mut generation = 0;
    let mut db = scratch.path().join("db-0");
    let (mut kills, mut acknowledged, mut checked, mut replaced_runs) = (0, 0, 0, 0);
    for cycle in 0..cycles {
        let mut rng = Rng(seed ^ cycle.wrapping_mul(0x9E37_79B9));
        if cycle % 4 == 3 && db.exists() {
            change_some(&corpus, &mut rng, cycle);
            replaced_runs += 1;
        }
        let after = Duration::from_millis(rng.below(full_run.as_millis() as u64 + 50));
        let (acked, finished) = run_and_kill(&db, &corpus, after);
        if !finished {
            kills += 1;
        }
        acknowledged += acked.len();
        let (documents, complete) = check(&db, &corpus, &acked, cycle);
        checked += documents;
        eprintln!(
            "cycle {cycle}: {} after {after:?}; {} acknowledged; {documents}/{total} stored",
            if finished { "finished" } else { "killed" },
            acked.len()
        );
        if complete {
            generation += 1;
            db = scratch.path().join(format!("db-{generation}"));
        }
    }
    eprintln!(
        "crash test: {cycles} cycles, {kills} killed mid-run, {replaced_runs} over changed articles, \
         {acknowledged} acknowledged articles and {checked} stored documents checked, 0 violations \
         (a full run takes {full_run:?}; seed {seed:#x})"
    );
}
