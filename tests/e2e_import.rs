//! End-to-end tests of `newsgraph import` and of `ingest` reading JSON-lines
//! feeds: the real binary, real stores, and the server over HTTP for what
//! the documents keep.

// Test harness code: a panic is how a helper reports a failed check.
// clippy.toml allows these inside #[test] functions only, not in helpers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write as _;
use std::path::Path;

use common::{export_json, newsgraph, Scratch, Server};
use serde_json::{json, Value};

/// Invented articles with the metadata a CMS export gives.
fn feed() -> String {
    [
        json!({"id": "harbour-1", "title": "Ministers clash over harbour deal",
               "text": "The Finance Minister of Veloria, Anna Brekke, said on Monday that the harbour deal \
                        was \"a costly mistake\". Brekke asked the parliament to reject the agreement. \
                        The opposition leader Tomas Wirth rejected her request.",
               "url": "https://news.example.org/veloria/harbour-1", "source": "Veloria Post",
               "published": "2021-03-08T07:15:00Z", "author": "Mira Sand"}),
        json!({"id": 2, "title": "Marsh presses Germany on sanctions",
               "text": "President Lena Marsh urged Germany to lift the sanctions on grain. \
                        Germany refused the request on Tuesday, a spokesman said.",
               "author": "Desk"}),
        json!({"id": "river-3", "text": "Talks on river dam resume\n\nThe Prime Minister of Ostravia, \
                        Karel Dusek, called on Hungary to halt the dam project. \"We will not wait \
                        another year,\" Dusek said. Hungary rejected the call."}),
    ]
    .iter()
    .map(|line| line.to_string() + "\n")
    .collect()
}

/// The seed articles as extract input lines (id: file name, text: the
/// whole file), so that extract and ingest of the files name and hash
/// them alike.
fn seed_lines() -> String {
    common::seed_files()
        .iter()
        .map(|path| {
            let id = path.file_name().unwrap().to_str().unwrap();
            json!({"id": id, "text": std::fs::read_to_string(path).unwrap()}).to_string() + "\n"
        })
        .collect()
}

/// Runs `newsgraph ARGS` with `input` on its standard input.
fn piped(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = common::spawn_piped(args);
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn extract(input: &str) -> Vec<u8> {
    let out = piped(&["extract", "--jsonl"], input.as_bytes());
    assert!(out.status.success(), "{out:?}");
    out.stdout
}

fn db_arg(db: &Path) -> &str {
    db.to_str().unwrap()
}

#[test]
fn extract_then_import_stores_what_ingest_stores() {
    let scratch = Scratch::new();
    // Given the seed as files and the feed as a file, ingested
    let feed_path = scratch.path("feed.jsonl");
    std::fs::write(&feed_path, feed()).unwrap();
    let ingested = scratch.path("ingested");
    newsgraph([
        "ingest",
        common::seed_dir().to_str().unwrap(),
        feed_path.to_str().unwrap(),
        "--db",
        db_arg(&ingested),
    ])
    .success();

    // When the same articles are extracted and imported from standard input
    let lines = [extract(&seed_lines()), extract(&feed())].concat();
    let imported = scratch.path("imported");
    let out = piped(&["import", "-", "--db", db_arg(&imported)], &lines);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        stdout.contains("imported 8 lines") && stdout.contains("8 added"),
        "{stdout}"
    );

    // Then both stores export the same graph, byte for byte
    let (a, b) = (export_json(&ingested), export_json(&imported));
    assert!(a == b, "the exports differ:\n{a}\n---\n{b}");
    // And it is not an empty graph
    let graph: Value = serde_json::from_str(&a).unwrap();
    assert_eq!(graph["documents"].as_array().unwrap().len(), 8);
    assert!(graph["relations"].as_array().unwrap().len() > 40);
}

#[test]
fn a_spark_output_directory_imports_and_a_rerun_changes_nothing() {
    let scratch = Scratch::new();
    // Given extract output split into gzip part files with Spark's markers
    let lines = extract(&seed_lines());
    let text = String::from_utf8(lines).unwrap();
    let all: Vec<&str> = text.lines().collect();
    let out_dir = scratch.path("spark-out");
    std::fs::create_dir_all(&out_dir).unwrap();
    for (i, part) in all.chunks(2).enumerate() {
        let file = std::fs::File::create(out_dir.join(format!("part-{i:05}.gz"))).unwrap();
        let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        for line in part {
            writeln!(gz, "{line}").unwrap();
        }
        gz.finish().unwrap();
    }
    std::fs::write(out_dir.join("_SUCCESS"), "").unwrap();
    std::fs::write(out_dir.join(".part-00000.gz.crc"), "not json").unwrap();

    // When the directory is imported
    let db = scratch.db();
    let first = newsgraph(["import", out_dir.to_str().unwrap(), "--db", db_arg(&db)]).success();
    assert!(first.stdout.contains("5 added"), "{}", first.stdout);

    // Then the store holds what ingest of the seed holds
    let ingested = scratch.path("ingested");
    common::ingest_seed(&ingested);
    assert!(
        export_json(&db) == export_json(&ingested),
        "the exports differ"
    );

    // And importing again changes nothing: every document is unchanged
    let again = newsgraph(["import", out_dir.to_str().unwrap(), "--db", db_arg(&db)]).success();
    assert!(
        again
            .stdout
            .contains("0 added, 0 replaced, 5 unchanged, 0 failed"),
        "{}",
        again.stdout
    );
}

