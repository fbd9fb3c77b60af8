//! The scale bench (issue 6): ingest a synthetic archive with the real
//! binary, then measure what a user waits for and pays.
//!
//! ```sh
//! make bench                                   # 100,000 articles
//! SCALE_ARTICLES=10000 cargo bench -p newsgraph --bench ingest_scale
//! ```
//!
//! The corpus comes from `../shared/bench/gen_corpus.py --seed 42` and is
//! kept in `target/bench-corpus-N` between runs (generating 100,000
//! articles takes minutes). Prints what it measures, then one JSON line:
//! ingest wall time and rate, peak RSS of the ingest (from `/usr/bin/time`
//! when it is installed), disk used by the store, the time to reopen it
//! (sled open + rebuilding the graph view) and the peak RSS of a process
//! that reopens it and answers one query. Targets at 100,000 articles on
//! a 2-core machine: ingest <= 60 s, reopen <= 2 s, disk <= 360 MB, RSS
//! <= 800 MB.
//!
//! With `SCALE_SYNTAX=1` the ingest runs with `--syntax` (every sentence
//! that holds a relation cue is also tagged and parsed) and the JSON line
//! says `"syntax":true`; the target for it at 100,000 articles on 2 cores
//! is ingest <= 450 s.
//!
//! ```sh
//! SCALE_ARTICLES=100000 SCALE_SYNTAX=1 cargo bench -p newsgraph --bench ingest_scale
//! ```

// A bench program: a failed step ends it with a message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The reopen is timed in this process: give it the binary's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus(articles: usize) -> PathBuf {
    let dir = std::env::var_os("SCALE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join(format!("target/bench-corpus-{articles}")));
    if dir.join("manifest.json").is_file() {
        return dir;
    }
    let generator = [
        repo_root().join("../shared/bench/gen_corpus.py"),
        PathBuf::from("/work/shared/bench/gen_corpus.py"),
    ]
    .into_iter()
    .find(|p| p.is_file())
    .expect("../shared/bench/gen_corpus.py generates the corpus");
    eprintln!("generating {articles} articles into {}", dir.display());
    let status = Command::new("python3")
        .arg(generator)
        .args(["--articles", &articles.to_string(), "--seed", "42", "--out"])
        .arg(&dir)
        .stdout(Stdio::null())
        .status()
        .expect("running python3");
    assert!(status.success(), "gen_corpus.py failed");
    dir
}

fn dir_bytes(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .map(|e| {
                    let e = e.unwrap();
                    let meta = e.metadata().unwrap();
                    if meta.is_dir() {
                        dir_bytes(&e.path())
                    } else {
                        meta.len()
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// Runs the binary (under `/usr/bin/time -v` when present); returns wall
/// seconds, peak RSS in MB (if known), stdout and stderr.
fn run(args: &[&std::ffi::OsStr], log: &str) -> (f64, Option<f64>, String, String) {
    let time = Path::new("/usr/bin/time");
    let mut command = if time.is_file() {
        let mut c = Command::new(time);
        c.arg("-v").arg(env!("CARGO_BIN_EXE_newsgraph"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_newsgraph"))
    };
    let started = Instant::now();
    let out = command
        .args(args)
        .env("RUST_LOG", log)
        .output()
        .expect("running newsgraph");
    let wall = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "newsgraph failed:\n{stdout}\n{stderr}"
    );
    let rss = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|kb| kb.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    (wall, rss, stdout, stderr)
}

fn main() {
    // `cargo bench` passes `--bench`; this program takes its settings
    // from the environment instead.
    let articles: usize = std::env::var("SCALE_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let syntax = std::env::var("SCALE_SYNTAX").is_ok_and(|v| v == "1");
    let corpus = corpus(articles);
    let corpus_bytes: u64 = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    let scratch = tempfile::Builder::new()
        .prefix("newsgraph-scale-")
        .tempdir_in(repo_root().join("target"))
        .unwrap();
    let db = scratch.path().join("db");

    let mut ingest: Vec<&std::ffi::OsStr> = vec![
        "ingest".as_ref(),
        corpus.as_os_str(),
        "--db".as_ref(),
        db.as_os_str(),
        "--quiet".as_ref(),
    ];
    if syntax {
        ingest.push("--syntax".as_ref());
    }
    let (ingest_s, ingest_rss, stdout, stderr) = run(&ingest, "newsgraph=debug");
    eprintln!("{}", stdout.trim());
    let parsed_sentences = stdout
        .split("; parsed ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .map_or("null", str::trim);
    if let Some(line) = stderr.lines().find(|l| l.contains("writer")) {
        eprintln!("writer: {line}");
    }
    let disk = dir_bytes(&db) as f64 / 1e6;

    // Reopen in this process, three times (the page cache is warm, as it
    // is for a restart right after a stop).
    let mut reopen = f64::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let store = newsgraph_store::Store::open(&db).unwrap();
        reopen = reopen.min(started.elapsed().as_secs_f64());
        assert!(store.view().document_count() > 0);
    }
    let (_, query_rss, _, _) = run(
        &[
            "query".as_ref(),
            "{ stats { documents } }".as_ref(),
            "--db".as_ref(),
            db.as_os_str(),
        ],
        "warn",
    );
    let verify_started = Instant::now();
    let problems = newsgraph_store::Store::open(&db).unwrap().verify().unwrap();
    let verify_s = verify_started.elapsed().as_secs_f64();
    assert!(problems.is_empty(), "{problems:?}");

    let mb = corpus_bytes as f64 / 1e6;
    let fmt_rss = |rss: Option<f64>| rss.map_or("n/a".to_owned(), |r| format!("{r:.0} MB"));
    eprintln!(
        "{articles} articles ({mb:.0} MB): ingest{} {ingest_s:.1} s ({:.0} articles/s, {:.1} MB/s), \
         peak RSS {}; disk {disk:.0} MB; reopen {reopen:.2} s, RSS after reopen {}; verify {verify_s:.1} s",
        if syntax { " with --syntax" } else { "" },
        articles as f64 / ingest_s,
        mb / ingest_s,
        fmt_rss(ingest_rss),
        fmt_rss(query_rss),
    );
    println!(
        "{{\"bench\":\"ingest_scale\",\"articles\":{articles},\"syntax\":{syntax},\"corpus_mb\":{mb:.1},\"ingest_s\":{ingest_s:.2},\
         \"articles_per_s\":{:.0},\"ingest_peak_rss_mb\":{},\"disk_mb\":{disk:.1},\"reopen_s\":{reopen:.3},\
         \"reopen_peak_rss_mb\":{},\"verify_s\":{verify_s:.2},\"parsed_sentences\":{parsed_sentences}}}",
        articles as f64 / ingest_s,
        ingest_rss.map_or("null".to_owned(), |r| format!("{r:.0}")),
        query_rss.map_or("null".to_owned(), |r| format!("{r:.0}")),
    );
}
