//! `newsgraph extract --jsonl`: articles as JSON lines in, one extracted
//! graph (or one error) per line out, in order; no store is touched.
//!
//! A pipe stage (a Spark `pipe()`, `xargs`, a shell pipeline): every input
//! line gets exactly one output line carrying its `id`, so a consumer can
//! pair them up by position or by id, and one bad article never fails the
//! run. Each line's graph is the export format of `newsgraph export
//! --format json` for a store holding that article alone: it is extracted
//! by [`newsgraph_ingest::extract`] and written by
//! [`newsgraph_graphql::export::to_json`] over an in-memory graph, so the
//! two commands cannot drift apart. The output depends only on the input
//! bytes (ids are content and name hashes; lists are in id order).

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use newsgraph_graphql::export;
use newsgraph_model::read::{GraphSource as _, Subgraph};
use newsgraph_view::MemoryGraph;
use serde_json::{Map, Value};

use crate::article::{self, Article};
use crate::inputs::{read_line, LineRead};
use crate::output::errln;

/// How to run an extraction.
#[derive(Debug, Clone)]
pub struct Options {
    /// Largest article text accepted, in bytes (title included).
    pub max_bytes: usize,
}

impl Options {
    /// The longest input line read whole; a longer one is answered with
    /// an error without being held in memory.
    fn max_line(&self) -> usize {
        article::max_line(self.max_bytes)
    }
}

/// What a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Lines answered with a graph.
    pub extracted: usize,
    /// Lines answered with an error.
    pub failed: usize,
    /// The reader of the output went away before the input ended.
    pub closed: bool,
}

/// Why a run stopped early.
#[derive(Debug)]
pub enum Failure {
    /// Reading the input failed.
    Read(io::Error),
    /// Writing the output failed (other than its reader going away).
    Write(io::Error),
}