#[test]
fn bad_lines_are_reported_and_skipped_and_the_rest_is_stored() {
    let scratch = Scratch::new();
    // Given extract output with an extraction error line, a line whose text
    // was altered after extraction, a truncated line and an empty line
    let good = String::from_utf8(extract(&feed())).unwrap();
    let mut lines: Vec<String> = good.lines().map(str::to_owned).collect();
    let mut altered: Value = serde_json::from_str(&lines[1]).unwrap();
    let text = altered["documents"][0]["text"].as_str().unwrap().to_owned();
    altered["documents"][0]["text"] = json!(text.replace("Germany", "Austria"));
    lines[1] = altered.to_string();
    let truncated = lines[2][..lines[2].len() / 2].to_owned();
    lines.push(truncated);
    lines.push(String::new());
    let errors = String::from_utf8(extract("{\"id\":\"no-text\"}\n")).unwrap();
    lines.push(errors.trim_end().to_owned());
    let input = lines.join("\n") + "\n";

    // When it is imported
    let db = scratch.db();
    let out = piped(&["import", "-", "--db", db_arg(&db)], input.as_bytes());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);

    // Then the run fails with exit code 1 and says why for each bad line
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("standard input line 2: the document's sha256"),
        "{stderr}"
    );
    assert!(
        stderr.contains("standard input line 4: not JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains("standard input line 5: empty line"),
        "{stderr}"
    );
    assert!(
        stderr.contains("standard input line 6: extraction failed for id \"no-text\""),
        "{stderr}"
    );
    // And the two good lines are stored
    assert!(stdout.contains("2 added"), "{stdout}");
    assert_eq!(common::cli_stats(&db)["documents"], 2);
}

#[test]
fn a_feed_keeps_url_source_date_and_author_on_the_document() {
    let scratch = Scratch::new();
    // Given a feed ingested into a store, served
    let feed_path = scratch.path("cms-export.jsonl");
    std::fs::write(&feed_path, feed()).unwrap();
    newsgraph([
        "ingest",
        feed_path.to_str().unwrap(),
        "--db",
        db_arg(&scratch.db()),
    ])
    .success();
    // And the JSON export carries what the line gave
    let exported: Value = serde_json::from_str(&export_json(&scratch.db())).unwrap();
    let harbour = exported["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "harbour-1")
        .unwrap();
    assert_eq!(harbour["author"], "Mira Sand");
    assert_eq!(harbour["url"], "https://news.example.org/veloria/harbour-1");
    let server = Server::start(&scratch, &[]);

    // When the documents are asked for over HTTP
    let v = server
        .graphql("{ documents(first: 10) { nodes { file title source published url author } } }");

    // Then each keeps what its line gave, and what it did not give is null
    let nodes = v["data"]["documents"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("no documents: {v}"));
    let by_file = |file: &str| {
        nodes
            .iter()
            .find(|n| n["file"] == file)
            .unwrap_or_else(|| panic!("{file} in {v}"))
            .clone()
    };
    assert_eq!(
        by_file("harbour-1"),
        json!({"file": "harbour-1", "title": "Ministers clash over harbour deal",
               "source": "Veloria Post", "published": "2021-03-08",
               "url": "https://news.example.org/veloria/harbour-1", "author": "Mira Sand"})
    );
    assert_eq!(by_file("2")["author"], "Desk");
    assert_eq!(by_file("2")["url"], Value::Null);
    let river = by_file("river-3");
    assert_eq!(river["title"], "Talks on river dam resume");
    assert_eq!(
        (&river["url"], &river["author"]),
        (&Value::Null, &Value::Null)
    );
}

#[test]
fn the_synthetic_corpus_truth_imports_whole() {
    // Given a small synthetic corpus and its truth graph (skipped where
    // the generator or python3 is missing)
    let generator = common::repo_root().join("../shared/bench/gen_corpus.py");
    let python = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !generator.is_file() || !python {
        eprintln!(
            "skipping: needs python3 and {} (the shared data)",
            generator.display()
        );
        return;
    }
    let scratch = Scratch::new();
    let corpus = scratch.path("corpus");
    let generated = std::process::Command::new("python3")
        .arg(&generator)
        .args(["--articles", "30", "--seed", "11", "--out"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(generated.status.success(), "{generated:?}");

    // When the truth is converted by the documented script and imported
    let converted = std::process::Command::new("python3")
        .arg(common::repo_root().join("scripts/truth_to_import.py"))
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(converted.status.success(), "{converted:?}");
    let db = scratch.db();
    let out = piped(&["import", "-", "--db", db_arg(&db)], &converted.stdout);
    assert!(out.status.success(), "{out:?}");

    // Then the store holds every article and every truth relation
    let truth: Vec<Value> = std::fs::read_to_string(corpus.join("truth.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let relations: usize = truth
        .iter()
        .map(|t| t["relations"].as_array().unwrap().len())
        .sum();
    let stats = common::cli_stats(&db);
    assert_eq!(stats["documents"], 30);
    assert_eq!(stats["relations"], relations);
    // And a truth triple is answered by the query engine, with its evidence
    let first = &truth[0]["relations"][0];
    let query = format!(
        "{{ actor(name: {}) {{ name relations(first: 100) {{ nodes {{ kind object {{ name }} evidence {{ sentence }} }} }} }} }}",
        first["subject"]
    );
    let (run, v) = common::cli_query(&db, &query);
    assert!(run.status.success(), "{v}");
    let found = v["data"]["actor"]["relations"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{v}"))
        .iter()
        .any(|r| {
            r["kind"].as_str().map(str::to_lowercase)
                == first["relation"].as_str().map(str::to_owned)
                && r["evidence"]["sentence"] == first["evidence"]
                && (first["object"].is_null() || r["object"]["name"] == first["object"])
        });
    assert!(found, "{first} not in {v}");
}
