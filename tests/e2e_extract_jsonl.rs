//! End-to-end tests of `newsgraph extract --jsonl`: the real binary as a
//! pipe stage, articles as JSON lines on its standard input.

// Test harness code: a panic is how a helper reports a failed check.
// clippy.toml allows these inside #[test] functions only, not in helpers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, Output};

use common::{newsgraph, Scratch};
use serde_json::{json, Value};

/// Invented articles (id, title, text), each with relations to find.
const ARTICLES: [(&str, &str, &str); 3] = [
    (
        "harbour.txt",
        "Ministers clash over harbour deal",
        "The Finance Minister of Veloria, Anna Brekke, said on Monday that the harbour deal \
         was \"a costly mistake\". Brekke asked the parliament to reject the agreement. \
         The opposition leader Tomas Wirth rejected her request.",
    ),
    (
        "sanctions.txt",
        "Marsh presses Germany on sanctions",
        "President Lena Marsh urged Germany to lift the sanctions on grain. \
         Germany refused the request on Tuesday, a spokesman said.",
    ),
    (
        "river.txt",
        "Talks on river dam resume",
        "The Prime Minister of Ostravia, Karel Dusek, called on Hungary to halt the dam \
         project. \"We will not wait another year,\" Dusek said.",
    ),
];

/// One JSON line for an article (with its title).
fn article_line(id: &str, title: &str, text: &str) -> String {
    json!({"id": id, "title": title, "text": text}).to_string()
}

/// The three invented articles as JSON lines.
fn articles_jsonl() -> String {
    ARTICLES
        .iter()
        .map(|(id, title, text)| article_line(id, title, text) + "\n")
        .collect()
}

/// Runs `newsgraph extract --jsonl` with `input` on its standard input.
fn extract(input: &[u8]) -> Output {
    extract_with(input, &[])
}

