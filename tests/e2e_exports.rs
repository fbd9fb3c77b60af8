//! End-to-end tests of the exports for other tools (GraphML, neo4j-admin
//! CSV, JSON Lines): written by the real binary, or served over HTTP, and
//! read back with the parsers those tools use (an XML parser and NetworkX,
//! a CSV reader, a JSON parser per line), each checked against the JSON
//! export of the same selection.

// Test harness code: a panic is how a helper reports a failed check.
// clippy.toml allows these inside #[test] functions only, not in helpers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use common::{newsgraph, Scratch, Server};
use serde_json::Value;

/// The CSV files, in the order the export writes them.
const CSV_FILES: [&str; 8] = [
    "nodes-documents.csv",
    "nodes-actors.csv",
    "nodes-events.csv",
    "relationships-to-actors.csv",
    "relationships-to-events.csv",
    "relationships-to-documents.csv",
    "relationships-mentions.csv",
    "relationships-reports.csv",
];

/// Runs `newsgraph export --format FORMAT --db DB EXTRA...`.
fn export(db: &Path, format: &str, extra: &[&OsStr]) -> common::Run {
    let mut args = vec![
        OsStr::new("export"),
        OsStr::new("--format"),
        OsStr::new(format),
        OsStr::new("--db"),
        db.as_os_str(),
    ];
    args.extend(extra);
    newsgraph(args)
}

/// The seed corpus in a fresh store, and its whole-graph JSON export.
fn seeded() -> (Scratch, Value) {
    let scratch = Scratch::new();
    common::ingest_seed(&scratch.db());
    let run = export(&scratch.db(), "json", &[]).success();
    let json: Value = serde_json::from_str(&run.stdout).expect("the JSON export is JSON");
    assert!(
        !list(&json, "relations").is_empty(),
        "the seed has relations"
    );
    (scratch, json)
}

fn list<'a>(json: &'a Value, key: &str) -> &'a [Value] {
    json[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} array in {json}"))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no string {key} in {v}"))
}

fn ids(json: &Value, key: &str) -> BTreeSet<String> {
    list(json, key)
        .iter()
        .map(|v| str_of(v, "id").to_owned())
        .collect()
}