/// `newsgraph extract --jsonl` on standard input and output. Exit code 0
/// once every line is answered (whatever the per-line errors) or when the
/// reader of the output went away; an error when standard input or
/// output fails.
pub fn run(options: &Options) -> Result<ExitCode> {
    if let Err(e) = newsgraph_syntax::english() {
        errln!(
            "warning: the syntax model did not load ({e}); extracting with the token rules alone"
        );
    }
    let input = io::stdin().lock();
    let output = io::stdout().lock();
    match extract_lines(input, output, options) {
        Ok(summary) => {
            if !summary.closed {
                errln!(
                    "extracted {} articles, {} failed",
                    summary.extracted,
                    summary.failed
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(Failure::Read(e)) => Err(e).context("reading standard input"),
        Err(Failure::Write(e)) => Err(e).context("writing to standard output"),
    }
}

/// Answers every line of `input` on `output`, flushing after each, so
/// that a downstream stage sees an article as soon as it is extracted.
pub fn extract_lines(
    mut input: impl BufRead,
    mut output: impl Write,
    options: &Options,
) -> Result<Summary, Failure> {
    let mut summary = Summary::default();
    let mut line = Vec::new();
    let mut number = 0usize;
    let mut out = Vec::new();
    while let Some(read) = read_line(&mut input, &mut line, options.max_line()) {
        let read = read.map_err(Failure::Read)?;
        number += 1;
        let answer = match read {
            LineRead::Whole => answer(number, &line, options),
            LineRead::TooLong { bytes } => error_line(
                Value::Null,
                format!(
                    "line {number} is {bytes} bytes, over the limit of {} bytes for --max-bytes {}",
                    options.max_line(),
                    options.max_bytes
                ),
            ),
        };
        if answer.get("error").is_some() {
            summary.failed += 1;
        } else {
            summary.extracted += 1;
        }
        out.clear();
        // Serialising a `Value` into a Vec cannot fail (string keys only).
        if let Err(e) = serde_json::to_writer(&mut out, &answer) {
            return Err(Failure::Write(io::Error::other(e)));
        }
        out.push(b'\n');
        match output.write_all(&out).and_then(|()| output.flush()) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                summary.closed = true;
                return Ok(summary);
            }
            Err(e) => return Err(Failure::Write(e)),
        }
    }
    Ok(summary)
}

/// `{"id": id, "error": message}`.
fn error_line(id: Value, message: String) -> Value {
    let mut line = Map::new();
    line.insert("id".into(), id);
    line.insert("error".into(), Value::String(message));
    Value::Object(line)
}

/// The answer to input line `number`: its graph or its error.
fn answer(number: usize, raw: &[u8], options: &Options) -> Value {
    let article = match article::from_line(&format!("line {number}"), raw, options.max_bytes) {
        Ok(article) => article,
        Err(rejected) => return error_line(rejected.id, rejected.message),
    };
    match graph_of(&article) {
        Ok(graph) => {
            let mut line = Map::new();
            line.insert("id".into(), article.id.clone());
            line.extend(graph);
            Value::Object(line)
        }
        Err(message) => error_line(article.id, format!("line {number}: {message}")),
    }
}

/// Extracts one article and writes its graph in the export format (the
/// `documents`, `actors`, `events` and `relations` of `export --format
/// json`), its document carrying the text that spans count in.
fn graph_of(article: &Article) -> Result<Map<String, Value>, String> {
    let graph = article
        .extract(&newsgraph_ingest::ExtractOptions::default())
        .graph;
    let document_id = graph.document.id;
    let memory = MemoryGraph::of([(graph, article.text.clone())]);
    let read = memory.read();
    let selection = Subgraph {
        actors: read.actors().into_iter().map(|a| &**a).collect(),
        relations: read.relations().collect(),
    };
    let json = export::with_evidence(&memory, &selection, |sub| export::to_json(&*read, sub))
        .map_err(|e| format!("reading the extracted graph: {e}"))?;
    let Value::Object(mut json) = json else {
        return Err("the export is not a JSON object".into());
    };
    // The export lists the documents that hold a selected relation or
    // actor; an article with neither still has its document here.
    if let (Some(Value::Array(documents)), Some(document)) =
        (json.get_mut("documents"), read.document(document_id))
    {
        if documents.is_empty() {
            documents.push(export::document_json(document, Vec::new()));
        }
    }
    let Some(Value::Object(document)) = json
        .get_mut("documents")
        .and_then(Value::as_array_mut)
        .and_then(|documents| documents.first_mut())
    else {
        return Err("the export has no document".into());
    };
    // The text the spans count in, so that `import` stores the article
    // as `ingest` would.
    document.insert("text".into(), Value::String(article.text.clone()));
    Ok(json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run_on(input: &str) -> (Vec<Value>, Summary) {
        let options = Options {
            max_bytes: newsgraph_ingest::DEFAULT_MAX_BYTES,
        };
        let mut out = Vec::new();
        let summary = extract_lines(input.as_bytes(), &mut out, &options).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (lines, summary)
    }

    #[test]
    fn every_line_is_answered_in_order_with_its_id() {
        let input = concat!(
            "{\"id\":\"a\",\"text\":\"The minister said the plan would work.\"}\n",
            "not json\n",
            "\n",
            "{\"text\":\"No id here.\"}\n",
            "{\"id\":7,\"text\":\"\"}\n",
            "{\"id\":\"b\",\"text\":\"Anything.\",\"title\":3}\r\n",
            "{\"id\":\"c\",\"text\":\"The end.\"}",
        );
        let (lines, summary) = run_on(input);
        assert_eq!(lines.len(), 7);
        let ids: Vec<&Value> = lines.iter().map(|l| &l["id"]).collect();
        assert_eq!(
            ids,
            [
                &Value::from("a"),
                &Value::Null,
                &Value::Null,
                &Value::Null,
                &Value::from(7),
                &Value::from("b"),
                &Value::from("c")
            ]
        );
        let failed: Vec<bool> = lines.iter().map(|l| l.get("error").is_some()).collect();
        assert_eq!(failed, [false, true, true, true, true, true, false]);
        assert_eq!(summary.extracted, 2);
        assert_eq!(summary.failed, 5);
        assert!(lines[4]["error"].as_str().unwrap().contains("empty"));
        assert!(lines[5]["error"].as_str().unwrap().contains("\"title\""));
    }

    #[test]
    fn a_line_over_the_limit_is_answered_without_being_kept() {
        let options = Options { max_bytes: 10 };
        let long = format!("{{\"id\":\"x\",\"text\":\"{}\"}}\n", "a".repeat(200_000));
        let input = format!("{long}{{\"id\":\"y\",\"text\":\"0123456789abc\"}}\n");
        let mut out = Vec::new();
        let summary = extract_lines(input.as_bytes(), &mut out, &options).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(summary.failed, 2);
        assert_eq!(lines[0]["id"], Value::Null);
        assert!(lines[0]["error"]
            .as_str()
            .unwrap()
            .contains("over the limit"));
        assert_eq!(lines[1]["id"], "y");
        assert!(lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("over the limit"));
    }

    #[test]
    fn a_title_is_read_as_the_headline_line() {
        let (lines, _) = run_on(
            "{\"id\":\"t\",\"title\":\"Talks stall | Daily Planet\",\"text\":\"Nothing happened.\",\"url\":\"https://example.org/t\"}\n",
        );
        let document = &lines[0]["documents"][0];
        assert_eq!(document["title"], "Talks stall");
        assert_eq!(document["source"], "Daily Planet");
        assert_eq!(document["file"], "t");
        assert_eq!(document["url"], "https://example.org/t");
        assert_eq!(document["mentions"], json!([]));
    }

    #[test]
    fn an_article_without_actors_has_a_document_of_the_export_shape() {
        let (lines, _) = run_on(concat!(
            "{\"id\":\"quiet\",\"text\":\"Nothing happened.\"}\n",
            "{\"id\":\"busy\",\"text\":\"The minister Anna Brekke said the talks stalled.\"}\n",
        ));
        let keys = |line: &Value| -> Vec<String> {
            let documents = line["documents"].as_array().unwrap();
            assert_eq!(documents.len(), 1, "{line}");
            documents[0].as_object().unwrap().keys().cloned().collect()
        };
        assert_eq!(keys(&lines[0]), keys(&lines[1]));
        assert_eq!(lines[0]["documents"][0]["file"], "quiet");
    }
}
