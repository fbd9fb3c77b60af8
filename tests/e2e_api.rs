//! End-to-end tests of the GraphQL API (issue 5): every connection, filter,
//! relationship field, selection, mutation and limit, spoken to over HTTP
//! on the real binary (`newsgraph serve` on 127.0.0.1:0, the seed corpus
//! ingested first). Each test has its own store and server.
//!
//! Expected answers are computed from the API's own unfiltered lists (every
//! relation with its ends, document and date), so the tests check what a
//! filter or field *means* without pinning the exact numbers the extractor
//! finds in the seed today; each also asserts that the answer it checks is
//! not empty, so that a filter cannot pass by matching nothing.

// Test harness code: a panic is how a helper reports a failed check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{data, errors, Scratch, Server};
use newsgraph_model::fold;
use serde_json::Value;

/// The seed article with a publication date; the other four have none.
const DATED_FILE: &str = "004_b9c044526167c52b.txt";
const DATED: &str = "2022-12-18";

/// What a relation is asked for when the tests need all of it.
const RELATION: &str = "id kind quote subject { id name } object { id name } event { id } \
                        document { id file published } evidence { sentence start end }";

/// The selection the paging test asks of every connection.
const PAGE: &str =
    "totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } nodes { id }";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A store holding the seed corpus and a server on it (with extra flags).
fn seeded(extra: &[&str]) -> (Scratch, Server) {
    let scratch = Scratch::new();
    common::ingest_seed(&scratch.db());
    let server = Server::start(&scratch, extra);
    (scratch, server)
}

/// `data` of a query that must succeed.
fn ask(server: &Server, query: &str) -> Value {
    data(&server.graphql(query)).clone()
}

/// Asserts that the response's first error has `extensions.code` = `code`
/// and a message; returns the message.
fn expect_error(v: &Value, code: &str) -> String {
    let errs = errors(v);
    assert!(!errs.is_empty(), "expected a {code} error, got {v}");
    assert_eq!(errs[0]["extensions"]["code"], code, "wrong error code: {v}");
    let message = errs[0]["message"].as_str().unwrap_or_default().to_owned();
    assert!(
        !message.trim().is_empty(),
        "an error without a message: {v}"
    );
    message
}

/// A GraphQL string literal (JSON escapes are valid GraphQL escapes).
fn lit(s: &str) -> String {
    Value::from(s).to_string()
}

fn text(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_owned()
}

fn list(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}"))
}

/// The `id`s of a list of objects, in order.
fn ids(v: &Value) -> Vec<String> {
    list(v).iter().map(|n| text(&n["id"])).collect()
}

fn id_set(v: &Value) -> BTreeSet<String> {
    ids(v).into_iter().collect()
}

fn rel_ids<'a>(relations: impl IntoIterator<Item = &'a Value>) -> BTreeSet<String> {
    relations.into_iter().map(|r| text(&r["id"])).collect()
}

fn subject_of(r: &Value) -> String {
    text(&r["subject"]["id"])
}

fn object_of(r: &Value) -> Option<String> {
    r["object"]["id"].as_str().map(str::to_owned)
}

fn kind_of(r: &Value) -> &str {
    r["kind"].as_str().unwrap_or_default()
}

fn published_of(r: &Value) -> Option<&str> {
    r["document"]["published"].as_str()
}

/// Every relation in the store, as [`RELATION`] (the stores here fit one page).
fn all_relations(server: &Server) -> Vec<Value> {
    let v = ask(
        server,
        &format!("{{ relations(first: 500) {{ totalCount nodes {{ {RELATION} }} }} }}"),
    );
    let nodes = list(&v["relations"]["nodes"]).clone();
    assert_eq!(
        Some(nodes.len() as u64),
        v["relations"]["totalCount"].as_u64(),
        "the store holds more relations than one page"
    );
    assert!(!nodes.is_empty(), "the store has no relations");
    nodes
}

/// Every actor: id, name, aliases, kind, degree.
fn all_actors(server: &Server) -> Vec<Value> {
    let v = ask(
        server,
        "{ actors(first: 1000) { nodes { id name aliases kind degree } } }",
    );
    list(&v["actors"]["nodes"]).clone()
}

/// The id of the actor a name (or alias) resolves to.
fn actor_id(server: &Server, name: &str) -> String {
    let v = ask(
        server,
        &format!("{{ actor(name: {}) {{ id }} }}", lit(name)),
    );
    assert!(v["actor"].is_object(), "no actor named {name}: {v}");
    text(&v["actor"]["id"])
}

fn document_id(server: &Server, file: &str) -> String {
    let v = ask(
        server,
        &format!("{{ document(file: {}) {{ id }} }}", lit(file)),
    );
    assert!(v["document"].is_object(), "no document {file}: {v}");
    text(&v["document"]["id"])
}

/// Ingests an article through the mutation; `extra` adds arguments
/// (e.g. `, published: "2023-01-05"`). Returns the `ingestArticle` result.
fn ingest(server: &Server, file: &str, body: &str, extra: &str) -> Value {
    let v = ask(
        server,
        &format!(
            "mutation {{ ingestArticle(file: {}, text: {}{extra}) {{ outcome relations actors \
             document {{ id file source published }} }} }}",
            lit(file),
            lit(body)
        ),
    );
    v["ingestArticle"].clone()
}

/// The actor reached from `from` by following `relations` (either
/// direction each), panicking if they are not a chain.
fn walk_chain(from: &str, relations: &[Value]) -> Vec<String> {
    let mut at = from.to_owned();
    let mut visited = vec![at.clone()];
    for relation in relations {
        let (subject, object) = (subject_of(relation), object_of(relation));
        at = if subject == at {
            object.unwrap_or_else(|| panic!("a chain link has no far end: {relation}"))
        } else if object.as_deref() == Some(at.as_str()) {
            subject
        } else {
            panic!("relation {relation} does not continue the chain at {at}");
        };
        visited.push(at.clone());
    }
    visited
}

/// The actor graph the server traverses: relations with an object are
/// edges, followed in either direction.
struct ActorGraph {
    /// actor -> (neighbour, relation kind) for every edge end.
    adjacent: BTreeMap<String, Vec<(String, String)>>,
}

impl ActorGraph {
    fn new(relations: &[Value]) -> Self {
        let mut adjacent: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for r in relations {
            if let Some(object) = object_of(r) {
                let subject = subject_of(r);
                let kind = kind_of(r).to_owned();
                adjacent
                    .entry(subject.clone())
                    .or_default()
                    .push((object.clone(), kind.clone()));
                adjacent.entry(object).or_default().push((subject, kind));
            }
        }
        Self { adjacent }
    }

    fn edges<'a>(&'a self, actor: &str, kinds: &'a [&str]) -> impl Iterator<Item = &'a str> + 'a {
        self.adjacent
            .get(actor)
            .into_iter()
            .flatten()
            .filter(move |(_, k)| kinds.is_empty() || kinds.contains(&k.as_str()))
            .map(|(n, _)| n.as_str())
    }

    /// Rings around `center` (ring 1 = neighbours) with the relations
    /// followed from the previous ring, as the schema documents them.
    fn rings(&self, center: &str, depth: usize, kinds: &[&str]) -> Vec<(BTreeSet<String>, usize)> {
        let mut seen: HashSet<String> = HashSet::from([center.to_owned()]);
        let mut frontier = vec![center.to_owned()];
        let mut rings = Vec::new();
        for _ in 0..depth {
            let mut ring = BTreeSet::new();
            let mut followed = 0;
            for node in &frontier {
                for next in self.edges(node, kinds) {
                    followed += 1;
                    if seen.insert(next.to_owned()) {
                        ring.insert(next.to_owned());
                    }
                }
            }
            frontier = ring.iter().cloned().collect();
            rings.push((ring, followed));
            if frontier.is_empty() {
                break;
            }
        }
        rings
    }

    /// Length of a shortest chain (None: none within `max`).
    fn distance(&self, from: &str, to: &str, max: usize) -> Option<usize> {
        let mut dist = BTreeMap::from([(from.to_owned(), 0usize)]);
        let mut queue = VecDeque::from([from.to_owned()]);
        while let Some(node) = queue.pop_front() {
            let d = dist[&node];
            if node == to {
                return Some(d);
            }
            if d == max {
                continue;
            }
            for next in self.edges(&node, &[]) {
                if !dist.contains_key(next) {
                    dist.insert(next.to_owned(), d + 1);
                    queue.push_back(next.to_owned());
                }
            }
        }
        None
    }

    /// Every actor sequence from `from` to `to` without repeated actors,
    /// at most `max` hops long.
    fn simple_paths(&self, from: &str, to: &str, max: usize) -> BTreeSet<Vec<String>> {
        fn walk(
            g: &ActorGraph,
            path: &mut Vec<String>,
            to: &str,
            max: usize,
            out: &mut BTreeSet<Vec<String>>,
        ) {
            let at = path.last().cloned().unwrap_or_default();
            if at == to {
                out.insert(path.clone());
                return;
            }
            if path.len() > max {
                return;
            }
            let nexts: BTreeSet<&str> = g.edges(&at, &[]).collect();
            for next in nexts {
                if !path.iter().any(|p| p == next) {
                    path.push(next.to_owned());
                    walk(g, path, to, max, out);
                    path.pop();
                }
            }
        }
        let mut out = BTreeSet::new();
        walk(self, &mut vec![from.to_owned()], to, max, &mut out);
        out
    }
}

/// Pages through a connection with `first: 2` and `after`, checking the
/// page structure on the way; returns the ids in order. `template` has
/// `ARGS` (the paging arguments) and `SEL` (the connection's selection);
/// `pick` is the path from `data` to the connection.
fn page_through(server: &Server, what: &str, template: &str, pick: &[&str]) -> Vec<String> {
    let connection = |args: &str| {
        let mut v = ask(server, &template.replace("ARGS", args).replace("SEL", PAGE));
        for key in pick {
            v = v[*key].clone();
        }
        assert!(v.is_object(), "{what}: no connection at {pick:?}: {v}");
        v
    };
    let whole = connection("first: 1000");
    let total = whole["totalCount"].as_u64().unwrap() as usize;
    let all = ids(&whole["nodes"]);
    assert_eq!(all.len(), total, "{what}: a page of 1000 holds them all");
    assert_eq!(whole["pageInfo"]["hasNextPage"], false, "{what}");
    assert!(total > 2, "{what}: too few items ({total}) to test paging");
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..=total {
        let args = match &after {
            None => "first: 2".to_owned(),
            Some(cursor) => format!("first: 2, after: {}", lit(cursor)),
        };
        let page = connection(&args);
        assert_eq!(
            page["totalCount"].as_u64(),
            Some(total as u64),
            "{what}: totalCount counts all pages"
        );
        let edges = list(&page["edges"]);
        let edge_ids: Vec<String> = edges.iter().map(|e| text(&e["node"]["id"])).collect();
        assert_eq!(
            edge_ids,
            ids(&page["nodes"]),
            "{what}: edges and nodes agree"
        );
        assert!(edges.len() <= 2, "{what}: first: 2 gave {}", edges.len());
        let end = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        assert_eq!(
            end,
            edges.last().map(|e| text(&e["cursor"])),
            "{what}: endCursor is the last edge's cursor"
        );
        seen.extend(edge_ids);
        if page["pageInfo"]["hasNextPage"] == false {
            break;
        }
        assert_eq!(edges.len(), 2, "{what}: only the last page may be short");
        after = end;
    }
    assert_eq!(
        seen, all,
        "{what}: pages of two visit every item exactly once, in order"
    );
    seen
}

#[path = "support/dense_article.rs"]
mod dense;
use dense::dense_article;

/// A long article (at least `bytes`) made of the seed articles repeated:
/// extracting it takes measurable time.
fn long_article(bytes: usize) -> String {
    let seed: String = common::seed_files()
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut body = String::from("A long dispatch\n\n");
    while body.len() < bytes {
        body.push_str(&seed);
        body.push_str("\n\n");
    }
    body
}

/// The `ingestArticle` request body for an article.
fn ingest_body(file: &str, body: &str) -> Vec<u8> {
    serde_json::json!({
        "query": "mutation($file: String!, $text: String!) { ingestArticle(file: $file, text: $text) { outcome } }",
        "variables": { "file": file, "text": body },
    })
    .to_string()
    .into_bytes()
}

/// A GraphQL POST sent in full on its own connection, whose response is
/// read on a thread. `sent` fires once the whole body is written.
fn post_in_background(
    port: u16,
    body: Vec<u8>,
) -> (mpsc::Receiver<()>, std::thread::JoinHandle<Value>) {
    let (sent_tx, sent_rx) = mpsc::channel();
    let handle = std::thread::spawn(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        let head = format!(
            "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(&body).unwrap();
        let _ = sent_tx.send(());
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("an HTTP response");
        serde_json::from_slice(&raw[split + 4..]).unwrap_or(Value::Null)
    });
    (sent_rx, handle)
}

// ---------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------

