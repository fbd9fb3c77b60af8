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
