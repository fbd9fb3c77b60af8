//! Attachment scores: how many words of predicted sentences have the gold
//! part-of-speech tag, head and relation label.
//!
//! The counting follows the CoNLL 2018 shared task evaluation script
//! (`conll18_ud_eval.py`) for the case where the prediction keeps the gold
//! tokenization: every syntactic word counts, punctuation included;
//! multiword-token ranges and empty nodes do not; LAS compares the universal
//! part of the label only (`nsubj:pass` against `nsubj` is correct). The
//! stricter full-label count, subtypes included, is kept beside it as
//! `las_full`. Tokenization is not scored: a prediction whose words differ
//! from the gold ones is an error, not a low score.

use std::fmt;

use crate::conllu::{Sentence, Word};

/// Counts of words, and of words with a correct annotation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    /// Words compared.
    pub words: usize,
    /// Words with the gold UPOS tag.
    pub upos: usize,
    /// Words with the gold head (unlabelled attachment).
    pub uas: usize,
    /// Words with the gold head and the gold universal relation, the part of
    /// the label before any `:` (labelled attachment, as in CoNLL 2018).
    pub las: usize,
    /// Words with the gold head and the gold full relation label, subtype
    /// included.
    pub las_full: usize,
}

impl Scores {
    /// Share of words with the gold UPOS tag, 0.0 when there are no words.
    pub fn upos_accuracy(&self) -> f64 {
        self.share(self.upos)
    }

    /// Unlabelled attachment score, 0.0 when there are no words.
    pub fn uas(&self) -> f64 {
        self.share(self.uas)
    }

    /// Labelled attachment score on universal relations, 0.0 when there are
    /// no words.
    pub fn las(&self) -> f64 {
        self.share(self.las)
    }

    /// Labelled attachment score on full labels, subtypes included, 0.0 when
    /// there are no words.
    pub fn las_full(&self) -> f64 {
        self.share(self.las_full)
    }

    /// Adds another set of counts to these, e.g. one sentence's to a total.
    pub fn add(&mut self, other: Scores) {
        self.words += other.words;
        self.upos += other.upos;
        self.uas += other.uas;
        self.las += other.las;
        self.las_full += other.las_full;
    }

    fn share(&self, correct: usize) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            correct as f64 / self.words as f64
        }
    }
}

/// `UPOS 97.12%  UAS 90.01%  LAS 87.65%  (LAS with subtypes 86.54%, 25149 words)`.
impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "UPOS {:.2}%  UAS {:.2}%  LAS {:.2}%  (LAS with subtypes {:.2}%, {} words)",
            100.0 * self.upos_accuracy(),
            100.0 * self.uas(),
            100.0 * self.las(),
            100.0 * self.las_full(),
            self.words
        )
    }
}

/// Why a prediction cannot be scored against the gold sentences.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// Gold and prediction have different numbers of sentences.
    #[error("gold has {gold} sentences, prediction has {predicted}")]
    SentenceCount {
        /// Sentences in the gold data.
        gold: usize,
        /// Sentences in the prediction.
        predicted: usize,
    },
    /// A predicted sentence has a different number of words from its gold one.
    #[error("sentence at index {sentence}: gold has {gold} words, prediction has {predicted}")]
    WordCount {
        /// 0-based index of the sentence in the slices compared (0 for
        /// [`score_sentence`]).
        sentence: usize,
        /// Words in the gold sentence.
        gold: usize,
        /// Words in the predicted sentence.
        predicted: usize,
    },
    /// A predicted word has a different form from its gold one.
    #[error(
        "sentence at index {sentence}, word {word}: gold form '{gold}', predicted '{predicted}'"
    )]
    FormMismatch {
        /// 0-based index of the sentence in the slices compared (0 for
        /// [`score_sentence`]).
        sentence: usize,
        /// 1-based ID of the word in the gold sentence.
        word: u32,
        /// The gold form.
        gold: String,
        /// The predicted form.
        predicted: String,
    },
}