#[test]
fn every_connection_pages_through_all_items_exactly_once() {
    // Given the seed corpus behind a running server
    let (_scratch, server) = seeded(&[]);
    let doc = lit(DATED_FILE);

    // When we page through each connection two items at a time
    // Then each page is well formed (edges = nodes, endCursor = the last
    // cursor, totalCount on every page) and the pages together are the
    // whole list, once each, in the one-page order
    let cases: [(&str, String, &[&str]); 7] = [
        ("actors", "{ actors(ARGS) { SEL } }".into(), &["actors"]),
        (
            "documents",
            "{ documents(ARGS) { SEL } }".into(),
            &["documents"],
        ),
        ("events", "{ events(ARGS) { SEL } }".into(), &["events"]),
        (
            "relations",
            "{ relations(ARGS) { SEL } }".into(),
            &["relations"],
        ),
        (
            "Actor.relations",
            r#"{ actor(name: "KFOR") { relations(ARGS) { SEL } } }"#.into(),
            &["actor", "relations"],
        ),
        (
            "Actor.mentions",
            r#"{ actor(name: "KFOR") { mentions(ARGS) { SEL } } }"#.into(),
            &["actor", "mentions"],
        ),
        (
            "Document.relations",
            format!("{{ document(file: {doc}) {{ relations(ARGS) {{ SEL }} }} }}"),
            &["document", "relations"],
        ),
    ];
    for (what, template, pick) in &cases {
        let visited = page_through(&server, what, template, pick);
        let unique: HashSet<&String> = visited.iter().collect();
        assert_eq!(unique.len(), visited.len(), "{what}: an item came twice");
    }

    // And the totals agree with the store's counts
    let v = ask(
        &server,
        "{ stats { documents actors relations events } actors { totalCount } \
         documents { totalCount } relations { totalCount } events { totalCount } }",
    );
    for field in ["actors", "documents", "relations", "events"] {
        assert_eq!(v[field]["totalCount"], v["stats"][field], "{field}: {v}");
    }
}

#[test]
fn first_defaults_to_fifty_and_is_capped_at_a_thousand() {
    // Given a store with more than 50 relations (the seed plus an article
    // with 150 requests)
    let (_scratch, server) = seeded(&[]);
    let added = ingest(&server, "accords.txt", &dense_article(5), "");
    assert!(added["relations"].as_u64().unwrap() >= 100, "{added}");

    // When we list relations without `first`
    let v = ask(
        &server,
        "{ relations { totalCount edges { cursor } pageInfo { hasNextPage } } }",
    );
    // Then we get a page of 50 and are told that more follow
    let total = v["relations"]["totalCount"].as_u64().unwrap();
    assert!(total > 50, "{v}");
    assert_eq!(list(&v["relations"]["edges"]).len(), 50, "{v}");
    assert_eq!(v["relations"]["pageInfo"]["hasNextPage"], true);

    // And `first: 1000` is allowed, `first: 0` is an empty page
    let v = ask(&server, "{ relations(first: 1000) { edges { cursor } } }");
    assert_eq!(list(&v["relations"]["edges"]).len() as u64, total);
    let v = ask(
        &server,
        "{ relations(first: 0) { edges { cursor } pageInfo { hasNextPage } } }",
    );
    assert!(list(&v["relations"]["edges"]).is_empty(), "{v}");
    assert_eq!(v["relations"]["pageInfo"]["hasNextPage"], true, "{v}");

    // When any connection is asked for 1001 items
    for query in [
        "{ actors(first: 1001) { totalCount } }",
        "{ documents(first: 1001) { totalCount } }",
        "{ events(first: 1001) { totalCount } }",
        "{ relations(first: 1001) { totalCount } }",
        r#"{ actor(name: "KFOR") { relations(first: 1001) { totalCount } } }"#,
        r#"{ actor(name: "KFOR") { mentions(first: 1001) { totalCount } } }"#,
        r#"{ actor(name: "Serbia") { requests(first: 1001) { totalCount } } }"#,
    ] {
        // Then it is LIMIT_EXCEEDED, naming the maximum
        let message = expect_error(&server.graphql(query), "LIMIT_EXCEEDED");
        assert!(message.contains("1000"), "{query}: {message}");
    }
    // And a negative page size is the caller's mistake
    expect_error(
        &server.graphql("{ actors(first: -1) { totalCount } }"),
        "BAD_USER_INPUT",
    );
}

#[test]
fn a_cursor_that_is_not_from_the_api_is_bad_user_input() {
    // Given the seed corpus behind a running server
    let (_scratch, server) = seeded(&[]);

    // When a connection is given a cursor it did not hand out
    for query in [
        r#"{ actors(after: "garbage") { totalCount } }"#,
        r#"{ documents(after: "c4") { totalCount } }"#,
        r#"{ events(after: "czz") { totalCount } }"#,
        r#"{ relations(after: "") { totalCount } }"#,
        r#"{ actor(name: "KFOR") { relations(after: "not-a-cursor") { totalCount } } }"#,
        r#"{ actor(name: "KFOR") { mentions(after: "c$$") { totalCount } } }"#,
    ] {
        // Then it is BAD_USER_INPUT
        expect_error(&server.graphql(query), "BAD_USER_INPUT");
    }

    // And a cursor the API gave continues where it left off
    let v = ask(
        &server,
        "{ actors(first: 3) { edges { cursor node { id } } } }",
    );
    let edges = list(&v["actors"]["edges"]);
    let v = ask(
        &server,
        &format!(
            "{{ actors(first: 2, after: {}) {{ nodes {{ id }} }} }}",
            lit(&text(&edges[0]["cursor"]))
        ),
    );
    assert_eq!(
        ids(&v["actors"]["nodes"]),
        vec![text(&edges[1]["node"]["id"]), text(&edges[2]["node"]["id"])]
    );
}

// ---------------------------------------------------------------------------
// Filters and sorting
// ---------------------------------------------------------------------------

#[test]
fn relations_filter_by_kind_direction_and_counterpart() {
    // Given the seed corpus and every relation in it
    let (_scratch, server) = seeded(&[]);
    let all = all_relations(&server);
    let kfor = actor_id(&server, "KFOR");
    let serbia = actor_id(&server, "Serbia");
    let matching = |keep: &dyn Fn(&Value) -> bool| rel_ids(all.iter().filter(|r| keep(r)));

    // When we filter by kind
    // Then each kind gives exactly the relations of that kind
    for kind in ["SAID", "REQUESTED", "REJECTED"] {
        let v = ask(
            &server,
            &format!("{{ relations(kind: {kind}, first: 500) {{ nodes {{ id }} }} }}"),
        );
        let expected = matching(&|r| kind_of(r) == kind);
        assert!(!expected.is_empty(), "the seed has no {kind} relation");
        assert_eq!(id_set(&v["relations"]["nodes"]), expected, "kind {kind}");
    }

    // When we ask KFOR's relations by direction
    let v = ask(
        &server,
        r#"{ actor(name: "KFOR") {
              out: relations(direction: OUT, first: 500) { nodes { id } }
              in: relations(direction: IN, first: 500) { nodes { id } }
              both: relations(direction: BOTH, first: 500) { nodes { id } }
              default: relations(first: 500) { nodes { id } } } }"#,
    );
    let actor = &v["actor"];
    // Then OUT is where KFOR is the subject, IN where it is the object,
    // BOTH (the default) is either
    let out = matching(&|r| subject_of(r) == kfor);
    let inc = matching(&|r| object_of(r).as_deref() == Some(kfor.as_str()));
    assert!(
        !out.is_empty() && !inc.is_empty(),
        "KFOR acts and is acted on"
    );
    assert_eq!(id_set(&actor["out"]["nodes"]), out);
    assert_eq!(id_set(&actor["in"]["nodes"]), inc);
    let both: BTreeSet<String> = out.union(&inc).cloned().collect();
    assert_eq!(id_set(&actor["both"]["nodes"]), both);
    assert_eq!(id_set(&actor["default"]["nodes"]), both);

    // When we ask KFOR's relations with Serbia, naming Serbia by an alias
    let v = ask(
        &server,
        r#"{ actor(name: "KFOR") { relations(counterpart: "Belgrade", first: 500) { nodes { id } } }
             serbia: actor(name: "Serbia") {
               relations(direction: OUT, kind: REQUESTED, counterpart: "KFOR") { nodes { id } } }
             relations(kind: REQUESTED, subject: "Serbia", object: "KFOR") { nodes { id } }
             either: relations(actor: "KFOR", first: 500) { nodes { id } } }"#,
    );
    // Then only relations between the two come back, in both directions
    let between = matching(&|r| {
        let (s, o) = (subject_of(r), object_of(r));
        (s == kfor && o.as_deref() == Some(serbia.as_str()))
            || (s == serbia && o.as_deref() == Some(kfor.as_str()))
    });
    assert!(!between.is_empty(), "KFOR and Serbia interact in the seed");
    assert_eq!(id_set(&v["actor"]["relations"]["nodes"]), between);
    // And filters combine (Serbia's requests of KFOR), at the root too
    let requests = matching(&|r| {
        kind_of(r) == "REQUESTED"
            && subject_of(r) == serbia
            && object_of(r).as_deref() == Some(kfor.as_str())
    });
    assert!(!requests.is_empty(), "Serbia asked KFOR for something");
    assert_eq!(id_set(&v["serbia"]["relations"]["nodes"]), requests);
    assert_eq!(id_set(&v["relations"]["nodes"]), requests);
    assert_eq!(id_set(&v["either"]["nodes"]), both);
}

#[test]
fn actors_filter_by_kind_and_by_names_and_aliases_ignoring_case_and_diacritics() {
    // Given the seed corpus and every actor in it
    let (_scratch, server) = seeded(&[]);
    let everyone = all_actors(&server);

    // When we filter by each kind
    // Then every actor comes back under exactly its own kind
    let mut union = BTreeSet::new();
    for kind in ["PERSON", "ORGANIZATION", "COUNTRY", "GROUP"] {
        let v = ask(
            &server,
            &format!(
                "{{ actors(kind: {kind}, first: 1000) {{ totalCount nodes {{ id kind }} }} }}"
            ),
        );
        let expected: BTreeSet<String> = everyone
            .iter()
            .filter(|a| a["kind"] == kind)
            .map(|a| text(&a["id"]))
            .collect();
        assert_eq!(id_set(&v["actors"]["nodes"]), expected, "kind {kind}");
        assert_eq!(v["actors"]["totalCount"], expected.len(), "kind {kind}");
        union.extend(expected);
    }
    assert_eq!(union.len(), everyone.len(), "every actor has one kind");
    let countries = ask(&server, "{ actors(kind: COUNTRY) { nodes { name } } }");
    let names: Vec<String> = list(&countries["actors"]["nodes"])
        .iter()
        .map(|a| text(&a["name"]))
        .collect();
    assert!(names.contains(&"Serbia".to_owned()), "{names:?}");

    // When we search names with diacritics, in capitals, and by an alias
    for (search, must_find) in [
        ("vučić", "Aleksandar Vucic"),
        ("VUCIC", "Aleksandar Vucic"),
        ("belgrade", "Serbia"),
        ("stoltenberg", "Jens Stoltenberg"),
    ] {
        let v = ask(
            &server,
            &format!(
                "{{ actors(search: {}, first: 1000) {{ totalCount nodes {{ id name }} }} }}",
                lit(search)
            ),
        );
        let found = list(&v["actors"]["nodes"]);
        // Then the actor is found, and so is every actor with a name or
        // alias containing the folded text, and nothing else
        assert!(
            found.iter().any(|a| a["name"] == must_find),
            "{search} did not find {must_find}: {v}"
        );
        let needle = fold(search);
        let expected: BTreeSet<String> = everyone
            .iter()
            .filter(|a| {
                std::iter::once(&a["name"])
                    .chain(list(&a["aliases"]))
                    .any(|n| fold(&text(n)).contains(&needle))
            })
            .map(|a| text(&a["id"]))
            .collect();
        assert_eq!(id_set(&v["actors"]["nodes"]), expected, "search {search}");
    }
    // And a search that matches nothing is an empty connection
    let v = ask(
        &server,
        r#"{ actors(search: "zzqx") { totalCount nodes { id } } }"#,
    );
    assert_eq!(v["actors"]["totalCount"], 0, "{v}");
}

#[test]
fn relations_filter_by_document_and_publication_date() {
    // Given the seed corpus, where only 004 has a publication date
    let (_scratch, server) = seeded(&[]);
    let all = all_relations(&server);
    let dated_doc = document_id(&server, DATED_FILE);
    let dated: BTreeSet<String> = rel_ids(all.iter().filter(|r| published_of(r).is_some()));
    let of_dated_doc = rel_ids(
        all.iter()
            .filter(|r| text(&r["document"]["id"]) == dated_doc),
    );
    assert!(!dated.is_empty());
    assert_eq!(dated, of_dated_doc, "only {DATED_FILE} is dated");
    assert!(dated.len() < all.len(), "undated relations exist too");

    // When we filter by that document
    let v = ask(
        &server,
        &format!(
            "{{ relations(document: {}, first: 500) {{ nodes {{ id }} }} }}",
            lit(&dated_doc)
        ),
    );
    // Then we get its relations only
    assert_eq!(id_set(&v["relations"]["nodes"]), of_dated_doc);

    // When we filter by publication date (since, until, a window)
    let v = ask(
        &server,
        r#"{ since: relations(since: "2022-12-01", first: 500) { nodes { id document { published } } }
             window: relations(since: "2022-12-18", until: "2022-12-18", first: 500) { nodes { id } }
             before: relations(until: "2022-12-17", first: 500) { totalCount }
             after: relations(since: "2022-12-19", first: 500) { totalCount }
             documents(since: "2022-12-01") { nodes { file published } }
             actor(name: "KFOR") {
               relations(since: "2022-12-01", first: 500) { nodes { id } }
               all: relations(first: 500) { nodes { id document { published } } }
               mentions(since: "2022-12-01") { nodes { file } } } }"#,
    );
    // Then undated documents drop out and dated ones are kept by range
    assert_eq!(id_set(&v["since"]["nodes"]), dated);
    for node in list(&v["since"]["nodes"]) {
        assert_eq!(node["document"]["published"], DATED);
    }
    assert_eq!(id_set(&v["window"]["nodes"]), dated);
    assert_eq!(v["before"]["totalCount"], 0, "{v}");
    assert_eq!(v["after"]["totalCount"], 0, "{v}");
    let docs = list(&v["documents"]["nodes"]);
    assert_eq!(docs.len(), 1, "{v}");
    assert_eq!(docs[0]["file"], DATED_FILE);
    // And the same holds for an actor's relations and mentions
    let kfor_dated: BTreeSet<String> = list(&v["actor"]["all"]["nodes"])
        .iter()
        .filter(|r| r["document"]["published"] == DATED)
        .map(|r| text(&r["id"]))
        .collect();
    assert!(!kfor_dated.is_empty(), "KFOR is in the dated article");
    assert_eq!(id_set(&v["actor"]["relations"]["nodes"]), kfor_dated);
    assert_eq!(list(&v["actor"]["mentions"]["nodes"]).len(), 1, "{v}");
}