/// `(document, actor)` for every mention the JSON export lists.
fn mentions(json: &Value) -> BTreeSet<(String, String)> {
    list(json, "documents")
        .iter()
        .flat_map(|d| {
            let doc = str_of(d, "id").to_owned();
            d["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |a| (doc.clone(), a.as_str().unwrap().to_owned()))
        })
        .collect()
}

/// Where a relation's edge points: `(node type, id)` of its object, else
/// its event, else its document.
fn target(relation: &Value) -> (&'static str, String) {
    match (relation["object"].as_str(), relation["event"].as_str()) {
        (Some(o), _) => ("actor", o.to_owned()),
        (None, Some(e)) => ("event", e.to_owned()),
        (None, None) => ("document", str_of(relation, "document").to_owned()),
    }
}

/// Checks a GraphML export against the JSON export of the same selection:
/// the same nodes, one edge per relation with its properties read back
/// exactly, and the mentions and reports edges.
fn check_graphml(xml: &str, json: &Value) {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "graphml");
    let keys: BTreeMap<&str, &str> = root
        .children()
        .filter(|n| n.has_tag_name("key"))
        .map(|k| {
            (
                k.attribute("id").unwrap(),
                k.attribute("attr.name").unwrap(),
            )
        })
        .collect();
    let graph = root
        .children()
        .find(|n| n.has_tag_name("graph"))
        .expect("a <graph>");
    assert_eq!(graph.attribute("edgedefault"), Some("directed"));
    let data = |n: roxmltree::Node<'_, '_>| -> BTreeMap<String, String> {
        n.children()
            .filter(|c| c.has_tag_name("data"))
            .map(|c| {
                let key = c.attribute("key").unwrap();
                let name = keys
                    .get(key)
                    .unwrap_or_else(|| panic!("undeclared key {key}"));
                ((*name).to_owned(), c.text().unwrap_or_default().to_owned())
            })
            .collect()
    };

    // The nodes are the export's documents, actors and events
    let nodes: Vec<_> = graph
        .children()
        .filter(|n| n.has_tag_name("node"))
        .collect();
    let node_ids: BTreeSet<String> = nodes
        .iter()
        .map(|n| n.attribute("id").unwrap().to_owned())
        .collect();
    assert_eq!(node_ids.len(), nodes.len(), "node ids are unique");
    let mut expected = BTreeSet::new();
    for (key, prefix) in [
        ("documents", "document"),
        ("actors", "actor"),
        ("events", "event"),
    ] {
        expected.extend(ids(json, key).iter().map(|id| format!("{prefix}:{id}")));
    }
    assert_eq!(node_ids, expected);
    let labels: BTreeMap<String, BTreeMap<String, String>> = nodes
        .iter()
        .map(|n| (n.attribute("id").unwrap().to_owned(), data(*n)))
        .collect();
    for actor in list(json, "actors") {
        let node = &labels[&format!("actor:{}", str_of(actor, "id"))];
        assert_eq!(node["type"], "actor");
        assert_eq!(node["label"], str_of(actor, "name"));
    }

    // One edge per relation, from its subject to its target, its evidence
    // and quote exactly the JSON export's
    let edges: Vec<_> = graph
        .children()
        .filter(|n| n.has_tag_name("edge"))
        .collect();
    let relations = list(json, "relations");
    assert_eq!(
        edges.len(),
        relations.len() + mentions(json).len() + list(json, "events").len(),
        "relations, mentions and reports"
    );
    for edge in &edges {
        for end in ["source", "target"] {
            let id = edge.attribute(end).unwrap();
            assert!(node_ids.contains(id), "edge {end} {id} is not a node");
        }
    }
    let by_id: BTreeMap<&str, &roxmltree::Node<'_, '_>> = edges
        .iter()
        .filter_map(|e| Some((e.attribute("id")?, e)))
        .collect();
    assert_eq!(by_id.len(), relations.len(), "relation edges have ids");
    for r in relations {
        let edge = by_id[str_of(r, "id")];
        let (kind, id) = target(r);
        assert_eq!(
            edge.attribute("source"),
            Some(format!("actor:{}", str_of(r, "subject")).as_str())
        );
        assert_eq!(
            edge.attribute("target"),
            Some(format!("{kind}:{id}").as_str())
        );
        let props = data(*edge);
        assert_eq!(props["label"], str_of(r, "relation"));
        assert_eq!(props["relation"], str_of(r, "id"));
        assert_eq!(props["evidence"], str_of(r, "evidence"));
        assert_eq!(props.get("quote").map(String::as_str), r["quote"].as_str());
        assert_eq!(
            props["confidence"].parse::<f64>().ok(),
            r["confidence"].as_f64()
        );
        assert_eq!(props["start"], r["span"][0].to_string());
        assert_eq!(props["end"], r["span"][1].to_string());
    }
    let labelled = |label: &str| {
        edges
            .iter()
            .filter(|e| data(**e)["label"] == label)
            .map(|e| {
                (
                    e.attribute("source").unwrap().to_owned(),
                    e.attribute("target").unwrap().to_owned(),
                )
            })
            .collect::<BTreeSet<_>>()
    };
    let expected_mentions: BTreeSet<_> = mentions(json)
        .into_iter()
        .map(|(d, a)| (format!("document:{d}"), format!("actor:{a}")))
        .collect();
    assert_eq!(labelled("mentions"), expected_mentions);
    let expected_reports: BTreeSet<_> = list(json, "events")
        .iter()
        .map(|e| {
            (
                format!("document:{}", str_of(e, "document")),
                format!("event:{}", str_of(e, "id")),
            )
        })
        .collect();
    assert_eq!(labelled("reports"), expected_reports);
}

