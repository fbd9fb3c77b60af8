//! Trains the tagger and the parser from the UD English EWT treebank and
//! writes the model file that `newsgraph-syntax` ships.
//!
//! ```text
//! cargo run --release -p newsgraph-syntax --example train -- ../shared/treebanks/ud-english-ewt \
//!     [--out crates/syntax/model/en_ewt.ngsm] [--report ../shared/treebanks/ud-english-pud/en_pud-ud-test.conllu] \
//!     [--set KEY=VALUE ...]
//! ```
//!
//! `--set` changes one of the settings below (`epochs=20`, ...);
//! `clusters=true` trains a tagger and a parser that also read words'
//! clusters (`tagger_clusters=true`, `parser_clusters=true`: one of them),
//! `time_phrases=true` also trains on copies of the sentences
//! with a phrase of time before the verb (`newsgraph_syntax::augment`),
//! `backward=true` also trains a parser on the sentences read from their
//! end, which the model combines with the first (`newsgraph_syntax::combine`),
//! reading a sentence only when the forward parser was unsure of a move by
//! less than `gate` (kept in the model file). `--score MODEL --gate G ...`
//! scores an existing model at each gate; with one gate and `--out FILE` it
//! writes the model again with that gate.
//! `nonmono=true` trains the parsers in the non-monotonic arc-eager system
//! (`Parser::non_monotonic`), whose oracle charges `repair_cost` (default 1)
//! for each repair the best reachable tree still needs.
//!
//! Trains on `en_ewt-ud-train.conllu` only; prints accuracy on `dev` (used
//! to choose the settings below) and on `test` and any `--report` file.
//! The same treebank and settings give the same bytes on every run: the
//! shuffles are seeded, the folds run independently and the tables are
//! written in feature order.

use std::path::{Path, PathBuf};
use std::time::Instant;

use newsgraph_syntax::augment;
use newsgraph_syntax::conllu::{self, Sentence};
use newsgraph_syntax::eval::{self, Scores};
use newsgraph_syntax::features::WordView;
use newsgraph_syntax::model::Model;
use newsgraph_syntax::parser::{self, TrainSettings, TreeSentence};
use newsgraph_syntax::tagger::{self, TagSet, TaggedSentence};

/// The settings, chosen on EWT dev.
#[derive(Debug)]
struct Settings {
    tagger_epochs: usize,
    folds: usize,
    parser: TrainSettings,
    tagger_min_weight: f32,
    tagger_min_updates: u32,
    /// Train on each sentence's copy with a phrase of time too
    /// ([`augment::time_phrase_copy`]).
    time_phrases: bool,
    /// Whether the tagger reads words' clusters.
    tagger_clusters: bool,
    /// Also train a parser on the sentences read from their end, whose
    /// reading the model combines with the first's
    /// (`newsgraph_syntax::combine`).
    backward: bool,
    /// Its gate (`Model::backward_gate`), kept in the model file.
    gate: f32,
}

const SETTINGS: Settings = Settings {
    tagger_epochs: 10,
    folds: 10,
    parser: TrainSettings {
        epochs: 15,
        seed: 20_241_203,
        explore_from: 1,
        explore_rate: 0.9,
        min_weight: 0.05,
        min_updates: 2,
        min_row: 2.0,
        clusters: true,
        nonmono: true,
        repair_cost: 1,
    },
    tagger_min_weight: 0.05,
    tagger_min_updates: 2,
    time_phrases: true,
    tagger_clusters: true,
    backward: true,
    gate: 15.0,
};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn set(s: &mut Settings, kv: &str) -> Result<(), String> {
    let (k, v) = kv.split_once('=').ok_or("--set needs KEY=VALUE")?;
    let bad = |e: &dyn std::fmt::Display| format!("bad value in {kv}: {e}");
    match k {
        "tagger_epochs" => s.tagger_epochs = v.parse().map_err(|e| bad(&e))?,
        "folds" => s.folds = v.parse().map_err(|e| bad(&e))?,
        "tagger_min_weight" => s.tagger_min_weight = v.parse().map_err(|e| bad(&e))?,
        "epochs" => s.parser.epochs = v.parse().map_err(|e| bad(&e))?,
        "seed" => s.parser.seed = v.parse().map_err(|e| bad(&e))?,
        "explore_from" => s.parser.explore_from = v.parse().map_err(|e| bad(&e))?,
        "explore_rate" => s.parser.explore_rate = v.parse().map_err(|e| bad(&e))?,
        "min_updates" => s.parser.min_updates = v.parse().map_err(|e| bad(&e))?,
        "tagger_min_updates" => s.tagger_min_updates = v.parse().map_err(|e| bad(&e))?,
        "min_weight" => s.parser.min_weight = v.parse().map_err(|e| bad(&e))?,
        "min_row" => s.parser.min_row = v.parse().map_err(|e| bad(&e))?,
        "clusters" => {
            s.parser.clusters = v.parse().map_err(|e| bad(&e))?;
            s.tagger_clusters = s.parser.clusters;
        }
        "parser_clusters" => s.parser.clusters = v.parse().map_err(|e| bad(&e))?,
        "tagger_clusters" => s.tagger_clusters = v.parse().map_err(|e| bad(&e))?,
        "time_phrases" => s.time_phrases = v.parse().map_err(|e| bad(&e))?,
        "backward" => s.backward = v.parse().map_err(|e| bad(&e))?,
        "nonmono" => s.parser.nonmono = v.parse().map_err(|e| bad(&e))?,
        "repair_cost" => s.parser.repair_cost = v.parse().map_err(|e| bad(&e))?,
        "gate" => s.gate = v.parse().map_err(|e| bad(&e))?,
        _ => return Err(format!("unknown setting {k}")),
    }
    Ok(())
}