#[test]
fn search_finds_relations_by_the_words_of_their_evidence() {
    // Given the seed corpus and every relation in it
    let (_scratch, server) = seeded(&[]);
    let all = all_relations(&server);
    let mentions = |r: &Value, needle: &str| {
        let needle = fold(needle);
        fold(&text(&r["evidence"]["sentence"])).contains(&needle)
            || r["quote"]
                .as_str()
                .is_some_and(|q| fold(q).contains(&needle))
    };

    // When we search relations for "1,000" and for "kfor" (any case)
    for needle in ["1,000", "kfor", "Dialogue"] {
        let v = ask(
            &server,
            &format!("{{ relations(search: {}, first: 500) {{ nodes {{ id evidence {{ sentence }} }} }} }}", lit(needle)),
        );
        // Then exactly the relations whose sentence (or quote) has it come back
        let expected = rel_ids(all.iter().filter(|r| mentions(r, needle)));
        assert!(!expected.is_empty(), "no evidence mentions {needle}");
        assert!(expected.len() < all.len(), "{needle} is everywhere");
        assert_eq!(
            id_set(&v["relations"]["nodes"]),
            expected,
            "search {needle}"
        );
    }

    // And the same search works on an actor's relations and statements
    let kfor = actor_id(&server, "KFOR");
    let v = ask(
        &server,
        r#"{ actor(name: "KFOR") {
              relations(search: "dialogue", first: 500) { nodes { id } }
              statements(search: "dialogue", first: 500) { nodes { id kind } } } }"#,
    );
    let expected = rel_ids(all.iter().filter(|r| {
        (subject_of(r) == kfor || object_of(r).as_deref() == Some(kfor.as_str()))
            && mentions(r, "dialogue")
    }));
    assert!(!expected.is_empty());
    assert_eq!(id_set(&v["actor"]["relations"]["nodes"]), expected);
    let said = rel_ids(
        all.iter()
            .filter(|r| subject_of(r) == kfor && kind_of(r) == "SAID" && mentions(r, "dialogue")),
    );
    assert_eq!(id_set(&v["actor"]["statements"]["nodes"]), said);
}

/// Asserts that a list of publication dates is in `order` (newest or
/// oldest first) with undated items last.
fn assert_date_order(dates: &[Option<String>], newest_first: bool, what: &str) {
    let undated_from = dates
        .iter()
        .position(Option::is_none)
        .unwrap_or(dates.len());
    assert!(
        dates[undated_from..].iter().all(Option::is_none),
        "{what}: undated items are last: {dates:?}"
    );
    let dated: Vec<&String> = dates[..undated_from].iter().flatten().collect();
    let mut sorted = dated.clone();
    sorted.sort();
    if newest_first {
        sorted.reverse();
    }
    assert_eq!(dated, sorted, "{what}: dates in order");
}

#[test]
fn sorting_orders_as_documented() {
    // Given the seed corpus plus an article published on 2023-01-05, so
    // that two dates and undated documents are mixed
    let (_scratch, server) = seeded(&[]);
    let added = ingest(
        &server,
        "trade.txt",
        "Trade talks stall\n\nJapan urged South Korea to lift its export curbs. \
         Trade Minister Yasutoshi Nishimura said the curbs hurt both economies.\n",
        r#", published: "2023-01-05""#,
    );
    assert_eq!(added["document"]["published"], "2023-01-05", "{added}");
    let date = |r: &Value| r["document"]["published"].as_str().map(str::to_owned);

    // When we sort relations by date, newest first and oldest first
    for (sort, newest_first) in [("DATE_DESC", true), ("DATE_ASC", false)] {
        let v = ask(
            &server,
            &format!("{{ relations(sort: {sort}, first: 500) {{ totalCount nodes {{ id document {{ published }} }} }} }}"),
        );
        let nodes = list(&v["relations"]["nodes"]);
        let dates: Vec<Option<String>> = nodes.iter().map(date).collect();
        // Then both dates come in that order, undated relations last
        assert!(dates.contains(&Some("2023-01-05".into())) && dates.contains(&Some(DATED.into())));
        assert_date_order(&dates, newest_first, sort);
        assert_eq!(
            nodes.len() as u64,
            v["relations"]["totalCount"].as_u64().unwrap()
        );

        // And paging two at a time keeps that order
        let paged = page_through(
            &server,
            sort,
            &format!("{{ relations(sort: {sort}, ARGS) {{ SEL }} }}"),
            &["relations"],
        );
        assert_eq!(paged, ids(&v["relations"]["nodes"]), "{sort} paged");
    }

    // When we sort an actor's relations and the documents by date
    let v = ask(
        &server,
        r#"{ actor(name: "KFOR") { relations(sort: DATE_DESC, first: 500) { nodes { document { published } } } }
             desc: documents(sort: DATE_DESC) { nodes { file published } }
             asc: documents(sort: DATE_ASC) { nodes { file published } }
             byFile: documents(sort: FILE) { nodes { file } } }"#,
    );
    // Then they follow the same rule
    let kfor_dates: Vec<Option<String>> = list(&v["actor"]["relations"]["nodes"])
        .iter()
        .map(date)
        .collect();
    assert_date_order(&kfor_dates, true, "KFOR's relations");
    let doc_dates = |key: &str| -> Vec<Option<String>> {
        list(&v[key]["nodes"])
            .iter()
            .map(|d| d["published"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        doc_dates("desc")[..2],
        [Some("2023-01-05".into()), Some(DATED.into())]
    );
    assert_date_order(&doc_dates("desc"), true, "documents DATE_DESC");
    assert_eq!(
        doc_dates("asc")[..2],
        [Some(DATED.into()), Some("2023-01-05".into())]
    );
    assert_date_order(&doc_dates("asc"), false, "documents DATE_ASC");
    let files: Vec<String> = list(&v["byFile"]["nodes"])
        .iter()
        .map(|d| text(&d["file"]))
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "documents by file name");

    // When we sort actors by name, by degree and by default (id)
    let v = ask(
        &server,
        "{ byName: actors(sort: NAME, first: 1000) { nodes { name } }
           byDegree: actors(sort: DEGREE, first: 1000) { nodes { degree } }
           byId: actors(first: 1000) { nodes { id } } }",
    );
    // Then names ascend ignoring case and diacritics, degrees descend,
    // ids ascend
    let names: Vec<String> = list(&v["byName"]["nodes"])
        .iter()
        .map(|a| fold(&text(&a["name"])))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "actors by name");
    let degrees: Vec<u64> = list(&v["byDegree"]["nodes"])
        .iter()
        .map(|a| a["degree"].as_u64().unwrap())
        .collect();
    assert!(
        degrees.windows(2).all(|w| w[0] >= w[1]),
        "by degree: {degrees:?}"
    );
    assert!(
        degrees.first() > degrees.last(),
        "degrees differ: {degrees:?}"
    );
    let by_id = ids(&v["byId"]["nodes"]);
    let mut sorted = by_id.clone();
    sorted.sort();
    assert_eq!(by_id, sorted, "actors by id");
}

#[test]
fn a_malformed_date_is_bad_user_input() {
    // Given the seed corpus behind a running server
    let (_scratch, server) = seeded(&[]);

    // When a date argument is not a real YYYY-MM-DD day
    for bad in [
        "2022-13-01",
        "yesterday",
        "2022-12-1",
        "18.12.2022",
        "2022-99-99",
        "2023-02-30",
    ] {
        let b = lit(bad);
        for query in [
            format!("{{ relations(since: {b}) {{ totalCount }} }}"),
            format!("{{ relations(until: {b}) {{ totalCount }} }}"),
            format!("{{ documents(since: {b}) {{ totalCount }} }}"),
            format!("{{ events(until: {b}) {{ totalCount }} }}"),
            format!("{{ actor(name: \"KFOR\") {{ relations(since: {b}) {{ totalCount }} }} }}"),
            format!("{{ actor(name: \"KFOR\") {{ mentions(until: {b}) {{ totalCount }} }} }}"),
            format!("mutation {{ ingestArticle(file: \"d.txt\", text: \"Talks\\n\\nFrance urged Spain to act.\", published: {b}) {{ outcome }} }}"),
        ] {
            // Then it is BAD_USER_INPUT, quoting the date
            let message = expect_error(&server.graphql(&query), "BAD_USER_INPUT");
            assert!(message.contains(bad), "{query}: {message}");
        }
    }
    // And a leap day is a date
    ask(
        &server,
        r#"{ relations(since: "2024-02-29") { totalCount } }"#,
    );
}

// ---------------------------------------------------------------------------
// Relationship questions
// ---------------------------------------------------------------------------

#[test]
fn requests_rejections_and_statements_are_the_relations_they_name() {
    // Given the seed corpus and every relation in it
    let (_scratch, server) = seeded(&[]);
    let all = all_relations(&server);
    let mut seen = BTreeMap::<&str, usize>::new();

    // When we ask each actor what it requested, was asked, rejected, had
    // rejected and said
    for actor in all_actors(&server) {
        let id = text(&actor["id"]);
        let v = ask(
            &server,
            &format!(
                "{{ actor(id: {}) {{
                    requests(first: 500) {{ nodes {{ id }} }}
                    requestsReceived(first: 500) {{ nodes {{ id }} }}
                    rejections(first: 500) {{ nodes {{ id }} }}
                    rejectionsReceived(first: 500) {{ nodes {{ id }} }}
                    statements(first: 500) {{ nodes {{ id quote evidence {{ sentence }} }} }} }} }}",
                lit(&id)
            ),
        );
        // Then each is exactly that kind, on that side
        let by = |kind: &str| {
            rel_ids(
                all.iter()
                    .filter(|r| kind_of(r) == kind && subject_of(r) == id),
            )
        };
        let of = |kind: &str| {
            rel_ids(
                all.iter()
                    .filter(|r| kind_of(r) == kind && object_of(r).as_deref() == Some(id.as_str())),
            )
        };
        for (field, expected) in [
            ("requests", by("REQUESTED")),
            ("requestsReceived", of("REQUESTED")),
            ("rejections", by("REJECTED")),
            ("rejectionsReceived", of("REJECTED")),
            ("statements", by("SAID")),
        ] {
            *seen.entry(field).or_default() += expected.len();
            assert_eq!(
                id_set(&v["actor"][field]["nodes"]),
                expected,
                "{}.{field}",
                actor["name"]
            );
        }
        // And a statement's quote is words of its evidence sentence (quoted
        // pieces of one sentence are joined with " … ")
        for s in list(&v["actor"]["statements"]["nodes"]) {
            if let Some(quote) = s["quote"].as_str() {
                let sentence = text(&s["evidence"]["sentence"]);
                for piece in quote.split(" … ") {
                    assert!(sentence.contains(piece), "{s}");
                }
            }
        }
    }
    for (field, n) in &seen {
        assert!(*n > 0, "no actor has any {field} in the seed");
    }

    // When we narrow them to one counterpart (by name or alias)
    let v = ask(
        &server,
        r#"{ serbia: actor(name: "Serbia") { requests(of: "KFOR") { nodes { object { name } kind } }
                                            none: requests(of: "Ukraine") { totalCount } }
             kfor: actor(name: "KFOR") { requestsReceived(from: "Belgrade") { nodes { subject { name } } }
                                        none: requestsReceived(from: "Russia") { totalCount } }
             ukraine: actor(name: "Ukraine") { rejections(of: "Pristina") { nodes { object { name } kind } } }
             kosovo: actor(name: "Kosovo") { rejectionsReceived(from: "Russia") { nodes { subject { name } } } }
             vucic: actor(name: "Vučić") { statements { nodes { quote } } } }"#,
    );
    // Then only those with that actor remain
    let names = |path: &Value, side: &str| -> BTreeSet<String> {
        list(&path["nodes"])
            .iter()
            .map(|n| text(&n[side]["name"]))
            .collect()
    };
    assert_eq!(
        names(&v["serbia"]["requests"], "object"),
        BTreeSet::from(["KFOR".to_owned()])
    );
    assert_eq!(v["serbia"]["none"]["totalCount"], 0);
    assert_eq!(
        names(&v["kfor"]["requestsReceived"], "subject"),
        BTreeSet::from(["Serbia".to_owned()])
    );
    assert_eq!(v["kfor"]["none"]["totalCount"], 0);
    assert_eq!(
        names(&v["ukraine"]["rejections"], "object"),
        BTreeSet::from(["Kosovo".to_owned()])
    );
    assert_eq!(
        names(&v["kosovo"]["rejectionsReceived"], "subject"),
        BTreeSet::from(["Russia".to_owned()])
    );
    // And Vucic's statements carry his quoted words
    assert!(
        list(&v["vucic"]["statements"]["nodes"])
            .iter()
            .any(|s| s["quote"]
                .as_str()
                .is_some_and(|q| q.contains("peace and stability"))),
        "{v}"
    );
}