/// Reads `path` with NetworkX's `read_graphml` when Python has NetworkX:
/// the node and edge counts, and each relation edge's evidence and quote.
fn check_with_networkx(path: &Path, json: &Value) {
    match Command::new("python3")
        .args(["-c", "import networkx"])
        .output()
    {
        Ok(out) if out.status.success() => {}
        Ok(out) => {
            eprintln!(
                "skipping NetworkX: cannot import it ({})",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return;
        }
        Err(e) => {
            eprintln!("skipping NetworkX: cannot run python3 ({e})");
            return;
        }
    }
    let script = r#"
import json, sys
import networkx as nx
g = nx.read_graphml(sys.argv[1], edge_key_type=str)
relations = {d["relation"]: {"key": k, "evidence": d["evidence"], "quote": d.get("quote"),
                             "start": d["start"], "label": d["label"], "source": s, "target": t,
                             "confidence": d["confidence"]}
             for s, t, k, d in g.edges(keys=True, data=True) if "relation" in d}
types = {}
for _, d in g.nodes(data=True):
    types[d["type"]] = types.get(d["type"], 0) + 1
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                  "directed": g.is_directed(), "types": types, "relations": relations}))
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("running python3");
    assert!(
        out.status.success(),
        "NetworkX could not read the GraphML:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");
    let count = |key: &str| list(json, key).len() as u64;
    assert_eq!(
        read["nodes"].as_u64(),
        Some(count("documents") + count("actors") + count("events"))
    );
    assert_eq!(
        read["edges"].as_u64(),
        Some(count("relations") + mentions(json).len() as u64 + count("events"))
    );
    assert_eq!(read["directed"], true);
    assert_eq!(read["types"]["actor"].as_u64(), Some(count("actors")));
    let relations = read["relations"].as_object().expect("relations by id");
    assert_eq!(relations.len() as u64, count("relations"));
    for r in list(json, "relations") {
        let got = &relations[str_of(r, "id")];
        assert_eq!(got["key"], r["id"], "the edge key is the relation id");
        assert_eq!(got["evidence"], r["evidence"]);
        assert_eq!(got["quote"], r["quote"]);
        assert_eq!(got["start"], r["span"][0], "start is read as an int");
        assert_eq!(got["confidence"], r["confidence"], "confidence as a double");
        assert_eq!(got["label"], r["relation"]);
        assert_eq!(got["source"], format!("actor:{}", str_of(r, "subject")));
    }
    eprintln!("NetworkX read the GraphML: {}", read["types"]);
}

/// A CSV file read back: its header and records.
struct Table {
    header: Vec<String>,
    records: Vec<BTreeMap<String, String>>,
}

