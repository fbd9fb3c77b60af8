//! Tagger and parser cost on one core: model load time, the memory the
//! loaded model holds, and words per second on the seed articles, on a
//! synthetic news corpus (`shared/bench/gen_corpus.py`) and on the UD
//! English EWT test set. Prints human-readable lines, then one JSON line.
//!
//! `cargo bench -p newsgraph-syntax --bench parse -- [CORPUS_DIR]`
//! (default: generates 2,000 articles with seed 7 under target/bench-corpus).
//! `NGSM_MODEL=FILE` measures another model file than the shipped one (one
//! that `examples/train.rs` wrote, say with `--set backward=true`), and
//! `NGSM_GATE=MARGIN` another gate for its backward parser than the
//! default (`Model::backward_gate`).
//!
//! Everything runs on the main thread: the figures are single-core.
//! "Words" are the tokens `tokenize::tokenize` cuts, punctuation included.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use newsgraph_syntax::conllu::{self, Sentence};
use newsgraph_syntax::eval;
use newsgraph_syntax::tokenize;
use newsgraph_syntax::Model;

/// Each corpus is parsed in passes until this much time has gone by; the
/// median pass is reported. A small corpus gets many passes, which hides
/// the cold first one; the synthetic corpus takes one or two.
const MIN_TIME: Duration = Duration::from_secs(3);

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn synthetic_dir() -> PathBuf {
    if let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with('-')) {
        return PathBuf::from(dir);
    }
    let root = manifest_dir().join("../..");
    let dir = root.join("target/bench-corpus/2000-7");
    if !dir.join("manifest.json").exists() {
        let script = root.join("../shared/bench/gen_corpus.py");
        eprintln!("generating the corpus with {}", script.display());
        let status = std::process::Command::new("python3")
            .arg(&script)
            .args(["--articles", "2000", "--seed", "7", "--out"])
            .arg(&dir)
            .status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("cannot generate the corpus; pass a directory of .txt articles");
            std::process::exit(2);
        }
    }
    dir
}

/// The `.txt` files of a directory, in name order.
fn articles(dir: &Path) -> Vec<String> {
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    paths.sort();
    paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// Sentences of an article as (byte offset, text).
///
/// Only for throughput: a line break ends a sentence (headlines, captions),
/// and so does `.`, `!` or `?` followed by whitespace and then an uppercase
/// letter or a quote. It splits after "Mr." and misses sentences that start
/// with a digit; the words parsed are the same either way and the sentence
/// lengths close enough to the real splitter's (which lives in
/// newsgraph-ingest, a layer above this crate).
fn sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut push = |start: usize, end: usize| {
        let s = &text[start..end];
        let trimmed = s.trim_start();
        let start = start + (s.len() - trimmed.len());
        let trimmed = trimmed.trim_end();
        if !trimmed.is_empty() {
            out.push((start, trimmed));
        }
    };
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        let boundary = match c {
            '\n' => true,
            '.' | '!' | '?' => {
                let rest = &text[end..];
                let after_space = rest.trim_start_matches([' ', '\t']);
                after_space.len() < rest.len()
                    && after_space
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_uppercase() || matches!(n, '"' | '\'' | '“' | '‘'))
            }
            _ => false,
        };
        if boundary {
            push(start, end);
            start = end;
        }
    }
    push(start, text.len());
    out
}

fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Runs `pass` (which returns the words it handled) until `MIN_TIME` has
/// gone by; the median pass's words per second.
fn words_per_sec(mut pass: impl FnMut() -> (usize, Duration)) -> (usize, f64) {
    let mut rates = Vec::new();
    let mut words = 0;
    let started = Instant::now();
    while rates.is_empty() || started.elapsed() < MIN_TIME {
        let (w, took) = pass();
        words = w;
        rates.push(w as f64 / took.as_secs_f64().max(1e-9));
    }
    (words, median(rates))
}

/// Words per second for tokenize+tag+parse and for tag+parse alone.
struct Throughput {
    sentences: usize,
    words: usize,
    full: f64,
    tag_parse: f64,
}

fn throughput(model: &Model, texts: &[String]) -> Throughput {
    let sentences: Vec<(usize, &str)> = texts.iter().flat_map(|t| sentences(t)).collect();
    let (words, full) = words_per_sec(|| {
        let started = Instant::now();
        let mut words = 0;
        for &(base, s) in &sentences {
            words += std::hint::black_box(model.analyse(s, base)).words.len();
        }
        (words, started.elapsed())
    });
    let (_, tag_parse) = words_per_sec(|| {
        // Tokenising stays outside the timed part. Each sentence is cut
        // just before it is parsed, as in the full run, so that its tokens
        // are in cache either way; a clock read per sentence is noise
        // beside the parse.
        let mut took = Duration::ZERO;
        let mut words = 0;
        for &(base, s) in &sentences {
            let tokens = tokenize::tokenize(s, base);
            let started = Instant::now();
            let analysis = std::hint::black_box(model.analyse_tokens(tokens));
            took += started.elapsed();
            words += analysis.words.len();
        }
        (words, took)
    });
    Throughput {
        sentences: sentences.len(),
        words,
        full,
        tag_parse,
    }
}

struct Ewt {
    sentences: usize,
    words: usize,
    tag_parse: f64,
    scores: eval::Scores,
}