#[test]
fn interactions_are_every_relation_between_two_actors_both_ways() {
    // Given the seed corpus and every relation in it
    let (_scratch, server) = seeded(&[]);
    let all = all_relations(&server);
    let kfor = actor_id(&server, "KFOR");
    let serbia = actor_id(&server, "Serbia");

    // When we ask KFOR's interactions with Serbia (and Serbia's with KFOR)
    let v = ask(
        &server,
        &format!(
            "{{ kfor: actor(name: \"KFOR\") {{ interactions(with: \"Belgrade\", first: 500) {{ totalCount nodes {{ {RELATION} }} }}
                                             requested: interactions(with: {}, kind: REQUESTED) {{ nodes {{ id kind }} }} }}
               serbia: actor(name: \"Serbia\") {{ interactions(with: \"KFOR\", first: 500) {{ nodes {{ id }} }} }} }}",
            lit(&serbia)
        ),
    );
    let found = list(&v["kfor"]["interactions"]["nodes"]);
    // Then they are the relations between the two, in both directions,
    // each with its evidence and document
    let expected = rel_ids(all.iter().filter(|r| {
        let (s, o) = (subject_of(r), object_of(r));
        (s == kfor && o.as_deref() == Some(serbia.as_str()))
            || (s == serbia && o.as_deref() == Some(kfor.as_str()))
    }));
    assert_eq!(rel_ids(found), expected);
    assert!(
        found.iter().any(|r| subject_of(r) == kfor),
        "KFOR -> Serbia: {v}"
    );
    assert!(
        found.iter().any(|r| subject_of(r) == serbia),
        "Serbia -> KFOR: {v}"
    );
    for r in found {
        assert!(!text(&r["evidence"]["sentence"]).is_empty(), "{r}");
        assert!(r["document"]["id"].is_string(), "{r}");
    }
    // And it is symmetric, and filters by kind
    assert_eq!(id_set(&v["serbia"]["interactions"]["nodes"]), expected);
    let requested = list(&v["kfor"]["requested"]["nodes"]);
    assert!(!requested.is_empty());
    assert!(requested.iter().all(|r| r["kind"] == "REQUESTED"), "{v}");
    assert_eq!(
        rel_ids(requested),
        rel_ids(found.iter().filter(|r| kind_of(r) == "REQUESTED"))
    );

    // When the other actor does not exist
    let v = server.graphql(
        r#"{ actor(name: "KFOR") { interactions(with: "Nobody Atall") { totalCount } } }"#,
    );
    // Then it is NOT_FOUND
    expect_error(&v, "NOT_FOUND");
}

#[test]
fn events_know_who_requested_and_who_rejected_them() {
    // Given the seed corpus and every relation in it
    let (_scratch, server) = seeded(&[]);
    let all = all_relations(&server);

    // When we list the events with their requesters, rejecters and relations
    let v = ask(
        &server,
        "{ events(first: 1000) { nodes { id kind label requestedBy { id } rejectedBy { id } relations { id } } } }",
    );
    let events = list(&v["events"]["nodes"]);
    assert!(!events.is_empty());
    let (mut requested, mut rejected) = (0, 0);
    for event in events {
        let id = text(&event["id"]);
        let about: Vec<&Value> = all
            .iter()
            .filter(|r| r["event"]["id"] == id.as_str())
            .collect();
        let subjects = |kind: &str| -> BTreeSet<String> {
            about
                .iter()
                .filter(|r| kind_of(r) == kind)
                .map(|r| subject_of(r))
                .collect()
        };
        // Then requestedBy / rejectedBy are the subjects of the requests /
        // rejections of that event, and relations are those about it
        assert_eq!(
            id_set(&event["requestedBy"]),
            subjects("REQUESTED"),
            "{event}"
        );
        assert_eq!(
            id_set(&event["rejectedBy"]),
            subjects("REJECTED"),
            "{event}"
        );
        assert_eq!(
            id_set(&event["relations"]),
            rel_ids(about.iter().copied()),
            "{event}"
        );
        assert!(!about.is_empty(), "an event no relation is about: {event}");
        requested += list(&event["requestedBy"]).len();
        rejected += list(&event["rejectedBy"]).len();
    }
    assert!(requested > 0 && rejected > 0, "{v}");

    // And one event can be asked by id: the independence of Kosovo was
    // rejected by Ukraine and Russia
    let event = events
        .iter()
        .find(|e| e["label"] == "the independence of Kosovo")
        .unwrap_or_else(|| panic!("no event about Kosovo's independence: {v}"));
    let v = ask(
        &server,
        &format!(
            "{{ event(id: {}) {{ kind rejectedBy {{ name }} requestedBy {{ name }} }} }}",
            lit(&text(&event["id"]))
        ),
    );
    let names: BTreeSet<String> = list(&v["event"]["rejectedBy"])
        .iter()
        .map(|a| text(&a["name"]))
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["Russia".to_owned(), "Ukraine".to_owned()]),
        "{v}"
    );
    assert_eq!(v["event"]["kind"], "REJECTED");
    assert!(list(&v["event"]["requestedBy"]).is_empty());
}

#[test]
fn neighborhood_counts_the_actors_ring_by_ring() {
    // Given the seed corpus and the actor graph it makes
    let (_scratch, server) = seeded(&[]);
    let graph = ActorGraph::new(&all_relations(&server));
    let kfor = actor_id(&server, "KFOR");

    // When we ask KFOR's neighbourhood to depth 3, and its neighbours
    let v = ask(
        &server,
        r#"{ neighborhood(actor: "KFOR", depth: 3) {
               center { id } actorCount truncated
               hops { depth actorCount relationCount actors { id } } }
             actor(name: "KFOR") { neighbors { id } } }"#,
    );
    let hood = &v["neighborhood"];
    let hops = list(&hood["hops"]);
    // Then hop 1 is exactly the neighbours
    assert_eq!(hood["center"]["id"], kfor.as_str());
    assert_eq!(hops[0]["depth"], 1);
    assert_eq!(
        hops[0]["actorCount"].as_u64(),
        Some(list(&v["actor"]["neighbors"]).len() as u64)
    );
    assert_eq!(id_set(&hops[0]["actors"]), id_set(&v["actor"]["neighbors"]));
    // And every ring is the actors first reached at that distance, with
    // the relations followed from the ring before
    let rings = graph.rings(&kfor, 3, &[]);
    assert!(
        rings.len() >= 2 && !rings[1].0.is_empty(),
        "KFOR reaches two rings: {rings:?}"
    );
    assert_eq!(hops.len(), rings.len(), "{v}");
    for (hop, (ring, followed)) in hops.iter().zip(&rings) {
        assert_eq!(&id_set(&hop["actors"]), ring, "{hop}");
        assert_eq!(hop["actorCount"].as_u64(), Some(ring.len() as u64), "{hop}");
        assert_eq!(
            hop["relationCount"].as_u64(),
            Some(*followed as u64),
            "{hop}"
        );
    }
    let total: usize = rings.iter().map(|(r, _)| r.len()).sum();
    assert_eq!(hood["actorCount"].as_u64(), Some(total as u64));
    assert_eq!(hood["truncated"], false);

    // When we follow only rejections from Kosovo
    let kosovo = actor_id(&server, "Kosovo");
    let v = ask(
        &server,
        r#"{ neighborhood(actor: "Pristina", depth: 2, kinds: [REJECTED]) { hops { actors { name id } } } }"#,
    );
    // Then only the actors linked by rejections are reached
    let hops = list(&v["neighborhood"]["hops"]);
    let rings = graph.rings(&kosovo, 2, &["REJECTED"]);
    assert_eq!(id_set(&hops[0]["actors"]), rings[0].0);
    let names: BTreeSet<String> = list(&hops[0]["actors"])
        .iter()
        .map(|a| text(&a["name"]))
        .collect();
    assert!(names.contains("Russia") && names.contains("Ukraine"), "{v}");

    // When the depth is beyond 3, or the actor unknown
    for (query, code) in [
        (
            r#"{ neighborhood(actor: "KFOR", depth: 4) { actorCount } }"#,
            "LIMIT_EXCEEDED",
        ),
        (
            r#"{ neighborhood(actor: "KFOR", depth: -1) { actorCount } }"#,
            "LIMIT_EXCEEDED",
        ),
        (
            r#"{ neighborhood(actor: "Nobody Atall") { actorCount } }"#,
            "NOT_FOUND",
        ),
    ] {
        // Then it is an error with that code
        expect_error(&server.graphql(query), code);
    }
}

/// An article that adds routes between the seed's actors: Russia, the EU
/// and (via the United States) Ukraine each link Kosovo and Serbia.
const ROUTES_ARTICLE: &str = "Talks in Brussels\n\nRussia urged Serbia to stay neutral in the \
dispute. Ukraine urged the United States to send more aid. The European Union urged Kosovo to \
return to the dialogue. The European Union also called on Serbia to recognise the agreement.\n";

#[test]
fn shortest_path_and_paths_are_chains_between_the_two_actors() {
    // Given the seed corpus plus an article that adds more routes
    let (_scratch, server) = seeded(&[]);
    ingest(&server, "routes.txt", ROUTES_ARTICLE, "");
    let graph = ActorGraph::new(&all_relations(&server));
    let kosovo = actor_id(&server, "Kosovo");
    let serbia = actor_id(&server, "Serbia");
    let us = actor_id(&server, "United States");

    // When we ask the shortest path from Kosovo to the United States
    let v = ask(
        &server,
        &format!(
            "{{ shortestPath(from: \"Pristina\", to: \"Washington\", maxHops: 6) {{ length relations {{ {RELATION} }} }}
               none: shortestPath(from: \"Kosovo\", to: \"Washington\", maxHops: 1) {{ length }}
               isolated: shortestPath(from: \"Kosovo\", to: \"Dejan Pantic\") {{ length }} }}"
        ),
    );
    // Then it is a chain from one to the other, as short as any, each link
    // with its evidence and document
    let path = &v["shortestPath"];
    let relations = list(&path["relations"]);
    let visited = walk_chain(&kosovo, relations);
    assert_eq!(visited.last(), Some(&us), "{v}");
    assert_eq!(path["length"].as_u64(), Some(relations.len() as u64));
    assert_eq!(
        Some(relations.len()),
        graph.distance(&kosovo, &us, 6),
        "{v}"
    );
    for r in relations {
        assert!(
            !text(&r["evidence"]["sentence"]).is_empty() && r["document"]["file"].is_string(),
            "{r}"
        );
    }
    // And a chain longer than maxHops, or none at all, is null
    assert!(v["none"].is_null(), "{v}");
    assert!(v["isolated"].is_null(), "{v}");

    // When we ask up to 10 paths of at most 4 hops from Kosovo to Serbia
    let q = |limit: usize| {
        format!(
            "{{ paths(from: \"Kosovo\", to: \"Serbia\", maxHops: 4, limit: {limit}) {{ length relations {{ {RELATION} }} }} }}"
        )
    };
    let v = ask(&server, &q(10));
    let paths = list(&v["paths"]);
    // Then each is a chain from Kosovo to Serbia without repeated actors,
    // shortest first, no two with the same actors, and together they are
    // every such chain (there are fewer than 10)
    let expected = graph.simple_paths(&kosovo, &serbia, 4);
    assert!(expected.len() >= 4 && expected.len() <= 10, "{expected:?}");
    let mut sequences = BTreeSet::new();
    let mut lengths = Vec::new();
    for p in paths {
        let relations = list(&p["relations"]);
        let visited = walk_chain(&kosovo, relations);
        assert_eq!(visited.last(), Some(&serbia), "{p}");
        let unique: HashSet<&String> = visited.iter().collect();
        assert_eq!(unique.len(), visited.len(), "an actor repeats: {p}");
        assert_eq!(p["length"].as_u64(), Some(relations.len() as u64));
        assert!(relations.len() <= 4);
        lengths.push(relations.len());
        assert!(sequences.insert(visited), "the same actors twice: {v}");
    }
    assert!(
        lengths.windows(2).all(|w| w[0] <= w[1]),
        "shortest first: {lengths:?}"
    );
    assert_eq!(sequences, expected);

    // When we ask for only 2
    let v = ask(&server, &q(2));
    // Then we get 2, both of the shortest length
    let shortest = lengths[0];
    let two = list(&v["paths"]);
    assert_eq!(two.len(), 2, "{v}");
    assert!(
        two.iter()
            .all(|p| p["length"].as_u64() == Some(shortest as u64)),
        "{v}"
    );

    // When the hops or the limit are out of range, or an actor unknown
    for (query, code) in [
        (
            r#"{ paths(from: "Kosovo", to: "Serbia", maxHops: 9) { length } }"#,
            "LIMIT_EXCEEDED",
        ),
        (
            r#"{ paths(from: "Kosovo", to: "Serbia", limit: 51) { length } }"#,
            "LIMIT_EXCEEDED",
        ),
        (
            r#"{ shortestPath(from: "Kosovo", to: "Serbia", maxHops: 13) { length } }"#,
            "LIMIT_EXCEEDED",
        ),
        (
            r#"{ shortestPath(from: "Kosovo", to: "Nobody Atall") { length } }"#,
            "NOT_FOUND",
        ),
        (
            r#"{ paths(from: "Nobody Atall", to: "Serbia") { length } }"#,
            "NOT_FOUND",
        ),
    ] {
        // Then it is an error with that code
        expect_error(&server.graphql(query), code);
    }
}

#[test]
fn stats_add_up_and_top_actors_are_the_best_connected() {
    // Given the seed corpus and every relation in it
    let (_scratch, server) = seeded(&[]);
    let all = all_relations(&server);

    // When we ask the stats
    let v = ask(
        &server,
        "{ stats { documents actors relations events
                   actorsByKind { kind count } relationsByKind { kind count }
                   topActors(limit: 5) { degree actor { id name degree } } }
           actors { totalCount } documents { totalCount } relations { totalCount } events { totalCount }
           persons: actors(kind: PERSON) { totalCount } organizations: actors(kind: ORGANIZATION) { totalCount }
           countries: actors(kind: COUNTRY) { totalCount } groups: actors(kind: GROUP) { totalCount }
           said: relations(kind: SAID) { totalCount } requested: relations(kind: REQUESTED) { totalCount }
           rejected: relations(kind: REJECTED) { totalCount }
           byDegree: actors(sort: DEGREE, first: 5) { nodes { degree } } }",
    );
    let stats = &v["stats"];
    // Then the counts are those of the lists
    for field in ["documents", "actors", "relations", "events"] {
        assert_eq!(stats[field], v[field]["totalCount"], "{field}");
        assert!(stats[field].as_u64().unwrap() > 0, "{field}");
    }
    // And the counts by kind add up to the totals, each that kind's count
    let by_kind = |key: &str| -> BTreeMap<String, u64> {
        list(&stats[key])
            .iter()
            .map(|k| (text(&k["kind"]), k["count"].as_u64().unwrap()))
            .collect()
    };
    let actors_by_kind = by_kind("actorsByKind");
    assert_eq!(
        actors_by_kind.values().sum::<u64>(),
        stats["actors"].as_u64().unwrap()
    );
    for (kind, alias) in [
        ("person", "persons"),
        ("organization", "organizations"),
        ("country", "countries"),
        ("group", "groups"),
    ] {
        assert_eq!(
            v[alias]["totalCount"].as_u64(),
            actors_by_kind.get(kind).copied(),
            "{kind}"
        );
    }
    let relations_by_kind = by_kind("relationsByKind");
    assert_eq!(
        relations_by_kind.values().sum::<u64>(),
        stats["relations"].as_u64().unwrap()
    );
    for kind in ["said", "requested", "rejected"] {
        assert_eq!(
            v[kind]["totalCount"].as_u64(),
            relations_by_kind.get(kind).copied(),
            "{kind}"
        );
    }
    // And the top actors come most connected first, each degree being the
    // actor's own and the number of relations it is on either side of
    let top = list(&stats["topActors"]);
    assert_eq!(top.len(), 5);
    let degrees: Vec<u64> = top.iter().map(|t| t["degree"].as_u64().unwrap()).collect();
    assert!(degrees.windows(2).all(|w| w[0] >= w[1]), "{degrees:?}");
    for t in top {
        let id = text(&t["actor"]["id"]);
        let on = all
            .iter()
            .filter(|r| subject_of(r) == id || object_of(r).as_deref() == Some(id.as_str()))
            .count() as u64;
        assert_eq!(t["degree"], t["actor"]["degree"], "{t}");
        assert_eq!(t["degree"].as_u64(), Some(on), "{t}");
    }
    let best: Vec<u64> = list(&v["byDegree"]["nodes"])
        .iter()
        .map(|a| a["degree"].as_u64().unwrap())
        .collect();
    assert_eq!(degrees, best, "no actor outside the top has more relations");
    assert_eq!(
        top[0]["actor"]["name"], "KFOR",
        "KFOR is the hub of the seed"
    );

    // When the limit is out of range
    // Then it is LIMIT_EXCEEDED
    expect_error(
        &server.graphql("{ stats { topActors(limit: 1001) { degree } } }"),
        "LIMIT_EXCEEDED",
    );
}