fn read_csv(name: &str, content: &str) -> Table {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(content.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .iter()
        .map(str::to_owned)
        .collect();
    let records = reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{name}: {e}"));
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    Table { header, records }
}

/// Checks the CSV export's files (name, content) against the JSON export
/// of the same selection: neo4j-admin headers, the same node ids, one
/// relationship per relation with its properties, the mentions and reports.
fn check_csv(files: &[(String, String)], json: &Value) {
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, CSV_FILES);
    let tables: BTreeMap<&str, Table> = files
        .iter()
        .map(|(name, content)| (name.as_str(), read_csv(name, content)))
        .collect();
    for (file, id_column, label, key) in [
        (
            "nodes-documents.csv",
            "id:ID(Document)",
            "Document",
            "documents",
        ),
        ("nodes-actors.csv", "id:ID(Actor)", "Actor", "actors"),
        ("nodes-events.csv", "id:ID(Event)", "Event", "events"),
    ] {
        let table = &tables[file];
        assert_eq!(table.header[0], id_column, "{file}");
        assert_eq!(table.header[1], ":LABEL", "{file}");
        let got: BTreeSet<String> = table.records.iter().map(|r| r[id_column].clone()).collect();
        assert_eq!(got.len(), table.records.len(), "{file}: unique ids");
        assert_eq!(got, ids(json, key), "{file}");
        assert!(table.records.iter().all(|r| r[":LABEL"] == label), "{file}");
    }
    let actors = &tables["nodes-actors.csv"];
    assert!(actors.header.contains(&"aliases:string[]".to_owned()));
    for a in list(json, "actors") {
        let record = actors
            .records
            .iter()
            .find(|r| r["id:ID(Actor)"] == str_of(a, "id"))
            .unwrap();
        assert_eq!(record["name"], str_of(a, "name"));
        let aliases: Vec<&str> = a["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        assert_eq!(record["aliases:string[]"], aliases.join(";"));
    }
    for d in list(json, "documents") {
        let record = tables["nodes-documents.csv"]
            .records
            .iter()
            .find(|r| r["id:ID(Document)"] == str_of(d, "id"))
            .unwrap();
        assert_eq!(record["title"], str_of(d, "title"));
        assert_eq!(record["file"], str_of(d, "file"));
    }

    // Every relation once, in the file of what it points at
    let mut relations: BTreeMap<String, (&str, BTreeMap<String, String>)> = BTreeMap::new();
    for (file, end) in [
        ("relationships-to-actors.csv", "actor"),
        ("relationships-to-events.csv", "event"),
        ("relationships-to-documents.csv", "document"),
    ] {
        let table = &tables[file];
        let end_space = format!(":END_ID({}{})", end[..1].to_uppercase(), &end[1..]);
        assert_eq!(
            table.header,
            [
                ":START_ID(Actor)",
                end_space.as_str(),
                ":TYPE",
                "id",
                "document",
                "event",
                "evidence",
                "start:int",
                "end:int",
                "quote",
                "confidence:float"
            ],
            "{file}"
        );
        for r in &table.records {
            let mut r = r.clone();
            r.insert("end".into(), r[&end_space].clone());
            assert!(relations.insert(r["id"].clone(), (end, r)).is_none());
        }
    }
    let json_relations = list(json, "relations");
    assert_eq!(relations.len(), json_relations.len());
    for r in json_relations {
        let (end, got) = &relations[str_of(r, "id")];
        assert_eq!((*end, got["end"].clone()), target(r), "{r}");
        assert_eq!(got[":START_ID(Actor)"], str_of(r, "subject"));
        assert_eq!(got[":TYPE"], str_of(r, "relation").to_uppercase());
        assert_eq!(got["document"], str_of(r, "document"));
        assert_eq!(got["event"], r["event"].as_str().unwrap_or(""));
        assert_eq!(got["evidence"], str_of(r, "evidence"));
        assert_eq!(got["quote"], r["quote"].as_str().unwrap_or(""));
        assert_eq!(
            got["confidence:float"].parse::<f64>().ok(),
            r["confidence"].as_f64()
        );
        assert_eq!(got["start:int"], r["span"][0].to_string());
        assert_eq!(got["end:int"], r["span"][1].to_string());
    }
    let pairs = |file: &str, start: &str, end: &str, kind: &str| -> BTreeSet<(String, String)> {
        let table = &tables[file];
        assert_eq!(table.header, [start, end, ":TYPE"], "{file}");
        assert!(table.records.iter().all(|r| r[":TYPE"] == kind), "{file}");
        table
            .records
            .iter()
            .map(|r| (r[start].clone(), r[end].clone()))
            .collect()
    };
    assert_eq!(
        pairs(
            "relationships-mentions.csv",
            ":START_ID(Document)",
            ":END_ID(Actor)",
            "MENTIONS"
        ),
        mentions(json)
    );
    let reports: BTreeSet<_> = list(json, "events")
        .iter()
        .map(|e| (str_of(e, "document").to_owned(), str_of(e, "id").to_owned()))
        .collect();
    assert_eq!(
        pairs(
            "relationships-reports.csv",
            ":START_ID(Document)",
            ":END_ID(Event)",
            "REPORTS"
        ),
        reports
    );
}

/// Checks a JSON Lines export against the JSON export of the same
/// selection: its records in the same order, each with its `type`.
fn check_jsonl(text: &str, json: &Value) {
    assert!(text.is_empty() || text.ends_with('\n'));
    let mut by_type: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut order = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut record: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("line {} is not JSON ({e}): {line}", n + 1));
        let kind = record
            .as_object_mut()
            .and_then(|o| o.remove("type"))
            .and_then(|t| t.as_str().map(str::to_owned))
            .unwrap_or_else(|| panic!("line {} has no type: {line}", n + 1));
        if order.last() != Some(&kind) {
            order.push(kind.clone());
        }
        by_type.entry(kind).or_default().push(record);
    }
    let expected_order: Vec<&str> = [
        ("document", "documents"),
        ("actor", "actors"),
        ("event", "events"),
        ("relation", "relations"),
    ]
    .into_iter()
    .filter(|(_, key)| !list(json, key).is_empty())
    .map(|(t, _)| t)
    .collect();
    assert_eq!(order, expected_order, "nodes, then edges");
    for (kind, key) in [
        ("document", "documents"),
        ("actor", "actors"),
        ("event", "events"),
        ("relation", "relations"),
    ] {
        let got = by_type.get(kind).map(Vec::as_slice).unwrap_or_default();
        assert_eq!(got, list(json, key), "{kind} records");
    }
}

