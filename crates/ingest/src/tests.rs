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