// ---------------------------------------------------------------------------
// DOT and export
// ---------------------------------------------------------------------------

/// Node ids and (subject, object, kind) edges of a DOT graph written by
/// the export writer.
fn parse_dot(dot: &str) -> (BTreeSet<String>, BTreeSet<(String, String, String)>) {
    assert!(dot.starts_with("digraph newsgraph {"), "{dot}");
    assert!(dot.trim_end().ends_with('}'), "{dot}");
    let mut nodes = BTreeSet::new();
    let mut edges = BTreeSet::new();
    for line in dot.lines().map(str::trim) {
        let parts: Vec<&str> = line.split('"').collect();
        if line.starts_with('"') && parts.get(2).is_some_and(|p| p.trim() == "->") {
            let label = line
                .split("label=\"")
                .nth(1)
                .and_then(|l| l.split([' ', '"']).next())
                .unwrap();
            edges.insert((
                parts[1].to_owned(),
                parts[3].to_owned(),
                label.to_uppercase(),
            ));
        } else if line.starts_with('"') && line.contains("[label=") {
            nodes.insert(parts[1].to_owned());
        }
    }
    (nodes, edges)
}

#[test]
fn dot_and_export_draw_the_selected_ego_network_path_or_relations() {
    // Given the seed corpus and every relation in it
    let (_scratch, server) = seeded(&[]);
    let all = all_relations(&server);
    let kfor = actor_id(&server, "KFOR");
    let ukraine = actor_id(&server, "Ukraine");
    let serbia = actor_id(&server, "Serbia");
    let v = ask(
        &server,
        r#"{ actor(name: "KFOR") { neighbors { id } }
             shortestPath(from: "Ukraine", to: "United States") { relations { id } } }"#,
    );
    let ego: BTreeSet<String> = id_set(&v["actor"]["neighbors"])
        .into_iter()
        .chain([kfor.clone()])
        .collect();
    let path_ids = id_set(&v["shortestPath"]["relations"]);
    assert!(path_ids.len() >= 2, "{v}");

    // When we draw and export KFOR's ego network, the path from Ukraine to
    // the United States, and Serbia's requests
    let selections = [
        ("ego network", r#"actor: "KFOR", depth: 1"#),
        ("path", r#"from: "Ukraine", to: "United States""#),
        ("relation filter", r#"kind: REQUESTED, subject: "Serbia""#),
    ];
    for (what, args) in selections {
        let v = ask(&server, &format!("{{ dot({args}) export({args}) }}"));
        let dot = text(&v["dot"]);
        let export = &v["export"];
        let (nodes, edges) = parse_dot(&dot);

        // Then the export's relations are the selection
        let relations = list(&export["relations"]);
        let selected = rel_ids(relations);
        let expected = match what {
            "ego network" => rel_ids(all.iter().filter(|r| {
                ego.contains(&subject_of(r)) && object_of(r).is_none_or(|o| ego.contains(&o))
            })),
            "path" => path_ids.clone(),
            _ => rel_ids(
                all.iter()
                    .filter(|r| kind_of(r) == "REQUESTED" && subject_of(r) == serbia),
            ),
        };
        assert!(!expected.is_empty(), "{what}");
        assert_eq!(selected, expected, "{what}: export relations");
        // And every id in the export resolves within it
        let actors = id_set(&export["actors"]);
        let events = id_set(&export["events"]);
        let documents = id_set(&export["documents"]);
        for r in relations {
            assert!(actors.contains(&text(&r["subject"])), "{what}: {r}");
            if let Some(o) = r["object"].as_str() {
                assert!(actors.contains(o), "{what}: {r}");
            }
            if let Some(e) = r["event"].as_str() {
                assert!(events.contains(e), "{what}: {r}");
            }
            assert!(documents.contains(&text(&r["document"])), "{what}: {r}");
        }
        for d in list(&export["documents"]) {
            for m in list(&d["mentions"]) {
                assert!(actors.contains(&text(m)), "{what}: {d}");
            }
        }
        // And the DOT draws the same actors, and an edge for each relation
        // with an object
        assert_eq!(nodes, actors, "{what}: DOT nodes");
        let with_object: BTreeSet<(String, String, String)> = relations
            .iter()
            .filter_map(|r| {
                Some((
                    text(&r["subject"]),
                    r["object"].as_str()?.to_owned(),
                    text(&r["relation"]).to_uppercase(),
                ))
            })
            .collect();
        assert!(!with_object.is_empty(), "{what}");
        assert_eq!(edges, with_object, "{what}: DOT edges");
        match what {
            "ego network" => assert_eq!(actors, ego),
            "path" => assert!(actors.contains(&ukraine), "{what}"),
            _ => assert!(actors.contains(&kfor) && actors.contains(&serbia), "{what}"),
        }
        // And Graphviz renders it (when installed)
        common::assert_renders_with_graphviz(&dot);
    }

    // When nothing is selected, or the selection is out of range
    for (query, code) in [
        ("{ dot }", "BAD_USER_INPUT"),
        ("{ export }", "BAD_USER_INPUT"),
        (r#"{ dot(actor: "KFOR", depth: 4) }"#, "LIMIT_EXCEEDED"),
        (r#"{ dot(actor: "Nobody Atall") }"#, "NOT_FOUND"),
    ] {
        // Then it is an error with that code
        expect_error(&server.graphql(query), code);
    }
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

#[test]
fn ingest_article_stores_the_source_and_date_given() {
    // Given the seed corpus behind a running server
    let (_scratch, server) = seeded(&[]);
    let body = "Trade talks stall\n\nJapan urged South Korea to lift its export curbs.\n";

    // When we ingest an article with a source and a publication date
    let added = ingest(
        &server,
        "trade.txt",
        body,
        r#", source: "Test Wire", published: "2023-01-05""#,
    );
    // Then they are stored with the document and visible at once
    assert_eq!(added["outcome"], "ADDED", "{added}");
    assert_eq!(added["document"]["source"], "Test Wire");
    assert_eq!(added["document"]["published"], "2023-01-05");
    assert!(added["relations"].as_u64().unwrap() >= 1, "{added}");
    let v = ask(
        &server,
        r#"{ document(file: "trade.txt") { source published relations { nodes { subject { name } object { name } } } }
             documents(since: "2023-01-01") { nodes { file } } }"#,
    );
    assert_eq!(v["document"]["source"], "Test Wire");
    assert_eq!(v["document"]["published"], "2023-01-05");
    assert_eq!(list(&v["documents"]["nodes"]).len(), 1, "{v}");
    assert!(
        list(&v["document"]["relations"]["nodes"])
            .iter()
            .any(|r| r["subject"]["name"] == "Japan" && r["object"]["name"] == "South Korea"),
        "{v}"
    );

    // When we ingest the same again, then a changed text
    let again = ingest(
        &server,
        "trade.txt",
        body,
        r#", source: "Test Wire", published: "2023-01-05""#,
    );
    let changed = ingest(
        &server,
        "trade.txt",
        &format!("{body}China urged Japan to talk.\n"),
        "",
    );
    // Then the first changes nothing and the second replaces the document
    assert_eq!(again["outcome"], "UNCHANGED", "{again}");
    assert_eq!(changed["outcome"], "REPLACED", "{changed}");
    assert_eq!(
        ask(&server, "{ documents { totalCount } }")["documents"]["totalCount"],
        6
    );
}

#[test]
fn delete_document_removes_it_with_its_relations_and_lonely_actors() {
    // Given the seed corpus, and a document that mentions both an actor no
    // other document mentions and one that others mention too
    let (scratch, server) = seeded(&[]);
    let before = ask(&server, "{ stats { documents actors relations } }")["stats"].clone();
    let v = ask(
        &server,
        "{ documents { nodes { id file relationCount actors { id name mentions { totalCount } } } } }",
    );
    let doc = list(&v["documents"]["nodes"])
        .iter()
        .find(|d| {
            let actors = list(&d["actors"]);
            actors.iter().any(|a| a["mentions"]["totalCount"] == 1)
                && actors
                    .iter()
                    .any(|a| a["mentions"]["totalCount"].as_u64() > Some(1))
        })
        .unwrap_or_else(|| panic!("no seed document with lonely and shared actors: {v}"))
        .clone();
    let doc_id = text(&doc["id"]);
    let lonely: Vec<String> = list(&doc["actors"])
        .iter()
        .filter(|a| a["mentions"]["totalCount"] == 1)
        .map(|a| text(&a["id"]))
        .collect();
    let shared: Vec<String> = list(&doc["actors"])
        .iter()
        .filter(|a| a["mentions"]["totalCount"].as_u64() > Some(1))
        .map(|a| text(&a["id"]))
        .collect();
    let doc_relations = doc["relationCount"].as_u64().unwrap();
    assert!(doc_relations > 0, "{doc}");

    // When we delete it
    let v = ask(
        &server,
        &format!(
            "mutation {{ deleteDocument(id: {}) {{ deleted relations }} }}",
            lit(&doc_id)
        ),
    );
    // Then it is gone with its relations, the counts drop by as much
    assert_eq!(v["deleteDocument"]["deleted"], true, "{v}");
    assert_eq!(
        v["deleteDocument"]["relations"].as_u64(),
        Some(doc_relations)
    );
    let check_gone = |server: &Server| {
        let after = ask(server, "{ stats { documents actors relations } }")["stats"].clone();
        assert_eq!(
            after["documents"].as_u64(),
            Some(before["documents"].as_u64().unwrap() - 1)
        );
        assert_eq!(
            after["relations"].as_u64(),
            Some(before["relations"].as_u64().unwrap() - doc_relations)
        );
        assert_eq!(
            after["actors"].as_u64(),
            Some(before["actors"].as_u64().unwrap() - lonely.len() as u64)
        );
        let v = ask(
            server,
            &format!(
                "{{ document(id: {id}) {{ file }} relations(document: {id}) {{ totalCount }} }}",
                id = lit(&doc_id)
            ),
        );
        assert!(v["document"].is_null(), "{v}");
        assert_eq!(v["relations"]["totalCount"], 0, "{v}");
        // And an actor only it mentioned is gone, a shared one remains
        // without any relation from it
        for id in &lonely {
            let v = ask(server, &format!("{{ actor(id: {}) {{ name }} }}", lit(id)));
            assert!(v["actor"].is_null(), "{v}");
        }
        for id in &shared {
            let v = ask(
                server,
                &format!("{{ actor(id: {}) {{ name mentions {{ nodes {{ id }} }} relations(first: 500) {{ nodes {{ document {{ id }} }} }} }} }}", lit(id)),
            );
            assert!(v["actor"].is_object(), "a shared actor went too: {v}");
            assert!(
                !ids(&v["actor"]["mentions"]["nodes"]).contains(&doc_id),
                "{v}"
            );
            assert!(
                list(&v["actor"]["relations"]["nodes"])
                    .iter()
                    .all(|r| r["document"]["id"] != doc_id.as_str()),
                "{v}"
            );
        }
    };
    check_gone(&server);

    // When we delete it again
    let v = ask(
        &server,
        &format!(
            "mutation {{ deleteDocument(id: {}) {{ deleted relations }} }}",
            lit(&doc_id)
        ),
    );
    // Then nothing is deleted
    assert_eq!(v["deleteDocument"]["deleted"], false, "{v}");
    assert_eq!(v["deleteDocument"]["relations"], 0, "{v}");

    // When the id is not an id, it is the caller's mistake; an unknown id
    // deletes nothing
    expect_error(
        &server.graphql(r#"mutation { deleteDocument(id: "not-an-id") { deleted } }"#),
        "BAD_USER_INPUT",
    );
    let v = ask(
        &server,
        r#"mutation { deleteDocument(id: "0000000000000001") { deleted } }"#,
    );
    assert_eq!(v["deleteDocument"]["deleted"], false, "{v}");

    // When the server restarts on the same store
    let status = server.terminate();
    assert!(status.success(), "{status}");
    let server = Server::start(&scratch, &[]);
    // Then the deletion has lasted
    check_gone(&server);
}

// ---------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------

/// The server's query depth limit (README, "Limits"; GraphiQL's
/// introspection query needs 14).
const DEPTH_LIMIT: usize = 16;

#[test]
fn a_query_nested_deeper_than_the_limit_is_limit_exceeded() {
    // Given the seed corpus behind a running server
    let (_scratch, server) = seeded(&[]);

    // When a query nests fields as deep as the limit, then one deeper
    let nested = |levels: usize| {
        // actor, then `relations(first: 1) { nodes { subject` per three
        // levels, `neighbors` for the rest, then name
        let mut inner = "name".to_owned();
        for _ in 0..(levels - 2) / 3 {
            inner = format!("relations(first: 1) {{ nodes {{ subject {{ {inner} }} }} }}");
        }
        for _ in 0..(levels - 2) % 3 {
            inner = format!("neighbors {{ {inner} }}");
        }
        format!(r#"{{ actor(name: "KFOR") {{ {inner} }} }}"#)
    };
    // Then the first is answered and the second is LIMIT_EXCEEDED
    ask(&server, &nested(DEPTH_LIMIT));
    let message = expect_error(&server.graphql(&nested(DEPTH_LIMIT + 1)), "LIMIT_EXCEEDED");
    assert!(message.contains("deep"), "{message}");
}

#[test]
fn a_query_more_complex_than_twenty_thousand_is_limit_exceeded() {
    // Given the seed corpus behind a running server
    let (_scratch, server) = seeded(&[]);

    // When fragments double a selection 15 times (32,768 fields, in a
    // query of a few hundred bytes)
    let doubling = |times: usize| {
        let mut q = format!(
            r#"{{ actor(name: "KFOR") {{ ...F{times} }} }} fragment F0 on Actor {{ name }}"#
        );
        for i in 1..=times {
            q.push_str(&format!(
                " fragment F{i} on Actor {{ ...F{p} ...F{p} }}",
                p = i - 1
            ));
        }
        q
    };
    // Then it is LIMIT_EXCEEDED, while 14 doublings (16,384) are answered
    ask(&server, &doubling(14));
    let message = expect_error(&server.graphql(&doubling(15)), "LIMIT_EXCEEDED");
    assert!(message.contains("complex"), "{message}");
}

/// Regression: complexity ignored `first`, so a million relations cost a
/// handful of fields.
#[test]
fn page_sizes_count_towards_complexity() {
    // Given the seed corpus behind a running server
    let (_scratch, server) = seeded(&[]);

    // When a page of 1000 actors asks 1000 relations each (a million
    // relations, in a query of 80 bytes)
    let v = server.graphql(
        "{ actors(first: 1000) { nodes { relations(first: 1000) { nodes { subject { name } } } } } }",
    );
    // Then the page sizes count: it is LIMIT_EXCEEDED, saying its cost and
    // the limit
    let message = expect_error(&v, "LIMIT_EXCEEDED");
    assert!(message.contains("complex"), "{message}");
    assert!(
        message.contains("2,002,002") && message.contains("1,000,000"),
        "{message}"
    );
    // And smaller pages of the same shape are answered
    ask(
        &server,
        "{ actors(first: 20) { nodes { relations(first: 100) { nodes { subject { name } } } } } }",
    );
}

#[test]
fn more_than_thirty_aliases_is_limit_exceeded() {
    // Given the seed corpus behind a running server
    let (_scratch, server) = seeded(&[]);
    let aliased = |n: usize| {
        let fields: Vec<String> = (0..n)
            .map(|i| format!(r#"a{i}: neighborhood(actor: "KFOR", depth: 3) {{ actorCount }}"#))
            .collect();
        format!("{{ {} }}", fields.join(" "))
    };

    // When a query uses 30 aliases, then 31
    // Then 30 are answered and 31 are LIMIT_EXCEEDED, saying how many
    let v = ask(&server, &aliased(30));
    assert_eq!(v["a29"]["actorCount"], v["a0"]["actorCount"]);
    let message = expect_error(&server.graphql(&aliased(31)), "LIMIT_EXCEEDED");
    assert!(
        message.contains("31") && message.contains("30"),
        "{message}"
    );
    // And aliases inside fragments count too
    let fields: Vec<String> = (0..31).map(|i| format!("a{i}: name")).collect();
    let q = format!(
        r#"{{ actor(name: "KFOR") {{ ...A }} }} fragment A on Actor {{ {} }}"#,
        fields.join(" ")
    );
    expect_error(&server.graphql(&q), "LIMIT_EXCEEDED");
}

#[test]
fn deep_recursion_is_limit_exceeded_and_the_server_survives() {
    // Given the seed corpus behind a running server
    let (_scratch, server) = seeded(&[]);

    // When fragments spread each other 40 deep
    let mut q = r#"{ actor(name: "KFOR") { ...F0 } }"#.to_owned();
    for i in 0..40 {
        q.push_str(&format!(" fragment F{i} on Actor {{ ...F{} }}", i + 1));
    }
    q.push_str(" fragment F40 on Actor { name }");
    // Then it is LIMIT_EXCEEDED
    let message = expect_error(&server.graphql(&q), "LIMIT_EXCEEDED");
    assert!(message.contains("recursion"), "{message}");

    // When an argument is a list nested 100, 2,000 and 100,000 deep, or an
    // object nested 2,000 deep (a few kilobytes that used to overflow the
    // parser's stack and abort the server)
    for value in [
        format!("{}\"x\"{}", "[".repeat(100), "]".repeat(100)),
        format!("{}\"x\"{}", "[".repeat(2_000), "]".repeat(2_000)),
        format!("{}\"x\"{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("{}\"x\"{}", "{a: ".repeat(2_000), "}".repeat(2_000)),
    ] {
        let v = server.graphql(&format!("{{ actors(search: {value}) {{ totalCount }} }}"));
        // Then it is LIMIT_EXCEEDED, and the server still answers
        let message = expect_error(&v, "LIMIT_EXCEEDED");
        assert!(message.contains("deep"), "{message}");
        ask(&server, "{ stats { documents } }");
    }
    // And brackets inside strings do not count
    let v = ask(
        &server,
        &format!(
            "{{ actors(search: {}) {{ totalCount }} }}",
            lit(&"[".repeat(1_000))
        ),
    );
    assert_eq!(v["actors"]["totalCount"], 0);
}

#[test]
fn an_oversized_body_is_refused_and_the_server_keeps_answering() {
    // Given a server that accepts bodies of at most 2,000 bytes
    let (_scratch, server) = seeded(&["--max-body", "2000"]);

    // When we POST a 10 kB query
    let padding = " ".repeat(10_000);
    let body =
        serde_json::json!({ "query": format!("{{ stats {{ documents }} {padding}}}") }).to_string();
    let response = common::post(
        server.port(),
        "/graphql",
        "application/json",
        body.as_bytes(),
    );
    // Then it is refused with 413 Payload Too Large
    assert_eq!(response.status, 413, "{}", response.text());

    // And a body under the limit is answered, by the same server
    let body =
        serde_json::json!({ "query": format!("{{ stats {{ documents }} {}}}", " ".repeat(1_500)) })
            .to_string();
    let response = common::post(
        server.port(),
        "/graphql",
        "application/json",
        body.as_bytes(),
    );
    assert_eq!(response.status, 200, "{}", response.text());
    assert!(response.json()["data"]["stats"]["documents"].as_u64() > Some(0));
}

#[test]
fn a_request_that_runs_past_the_timeout_is_limit_exceeded() {
    // Given a server with a 1 s request timeout
    let (_scratch, server) = seeded(&["--timeout-secs", "1"]);

    // When a request takes longer: an article long enough that extracting
    // it takes more than a second (grown until it does, as build profiles
    // differ about twentyfold)
    let mut outcome = None;
    for (attempt, bytes) in [256usize << 10, 1 << 20, 4 << 20, 9 << 20]
        .into_iter()
        .enumerate()
    {
        let started = Instant::now();
        let response = common::post(
            server.port(),
            "/graphql",
            "application/json",
            &ingest_body(&format!("long-{attempt}.txt"), &long_article(bytes)),
        );
        let took = started.elapsed();
        assert_eq!(response.status, 200, "{}", response.text());
        let v = response.json();
        if errors(&v).is_empty() {
            continue; // extracted within a second: try a longer one
        }
        outcome = Some((v, took));
        break;
    }
    let (v, took) = outcome.expect("even a 9 MiB article was ingested within 1 s");
    // Then it is LIMIT_EXCEEDED, saying it timed out, soon after the second
    let message = expect_error(&v, "LIMIT_EXCEEDED");
    assert!(message.contains("timed out"), "{message}");
    assert!(took < Duration::from_secs(10), "the timeout took {took:?}");

    // And the server still answers
    ask(&server, "{ stats { documents } }");
}

#[test]
fn a_server_at_its_concurrency_limit_says_it_is_busy() {
    // Given a server that runs one GraphQL request at a time
    let (_scratch, server) = seeded(&["--max-concurrent", "1"]);

    // When one request is running (the ingest of a long article; a request
    // still sending its body does not hold a slot, as the body is read
    // before the slot is taken) and a second one arrives
    let mut outcome = None;
    for (attempt, bytes) in [1usize << 20, 4 << 20, 9 << 20].into_iter().enumerate() {
        let (sent, first) = post_in_background(
            server.port(),
            ingest_body(&format!("long-{attempt}.txt"), &long_article(bytes)),
        );
        sent.recv_timeout(Duration::from_secs(60))
            .expect("the long request was sent");
        // Probe until the long request holds the slot (its body may still be
        // being read and parsed when the probe overtakes it) or is done.
        // Each probe is a new text: a repeated one would be answered from
        // the response cache, which needs no slot.
        let mut busy = None;
        let mut probes = 0;
        while busy.is_none() && !first.is_finished() {
            probes += 1;
            let started = Instant::now();
            let second = server.graphql(&format!("{{ stats {{ documents }} }} # probe {probes}"));
            if errors(&second).is_empty() {
                std::thread::sleep(Duration::from_millis(50));
            } else {
                busy = Some((second, started.elapsed()));
            }
        }
        let first = first.join().expect("the long request's thread");
        if let Some((second, waited)) = busy {
            outcome = Some((second, waited, first, attempt + 1));
            break;
        }
        // The long request finished before a probe found it running: try
        // a longer one.
    }
    let (second, waited, first, long_articles) =
        outcome.expect("even a 9 MiB ingest held the slot for less than 2 s");
    // Then the second gets a "server busy" LIMIT_EXCEEDED within 2-3 s
    let message = expect_error(&second, "LIMIT_EXCEEDED");
    assert!(message.contains("busy"), "{message}");
    assert!(
        waited >= Duration::from_millis(1_500) && waited < Duration::from_secs(10),
        "busy after {waited:?}"
    );
    // And the first completes, and the server answers again
    assert_eq!(
        first["data"]["ingestArticle"]["outcome"], "ADDED",
        "{first}"
    );
    // (the seed's five plus every long article sent, retries included)
    assert_eq!(
        ask(&server, "{ stats { documents } }")["stats"]["documents"],
        5 + long_articles
    );
}

/// Opens a connection that sends the headers of a GraphQL POST announcing a
/// 1,000-byte body, and the body's first few bytes.
fn stalled_post(port: u16) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"query\": \"{{ st"
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream
}

/// Reads a connection's response to the end.
fn response_of(mut stream: TcpStream) -> common::Response {
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw) {
        assert!(!raw.is_empty(), "no response: {e}");
    }
    common::parse_response(&raw).unwrap()
}

#[test]
fn a_request_body_that_stalls_or_trickles_is_refused_with_408() {
    // Given a server that waits at most 1 s for a request body
    let (_scratch, server) = seeded(&["--body-timeout-secs", "1"]);

    // When one client sends headers and a few bytes of body, then stalls,
    // and another sends a byte every 200 ms (never idle for a second)
    let started = Instant::now();
    let stalled = stalled_post(server.port());
    let trickling = stalled_post(server.port());
    let mut writer = trickling.try_clone().unwrap();
    let trickle = std::thread::spawn(move || {
        for _ in 0..100 {
            std::thread::sleep(Duration::from_millis(200));
            if writer.write_all(b"a").is_err() {
                break;
            }
        }
    });

    // Then other requests are answered meanwhile
    ask(&server, "{ stats { documents } }");
    // And both get a 408 with a LIMIT_EXCEEDED error, within a generous
    // bound of the second
    for stream in [stalled, trickling] {
        let response = response_of(stream);
        assert_eq!(response.status, 408, "{}", response.text());
        let message = expect_error(&response.json(), "LIMIT_EXCEEDED");
        assert!(message.contains("did not arrive within 1 s"), "{message}");
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "refused after {took:?}");
    trickle.join().unwrap();
    // And the server still answers
    ask(&server, "{ stats { documents } }");
}

#[test]
fn a_connection_without_headers_or_idle_too_long_is_closed() {
    // Given a server that waits at most 1 s for a request's headers
    let (_scratch, server) = seeded(&["--header-timeout-secs", "1"]);
    let port = server.port();
    let connect = || {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        stream
    };
    let started = Instant::now();

    // When one client sends half a request's headers and stalls
    let mut slow = connect();
    slow.write_all(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    // And another sends a whole request, then keeps the connection idle
    let mut idle = connect();
    let body = r#"{"query": "{ stats { documents } }"}"#;
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    idle.write_all(request.as_bytes()).unwrap();

    // Then other requests are answered meanwhile
    ask(&server, "{ stats { documents } }");
    // And the server closes both connections (the idle one after its
    // answer), within a generous bound of the second
    let mut raw = Vec::new();
    idle.read_to_end(&mut raw).unwrap();
    let answered = common::parse_response(&raw).unwrap();
    assert_eq!(answered.status, 200, "{}", answered.text());
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(10),
        "closed after {took:?}"
    );
    // And the server still answers
    ask(&server, "{ stats { documents } }");
}

#[test]
fn past_the_in_flight_limit_a_request_gets_503_at_once() {
    // Given a server that allows two HTTP requests in flight
    let (_scratch, server) = seeded(&[
        "--max-in-flight",
        "2",
        "--max-concurrent",
        "1",
        "--body-timeout-secs",
        "60",
    ]);
    let port = server.port();
    let stats = br#"{"query": "{ stats { documents } }"}"#;
    let deadline = Instant::now() + Duration::from_secs(20);

    // When clients stall while sending their bodies (one more each time a
    // request is still answered: the server may not have read the stalled
    // headers yet, or may have refused one while a probe held a place)
    let mut stalled = Vec::new();
    // Then a request is refused with 503 and a GraphQL error
    let refused = loop {
        stalled.push(stalled_post(port));
        std::thread::sleep(Duration::from_millis(50));
        let response = common::post(port, "/graphql", "application/json", stats);
        if response.status == 503 {
            break response;
        }
        assert_eq!(response.status, 200, "{}", response.text());
        assert!(Instant::now() < deadline, "never refused");
    };
    let message = expect_error(&refused.json(), "LIMIT_EXCEEDED");
    assert!(
        message.contains("busy") && message.contains('2'),
        "{message}"
    );
    assert_eq!(refused.header("retry-after"), Some("1"));

    // And once the stalled clients go away, requests are answered again
    drop(stalled);
    loop {
        let response = common::post(port, "/graphql", "application/json", stats);
        if response.status == 200 {
            assert!(response.json()["data"]["stats"]["documents"].as_u64() > Some(0));
            break;
        }
        assert_eq!(response.status, 503, "{}", response.text());
        assert!(Instant::now() < deadline, "never answered again");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Regression: CPU-bound resolution (nested list fields such as
/// `neighbors`) never yielded, so the request timeout could not fire.
#[test]
fn a_fan_out_query_cannot_run_past_the_timeout() {
    // Given a server with a 1 s timeout and no cost limit to speak of, over
    // a graph with plenty of fan-out (30 countries, each linked to 10
    // others)
    // (ingested before the server starts: under a 1 s request timeout an
    // `ingestArticle` mutation would time the extraction, which parses
    // every sentence, rather than the query)
    let scratch = Scratch::new();
    common::ingest_seed(&scratch.db());
    let articles = scratch.path("accords");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::write(articles.join("accords.txt"), dense_article(5)).unwrap();
    common::newsgraph([
        OsStr::new("ingest"),
        articles.as_os_str(),
        OsStr::new("--db"),
        scratch.db().as_os_str(),
    ])
    .success();
    let server = Server::start(
        &scratch,
        &["--timeout-secs", "1", "--max-cost", "1000000000000000000"],
    );

    // When a query fans out six levels of neighbours (tens of millions of
    // fields, minutes of work, but a complexity of a few fields)
    let fan_out = format!(
        "{{ actors(first: 100) {{ nodes {{ {}name{} }} }} }}",
        "neighbors { ".repeat(6),
        " }".repeat(6)
    );
    let started = Instant::now();
    let v = server.graphql(&fan_out);
    let took = started.elapsed();

    // Then it is LIMIT_EXCEEDED (the time or the field budget), answered
    // within a generous bound of the 1 s timeout
    let message = expect_error(&v, "LIMIT_EXCEEDED");
    assert!(
        message.contains("timed out") || message.contains("fields"),
        "{message}"
    );
    assert!(took < Duration::from_secs(10), "answered after {took:?}");
    // And the server still answers
    ask(&server, "{ stats { documents } }");

    // And with the default cost limit, the same query is refused before
    // it runs: six unpaged lists count 50 items each
    let (_scratch, server) = seeded(&[]);
    let message = expect_error(&server.graphql(&fan_out), "LIMIT_EXCEEDED");
    assert!(message.contains("complex"), "{message}");
}

// ---------------------------------------------------------------------------
// README
// ---------------------------------------------------------------------------

/// One query the README shows: where it is, its text and its variables.
struct ReadmeQuery {
    line: usize,
    query: String,
    variables: Value,
}

/// Every GraphQL query in README.md: the ```graphql blocks, the inline
/// code of table rows that starts with `{`, `newsgraph query '...'` in
/// shell blocks, and the `fetch` example's query with its variables.
fn readme_queries() -> Vec<ReadmeQuery> {
    let readme = std::fs::read_to_string(common::repo_root().join("README.md")).unwrap();
    let lines: Vec<&str> = readme.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(lang) = line.strip_prefix("```") {
            let start = i + 1;
            let mut end = start;
            while end < lines.len() && !lines[end].starts_with("```") {
                end += 1;
            }
            let block = &lines[start..end];
            match lang.trim() {
                "graphql" => found.push(ReadmeQuery {
                    line: start,
                    query: block.join("\n"),
                    variables: Value::Null,
                }),
                "sh" => {
                    for (j, l) in block.iter().enumerate() {
                        if let Some(rest) = l.split("newsgraph query '").nth(1) {
                            let query = rest.split('\'').next().unwrap();
                            found.push(ReadmeQuery {
                                line: start + j + 1,
                                query: query.to_owned(),
                                variables: Value::Null,
                            });
                        }
                    }
                }
                "js" => {
                    let text = block.join("\n");
                    if let Some(rest) = text.split("const query = `").nth(1) {
                        let query = rest.split('`').next().unwrap().to_owned();
                        // `variables: { name: "KFOR" }` as JSON
                        let object = text
                            .split("variables: {")
                            .nth(1)
                            .and_then(|r| r.split('}').next())
                            .expect("the fetch example passes its variables");
                        let mut variables = serde_json::Map::new();
                        for pair in object.split(',').filter(|p| !p.trim().is_empty()) {
                            let (name, value) = pair.split_once(':').unwrap();
                            variables.insert(
                                name.trim().to_owned(),
                                serde_json::from_str(value.trim()).unwrap(),
                            );
                        }
                        found.push(ReadmeQuery {
                            line: start,
                            query,
                            variables: Value::Object(variables),
                        });
                    }
                }
                _ => {}
            }
            i = end + 1;
            continue;
        }
        if line.starts_with('|') {
            for (k, span) in line.split('`').enumerate() {
                if k % 2 == 1 && span.trim_start().starts_with('{') {
                    found.push(ReadmeQuery {
                        line: i + 1,
                        query: span.to_owned(),
                        variables: Value::Null,
                    });
                }
            }
        }
        i += 1;
    }
    found
}

/// Records, for every field path of an answer (list indices left out),
/// whether it holds something in at least one place: a list with items, a
/// string with text (a DOT drawing with an edge), any number or boolean.
/// Null is nothing at the top (`actor`, `shortestPath`) and is left out
/// below it, where it is an optional attribute (an undated document, a
/// statement without an addressee).
fn holdings(value: &Value, path: String, held: &mut BTreeMap<String, bool>) {
    let holds = match value {
        Value::Null if path.matches('.').count() > 1 || path.contains('[') => return,
        Value::Null => false,
        Value::String(s) if path.ends_with("dot") => s.contains(" -> "),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => {
            for item in items {
                holdings(item, format!("{path}[]"), held);
            }
            !items.is_empty()
        }
        Value::Object(fields) => {
            for (name, field) in fields {
                holdings(field, format!("{path}.{name}"), held);
            }
            true
        }
        _ => true,
    };
    *held.entry(path).or_default() |= holds;
}

/// Regression: README examples (`shortestPath` from Vucic to KFOR, `paths`
/// from Stoltenberg to Serbia) answered nothing on the seed corpus.
#[test]
fn every_query_in_the_readme_answers_something_on_the_seed() {
    // Given the seed corpus behind a running server
    let (_scratch, server) = seeded(&[]);
    let queries = readme_queries();
    // (the two first-query blocks, the path example, the table's rows,
    // the CLI example and the fetch example)
    assert!(queries.len() >= 15, "only {} queries found", queries.len());

    // When each query the README shows is sent as it is written
    for ReadmeQuery {
        line,
        query,
        variables,
    } in &queries
    {
        let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
        let response = common::post(
            server.port(),
            "/graphql",
            "application/json",
            body.as_bytes(),
        );
        assert_eq!(
            response.status,
            200,
            "README.md:{line}: {}",
            response.text()
        );
        let v = response.json();
        // Then it has no errors, and every field it asks for holds
        // something somewhere in the answer (a list with items, a string
        // with text; `rejectedBy` may be empty for one event, not for all)
        assert!(errors(&v).is_empty(), "README.md:{line}: {query}\n{v}");
        let mut held = BTreeMap::new();
        holdings(&v["data"], "data".to_owned(), &mut held);
        let empty: Vec<&String> = held.iter().filter(|(_, h)| !**h).map(|(p, _)| p).collect();
        assert!(
            empty.is_empty(),
            "README.md:{line}: {query}\nanswers nothing at {empty:?}\n{v}"
        );
    }
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[test]
fn errors_carry_a_code_and_leak_no_internals() {
    // Given the seed corpus behind a running server
    let (scratch, server) = seeded(&[]);

    // When queries go wrong in the caller's ways
    for (query, code) in [
        ("{ actors { ", "BAD_USER_INPUT"),
        ("{ noSuchField }", "BAD_USER_INPUT"),
        ("{ actors(kind: ALIEN) { totalCount } }", "BAD_USER_INPUT"),
        (r#"{ actor(id: "zz") { name } }"#, "BAD_USER_INPUT"),
        ("{ actor { name } }", "BAD_USER_INPUT"),
        (
            r#"{ relations(document: "nope") { totalCount } }"#,
            "BAD_USER_INPUT",
        ),
        (
            r#"{ relations(subject: "Nobody Atall") { totalCount } }"#,
            "NOT_FOUND",
        ),
        (
            r#"{ relations(object: "Nobody Atall") { totalCount } }"#,
            "NOT_FOUND",
        ),
        (
            r#"{ actor(name: "KFOR") { relations(counterpart: "Nobody Atall") { totalCount } } }"#,
            "NOT_FOUND",
        ),
        (
            r#"{ actor(name: "KFOR") { requests(of: "Nobody Atall") { totalCount } } }"#,
            "NOT_FOUND",
        ),
        (
            r#"mutation { ingestArticle(file: "empty.txt", text: "") { outcome } }"#,
            "BAD_USER_INPUT",
        ),
    ] {
        let v = server.graphql(query);
        // Then each error has its code, and the message shows nothing of
        // the server's insides (paths, source files, panics, the store)
        let message = expect_error(&v, code);
        let store = scratch.db().display().to_string();
        for leak in [
            store.as_str(),
            ".rs:",
            "panicked",
            "sled",
            "RUST_BACKTRACE",
            "Os {",
        ] {
            assert!(
                !message.contains(leak),
                "{query}: the error leaks {leak:?}: {message}"
            );
        }
    }
    // And the server is still there
    ask(&server, "{ stats { documents } }");
}

// ---------------------------------------------------------------------------
// Access: token, read-only, non-loopback
// ---------------------------------------------------------------------------

#[test]
fn mutations_need_the_bearer_token_and_queries_do_not() {
    // Given a server with a token
    let (_scratch, server) = seeded(&["--token", "s3cret"]);
    let ingest_query = r#"mutation { ingestArticle(file: "t.txt", text: "Talks\n\nFrance urged Spain to act.") { outcome } }"#;
    let delete_query = r#"mutation { deleteDocument(id: "0000000000000001") { deleted } }"#;

    // When a mutation comes without a token, with a wrong one, or without
    // the Bearer scheme
    for headers in [
        vec![],
        vec![("Authorization", "Bearer wrong")],
        vec![("Authorization", "Bearer s3cret2")],
        vec![("Authorization", "Bearer S3CRET")],
        vec![("Authorization", "s3cret")],
        vec![("Authorization", "Basic s3cret")],
    ] {
        for query in [ingest_query, delete_query] {
            let v = common::graphql_with_headers(server.port(), query, &headers);
            // Then it is UNAUTHORIZED
            let message = expect_error(&v, "UNAUTHORIZED");
            assert!(message.contains("token"), "{message}");
        }
    }
    assert!(
        ask(&server, r#"{ document(file: "t.txt") { id } }"#)["document"].is_null(),
        "a refused mutation left a document"
    );

    // When it comes with the right token
    let v = common::graphql_with_headers(
        server.port(),
        ingest_query,
        &[("Authorization", "Bearer s3cret")],
    );
    // Then it works
    assert_eq!(data(&v)["ingestArticle"]["outcome"], "ADDED", "{v}");

    // And queries need no token at all
    let v = ask(&server, r#"{ document(file: "t.txt") { file } }"#);
    assert_eq!(v["document"]["file"], "t.txt");
}

#[test]
fn a_read_only_server_refuses_every_mutation() {
    // Given a read-only server (even one with a token)
    let (_scratch, server) = seeded(&["--read-only", "--token", "s3cret"]);
    let before = ask(&server, "{ stats { documents relations } }");
    let doc = document_id(&server, DATED_FILE);

    // When we ingest or delete, with the token
    for query in [
        r#"mutation { ingestArticle(file: "t.txt", text: "Talks\n\nFrance urged Spain to act.") { outcome } }"#.to_owned(),
        format!("mutation {{ deleteDocument(id: {}) {{ deleted }} }}", lit(&doc)),
    ] {
        let v = common::graphql_with_headers(server.port(), &query, &[("Authorization", "Bearer s3cret")]);
        // Then it is UNAUTHORIZED, saying the server is read-only
        let message = expect_error(&v, "UNAUTHORIZED");
        assert!(message.contains("read-only"), "{message}");
    }
    // And nothing changed, and queries work
    assert_eq!(ask(&server, "{ stats { documents relations } }"), before);
}

#[test]
fn a_non_loopback_address_needs_a_token_or_read_only() {
    // Given a store
    let scratch = Scratch::new();
    common::ingest_seed(&scratch.db());
    let serve = |extra: &[&str]| {
        let mut args: Vec<OsString> = vec!["serve".into(), "--db".into(), scratch.db().into()];
        args.extend(["--addr", "0.0.0.0:0"].map(OsString::from));
        args.extend(extra.iter().map(OsString::from));
        common::newsgraph_for(args, Duration::from_secs(5))
    };

    // When the server is asked to listen on all interfaces without a token
    let run = serve(&[]);
    // Then it refuses to start, saying why, and never reports listening
    assert!(run.status.is_some(), "the server started: {run:?}");
    assert!(!run.status.unwrap().success(), "{run:?}");
    assert!(
        run.stderr.contains("--token") && run.stderr.contains("--read-only"),
        "{run:?}"
    );
    assert!(!run.stdout.contains("listening"), "{run:?}");

    // When it has a token, or is read-only (no request is sent to it)
    for extra in [&["--token", "s3cret"][..], &["--read-only"][..]] {
        let run = serve(extra);
        // Then it starts and reports where it listens
        assert!(run.status.is_none(), "it exited: {run:?}");
        assert!(
            run.stdout
                .starts_with("newsgraph listening on http://0.0.0.0:"),
            "{run:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// CORS
// ---------------------------------------------------------------------------

fn preflight(port: u16, origin: &str) -> common::Response {
    common::request(
        port,
        "OPTIONS",
        "/graphql",
        &[
            ("Origin", origin),
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "content-type,authorization",
            ),
        ],
        b"",
    )
    .expect("OPTIONS request")
}

fn post_from(port: u16, origin: &str) -> common::Response {
    common::request(
        port,
        "POST",
        "/graphql",
        &[("Origin", origin), ("Content-Type", "application/json")],
        br#"{"query": "{ stats { documents } }"}"#,
    )
    .expect("POST request")
}

#[test]
fn cors_allows_no_origin_by_default() {
    // Given a server without --cors-origin
    let (_scratch, server) = seeded(&[]);

    // When a page on another origin asks (preflight, then the request)
    for response in [
        preflight(server.port(), "http://evil.example"),
        post_from(server.port(), "http://evil.example"),
    ] {
        // Then no CORS header allows it
        assert_eq!(
            response.header("access-control-allow-origin"),
            None,
            "{:?}",
            response.headers
        );
        assert_eq!(
            response.header("access-control-allow-credentials"),
            None,
            "{:?}",
            response.headers
        );
    }
}

#[test]
fn cors_allows_exactly_the_listed_origin_without_credentials() {
    // Given a server that allows http://localhost:5173
    let (_scratch, server) = seeded(&["--cors-origin", "http://localhost:5173"]);

    // When that origin sends a preflight and a request
    let pre = preflight(server.port(), "http://localhost:5173");
    let post = post_from(server.port(), "http://localhost:5173");
    // Then both allow exactly that origin, the POST method and the headers
    // a GraphQL client sends, and never credentials
    assert_eq!(pre.status, 200, "{:?}", pre.headers);
    assert_eq!(
        pre.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    let methods = pre
        .header("access-control-allow-methods")
        .unwrap_or_default()
        .to_ascii_uppercase();
    assert!(methods.contains("POST"), "{methods}");
    let headers = pre
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        headers.contains("content-type") && headers.contains("authorization"),
        "{headers}"
    );
    assert_eq!(post.status, 200);
    assert_eq!(
        post.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    for response in [&pre, &post] {
        assert_ne!(
            response.header("access-control-allow-credentials"),
            Some("true")
        );
    }

    // When another origin does the same
    for response in [
        preflight(server.port(), "http://evil.example"),
        post_from(server.port(), "http://evil.example"),
    ] {
        // Then it is not mirrored (nor is any wildcard sent)
        assert_eq!(
            response.header("access-control-allow-origin"),
            None,
            "{:?}",
            response.headers
        );
        assert_ne!(
            response.header("access-control-allow-credentials"),
            Some("true")
        );
    }
}

#[test]
/// Regression: `--cors-origin '*'` panicked in tower-http (exit 101).
fn a_wildcard_cors_origin_is_refused_with_a_clear_message() {
    // Given a store
    let scratch = Scratch::new();
    common::ingest_seed(&scratch.db());

    // When the server is asked to allow any origin
    let run = common::newsgraph_for(
        [
            OsStr::new("serve"),
            OsStr::new("--db"),
            scratch.db().as_os_str(),
            OsStr::new("--addr"),
            OsStr::new("127.0.0.1:0"),
            OsStr::new("--cors-origin"),
            OsStr::new("*"),
        ],
        Duration::from_secs(5),
    );
    // Then it refuses to start with an error (exit 1), not a panic
    assert_eq!(run.status.and_then(|s| s.code()), Some(1), "{run:?}");
    assert!(!run.stderr.contains("panicked"), "{run:?}");
    assert!(run.stderr.contains("--cors-origin"), "{run:?}");
}

// ---------------------------------------------------------------------------
// Shutdown
// ---------------------------------------------------------------------------

#[test]
fn sigterm_while_idle_exits_cleanly_and_keeps_the_last_write() {
    // Given a server that has just acknowledged a mutation
    let (scratch, server) = seeded(&[]);
    ingest(&server, "last.txt", ROUTES_ARTICLE, "");
    let before = ask(&server, "{ stats { documents actors relations events } }");

    // When it gets SIGTERM while idle
    let status = server.terminate();
    // Then it exits 0
    assert!(status.success(), "{status}");

    // And a restart on the same store sees everything, the mutation too
    let server = Server::start(&scratch, &[]);
    assert_eq!(
        ask(&server, "{ stats { documents actors relations events } }"),
        before
    );
    let v = ask(
        &server,
        r#"{ document(file: "last.txt") { relations { totalCount } } }"#,
    );
    assert!(
        v["document"]["relations"]["totalCount"].as_u64() > Some(0),
        "{v}"
    );
}

// ---------------------------------------------------------------------------
// Response cache
// ---------------------------------------------------------------------------

/// POSTs a JSON body to /graphql; the raw response.
fn post_json(server: &Server, body: &Value) -> common::Response {
    let response = common::post(
        server.port(),
        "/graphql",
        "application/json",
        body.to_string().as_bytes(),
    );
    assert_eq!(response.status, 200, "{}", response.text());
    response
}

/// The server's response cache counters (`null` when it has none).
fn cache_stats(server: &Server) -> Value {
    common::get(server.port(), "/healthz").json()["response_cache"].clone()
}

fn count(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("no count {key}: {v}"))
}

#[test]
fn a_repeated_query_is_answered_from_the_cache_until_the_graph_changes() {
    // Given a server with its default response cache
    let (_scratch, server) = seeded(&[]);
    let query = serde_json::json!({
        "query": "{ stats { documents relations } relations(first: 3) { nodes { id kind } } }"
    });

    // When the same query is asked twice
    let first = post_json(&server, &query);
    let before = cache_stats(&server);
    let second = post_json(&server, &query);
    let after = cache_stats(&server);

    // Then the second answer is the first, byte for byte, with the same
    // content type, and it came from the cache
    assert_eq!(first.body, second.body);
    assert_eq!(first.header("content-type"), second.header("content-type"));
    assert_eq!(count(&after, "hits"), count(&before, "hits") + 1, "{after}");
    assert!(count(&after, "entries") >= 1, "{after}");
    assert!(
        count(&after, "bytes") <= count(&after, "max_bytes"),
        "{after}"
    );
    let documents = first.json()["data"]["stats"]["documents"].clone();
    assert_eq!(documents, 5, "{}", first.text());

    // And a mutation is never answered from the cache: the same
    // ingestArticle twice adds, then finds nothing to change
    let article = "Ministers meet in Oslo\n\nNorway asked Sweden to open the border. \
                   Sweden rejected the request on Monday.\n";
    let mutation = serde_json::json!({
        "query": "mutation($file: String!, $text: String!) { ingestArticle(file: $file, text: $text) { outcome } }",
        "variables": { "file": "oslo.txt", "text": article },
    });
    let outcomes: Vec<Value> = (0..2)
        .map(|_| post_json(&server, &mutation).json()["data"]["ingestArticle"]["outcome"].clone())
        .collect();
    assert_eq!(outcomes, ["ADDED", "UNCHANGED"]);

    // And after the graph changed, the same query gets the new answer
    let third = post_json(&server, &query).json();
    assert_eq!(third["data"]["stats"]["documents"], 6, "{third}");

    // And so does it after a deletion
    let document =
        ask(&server, "{ document(file: \"oslo.txt\") { id } }")["document"]["id"].clone();
    let deleted = ask(
        &server,
        &format!("mutation {{ deleteDocument(id: {document}) {{ deleted }} }}"),
    );
    assert_eq!(deleted["deleteDocument"]["deleted"], true, "{deleted}");
    let fourth = post_json(&server, &query);
    assert_eq!(fourth.json()["data"]["stats"]["documents"], 5);
    assert_eq!(fourth.body, first.body, "the graph is the seed's again");
}

#[test]
fn only_complete_answers_are_kept_and_variables_are_part_of_the_question() {
    // Given a server with its default response cache
    let (_scratch, server) = seeded(&[]);

    // When a query with an error is asked twice
    let failing =
        serde_json::json!({ "query": "{ actor(name: \"Nobody At All\") { name } nope }" });
    for _ in 0..2 {
        let v = post_json(&server, &failing).json();
        assert!(!errors(&v).is_empty(), "{v}");
    }
    // Then it was never kept
    let stats = cache_stats(&server);
    assert_eq!(count(&stats, "entries"), 0, "{stats}");
    assert_eq!(count(&stats, "hits"), 0, "{stats}");

    // When one query text is asked with different variables
    let actors = ask(
        &server,
        "{ actors(first: 2, sort: NAME) { nodes { id name } } }",
    );
    let pair = list(&actors["actors"]["nodes"]);
    assert_eq!(pair.len(), 2, "{actors}");
    let by_id = |id: &Value| {
        post_json(
            &server,
            &serde_json::json!({
                "query": "query($a: ID!) { actor(id: $a) { name } }",
                "variables": { "a": id },
            }),
        )
        .json()
    };
    // Then each answer is its own, asked first or again
    for _ in 0..2 {
        for actor in pair {
            let v = by_id(&actor["id"]);
            assert_eq!(v["data"]["actor"]["name"], actor["name"], "{v}");
        }
    }
    let stats = cache_stats(&server);
    assert_eq!(count(&stats, "hits"), 2, "{stats}");
}

#[test]
fn a_server_without_a_response_cache_answers_alike() {
    // Given a server started with --response-cache-mb 0
    let (_scratch, server) = seeded(&["--response-cache-mb", "0"]);
    // Then /healthz says it has no cache
    assert!(cache_stats(&server).is_null());
    // And queries are answered as usual
    let query = serde_json::json!({ "query": "{ stats { documents } }" });
    for _ in 0..2 {
        assert_eq!(
            post_json(&server, &query).json()["data"]["stats"]["documents"],
            5
        );
    }
}

#[test]
fn a_chunked_body_past_the_limit_is_refused_as_too_large() {
    // Given a server that accepts bodies of at most 2,000 bytes
    let (_scratch, server) = seeded(&["--max-body", "2000"]);

    // When a client sends 10 kB in chunks, without a Content-Length
    let mut stream = TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let body = serde_json::json!({
        "query": format!("{{ stats {{ documents }} {}}}", " ".repeat(10_000))
    })
    .to_string();
    let mut raw =
        b"POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
                    Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
    for chunk in body.as_bytes().chunks(1000) {
        raw.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        raw.extend_from_slice(chunk);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    // The server may answer and close before it has read everything.
    let _ = stream.write_all(&raw);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let response = common::parse_response(&answer).unwrap();

    // Then it is refused with 413 and a GraphQL-shaped error
    assert_eq!(response.status, 413, "{}", response.text());
    expect_error(&response.json(), "LIMIT_EXCEEDED");

    // And the server keeps answering
    assert_eq!(
        ask(&server, "{ stats { documents } }")["stats"]["documents"],
        5
    );
}