fn read(path: &Path) -> Result<Vec<Sentence>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    conllu::read(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn forms(s: &Sentence) -> Vec<&str> {
    s.words().map(|w| w.form.as_str()).collect()
}

fn fine(w: &newsgraph_syntax::conllu::Word) -> String {
    format!("{}|{}", w.upos, w.xpos)
}

fn tagged(sentences: &[Sentence], tags: &TagSet) -> Vec<TaggedSentence> {
    sentences
        .iter()
        .map(|s| TaggedSentence {
            views: tagger::views(&forms(s)),
            tags: s
                .words()
                .map(|w| tags.number(&fine(w)).unwrap_or(0))
                .collect(),
        })
        .collect()
}

/// The training sentences, each followed by its copy with a phrase of
/// time before the verb where it has a place for one
/// ([`augment::time_phrase_copy`]).
fn with_time_phrases(sentences: Vec<Sentence>) -> Vec<Sentence> {
    let mut out = Vec::with_capacity(sentences.len() * 5 / 4);
    let mut added = 0;
    for s in sentences {
        let copy = augment::time_phrase_copy(&s, added);
        out.push(s);
        if let Some(copy) = copy {
            out.push(copy);
            added += 1;
        }
    }
    eprintln!("time phrases added to {added} copies of training sentences");
    out
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir: Option<PathBuf> = None;
    let mut out = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/model/en_ewt.ngsm"));
    let mut out_given = false;
    let mut reports: Vec<PathBuf> = Vec::new();
    let mut settings = SETTINGS;
    let mut score_only: Option<PathBuf> = None;
    let mut gates: Vec<f32> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--out" => {
                out = it.next().ok_or("--out needs a path")?.into();
                out_given = true;
            }
            "--report" => reports.push(it.next().ok_or("--report needs a path")?.into()),
            // Scores an existing model file instead of training one.
            "--score" => {
                score_only = Some(PathBuf::from(
                    it.next().ok_or("--score needs a model file")?,
                ))
            }
            // Scores a model with a backward parser at each of these
            // gates (`Model::backward_gate`), to choose one on dev.
            "--gate" => {
                let g = it.next().ok_or("--gate needs a margin")?;
                gates.push(g.parse().map_err(|e| format!("--gate {g}: {e}"))?);
            }
            // Overrides for choosing settings on dev; the shipped model
            // uses the defaults above.
            "--set" => {
                let kv = it.next().ok_or("--set needs KEY=VALUE")?;
                set(&mut settings, kv)?;
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => dir = Some(s.into()),
        }
    }
    let dir = dir.ok_or("usage: train TREEBANK_DIR [--out FILE] [--report FILE.conllu]")?;
    if let Some(path) = score_only {
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut model = Model::from_bytes(&bytes).map_err(|e| e.to_string())?;
        if !gates.is_empty() {
            if model.backward.is_none() {
                return Err(format!(
                    "{}: --gate needs a model with a backward parser",
                    path.display()
                ));
            }
            let dev = read(&dir.join("en_ewt-ud-dev.conllu"))?;
            let test = read(&dir.join("en_ewt-ud-test.conllu"))?;
            for &g in &gates {
                model.backward_gate = g;
                println!(
                    "gate {g}: {:.1}% of dev words read backward",
                    100.0 * gated_share(&dev, &model)
                );
                report("EWT dev", &dev, &model)?;
                report("EWT test", &test, &model)?;
            }
            // With one gate and `--out`, the model is written again with
            // that gate: the same bytes as training it with `--set gate=G`.
            if out_given {
                let [g] = gates[..] else {
                    return Err("--score with --out takes exactly one --gate".into());
                };
                model.backward_gate = g;
                std::fs::write(&out, model.to_bytes())
                    .map_err(|e| format!("{}: {e}", out.display()))?;
                println!("wrote {} with gate {g}", out.display());
            }
            return Ok(());
        }
        report("EWT dev", &read(&dir.join("en_ewt-ud-dev.conllu"))?, &model)?;
        report(
            "EWT test",
            &read(&dir.join("en_ewt-ud-test.conllu"))?,
            &model,
        )?;
        upper_bound(&read(&dir.join("en_ewt-ud-dev.conllu"))?, &model);
        for path in &reports {
            report(&path.display().to_string(), &read(path)?, &model)?;
        }
        return Ok(());
    }
    let mut train = read(&dir.join("en_ewt-ud-train.conllu"))?;
    if settings.time_phrases {
        train = with_time_phrases(train);
    }
    let dev = read(&dir.join("en_ewt-ud-dev.conllu"))?;
    let started = Instant::now();
    eprintln!(
        "train: {} sentences, {} words",
        train.len(),
        train.iter().map(Sentence::word_count).sum::<usize>()
    );

    // Labels, in a fixed order: sorted.
    let mut labels: Vec<String> = train
        .iter()
        .flat_map(|s| s.words().map(|w| w.deprel.clone()))
        .filter(|l| l != "_")
        .collect();
    labels.sort();
    labels.dedup();
    eprintln!("{} labels", labels.len());

    // Fine tags, in a fixed order: sorted.
    let mut names: Vec<String> = train.iter().flat_map(|s| s.words().map(fine)).collect();
    names.sort();
    names.dedup();
    let tags = TagSet::new(names)?;
    eprintln!("{} fine tags", tags.len());

    // The tagger on all of train.
    let mut train_tagged = tagged(&train, &tags);
    let s = &settings;
    eprintln!("{s:?}");
    let tagger = tagger::train(
        &mut train_tagged,
        tags.clone(),
        s.tagger_epochs,
        1,
        s.tagger_min_weight,
        s.tagger_min_updates,
        s.tagger_clusters,
    );
    eprintln!(
        "tagger: {} features, {} weights ({:.0} s)",
        tagger.weights().features(),
        tagger.weights().len(),
        started.elapsed().as_secs_f64()
    );
    let (mut fine_right, mut upos_right, mut dev_words) = (0usize, 0usize, 0usize);
    for sentence in &dev {
        let f = forms(sentence);
        let predicted = tagger.tag_views(&tagger.views(&f));
        for (w, t) in sentence.words().zip(predicted) {
            dev_words += 1;
            fine_right += usize::from(tagger.tags().names().get(t as usize) == Some(&fine(w)));
            upos_right += usize::from(tagger.tags().upos(t).as_str() == w.upos);
        }
    }
    eprintln!(
        "tagger on dev: fine tags {:.4}, UPOS {:.4}",
        fine_right as f64 / dev_words.max(1) as f64,
        upos_right as f64 / dev_words.max(1) as f64
    );

    // Jackknifed tags for the parser's training data: each fold tagged by
    // a tagger that never saw it, so the parser learns from tags as good
    // (and as wrong) as it will get.
    // Folds are contiguous blocks: neighbouring sentences come from one
    // document, and a tagger that saw the rest of the document would tag
    // more accurately than it will on new text.
    let folds = s.folds.max(2);
    let n = train_tagged.len();
    let fold_of = |i: usize| i * folds / n.max(1);
    let fold_tags: Vec<Vec<(Vec<WordView>, Vec<u8>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..folds)
            .map(|k| {
                let data = &train_tagged;
                let tags = tags.clone();
                scope.spawn(move || {
                    let mut rest: Vec<TaggedSentence> = data
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| fold_of(*i) != k)
                        .map(|(_, t)| t.clone())
                        .collect();
                    let t = tagger::train(
                        &mut rest,
                        tags,
                        s.tagger_epochs,
                        1 + k as u64,
                        0.0,
                        0,
                        s.tagger_clusters,
                    );
                    // The held-out words get their classes from this
                    // fold's dictionary, as new text would.
                    data.iter()
                        .enumerate()
                        .filter(|(i, _)| fold_of(*i) == k)
                        .map(|(_, held_out)| {
                            let mut views = held_out.views.clone();
                            t.dict().classify(&mut views);
                            let tags = t.tag_views(&views);
                            (views, tags)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut predicted: Vec<(Vec<WordView>, Vec<u8>)> = vec![Default::default(); train.len()];
    for (k, tags) in fold_tags.into_iter().enumerate() {
        let positions = (0..train.len()).filter(|&i| fold_of(i) == k);
        for (i, t) in positions.zip(tags) {
            predicted[i] = t;
        }
    }
    let right: usize = predicted
        .iter()
        .zip(&train_tagged)
        .map(|((_, p), g)| p.iter().zip(&g.tags).filter(|(a, b)| a == b).count())
        .sum();
    let words: usize = train_tagged.iter().map(|t| t.tags.len()).sum();
    eprintln!(
        "jackknifed tags: {:.4} right ({:.0} s)",
        right as f64 / words as f64,
        started.elapsed().as_secs_f64()
    );

    let mut trees = Vec::with_capacity(train.len());
    for (s, (views, tags)) in train.iter().zip(predicted) {
        let mut heads = Vec::new();
        let mut labs = Vec::new();
        for w in s.words() {
            heads.push(w.head.unwrap_or(0));
            labs.push(labels.binary_search(&w.deprel).unwrap_or(0) as u8);
        }
        trees.push(TreeSentence {
            views,
            tags,
            heads,
            labels: labs,
        });
    }
    let train_parser = |name: &str, trees: &[TreeSentence], labels: Vec<String>| {
        let trained = parser::train(trees, labels, s.parser, |epoch, share| {
            eprintln!(
                "{name} pass {}: {:.4} of moves right ({:.0} s)",
                epoch + 1,
                share,
                started.elapsed().as_secs_f64()
            );
        })
        .map_err(|e| e.to_string())?;
        eprintln!(
            "{name}: {} features, {} weights",
            trained.weights().features(),
            trained.weights().len()
        );
        Ok::<_, String>(trained)
    };
    let parser = train_parser("parser", &trees, labels)?;
    let backward = if s.backward {
        let reversed: Vec<TreeSentence> = trees.iter().map(TreeSentence::reversed).collect();
        Some(train_parser(
            "backward parser",
            &reversed,
            parser.labels().to_vec(),
        )?)
    } else {
        None
    };
    let bytes = Model {
        tagger,
        parser,
        backward,
        backward_gate: s.gate,
    }
    .to_bytes();
    // Measure what ships: the model as read back from its bytes.
    let model = Model::from_bytes(&bytes).map_err(|e| e.to_string())?;
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!(
        "wrote {} ({:.1} MB, crc32 {:08x}) in {:.0} s",
        out.display(),
        bytes.len() as f64 / 1e6,
        crc32fast::hash(&bytes),
        started.elapsed().as_secs_f64()
    );

    report("EWT dev", &dev, &model)?;
    let test_path = dir.join("en_ewt-ud-test.conllu");
    if test_path.exists() {
        report("EWT test", &read(&test_path)?, &model)?;
    }
    for path in &reports {
        report(&path.display().to_string(), &read(path)?, &model)?;
    }
    Ok(())
}

fn report(name: &str, gold: &[Sentence], model: &Model) -> Result<Scores, String> {
    let started = Instant::now();
    let predicted: Vec<Sentence> = gold
        .iter()
        .map(|s| {
            let mut p = s.clone();
            model.annotate(&mut p);
            p
        })
        .collect();
    let scores = eval::score(gold, &predicted).map_err(|e| e.to_string())?;
    println!(
        "{name}: {} words in {:.2} s, UPOS {:.4}, UAS {:.4}, LAS {:.4}, LAS with subtypes {:.4}",
        scores.words,
        started.elapsed().as_secs_f64(),
        scores.upos_accuracy(),
        scores.uas(),
        scores.las(),
        scores.las_full()
    );
    Ok(scores)
}

/// The share of words in sentences the backward parser reads at the
/// model's gate.
fn gated_share(gold: &[Sentence], model: &Model) -> f64 {
    let (mut read, mut words) = (0usize, 0usize);
    let mut margins = Vec::new();
    for s in gold {
        let f = forms(s);
        let views = model.tagger.views(&f);
        let tags = model.tagger.tag_views(&views);
        model
            .parser
            .parse_margins(&views, &tags, Some(&mut margins));
        words += f.len();
        if margins.iter().any(|&m| m < model.backward_gate) {
            read += f.len();
        }
    }
    read as f64 / words.max(1) as f64
}

/// Parsing accuracy on dev with the gold fine tags: how much the tagger's
/// errors cost the parser.
fn upper_bound(gold: &[Sentence], model: &Model) {
    let (mut right, mut words) = (0usize, 0usize);
    for s in gold {
        let f = forms(s);
        let views = model.tagger.views(&f);
        let tags: Vec<u8> = s
            .words()
            .map(|w| model.tagger.tags().number(&fine(w)).unwrap_or(0))
            .collect();
        let arcs = model.parser.parse(&views, &tags);
        for (w, h) in s.words().zip(&arcs.heads) {
            words += 1;
            right += usize::from(w.head == Some(*h));
        }
    }
    println!(
        "EWT dev with gold tags: UAS {:.4}",
        right as f64 / words.max(1) as f64
    );
}