/// Compares a predicted sentence with the gold one word by word (same tokens
/// required).
///
/// A head is correct when both are given and equal: a gold word without a
/// head (`_`) never counts as attached correctly. Tags and labels are
/// compared as written.
pub fn score_sentence(gold: &Sentence, predicted: &Sentence) -> Result<Scores, EvalError> {
    score_at(0, gold, predicted)
}

/// Compares predicted sentences with the gold ones, sentence by sentence,
/// and sums the counts.
pub fn score(gold: &[Sentence], predicted: &[Sentence]) -> Result<Scores, EvalError> {
    if gold.len() != predicted.len() {
        return Err(EvalError::SentenceCount {
            gold: gold.len(),
            predicted: predicted.len(),
        });
    }
    let mut total = Scores::default();
    for (index, (gold, predicted)) in gold.iter().zip(predicted).enumerate() {
        total.add(score_at(index, gold, predicted)?);
    }
    Ok(total)
}

fn score_at(index: usize, gold: &Sentence, predicted: &Sentence) -> Result<Scores, EvalError> {
    let (gold_count, predicted_count) = (gold.word_count(), predicted.word_count());
    if gold_count != predicted_count {
        return Err(EvalError::WordCount {
            sentence: index,
            gold: gold_count,
            predicted: predicted_count,
        });
    }
    let mut scores = Scores::default();
    for (gold, predicted) in gold.words().zip(predicted.words()) {
        if gold.form != predicted.form {
            return Err(EvalError::FormMismatch {
                sentence: index,
                word: gold.id,
                gold: gold.form.clone(),
                predicted: predicted.form.clone(),
            });
        }
        scores.add(score_word(gold, predicted));
    }
    Ok(scores)
}

fn score_word(gold: &Word, predicted: &Word) -> Scores {
    let attached = gold.head.is_some() && gold.head == predicted.head;
    let count = |correct: bool| usize::from(correct);
    Scores {
        words: 1,
        upos: count(gold.upos == predicted.upos),
        uas: count(attached),
        las: count(attached && universal(&gold.deprel) == universal(&predicted.deprel)),
        las_full: count(attached && gold.deprel == predicted.deprel),
    }
}

