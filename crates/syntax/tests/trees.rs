//! Hand-checked trees: invented news sentences whose Universal Dependencies
//! analysis is not in doubt, parsed with the shipped English model, with the
//! arcs that the extraction layer reads asserted by word form.
//!
//! Labels follow the conventions of the treebank the model learns from (UD
//! English EWT): the agent of a passive is `obl:agent`, a possessor
//! `nmod:poss` with `'s` as its `case`, a person's name a `flat` chain
//! headed by the first name, negation `advmod` on the verb.
//!
//! Sentences the current model gets wrong stay here with their correct
//! expectations, marked `#[ignore = "parser error: ..."]`, so that a better
//! model can be checked against them with `cargo test -- --ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use newsgraph_syntax::{english, Analysis, Upos};

fn parse(text: &str) -> Analysis<'static> {
    let model = english().expect("the compiled-in model loads");
    model.analyse(text, 0)
}

/// The analysis as CoNLL-like lines, for failure messages.
fn show(a: &Analysis<'_>) -> String {
    let mut out = String::new();
    for (i, w) in a.words.iter().enumerate() {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            i + 1,
            w.form,
            w.upos,
            w.head,
            w.deprel
        ));
    }
    out
}

/// Index of the only word with this form.
fn find(a: &Analysis<'_>, form: &str) -> usize {
    let found: Vec<usize> = (0..a.words.len())
        .filter(|&i| a.words[i].form == form)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one word '{form}' in\n{}",
        show(a)
    );
    found[0]
}

/// Asserts that `dependent` hangs from `head` (`None`: the root) with `label`.
#[track_caller]
fn assert_arc(a: &Analysis<'_>, dependent: &str, label: &str, head: Option<&str>) {
    let d = find(a, dependent);
    let got_head = a.head_of(d).map(|h| a.words[h].form.as_str());
    let got_label = a.words[d].deprel;
    assert!(
        got_head == head && got_label == label,
        "expected {dependent} --{label}--> {}, got --{got_label}--> {}, in\n{}",
        head.unwrap_or("ROOT"),
        got_head.unwrap_or("ROOT"),
        show(a)
    );
    if let Some(h) = head {
        // The head, too, must be the only word with its form.
        find(a, h);
    }
}

#[test]
fn subject_object_and_oblique() {
    let a = parse("The government rejected the proposal on Monday.");
    assert_arc(&a, "rejected", "root", None);
    assert_arc(&a, "government", "nsubj", Some("rejected"));
    assert_arc(&a, "proposal", "obj", Some("rejected"));
    assert_arc(&a, "Monday", "obl", Some("rejected"));
    assert_arc(&a, "on", "case", Some("Monday"));
    assert_arc(&a, ".", "punct", Some("rejected"));
}

#[test]
fn oblique_with_its_preposition() {
    let a = parse("The delegation travelled to Brussels for talks.");
    assert_arc(&a, "delegation", "nsubj", Some("travelled"));
    assert_arc(&a, "Brussels", "obl", Some("travelled"));
    assert_arc(&a, "to", "case", Some("Brussels"));
    assert_arc(&a, "talks", "obl", Some("travelled"));
    assert_arc(&a, "for", "case", Some("talks"));
}

#[test]
fn passive_with_agent() {
    let a = parse("The request was rejected by Serbia.");
    assert_arc(&a, "rejected", "root", None);
    assert_arc(&a, "request", "nsubj:pass", Some("rejected"));
    assert_arc(&a, "was", "aux:pass", Some("rejected"));
    // EWT marks the agent of a passive `obl:agent` (312 times in train).
    assert_arc(&a, "Serbia", "obl:agent", Some("rejected"));
    assert_arc(&a, "by", "case", Some("Serbia"));
}

#[test]
fn indirect_object() {
    let a = parse("The president gave the army an order.");
    assert_arc(&a, "president", "nsubj", Some("gave"));
    assert_arc(&a, "army", "iobj", Some("gave"));
    assert_arc(&a, "order", "obj", Some("gave"));
}

#[test]
fn indirect_object_beside_a_clausal_complement() {
    let a = parse("The minister told reporters that the talks had failed.");
    assert_arc(&a, "told", "root", None);
    assert_arc(&a, "reporters", "iobj", Some("told"));
    assert_arc(&a, "failed", "ccomp", Some("told"));
    assert_arc(&a, "that", "mark", Some("failed"));
}

#[test]
#[ignore = "parser error: 'embassy' is attached as a second obj of 'sent', not iobj"]
fn indirect_object_of_sent() {
    let a = parse("The ministry sent the embassy a letter.");
    assert_arc(&a, "ministry", "nsubj", Some("sent"));
    assert_arc(&a, "embassy", "iobj", Some("sent"));
    assert_arc(&a, "letter", "obj", Some("sent"));
}

#[test]
#[ignore = "parser error: 'agency' is attached to 'more' as obl:unmarked, not iobj of 'gave'"]
fn indirect_object_before_a_quantified_object() {
    let a = parse("The government gave the agency more money.");
    assert_arc(&a, "agency", "iobj", Some("gave"));
    assert_arc(&a, "money", "obj", Some("gave"));
    assert_arc(&a, "more", "amod", Some("money"));
}