#[test]
fn graphml_export_reads_back_with_the_json_exports_graph() {
    // Given the seed corpus in a store, and its JSON export
    let (scratch, json) = seeded();

    // When the whole graph is exported as GraphML to a file
    let out = scratch.path("graph.graphml");
    export(
        &scratch.db(),
        "graphml",
        &[OsStr::new("-o"), out.as_os_str()],
    )
    .success();

    // Then an XML parser reads the JSON export's nodes and edges from it
    let xml = std::fs::read_to_string(&out).expect("the GraphML file was written");
    check_graphml(&xml, &json);
    // And so does NetworkX, when Python has it
    check_with_networkx(&out, &json);
}

#[test]
fn csv_export_writes_neo4j_import_files_into_a_directory() {
    // Given the seed corpus in a store, and its JSON export
    let (scratch, json) = seeded();

    // When the whole graph is exported as CSV into a new directory
    let dir = scratch.path("neo4j/import");
    export(&scratch.db(), "csv", &[OsStr::new("-o"), dir.as_os_str()]).success();

    // Then the directory holds exactly the documented files
    let mut written: Vec<String> = std::fs::read_dir(&dir)
        .expect("the directory was created")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut documented: Vec<String> = CSV_FILES.iter().map(|s| (*s).to_owned()).collect();
    documented.sort();
    assert_eq!(written, documented);
    // And a CSV reader reads the JSON export's graph back from them
    let files: Vec<(String, String)> = CSV_FILES
        .iter()
        .map(|name| {
            let content = std::fs::read_to_string(dir.join(name)).unwrap();
            ((*name).to_owned(), content)
        })
        .collect();
    check_csv(&files, &json);

    // When CSV is asked for without a directory
    let run = export(&scratch.db(), "csv", &[]);

    // Then it fails, saying CSV needs one, and prints nothing
    assert!(!run.status.success());
    assert!(run.stderr.contains("-o DIR"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn jsonl_export_is_the_json_exports_records_one_per_line() {
    // Given the seed corpus in a store, and its JSON export
    let (scratch, json) = seeded();

    // When the whole graph is exported as JSON Lines to standard output
    let run = export(&scratch.db(), "jsonl", &[]).success();

    // Then each line is one of the JSON export's records, with its type
    check_jsonl(&run.stdout, &json);

    // And an actor's ego network holds that actor and only its relations
    let run = export(
        &scratch.db(),
        "jsonl",
        &[OsStr::new("--actor"), OsStr::new("KFOR")],
    )
    .success();
    let actor_json = export(
        &scratch.db(),
        "json",
        &[OsStr::new("--actor"), OsStr::new("KFOR")],
    )
    .success();
    let ego: Value = serde_json::from_str(&actor_json.stdout).unwrap();
    assert!(list(&ego, "actors").len() < list(&json, "actors").len());
    check_jsonl(&run.stdout, &ego);
}

#[test]
fn graphql_serves_the_same_exports_for_the_selections_dot_takes() {
    // Given a server over the seed corpus
    let scratch = Scratch::new();
    common::ingest_seed(&scratch.db());
    let server = Server::start(&scratch, &[]);

    // When each selection is asked for in every format over HTTP
    let selections = [
        ("every said relation", r#"kind: SAID"#),
        ("ego network", r#"actor: "KFOR", depth: 1"#),
        ("path", r#"from: "Ukraine", to: "United States""#),
        ("relation filter", r#"kind: REQUESTED, subject: "Serbia""#),
    ];
    for (what, args) in selections {
        let v = server.graphql(&format!(
            "{{ export({args}) graphml({args}) jsonl({args}) csv({args}) {{ name content }} }}"
        ));
        let data = common::data(&v);
        let json = &data["export"];
        assert!(!list(json, "relations").is_empty(), "{what}: {json}");

        // Then each reads back as the JSON export of that selection
        check_graphml(str_of(data, "graphml"), json);
        check_jsonl(str_of(data, "jsonl"), json);
        let files: Vec<(String, String)> = data["csv"]
            .as_array()
            .expect("a list of files")
            .iter()
            .map(|f| {
                (
                    str_of(f, "name").to_owned(),
                    str_of(f, "content").to_owned(),
                )
            })
            .collect();
        check_csv(&files, json);
    }

    // And a missing selection is the same error as for `dot`
    for field in ["graphml", "jsonl", "csv { name }"] {
        let v = server.graphql(&format!("{{ {field} }}"));
        let errors = common::errors(&v);
        assert_eq!(
            errors.first().map(|e| e["extensions"]["code"].clone()),
            Some(Value::from("BAD_USER_INPUT")),
            "{field}: {v}"
        );
    }
}