/// The universal relation of a label: `nsubj` of `nsubj:pass`.
fn universal(deprel: &str) -> &str {
    deprel
        .split_once(':')
        .map_or(deprel, |(universal, _)| universal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::read;

    /// An invented sentence with a multiword token, which is not scored.
    const GOLD: &str = "\
# text = The ferry wasn't cancelled, they said.
1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_
2\tferry\tferry\tNOUN\tNN\t_\t5\tnsubj:pass\t_\t_
3-4\twasn't\t_\t_\t_\t_\t_\t_\t_\t_
3\twas\tbe\tAUX\tVBD\t_\t5\taux:pass\t_\t_
4\tn't\tnot\tPART\tRB\t_\t5\tadvmod\t_\t_
5\tcancelled\tcancel\tVERB\tVBN\t_\t0\troot\t_\t_
6\t,\t,\tPUNCT\t,\t_\t8\tpunct\t_\t_
7\tthey\tthey\tPRON\tPRP\t_\t8\tnsubj\t_\t_
8\tsaid\tsay\tVERB\tVBD\t_\t5\tparataxis\t_\t_
9\t.\t.\tPUNCT\t.\t_\t5\tpunct\t_\t_

";

    /// Per word: UPOS, head, label, replacing the gold annotation.
    fn predict(annotation: &[(&str, u32, &str)]) -> Sentence {
        let mut sentence = read(GOLD).unwrap().remove(0);
        for (word, &(upos, head, deprel)) in sentence.words_mut().zip(annotation) {
            word.upos = upos.to_owned();
            word.head = Some(head);
            word.deprel = deprel.to_owned();
        }
        sentence
    }

    fn gold() -> Sentence {
        read(GOLD).unwrap().remove(0)
    }

    #[test]
    fn a_perfect_prediction_scores_every_word() {
        let scores = score_sentence(&gold(), &gold()).unwrap();
        let all = Scores {
            words: 9,
            upos: 9,
            uas: 9,
            las: 9,
            las_full: 9,
        };
        assert_eq!(scores, all);
        assert_eq!(scores.las(), 1.0);
    }

    #[test]
    fn errors_are_counted_per_layer() {
        let predicted = predict(&[
            ("DET", 2, "det"),
            // Subtype missing: right for LAS, wrong for the full label.
            ("NOUN", 5, "nsubj"),
            // Subtype differs: the same.
            ("AUX", 5, "aux:tense"),
            // Wrong tag only.
            ("ADV", 5, "advmod"),
            ("VERB", 0, "root"),
            // Wrong head: wrong for UAS and both LAS, though the label is right.
            ("PUNCT", 5, "punct"),
            // Right head, wrong universal relation.
            ("PRON", 8, "obj"),
            // Wrong tag, head and label.
            ("NOUN", 2, "conj"),
            ("PUNCT", 5, "punct"),
        ]);
        let scores = score_sentence(&gold(), &predicted).unwrap();
        assert_eq!(
            scores,
            Scores {
                words: 9,
                upos: 7,
                uas: 7,
                las: 6,
                las_full: 4,
            }
        );
        assert!((scores.upos_accuracy() - 7.0 / 9.0).abs() < 1e-12);
        assert!((scores.uas() - 7.0 / 9.0).abs() < 1e-12);
        assert!((scores.las() - 6.0 / 9.0).abs() < 1e-12);
        assert!((scores.las_full() - 4.0 / 9.0).abs() < 1e-12);
    }

    #[test]
    fn a_missing_head_is_never_correct() {
        let mut predicted = gold();
        for word in predicted.words_mut() {
            word.head = None;
        }
        let scores = score_sentence(&gold(), &predicted).unwrap();
        assert_eq!((scores.upos, scores.uas, scores.las), (9, 0, 0));

        let mut unannotated = gold();
        for word in unannotated.words_mut() {
            word.head = None;
        }
        let scores = score_sentence(&unannotated, &unannotated).unwrap();
        assert_eq!(scores.uas, 0);
    }

    #[test]
    fn corpus_scores_are_the_sum_of_sentence_scores() {
        let other = Sentence::from_forms(&["Rain", "fell"]);
        let mut tagged = other.clone();
        if let Some(word) = tagged.words_mut().next() {
            word.upos = "NOUN".to_owned();
        }
        let scores = score(&[gold(), other.clone()], &[gold(), tagged]).unwrap();
        assert_eq!(
            scores,
            Scores {
                words: 11,
                upos: 10,
                uas: 9,
                las: 9,
                las_full: 9,
            }
        );
        assert_eq!(score(&[], &[]).unwrap(), Scores::default());
        assert_eq!(Scores::default().las(), 0.0);
    }

    #[test]
    fn scores_display_as_percentages() {
        let scores = Scores {
            words: 1_000,
            upos: 971,
            uas: 900,
            las: 876,
            las_full: 865,
        };
        assert_eq!(
            scores.to_string(),
            "UPOS 97.10%  UAS 90.00%  LAS 87.60%  (LAS with subtypes 86.50%, 1000 words)"
        );
    }

    #[test]
    fn different_sentence_counts_are_an_error() {
        let error = score(&[gold(), gold()], &[gold()]).unwrap_err();
        assert_eq!(
            error,
            EvalError::SentenceCount {
                gold: 2,
                predicted: 1
            }
        );
    }

    #[test]
    fn different_tokens_are_an_error_naming_sentence_and_word() {
        let mut renamed = gold();
        if let Some(word) = renamed.words_mut().nth(6) {
            word.form = "we".to_owned();
        }
        let error = score(&[gold(), gold()], &[gold(), renamed]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "sentence at index 1, word 7: gold form 'they', predicted 'we'"
        );

        let shorter = Sentence::from_forms(&["The", "ferry"]);
        let error = score_sentence(&gold(), &shorter).unwrap_err();
        assert_eq!(
            error,
            EvalError::WordCount {
                sentence: 0,
                gold: 9,
                predicted: 2
            }
        );
    }
}