/// [`extract`] with more arguments.
fn extract_with(input: &[u8], args: &[&str]) -> Output {
    let mut child = common::spawn_piped(&[&["extract", "--jsonl"], args].concat());
    let mut stdin = child.stdin.take().expect("the child's stdin");
    let input = input.to_vec();
    // Written from a thread: the child answers while it reads, and a full
    // stdout pipe must not block the writer.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("waiting for newsgraph");
    writer.join().expect("the stdin writer");
    assert!(
        out.status.success(),
        "extract failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The output lines, parsed.
fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// (subject name, relation, object name) of every relation of a graph in
/// the export format, the ids resolved by the graph's own actors.
fn triples(graph: &Value) -> BTreeSet<(String, String, Option<String>)> {
    let name = |id: &Value| -> String {
        graph["actors"]
            .as_array()
            .expect("actors")
            .iter()
            .find(|a| a["id"] == *id)
            .and_then(|a| a["name"].as_str())
            .unwrap_or_else(|| panic!("no actor {id}"))
            .to_owned()
    };
    graph["relations"]
        .as_array()
        .expect("relations")
        .iter()
        .map(|r| {
            (
                name(&r["subject"]),
                r["relation"].as_str().expect("relation kind").to_owned(),
                (!r["object"].is_null()).then(|| name(&r["object"])),
            )
        })
        .collect()
}

#[test]
fn each_article_line_gets_its_graph_in_order_with_its_id() {
    // Given three articles as JSON lines
    let input = articles_jsonl();

    // When they are piped through extract
    let out = extract(input.as_bytes());

    // Then there is one line per article, in order, each with its id and graph
    let lines = json_lines(&out);
    assert_eq!(lines.len(), ARTICLES.len(), "{lines:?}");
    for (line, (id, title, _)) in lines.iter().zip(ARTICLES) {
        assert_eq!(line["id"], id, "{line}");
        assert!(line.get("error").is_none(), "{line}");
        let document = &line["documents"][0];
        assert_eq!(document["file"], id, "{line}");
        assert_eq!(document["title"], title, "{line}");
        assert!(!line["actors"].as_array().expect("actors").is_empty());
        for actor in line["actors"].as_array().expect("actors") {
            assert!(actor["name"].is_string() && actor["kind"].is_string());
            assert!(actor["aliases"].is_array(), "{actor}");
        }
        let relations = line["relations"].as_array().expect("relations");
        assert!(!relations.is_empty(), "no relation in {line}");
        for relation in relations {
            let span = relation["span"].as_array().expect("span");
            assert_eq!(span.len(), 2, "{relation}");
            assert!(relation["evidence"].as_str().is_some_and(|e| !e.is_empty()));
        }
    }
    // And the quote of a statement is kept
    assert!(
        lines[0]["relations"]
            .as_array()
            .expect("relations")
            .iter()
            .any(|r| r["relation"] == "said" && r["quote"] == "a costly mistake"),
        "{}",
        lines[0]
    );
}

#[test]
fn a_bad_line_gets_an_error_line_and_the_next_lines_are_still_extracted() {
    // Given good articles around lines that cannot be extracted: not
    // JSON, no text, an empty line, bytes that are not UTF-8, an empty text
    let (a, b) = (&ARTICLES[0], &ARTICLES[1]);
    let mut input = Vec::new();
    input.extend(article_line(a.0, a.1, a.2).bytes());
    input.extend(b"\n{\"id\": \"broken\", \"text\": \n");
    input.extend(b"{\"id\": \"no-text\"}\n");
    input.extend(b"\n");
    input.extend(b"{\"id\": \"latin1\", \"text\": \"caf\xe9\"}\n");
    input.extend(b"{\"id\": 42, \"text\": \"   \"}\n");
    input.extend(article_line(b.0, b.1, b.2).bytes());
    input.extend(b"\n");

    // When they are piped through extract
    let out = extract(&input);

    // Then every line is answered, in order; errors carry the id when the
    // line had one, null otherwise
    let lines = json_lines(&out);
    let ids: Vec<&Value> = lines.iter().map(|l| &l["id"]).collect();
    assert_eq!(
        ids,
        [
            &json!(a.0),
            &Value::Null,
            &json!("no-text"),
            &Value::Null,
            &Value::Null,
            &json!(42),
            &json!(b.0)
        ],
        "{lines:?}"
    );
    let errors: Vec<Option<&str>> = lines.iter().map(|l| l["error"].as_str()).collect();
    assert!(errors[0].is_none() && errors[6].is_none(), "{errors:?}");
    assert!(errors[1].is_some_and(|e| e.contains("line 2 is not JSON")));
    assert!(errors[2].is_some_and(|e| e.contains("no \"text\"")));
    assert!(errors[3].is_some_and(|e| e.contains("line 4 is empty")));
    assert!(errors[4].is_some_and(|e| e.contains("not valid UTF-8")));
    assert!(errors[5].is_some_and(|e| e.contains("is empty")));
    // An error line holds the id and the error, nothing else
    assert_eq!(lines[2].as_object().expect("an object").len(), 2);
    // And the last article is extracted in full
    assert!(!triples(&lines[6]).is_empty(), "{}", lines[6]);
    // And the summary on stderr counts them
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("extracted 2 articles, 5 failed"),
        "{stderr}"
    );
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    // Given the articles and a bad line
    let input = articles_jsonl() + "not json\n";

    // When it is extracted twice
    let first = extract(input.as_bytes());
    let second = extract(input.as_bytes());

    // Then the outputs are identical byte for byte
    assert_eq!(first.stdout.len(), second.stdout.len());
    assert!(first.stdout == second.stdout, "the outputs differ");
}

#[test]
fn extract_gives_the_graph_that_ingest_and_export_give() {
    // Given each article as a file whose first line is its title
    let scratch = Scratch::new();
    let dir = scratch.path("articles");
    std::fs::create_dir_all(&dir).expect("creating the article directory");
    for (id, title, text) in ARTICLES {
        std::fs::write(dir.join(id), format!("{title}\n\n{text}")).expect("writing an article");
    }

    // When the files are ingested and exported, and the same articles
    // (title and text apart) are extracted
    let db = scratch.db();
    let db_arg = db.to_str().expect("a UTF-8 path");
    newsgraph([
        "ingest",
        dir.to_str().expect("a UTF-8 path"),
        "--db",
        db_arg,
    ])
    .success();
    let exported = newsgraph(["export", "--format", "json", "--db", db_arg]).success();
    let exported: Value = serde_json::from_str(&exported.stdout).expect("export is JSON");
    let lines = json_lines(&extract(articles_jsonl().as_bytes()));

    // Then each article's document, actors and relations are those of the export
    for (line, (id, title, text)) in lines.iter().zip(ARTICLES) {
        // (the document also carries its text, which the export leaves out)
        let mut document = line["documents"][0].clone();
        let carried = document
            .as_object_mut()
            .and_then(|d| d.remove("text"))
            .expect("the document carries its text");
        assert_eq!(carried, format!("{title}\n\n{text}"), "{id}");
        let document = &document;
        let stored = exported["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .find(|d| d["file"] == id)
            .unwrap_or_else(|| panic!("{id} not exported"));
        assert_eq!(document, stored, "{id}");

        let names = |graph: &Value, ids: &[Value]| -> BTreeSet<(String, String)> {
            graph["actors"]
                .as_array()
                .expect("actors")
                .iter()
                .filter(|a| ids.contains(&a["id"]))
                .map(|a| (a["name"].to_string(), a["kind"].to_string()))
                .collect()
        };
        let mentions = document["mentions"].as_array().expect("mentions");
        assert_eq!(names(line, mentions), names(&exported, mentions), "{id}");

        let of_document = |graph: &Value| -> Value {
            let relations = graph["relations"].as_array().expect("relations");
            let mine: Vec<Value> = relations
                .iter()
                .filter(|r| r["document"] == document["id"])
                .cloned()
                .collect();
            json!({"actors": graph["actors"], "relations": mine})
        };
        let (extracted, stored) = (of_document(line), of_document(&exported));
        assert!(!triples(&extracted).is_empty(), "{id}");
        assert_eq!(triples(&extracted), triples(&stored), "{id}");
        // Down to ids, evidence spans and quotes
        assert_eq!(extracted["relations"], stored["relations"], "{id}");
    }
}

#[test]
fn a_reader_that_goes_away_ends_the_run_quietly() {
    // Given an extract whose output is read by a consumer that stops
    // after the first line (`extract --jsonl | head -1`)
    let mut child = common::spawn_piped(&["extract", "--jsonl"]);
    let mut stdin = child.stdin.take().expect("the child's stdin");
    let input = articles_jsonl().repeat(200);
    let writer = std::thread::spawn(move || {
        // The child may be gone before all is written: that is the point.
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("the child's stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("reading a line");
    assert!(first.contains("\"id\":\"harbour.txt\""), "{first}");

    // When the consumer closes its end
    drop(stdout);
    let out = child.wait_with_output().expect("waiting for newsgraph");
    writer.join().expect("the stdin writer");

    // Then extract stops with exit code 0 and no error
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{}: {stderr}", out.status);
    assert!(!stderr.contains("error"), "{stderr}");
}

#[test]
fn an_article_over_the_size_limit_gets_an_error_with_its_id() {
    // Given a short article and a long one, with a limit between them
    let input = format!(
        "{}\n{}\n",
        json!({"id": "short", "text": "Anna Brekke said the talks stalled."}),
        json!({"id": "long", "text": "The talks stalled again. ".repeat(20)})
    );

    // When they are extracted with --max-bytes 100
    let lines = json_lines(&extract_with(input.as_bytes(), &["--max-bytes", "100"]));

    // Then the long one is refused by id and the short one extracted
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].get("error").is_none(), "{}", lines[0]);
    assert_eq!(lines[1]["id"], "long");
    let error = lines[1]["error"].as_str().expect("an error");
    assert!(error.contains("over the limit of 100 bytes"), "{error}");
}

#[test]
fn an_input_that_cannot_be_read_fails_the_run() {
    // Given a standard input that is a directory (every read fails)
    let scratch = Scratch::new();
    let dir = scratch.path("not-a-file");
    std::fs::create_dir_all(&dir).expect("creating a directory");
    let stdin = std::fs::File::open(&dir).expect("opening the directory");

    // When extract reads it
    let out = Command::new(common::bin())
        .args(["extract", "--jsonl"])
        .env("RUST_LOG", "warn")
        .stdin(stdin)
        .output()
        .expect("running newsgraph extract");

    // Then the run fails and says why
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("reading standard input"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn extract_without_a_format_is_a_usage_error() {
    // When extract is run without --jsonl
    let run = newsgraph(["extract"]);

    // Then it refuses with the usage, having read nothing
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert!(run.stderr.contains("--jsonl"), "{}", run.stderr);
}
