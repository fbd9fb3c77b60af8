use super::*;

#[test]
fn bad_input_is_reported_with_the_reason() {
    assert!(matches!(
        decode_article("a.txt", b"", 100),
        Err(IngestError::Empty { .. })
    ));
    assert!(matches!(
        decode_article("a.txt", b"  \n ", 100),
        Err(IngestError::Empty { .. })
    ));
    assert!(matches!(
        decode_article("a.txt", &[b'a'; 101], 100),
        Err(IngestError::TooLarge { size: 101, .. })
    ));
    let err = decode_article("a.txt", b"ok \xff\xfe", 100).unwrap_err();
    assert_eq!(
        err,
        IngestError::NotUtf8 {
            file: "a.txt".into(),
            at: 3
        }
    );
    assert!(err
        .to_string()
        .contains("'a.txt' is not valid UTF-8 at byte 3"));
    assert!(matches!(
        decode_article("a.txt", b"abc\0def", 100),
        Err(IngestError::Binary { .. })
    ));
    assert_eq!(
        decode_article("a.txt", "\u{FEFF}Hello".as_bytes(), 100),
        Ok("Hello")
    );
}

#[test]
fn sentences_are_cut_at_sentence_ends_and_kept_whole_inside_quotes() {
    // The byline is page furniture: no sentence of it.
    let text = "By Anna Smith, Reuters\n\
                The ferry left Dover at noon. It reached Calais late.\n\n\
                \"We waited. Then we sailed,\" the captain said on Friday.\n";
    let cut: Vec<&str> = sentences(text)
        .into_iter()
        .map(|(start, end)| &text[start..end])
        .collect();
    assert_eq!(
        cut,
        [
            "The ferry left Dover at noon.",
            "It reached Calais late.",
            "\"We waited. Then we sailed,\" the captain said on Friday.",
        ]
    );
    assert_eq!(sentences(""), []);
    assert_eq!(sentences(" \n\n"), []);
}

/// The seed articles, by file name.
fn seed_articles() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seed");
    let mut articles: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    articles.sort();
    assert!(
        !articles.is_empty(),
        "no seed articles in {}",
        dir.display()
    );
    articles
}

#[test]
fn syntax_leaves_the_graph_unchanged_and_parses_exactly_the_cue_sentences() {
    let with_syntax = ExtractOptions { syntax: true };
    let (mut sentences_seen, mut sentences_parsed) = (0, 0);
    for (file, text) in seed_articles() {
        let plain = extract_with(&file, &text, &ExtractOptions::default());
        assert_eq!(plain.graph, extract(&file, &text), "{file}");
        assert!(plain.parsed.is_empty() && plain.syntax_error.is_none());

        let parsed = extract_with(&file, &text, &with_syntax);
        assert_eq!(parsed.syntax_error, None, "{file}");
        assert_eq!(
            parsed.graph, plain.graph,
            "{file}: syntax changed the graph"
        );

        let lex = lexicon();
        let units: Vec<text::Unit> = text::content_lines(&text, lex)
            .into_iter()
            .enumerate()
            .flat_map(|(p, line)| text::units(&text, line, p))
            .collect();
        let cue_units: Vec<usize> = (0..units.len())
            .filter(|&u| relations::has_cue(&units[u], lex))
            .collect();
        let parsed_units: Vec<usize> = parsed.parsed.iter().map(|p| p.unit).collect();
        assert_eq!(parsed_units, cue_units, "{file}");
        sentences_seen += units.len();
        sentences_parsed += cue_units.len();

        let ranges = sentences(&text);
        for p in &parsed.parsed {
            assert_eq!(ranges[p.unit], (p.start, p.end), "{file}");
            assert!(!p.analysis.words.is_empty(), "{file}: unit {}", p.unit);
            for w in &p.analysis.words {
                assert!(
                    p.start <= w.start && w.start < w.end && w.end <= p.end,
                    "{file}: word {:?} at {}..{} outside its sentence {}..{}",
                    w.form,
                    w.start,
                    w.end,
                    p.start,
                    p.end
                );
            }
        }
        // Every sentence that gave a relation was parsed: the rules only
        // start at cues.
        for r in &parsed.graph.relations {
            let span = (r.evidence.span.start as usize, r.evidence.span.end as usize);
            assert!(
                parsed.parsed.iter().any(|p| (p.start, p.end) == span),
                "{file}: the evidence of a relation was not parsed: {}",
                r.evidence.sentence
            );
        }
    }
    assert!(
        0 < sentences_parsed && sentences_parsed < sentences_seen,
        "sentences without a cue are not parsed: {sentences_parsed} of {sentences_seen} parsed"
    );
}

