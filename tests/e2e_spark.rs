//! The Spark job (`jobs/spark/extract.py`) end to end, in Spark local
//! mode: a directory of articles extracted by the job and loaded with
//! `newsgraph import` gives the graph that `newsgraph ingest` of the same
//! files gives.
//!
//! Needs Java and `spark-submit`: from `$SPARK_VENV` (default
//! `~/.cache/newsgraph/spark-venv`, the venv `.ci/run` creates with a
//! pinned PySpark) or on the PATH. Skipped with a message when either is
//! missing.

// Test harness code: a panic is how a helper reports a failed check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{export_json, newsgraph, Scratch};
use serde_json::Value;

/// Articles in the corpus (plus one file that is not UTF-8).
const ARTICLES: usize = 200;
/// The longest the Spark job may take (JVM start included).
const JOB_LIMIT: Duration = Duration::from_secs(240);
/// A file ingest refuses: Latin-1, not UTF-8.
const UNREADABLE: &str = "latin1_notice.txt";

/// Where `.ci/run` puts the venv with PySpark unless `SPARK_VENV` says.
fn spark_venv() -> Option<PathBuf> {
    match std::env::var_os("SPARK_VENV") {
        Some(venv) => Some(PathBuf::from(venv)),
        None => std::env::var_os("HOME")
            .map(|home| PathBuf::from(home).join(".cache/newsgraph/spark-venv")),
    }
}

/// The first file named `name` on the PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// `spark-submit` and the Python its workers should run (the venv's), or
/// why the test cannot run.
fn spark_submit() -> Result<(PathBuf, Option<PathBuf>), String> {
    let java = std::env::var_os("JAVA_HOME")
        .map(|home| PathBuf::from(home).join("bin/java"))
        .filter(|java| java.is_file())
        .or_else(|| on_path("java"));
    if java.is_none() {
        return Err("java not found (JAVA_HOME or PATH)".into());
    }
    if let Some(venv) = spark_venv() {
        let submit = venv.join("bin/spark-submit");
        if submit.is_file() {
            return Ok((submit, Some(venv.join("bin/python"))));
        }
    }
    on_path("spark-submit")
        .map(|submit| (submit, None))
        .ok_or_else(|| {
            format!(
                "spark-submit not found in {} nor on the PATH",
                spark_venv().map_or("$SPARK_VENV".into(), |v| v.display().to_string())
            )
        })
}

/// The article ids of the job's output, part file by part file in name
/// order (the order `import` reads them), lines in file order.
fn output_ids(dir: &Path) -> Vec<(String, bool)> {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("listing the job's output")
        .map(|e| e.expect("an output entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(OsStr::to_str)
                .is_some_and(|n| n.starts_with("part-"))
        })
        .collect();
    parts.sort();
    assert!(!parts.is_empty(), "no part files in {}", dir.display());
    let mut ids = Vec::new();
    for part in parts {
        assert!(
            part.extension().is_some_and(|e| e == "gz"),
            "{} is not gzip",
            part.display()
        );
        let out = Command::new("gzip")
            .arg("-dc")
            .arg(&part)
            .output()
            .expect("running gzip -dc");
        assert!(out.status.success(), "gzip -dc {}", part.display());
        for line in String::from_utf8(out.stdout).expect("UTF-8 output").lines() {
            let answer: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not JSON ({e}) in {}: {line}", part.display()));
            let id = answer["id"]
                .as_str()
                .unwrap_or_else(|| panic!("no id: {line}"));
            ids.push((id.to_owned(), answer.get("error").is_some()));
        }
    }
    ids
}

/// Where two exports first differ, for a readable failure.
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let (l, r) = (&x.get(key), &y.get(key));
                match (l, r) {
                    (Some(l), Some(r)) => {
                        if let Some(d) = first_difference(l, r, &format!("{at}.{key}")) {
                            return Some(d);
                        }
                    }
                    _ => return Some(format!("{at}.{key}: {l:?} vs {r:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (l, r))| first_difference(l, r, &format!("{at}[{i}]")))
            .or_else(|| {
                (x.len() != y.len()).then(|| format!("{at}: {} vs {} items", x.len(), y.len()))
            }),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} vs {b}")),
    }
}

