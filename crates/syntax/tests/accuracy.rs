//! The shipped model against the UD English EWT dev set: its accuracy must
//! not fall below the floor recorded in `model/ACCURACY.md`, and annotating
//! a gold file must change only the columns the model writes.
//!
//! The treebank is research data kept outside the repository
//! (`../shared/treebanks`); without it these tests say so and pass.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use newsgraph_syntax::conllu::{self, Line, Sentence};
use newsgraph_syntax::{english, eval};

fn dev_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/treebanks/ud-english-ewt/en_ewt-ud-dev.conllu")
}

/// The dev set as read and as annotated by the model, annotated once and
/// shared by the tests below; `None` when the treebank is absent.
fn dev() -> Option<&'static (Vec<Sentence>, Vec<Sentence>)> {
    static DEV: OnceLock<Option<(Vec<Sentence>, Vec<Sentence>)>> = OnceLock::new();
    DEV.get_or_init(|| {
        let path = dev_path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!(
                "skipped: UD English EWT dev not found at {} (research data, not in the repo)",
                path.display()
            );
            return None;
        };
        let gold = conllu::read(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let model = english().expect("the compiled-in model loads");
        let mut predicted = gold.clone();
        for sentence in &mut predicted {
            model.annotate(sentence);
        }
        Some((gold, predicted))
    })
    .as_ref()
}

/// The `floor: upos=... uas=... las=...` line of `model/ACCURACY.md`.
fn floor() -> (f64, f64, f64) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("model/ACCURACY.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let line = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("floor:"))
        .unwrap_or_else(|| panic!("{} has no 'floor:' line", path.display()));
    let value = |key: &str| -> f64 {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("floor line '{line}' has no number for {key}"))
    };
    (value("upos"), value("uas"), value("las"))
}

#[test]
fn dev_accuracy_stays_above_the_recorded_floor() {
    let Some((gold, predicted)) = dev() else {
        return;
    };
    let scores = eval::score(gold, predicted).expect("annotate keeps the gold tokens");
    let (upos, uas, las) = floor();
    let figures = format!(
        "EWT dev: {scores}\nfloor:   UPOS {:.2}%  UAS {:.2}%  LAS {:.2}%",
        100.0 * upos,
        100.0 * uas,
        100.0 * las
    );
    eprintln!("{figures}");
    assert!(
        scores.upos_accuracy() >= upos && scores.uas() >= uas && scores.las() >= las,
        "accuracy fell below the floor in model/ACCURACY.md\n{figures}"
    );
}

#[test]
fn annotating_changes_only_upos_head_and_deprel() {
    let Some((gold, predicted)) = dev() else {
        return;
    };
    assert_eq!(gold.len(), predicted.len());
    for (g, p) in gold.iter().zip(predicted) {
        let id = g.sent_id().unwrap_or("?");
        assert_eq!(g.lines.len(), p.lines.len(), "sentence {id}");
        for (gl, pl) in g.lines.iter().zip(&p.lines) {
            match (gl, pl) {
                (Line::Word(gw), Line::Word(pw)) => {
                    let keep = |w: &conllu::Word| {
                        let mut w = w.clone();
                        w.upos.clear();
                        w.head = None;
                        w.deprel.clear();
                        w
                    };
                    assert_eq!(keep(gw), keep(pw), "sentence {id}, word {}", gw.id);
                    assert!(
                        pw.head.is_some() && !pw.deprel.is_empty() && pw.upos != "_",
                        "sentence {id}, word {} left unannotated: {pw:?}",
                        pw.id
                    );
                }
                // Comments, multiword ranges and empty nodes are kept as they are.
                _ => assert_eq!(gl, pl, "sentence {id}"),
            }
        }
    }
    // The annotated file is well-formed CoNLL-U: it reads back to the same sentences.
    let written = conllu::to_string(predicted);
    let reread = conllu::read(&written).expect("annotated CoNLL-U reads back");
    assert!(
        reread == *predicted,
        "annotated dev set does not read back the same"
    );
}