#[test]
fn a_syntax_model_that_does_not_load_leaves_the_token_rules_to_extract() {
    let broken = newsgraph_syntax::Model::from_bytes(b"not a model").unwrap_err();
    for (file, text) in seed_articles() {
        let extracted = extract_using(&file, &text, Some(Err(&broken)));
        assert_eq!(
            extracted.graph,
            extract_using(&file, &text, None).graph,
            "{file}"
        );
        assert!(!extracted.graph.relations.is_empty(), "{file}");
        assert!(extracted.parsed.is_empty());
        let error = extracted.syntax_error.unwrap();
        assert!(
            error.starts_with("the syntax model did not load: "),
            "{error}"
        );
    }
}

#[test]
fn a_sentence_has_a_cue_when_a_cue_word_or_noun_is_in_it() {
    let lex = lexicon();
    let has_cue = |sentence: &str| {
        text::units(
            sentence,
            text::Line {
                start: 0,
                end: sentence.len(),
            },
            0,
        )
        .iter()
        .any(|unit| relations::has_cue(unit, lex))
    };
    assert!(has_cue("The minister said the talks would resume."));
    assert!(has_cue("Serbia rejected the proposal on Friday."));
    assert!(has_cue("He pointed out that nothing had changed."));
    assert!(has_cue("The request of Serbia was discussed."));
    assert!(has_cue("Ten people died, according to the police."));
    assert!(has_cue("The party is against the plan."));
    assert!(!has_cue("The ferry left Dover at noon."));
    assert!(!has_cue("It reached Calais late."));
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any text at all extracts without panicking, and every evidence
        /// span points at its sentence.
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
            let graph = extract("p.txt", &text);
            for r in &graph.relations {
                let span = r.evidence.span;
                prop_assert_eq!(&text[span.start as usize..span.end as usize], r.evidence.sentence.as_str());
            }
        }

        /// News-like fragments (quotes, cue verbs, names, punctuation)
        /// recombined at random: the same guarantees.
        #[test]
        fn recombined_news_fragments_never_panic(parts in proptest::collection::vec(prop_oneof![
            Just("\""), Just("“"), Just("”"), Just("„"), Just("'s "), Just(", "), Just(". "), Just("\n"),
            Just("said "), Just("urged "), Just("rejected "), Just("the request of "), Just("according to "),
            Just("Prime Minister "), Just("Jane Doe "), Just("NATO "), Just("Belgrade "), Just("he "),
            Just("was rejected by "), Just("did not "), Just("U.S. "), Just("Dr. "), Just("(WHO) "),
        ], 0..60)) {
            let text: String = parts.concat();
            let graph = extract("p.txt", &text);
            let ids: std::collections::HashSet<_> = graph.mentions.iter().map(|m| m.actor).collect();
            for r in &graph.relations {
                prop_assert!(ids.contains(&r.subject), "every subject is a mentioned actor");
                prop_assert!(r.object.is_none_or(|o| ids.contains(&o)));
            }
        }
    }
}

/// The confidence of the only relation of `kind` whose subject is named
/// `subject` in `text`.
fn confidence_of(text: &str, subject: &str, kind: RelationKind) -> u8 {
    let graph = extract("c.txt", text);
    let id = Actor::id_for_name(subject);
    let found: Vec<&Relation> = graph
        .relations
        .iter()
        .filter(|r| r.kind == kind && r.subject == id)
        .collect();
    assert_eq!(found.len(), 1, "{:#?}", graph.relations);
    found[0].confidence.hundredths()
}

#[test]
fn a_subject_named_in_its_sentence_is_surer_than_one_carried_from_before() {
    // Given a request whose subject is named in its sentence, and the same
    // request two sentences after the subject's name
    let named = "Prime Minister Ana Brnabic urged Kosovo to withdraw the police.";
    let carried = "Prime Minister Ana Brnabic spoke in Belgrade on Monday. \
                   The talks lasted three hours. \
                   She urged Kosovo to withdraw the police.";

    // Then the carried one is less confident
    let named = confidence_of(named, "Ana Brnabic", RelationKind::Requested);
    let carried = confidence_of(carried, "Ana Brnabic", RelationKind::Requested);
    assert!(named > carried, "{named} vs {carried}");
}

#[test]
fn a_quoted_statement_is_surer_than_a_reported_one() {
    let quoted = confidence_of(
        "\"We will not give up,\" Kosovo's prime minister Albin Kurti said.",
        "Albin Kurti",
        RelationKind::Said,
    );
    let reported = confidence_of(
        "Kosovo's prime minister Albin Kurti said the talks would go on.",
        "Albin Kurti",
        RelationKind::Said,
    );
    assert!(quoted > reported, "{quoted} vs {reported}");
}
