//! Training trees made from the treebank's own: what news writes often
//! and the web text of the treebank seldom does.

use crate::conllu::{Line, Sentence, Word};

/// A phrase of time as news places it between a subject and its verb
/// ("The minister on Thursday rejected ..."): each word's form, UPOS,
/// XPOS, head (a position in the phrase, or `None` for the verb) and label.
type Phrase = &'static [(
    &'static str,
    &'static str,
    &'static str,
    Option<usize>,
    &'static str,
)];

const TIME_PHRASES: [Phrase; 8] = [
    &[
        ("on", "ADP", "IN", Some(1), "case"),
        ("Monday", "PROPN", "NNP", None, "obl"),
    ],
    &[
        ("on", "ADP", "IN", Some(1), "case"),
        ("Tuesday", "PROPN", "NNP", None, "obl"),
    ],
    &[
        ("last", "ADJ", "JJ", Some(1), "amod"),
        ("week", "NOUN", "NN", None, "obl:unmarked"),
    ],
    &[
        ("on", "ADP", "IN", Some(1), "case"),
        ("Wednesday", "PROPN", "NNP", None, "obl"),
    ],
    &[("yesterday", "NOUN", "NN", None, "obl:unmarked")],
    &[
        ("on", "ADP", "IN", Some(1), "case"),
        ("Thursday", "PROPN", "NNP", None, "obl"),
    ],
    &[
        ("last", "ADJ", "JJ", Some(1), "amod"),
        ("month", "NOUN", "NN", None, "obl:unmarked"),
    ],
    &[
        ("on", "ADP", "IN", Some(1), "case"),
        ("Friday", "PROPN", "NNP", None, "obl"),
    ],
];