#[test]
fn possessor() {
    let a = parse("Serbia's request was discussed in Vienna.");
    assert_arc(&a, "Serbia", "nmod:poss", Some("request"));
    assert_arc(&a, "'s", "case", Some("Serbia"));
    assert_arc(&a, "request", "nsubj:pass", Some("discussed"));
    assert_arc(&a, "Vienna", "obl", Some("discussed"));
}

#[test]
fn relative_clause() {
    let a = parse("The minister who spoke on Friday resigned.");
    assert_arc(&a, "resigned", "root", None);
    assert_arc(&a, "minister", "nsubj", Some("resigned"));
    assert_arc(&a, "spoke", "acl:relcl", Some("minister"));
    assert_arc(&a, "who", "nsubj", Some("spoke"));
}

#[test]
#[ignore = "parser error: 'Friday' is attached to 'resigned', not to 'spoke' before it"]
fn oblique_inside_a_relative_clause() {
    let a = parse("The minister who spoke on Friday resigned.");
    assert_arc(&a, "Friday", "obl", Some("spoke"));
}

#[test]
fn apposition_and_flat_name() {
    let a = parse("Ana Novak, the foreign minister, arrived in Paris.");
    assert_arc(&a, "arrived", "root", None);
    assert_arc(&a, "Ana", "nsubj", Some("arrived"));
    assert_arc(&a, "Novak", "flat", Some("Ana"));
    assert_arc(&a, "minister", "appos", Some("Ana"));
    assert_arc(&a, "foreign", "amod", Some("minister"));
    assert_arc(&a, "Paris", "obl", Some("arrived"));
}

#[test]
fn coordinated_subjects() {
    let a = parse("Albania and Croatia signed the agreement.");
    assert_arc(&a, "Albania", "nsubj", Some("signed"));
    assert_arc(&a, "Croatia", "conj", Some("Albania"));
    assert_arc(&a, "and", "cc", Some("Croatia"));
    assert_arc(&a, "agreement", "obj", Some("signed"));
}

#[test]
fn clausal_complement_of_a_speech_verb() {
    let a = parse("The spokesman said that the talks had failed.");
    assert_arc(&a, "said", "root", None);
    assert_arc(&a, "spokesman", "nsubj", Some("said"));
    assert_arc(&a, "failed", "ccomp", Some("said"));
    assert_arc(&a, "that", "mark", Some("failed"));
    assert_arc(&a, "talks", "nsubj", Some("failed"));
    assert_arc(&a, "had", "aux", Some("failed"));
}

#[test]
fn open_clausal_complement() {
    let a = parse("Serbia asked NATO to return the documents.");
    assert_arc(&a, "asked", "root", None);
    assert_arc(&a, "Serbia", "nsubj", Some("asked"));
    // EWT labels the asked party of "ask X to V" iobj (18 times in train,
    // never obj), as it does for "tell", "urge" and "allow".
    assert_arc(&a, "NATO", "iobj", Some("asked"));
    assert_arc(&a, "return", "xcomp", Some("asked"));
    assert_arc(&a, "to", "mark", Some("return"));
    assert_arc(&a, "documents", "obj", Some("return"));
}

#[test]
fn open_clausal_complement_after_an_object() {
    // "order X to V", like "expect" and "require", takes X as obj in EWT.
    let a = parse("The court ordered the company to pay a fine.");
    assert_arc(&a, "company", "obj", Some("ordered"));
    assert_arc(&a, "pay", "xcomp", Some("ordered"));
    assert_arc(&a, "to", "mark", Some("pay"));
    assert_arc(&a, "fine", "obj", Some("pay"));
}

#[test]
fn compound_noun_and_flat_name() {
    let a = parse("Marko Petrovic met the peace envoy in Geneva.");
    assert_arc(&a, "met", "root", None);
    assert_arc(&a, "Marko", "nsubj", Some("met"));
    assert_arc(&a, "Petrovic", "flat", Some("Marko"));
    assert_arc(&a, "peace", "compound", Some("envoy"));
    assert_arc(&a, "envoy", "obj", Some("met"));
}

#[test]
#[ignore = "parser error: 'Geneva' is attached to 'envoy' as nmod, not to 'met' as obl"]
fn place_of_the_meeting() {
    let a = parse("Marko Petrovic met the peace envoy in Geneva.");
    assert_arc(&a, "Geneva", "obl", Some("met"));
}

#[test]
fn negation_with_not() {
    let a = parse("The government did not accept the offer.");
    assert_arc(&a, "accept", "root", None);
    assert_arc(&a, "did", "aux", Some("accept"));
    assert_arc(&a, "not", "advmod", Some("accept"));
    assert_arc(&a, "offer", "obj", Some("accept"));
}