fn ewt_test(model: &Model) -> Option<Ewt> {
    let path =
        manifest_dir().join("../../../shared/treebanks/ud-english-ewt/en_ewt-ud-test.conllu");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping EWT: {} not found", path.display());
        return None;
    };
    let gold: Vec<Sentence> = match conllu::read(&text) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("skipping EWT: {}: {e}", path.display());
            return None;
        }
    };
    let mut last = Vec::new();
    let (words, tag_parse) = words_per_sec(|| {
        let mut predicted = gold.clone();
        let started = Instant::now();
        for s in &mut predicted {
            model.annotate(s);
        }
        let took = started.elapsed();
        let words = predicted.iter().map(Sentence::word_count).sum();
        last = predicted;
        (words, took)
    });
    let scores = eval::score(&gold, &last).ok()?;
    Some(Ewt {
        sentences: gold.len(),
        words,
        tag_parse,
        scores,
    })
}

fn main() {
    let model_path = std::env::var_os("NGSM_MODEL")
        .map_or_else(|| manifest_dir().join("model/en_ewt.ngsm"), PathBuf::from);
    let bytes =
        std::fs::read(&model_path).unwrap_or_else(|e| panic!("{}: {e}", model_path.display()));

    // The first load is the one whose memory is measured: nothing freed
    // before it can be handed back by the allocator.
    let rss_before = rss_kb();
    let started = Instant::now();
    let mut model =
        Model::from_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", model_path.display()));
    if let Ok(gate) = std::env::var("NGSM_GATE") {
        model.backward_gate = gate
            .parse()
            .unwrap_or_else(|e| panic!("NGSM_GATE={gate}: {e}"));
    }
    if model.backward.is_some() {
        println!("backward parser gate: {}", model.backward_gate);
    }
    let mut load_ms = vec![started.elapsed().as_secs_f64() * 1e3];
    let rss_after = rss_kb();
    for _ in 0..4 {
        let started = Instant::now();
        let again = Model::from_bytes(&bytes).unwrap_or_else(|e| panic!("{e}"));
        load_ms.push(started.elapsed().as_secs_f64() * 1e3);
        drop(std::hint::black_box(again));
    }
    let load_ms = median(load_ms);
    let rss_mb = match (rss_before, rss_after) {
        (Some(b), Some(a)) => Some(a.saturating_sub(b) as f64 / 1024.0),
        _ => None,
    };
    let estimate_mb = (model.tagger.weights().memory_bytes()
        + model.parser.weights().memory_bytes()
        + model
            .backward
            .as_ref()
            .map_or(0, |b| b.weights().memory_bytes())) as f64
        / (1024.0 * 1024.0);
    let file_mb = bytes.len() as f64 / (1024.0 * 1024.0);

    let seed_dir = manifest_dir().join("../../seed");
    let seed = throughput(&model, &articles(&seed_dir));
    let synthetic_dir = synthetic_dir();
    let synthetic_dir = synthetic_dir.canonicalize().unwrap_or(synthetic_dir);
    let synthetic_articles = articles(&synthetic_dir);
    let synthetic = throughput(&model, &synthetic_articles);
    let ewt = ewt_test(&model);

    println!(
        "model: {file_mb:.1} MB file, load {load_ms:.1} ms (median of 5), RSS +{} MB, weights ~{estimate_mb:.1} MB",
        rss_mb.map_or("?".to_owned(), |m| format!("{m:.1}"))
    );
    for (name, t) in [("seed", &seed), ("synthetic", &synthetic)] {
        println!(
            "{name}: {} sentences, {} words: {:.0} words/s tokenize+tag+parse, {:.0} words/s tag+parse",
            t.sentences, t.words, t.full, t.tag_parse
        );
    }
    if let Some(e) = &ewt {
        println!(
            "EWT test: {} sentences, {} words: {:.0} words/s tag+parse; {}",
            e.sentences, e.words, e.tag_parse, e.scores
        );
    }

    let corpus = |t: &Throughput| {
        format!(
            "{{\"sentences\":{},\"words\":{},\"words_per_sec\":{:.0},\"tag_parse_words_per_sec\":{:.0}}}",
            t.sentences, t.words, t.full, t.tag_parse
        )
    };
    let ewt_json = ewt.as_ref().map_or("null".to_owned(), |e| {
        format!(
            "{{\"sentences\":{},\"words\":{},\"tag_parse_words_per_sec\":{:.0},\"upos\":{:.4},\"uas\":{:.4},\"las\":{:.4}}}",
            e.sentences,
            e.words,
            e.tag_parse,
            e.scores.upos_accuracy(),
            e.scores.uas(),
            e.scores.las()
        )
    });
    println!(
        "{{\"bench\":\"parse\",\"threads\":1,\"model_file_mb\":{file_mb:.2},\"load_ms\":{load_ms:.2},\"load_rss_mb\":{},\"weights_mb\":{estimate_mb:.2},\"seed\":{},\"synthetic\":{},\"synthetic_dir\":{:?},\"ewt_test\":{ewt_json}}}",
        rss_mb.map_or("null".to_owned(), |m| format!("{m:.1}")),
        corpus(&seed),
        corpus(&synthetic),
        synthetic_dir.display().to_string(),
    );
}