/// A copy of `s` with a phrase of time between its first nominal subject
/// and the verb right after it ("The minister rejected ..." → "The
/// minister on Monday rejected ..."), the phrase's words attached to the
/// verb as UD attaches them; the `n`th copy takes the `n`th phrase (in
/// turn). `None` where the sentence has no such subject, or has multiword
/// tokens or empty nodes (whose ranges the copy would have to renumber).
///
/// The treebank (web text) seldom shows the order news uses every day,
/// and a parser that never saw it reads "X on Thursday" as one noun phrase
/// and the verb after it as a sentence of its own. The copies are trees
/// of the treebank with one or two words added; nothing else is read.
pub fn time_phrase_copy(s: &Sentence, n: usize) -> Option<Sentence> {
    if s.lines
        .iter()
        .any(|l| matches!(l, Line::MultiWord(_) | Line::Empty(_)))
    {
        return None;
    }
    let words: Vec<&Word> = s.words().collect();
    // A head outside the sentence (a malformed file) counts as the root.
    let head = |i: usize| {
        words
            .get(i)
            .and_then(|w| w.head)
            .map(|h| h as usize)
            .filter(|&h| h <= words.len())
            .unwrap_or(0)
    };
    let within = |i: usize, top: usize| {
        let mut at = i;
        for _ in 0..words.len() {
            if at == top {
                return true;
            }
            let h = head(at - 1);
            if h == 0 {
                return false;
            }
            at = h;
        }
        false
    };
    // The first nominal subject (by its 1-based id) whose phrase ends
    // right before its verb.
    let (subject_end, verb) = (1..=words.len()).find_map(|i| {
        let w = words[i - 1];
        let v = head(i - 1);
        let nominal = matches!(w.upos.as_str(), "NOUN" | "PROPN");
        if !w.deprel.starts_with("nsubj") || !nominal || v <= i {
            return None;
        }
        if words.get(v - 1).is_none_or(|verb| verb.upos != "VERB") {
            return None;
        }
        let span: Vec<usize> = (1..=words.len()).filter(|&j| within(j, i)).collect();
        let (first, last) = (*span.first()?, *span.last()?);
        (last + 1 == v && span.len() == last - first + 1).then_some((last, v))
    })?;
    let phrase = TIME_PHRASES[n % TIME_PHRASES.len()];
    let m = phrase.len() as u32;
    let shift = |h: u32| if h as usize > subject_end { h + m } else { h };
    let mut lines: Vec<Line> = s
        .lines
        .iter()
        .filter_map(|l| match l {
            Line::Comment(c) if c.starts_with("# sent_id") => {
                Some(Line::Comment(format!("{c}-time")))
            }
            Line::Comment(_) => None,
            other => Some(other.clone()),
        })
        .collect();
    for line in &mut lines {
        if let Line::Word(w) = line {
            w.id = shift(w.id);
            w.head = w.head.map(shift);
        }
    }
    let at = lines
        .iter()
        .position(|l| matches!(l, Line::Word(w) if w.id as usize > subject_end))
        .unwrap_or(lines.len());
    for (k, (form, upos, xpos, h, deprel)) in phrase.iter().enumerate() {
        let mut w = Word::plain(subject_end as u32 + 1 + k as u32, form);
        w.lemma = form.to_lowercase();
        w.upos = (*upos).into();
        w.xpos = (*xpos).into();
        w.head = Some(match h {
            Some(p) => subject_end as u32 + 1 + *p as u32,
            None => verb as u32 + m,
        });
        w.deprel = (*deprel).into();
        lines.insert(at + k, Line::Word(w));
    }
    Some(Sentence { lines })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu;

    fn sentence(rows: &[(&str, &str, u32, &str)]) -> Sentence {
        let mut text = String::from("# sent_id = t1\n");
        for (i, (form, upos, head, rel)) in rows.iter().enumerate() {
            text.push_str(&format!(
                "{}\t{form}\t_\t{upos}\tX\t_\t{head}\t{rel}\t_\t_\n",
                i + 1
            ));
        }
        text.push('\n');
        conllu::read(&text).map_or_else(|e| panic!("{e}"), |mut v| v.remove(0))
    }

    fn rows(s: &Sentence) -> Vec<(String, u32, String)> {
        s.words()
            .map(|w| (w.form.clone(), w.head.unwrap_or(99), w.deprel.clone()))
            .collect()
    }

    #[test]
    fn a_phrase_of_time_goes_between_the_subject_and_its_verb() {
        let s = sentence(&[
            ("The", "DET", 2, "det"),
            ("minister", "NOUN", 3, "nsubj"),
            ("rejected", "VERB", 0, "root"),
            ("the", "DET", 5, "det"),
            ("plan", "NOUN", 3, "obj"),
        ]);
        let copy = time_phrase_copy(&s, 0).unwrap_or_else(|| panic!("no copy"));
        let want = [
            ("The", 2, "det"),
            ("minister", 5, "nsubj"),
            ("on", 4, "case"),
            ("Monday", 5, "obl"),
            ("rejected", 0, "root"),
            ("the", 7, "det"),
            ("plan", 5, "obj"),
        ];
        let want: Vec<(String, u32, String)> = want
            .iter()
            .map(|(f, h, r)| (f.to_string(), *h, r.to_string()))
            .collect();
        assert_eq!(rows(&copy), want);
        let ids: Vec<u32> = copy.words().map(|w| w.id).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(copy.sent_id(), Some("t1-time"));
        // The third phrase has no preposition.
        let copy = time_phrase_copy(&s, 2).unwrap_or_else(|| panic!("no copy"));
        assert_eq!(
            rows(&copy)[2..4],
            [
                ("last".to_string(), 4, "amod".to_string()),
                ("week".to_string(), 5, "obl:unmarked".to_string()),
            ]
        );
    }

    #[test]
    fn heads_outside_the_sentence_make_no_panic() {
        // The reader refuses such heads; a sentence built in code may not.
        let rows = [
            ("Officials", "NOUN", 7, "nsubj"),
            ("left", "VERB", 0, "root"),
        ];
        let lines = rows
            .iter()
            .enumerate()
            .map(|(i, (form, upos, head, rel))| {
                let mut w = Word::plain(i as u32 + 1, form);
                w.upos = (*upos).into();
                w.head = Some(*head);
                w.deprel = (*rel).into();
                Line::Word(w)
            })
            .collect();
        assert!(time_phrase_copy(&Sentence { lines }, 0).is_none());
    }

    #[test]
    fn no_copy_without_a_nominal_subject_right_before_its_verb() {
        // A pronoun subject.
        let s = sentence(&[("She", "PRON", 2, "nsubj"), ("left", "VERB", 0, "root")]);
        assert!(time_phrase_copy(&s, 0).is_none());
        // An auxiliary between the subject and the verb.
        let s = sentence(&[
            ("Officials", "NOUN", 3, "nsubj"),
            ("have", "AUX", 3, "aux"),
            ("left", "VERB", 0, "root"),
        ]);
        assert!(time_phrase_copy(&s, 0).is_none());
        // A subject after its verb.
        let s = sentence(&[
            ("said", "VERB", 0, "root"),
            ("officials", "NOUN", 1, "nsubj"),
        ]);
        assert!(time_phrase_copy(&s, 0).is_none());
    }
}