#[test]
fn negation_with_a_clitic_and_its_offsets() {
    let text = "The minister doesn't expect a deal.";
    let a = parse(text);
    assert_arc(&a, "expect", "root", None);
    assert_arc(&a, "minister", "nsubj", Some("expect"));
    assert_arc(&a, "does", "aux", Some("expect"));
    assert_arc(&a, "n't", "advmod", Some("expect"));
    assert_arc(&a, "deal", "obj", Some("expect"));

    let at = text.find("doesn't").unwrap();
    let does = &a.words[find(&a, "does")];
    let not = &a.words[find(&a, "n't")];
    assert_eq!((does.start, does.end), (at, at + 4));
    assert_eq!((not.start, not.end), (at + 4, at + 7));
    assert_eq!(does.upos, Upos::AUX);
    assert_eq!(not.upos, Upos::PART);
}

#[test]
fn offsets_are_shifted_by_the_sentence_base() {
    let document = "Talks ended. Belgrade won't sign the deal.";
    let base = document.find("Belgrade").unwrap();
    let model = english().expect("the compiled-in model loads");
    let a = model.analyse(&document[base..], base);
    for w in &a.words {
        assert_eq!(&document[w.start..w.end], w.form, "{w:?}");
    }
    let forms: Vec<&str> = a.words.iter().map(|w| w.form.as_str()).collect();
    assert_eq!(forms, ["Belgrade", "wo", "n't", "sign", "the", "deal", "."]);
    assert_arc(&a, "n't", "advmod", Some("sign"));
    assert_arc(&a, "wo", "aux", Some("sign"));
}

/// Checks the shape every analysis must have: each word one head within
/// the sentence, one root, no cycles, and offsets that cut out the form.
fn assert_tree(text: &str, a: &Analysis<'_>) {
    let n = a.words.len();
    let roots = a.words.iter().filter(|w| w.head == 0).count();
    if n == 0 {
        return;
    }
    assert_eq!(roots, 1, "{} roots for {text:?}\n{}", roots, show(a));
    for (i, w) in a.words.iter().enumerate() {
        assert!(
            (w.head as usize) <= n && w.head as usize != i + 1,
            "word {} of {text:?} has head {}\n{}",
            i + 1,
            w.head,
            show(a)
        );
        assert_eq!(
            w.head == 0,
            w.deprel == "root",
            "word {} of {text:?}: head {} with label {}",
            i + 1,
            w.head,
            w.deprel
        );
        assert_eq!(text.get(w.start..w.end), Some(w.form.as_str()));
        // Following heads from any word reaches the root within n steps.
        let (mut at, mut steps) = (i, 0);
        while let Some(h) = a.head_of(at) {
            at = h;
            steps += 1;
            assert!(steps <= n, "cycle through word {} of {text:?}", i + 1);
        }
    }
}

#[test]
fn every_analysis_is_a_tree() {
    let run_on = (0..90)
        .map(|i| match i % 5 {
            0 => "the council met",
            1 => "and the envoy said",
            2 => "that talks would resume",
            3 => "but nobody knew when",
            _ => "or why, officials added",
        })
        .collect::<Vec<_>>()
        .join(" ");
    assert!(run_on.split_whitespace().count() >= 300);
    let inputs = [
        String::new(),
        " \t\n ".to_owned(),
        "...".to_owned(),
        "?!?! -- ;; ,,, ( ) \" '".to_owned(),
        "Leaders met 🤝 in Rome 🇮🇹 today 🎉🎉".to_owned(),
        "😀".to_owned(),
        "THE MINISTER SAID THE TALKS HAD FAILED AND WOULD NOT RESUME!".to_owned(),
        "n't 's 're".to_owned(),
        "x".to_owned(),
        "Ünïcödé wörds, ¿qué? 北京 talks — résumé".to_owned(),
        run_on,
    ];
    let model = english().expect("the compiled-in model loads");
    for text in &inputs {
        let a = model.analyse(text, 0);
        assert_tree(text, &a);
    }
    assert!(model.analyse("", 0).words.is_empty());
}

#[test]
fn punctuation_takes_no_dependents() {
    // The parser alone hangs "Angela" from the full stop here; the model
    // moves it to the clause, as an oblique with its preposition.
    let a = parse("The banks must raise more capital, according to Angela Merkel.");
    for w in &a.words {
        let head = (w.head as usize).checked_sub(1).map(|h| &a.words[h]);
        assert!(
            head.is_none_or(|h| h.upos != Upos::PUNCT),
            "{} hangs from {:?}",
            w.form,
            head.map(|h| &h.form)
        );
    }
    assert_arc(&a, "Angela", "obl", Some("raise"));
}

#[test]
fn quotation_marks_are_tagged_by_the_side_the_text_shows() {
    let a = parse("The chief \u{201C}has deep ties,\u{201D} Ann Cole said.");
    let xpos: Vec<&str> = a
        .words
        .iter()
        .filter(|w| w.upos == Upos::PUNCT && w.form != ",")
        .map(|w| w.xpos)
        .collect();
    assert_eq!(xpos, ["``", "''", "."]);
    let a = parse("The chief \"has deep ties,\" Ann Cole said.");
    assert_eq!(a.words[2].xpos, "``");
    assert_eq!(a.words[7].xpos, "''");
}