#[test]
fn the_spark_job_and_import_give_the_graph_that_ingest_gives() {
    let (submit, python) = match spark_submit() {
        Ok(found) => found,
        Err(why) => {
            eprintln!(
                "skipping: {why}; run .ci/run (it installs openjdk-17-jre-headless and a \
                 venv with PySpark in $SPARK_VENV) or put java and spark-submit on the PATH"
            );
            return;
        }
    };

    // Given a directory of articles and one file that is not UTF-8
    let scratch = Scratch::new();
    let corpus = scratch.path("articles");
    common::write_corpus(&corpus, ARTICLES, 15);
    std::fs::write(
        corpus.join(UNREADABLE),
        b"Caf\xe9 owners said the new rules were unfair.\n",
    )
    .expect("writing the Latin-1 file");

    // When the Spark job extracts them in local mode
    let output = scratch.path("graphs");
    let mut job = Command::new(&submit);
    job.args(["--master", "local[2]", "--conf", "spark.ui.enabled=false"])
        .arg(common::repo_root().join("jobs/spark/extract.py"))
        .arg("--input")
        .arg(&corpus)
        .arg("--output")
        .arg(&output)
        .args(["--binary", common::bin()])
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .env("RUST_LOG", "warn");
    if let Some(python) = python {
        job.env("PYSPARK_PYTHON", python);
    }
    let started = Instant::now();
    let run = common::run_for(job, JOB_LIMIT);
    let took = started.elapsed();
    eprintln!("the Spark job took {took:?}");

    // Then it reports every article, and fails for the unreadable one
    let status = run
        .status
        .unwrap_or_else(|| panic!("the job ran over {JOB_LIMIT:?}:\n{}", run.stderr));
    let summary = format!(
        "articles in: {}, graphs out: {ARTICLES}, errors: 1 (unreadable files: 1)",
        ARTICLES + 1
    );
    assert!(
        run.stdout.contains(&summary) && run.stdout.contains(UNREADABLE),
        "no summary {summary:?} with {UNREADABLE} ({status}):\nstdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(status.code(), Some(1), "{}", run.stdout);

    // And its output holds one line per file, the graphs sorted by id
    // across the part files, the unreadable file's error kept
    let ids = output_ids(&output);
    assert_eq!(ids.len(), ARTICLES + 1);
    let graphs: Vec<&String> = ids.iter().filter(|(_, e)| !e).map(|(id, _)| id).collect();
    assert_eq!(graphs.len(), ARTICLES);
    assert!(graphs.windows(2).all(|w| w[0] < w[1]), "not sorted by id");
    assert_eq!(
        ids.iter().filter(|(_, e)| *e).collect::<Vec<_>>(),
        [&(UNREADABLE.to_owned(), true)]
    );

    // When the output is imported into one store and the files are
    // ingested into another
    let (imported, ingested) = (scratch.path("imported"), scratch.path("ingested"));
    let import = newsgraph([
        OsStr::new("import"),
        OsStr::new("-q"),
        OsStr::new("--db"),
        imported.as_os_str(),
        output.as_os_str(),
    ]);
    let ingest = newsgraph([
        OsStr::new("ingest"),
        OsStr::new("-q"),
        corpus.as_os_str(),
        OsStr::new("--db"),
        ingested.as_os_str(),
    ]);

    // Then both report the unreadable file, and only it, as failed
    for (command, run) in [("import", &import), ("ingest", &ingest)] {
        assert_eq!(run.status.code(), Some(1), "{command}: {run:?}");
        assert!(run.stderr.contains(UNREADABLE), "{command}: {run:?}");
        assert!(run.stdout.contains(" 1 failed"), "{command}: {run:?}");
    }

    // And both stores export the same graph, byte for byte
    let (from_spark, from_ingest) = (export_json(&imported), export_json(&ingested));
    let parse = |text: &str| -> Value { serde_json::from_str(text).expect("export is JSON") };
    let (spark_graph, ingest_graph) = (parse(&from_spark), parse(&from_ingest));
    assert_eq!(
        ingest_graph["documents"].as_array().map(Vec::len),
        Some(ARTICLES)
    );
    assert!(ingest_graph["relations"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
    if let Some(difference) = first_difference(&spark_graph, &ingest_graph, "export") {
        panic!("import of the job's output and ingest differ (import vs ingest): {difference}");
    }
    assert!(
        from_spark == from_ingest,
        "the exports hold the same graph but differ in bytes"
    );
}
