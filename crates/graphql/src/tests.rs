use super::*;
use std::sync::Arc;

use crate::ports::{Article, Ingest, IngestError, Ingested, Written};
use async_graphql::Request;
use newsgraph_model::read::GraphSource;
use newsgraph_model::DocumentId;
use newsgraph_view::{MemoryGraph, MemoryWrite};
use serde_json::json;

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// What the extractor made of each test article: frozen, so that the API
/// tests run without the extractor or a store, and an extraction change
/// cannot break them. Regenerate with `newsgraph_ingest::extract(file,
/// text)` for each entry if an article here changes.
const GRAPHS: &str = include_str!("../testdata/graphs.json");

#[derive(serde::Deserialize)]
struct Fixture {
    file: String,
    text: String,
    graph: newsgraph_model::DocumentGraph,
}

/// The frozen graph of one test article.
fn graph_of(file: &str, text: &str) -> Option<newsgraph_model::DocumentGraph> {
    let fixtures: Vec<Fixture> = serde_json::from_str(GRAPHS).unwrap();
    fixtures
        .into_iter()
        .find(|f| f.file == file && f.text == text)
        .map(|f| f.graph)
}

/// The ingest port over an in-memory graph, extracting from the frozen
/// graphs; the gazetteer knows the one capital the tests ask for.
struct MemoryIngest(Arc<MemoryGraph>);

#[async_trait::async_trait]
impl Ingest for MemoryIngest {
    async fn ingest_article(&self, article: Article) -> Result<Ingested, IngestError> {
        let file = &article.file;
        if article.text.trim().is_empty() {
            return Err(IngestError::BadInput(format!("article '{file}' is empty")));
        }
        let mut graph = graph_of(file, &article.text)
            .ok_or_else(|| IngestError::BadInput(format!("no frozen graph for '{file}'")))?;
        graph.document.source = article.source.or(graph.document.source);
        graph.document.published = article.published.or(graph.document.published);
        let text = article.text;
        let written = match self.0.insert(graph.clone(), text) {
            MemoryWrite::Added => Written::Added,
            MemoryWrite::Replaced => Written::Replaced,
            MemoryWrite::Unchanged => Written::Unchanged,
        };
        let document = self.0.read().document(graph.document.id).cloned();
        Ok(Ingested {
            document: document.unwrap_or(graph.document),
            written,
            actors: graph.mentions.len(),
            relations: graph.relations.len(),
            events: graph.events.len(),
        })
    }

    async fn delete_document(&self, id: DocumentId) -> Result<bool, IngestError> {
        Ok(self.0.remove(id))
    }

    fn canonical_name(&self, name: &str) -> Option<String> {
        (name == "Moscow").then(|| "Russia".to_owned())
    }
}

fn schema_with(articles: &[(&str, &str)]) -> (Arc<MemoryGraph>, NewsgraphSchema) {
    schema_with_limits(articles, Limits::default())
}

fn schema_with_limits(
    articles: &[(&str, &str)],
    limits: Limits,
) -> (Arc<MemoryGraph>, NewsgraphSchema) {
    let graph = Arc::new(MemoryGraph::of(articles.iter().map(|(file, text)| {
        let graph = graph_of(file, text).unwrap_or_else(|| panic!("no frozen graph for {file}"));
        (graph, text.to_string())
    })));
    let ports = Ports {
        graph: graph.clone(),
        ingest: Arc::new(MemoryIngest(graph.clone())),
    };
    (graph, build_schema(ports, limits))
}

fn run(schema: &NewsgraphSchema, query: &str) -> serde_json::Value {
    let response = block_on(schema.execute(Request::new(query)));
    serde_json::to_value(&response).unwrap()
}

const ARTICLE: &str = "Ministers meet in Geneva\n\nGerman Chancellor Olaf Scholz urged Russia to withdraw its troops. \"We will not accept this,\" Scholz said on Monday.\n";

#[test]
fn committed_sdl_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schema/schema.graphql"
    ))
    .unwrap_or_default();
    assert!(
        committed == sdl(),
        "schema/schema.graphql is stale: run `make schema` (cargo run -- schema > schema/schema.graphql)"
    );
}

#[test]
fn actor_lookup_ignores_case_diacritics_and_accepts_aliases() {
    let (_dir, schema) = schema_with(&[("a.txt", ARTICLE)]);
    for name in ["Olaf Scholz", "scholz", "SCHOLZ", "Schölz"] {
        let v = run(
            &schema,
            &format!("{{ actor(name: \"{name}\") {{ name kind }} }}"),
        );
        assert_eq!(v["data"]["actor"]["name"], "Olaf Scholz", "{name}: {v}");
        assert_eq!(v["data"]["actor"]["kind"], "PERSON");
    }
    let v = run(&schema, "{ actor(name: \"Moscow\") { name } }");
    assert_eq!(
        v["data"]["actor"]["name"], "Russia",
        "a capital finds its country: {v}"
    );
    let v = run(&schema, "{ actor(name: \"Nobody Atall\") { name } }");
    assert!(v["data"]["actor"].is_null());
}

#[test]
fn relations_carry_evidence_and_quotes() {
    let (_dir, schema) = schema_with(&[("a.txt", ARTICLE)]);
    let v = run(&schema, "{ relations(kind: REQUESTED) { totalCount edges { node { subject { name } object { name } evidence { sentence } } } } }");
    let edges = v["data"]["relations"]["edges"].as_array().unwrap();
    assert!(
        edges
            .iter()
            .any(|e| e["node"]["subject"]["name"] == "Olaf Scholz"
                && e["node"]["object"]["name"] == "Russia"),
        "{v}"
    );
    let v = run(&schema, "{ actor(name: \"Scholz\") { relations(direction: OUT, kind: SAID) { nodes { quote evidence { sentence start end } } } } }");
    let said = v["data"]["actor"]["relations"]["nodes"].as_array().unwrap();
    assert!(
        said.iter()
            .any(|r| r["quote"] == "We will not accept this,"),
        "{v}"
    );
}

#[test]
fn pagination_is_capped_and_cursors_continue() {
    let (_dir, schema) = schema_with(&[
        ("a.txt", ARTICLE),
        ("b.txt", "Kenya urged Uganda to talk.\n"),
    ]);
    let v = run(&schema, "{ documents(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { node { file } } } }");
    assert_eq!(v["data"]["documents"]["totalCount"], 2);
    assert_eq!(v["data"]["documents"]["pageInfo"]["hasNextPage"], true);
    let cursor = v["data"]["documents"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let first_file = v["data"]["documents"]["edges"][0]["node"]["file"].clone();
    let v = run(&schema, &format!("{{ documents(first: 5, after: \"{cursor}\") {{ pageInfo {{ hasNextPage }} edges {{ node {{ file }} }} }} }}"));
    let edges = v["data"]["documents"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1);
    assert_ne!(edges[0]["node"]["file"], first_file);
    let v = run(&schema, "{ documents(first: 100000) { totalCount } }");
    assert_eq!(
        v["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
        "{v}"
    );
}

#[test]
fn over_deep_and_malformed_queries_are_errors() {
    let (_dir, schema) = schema_with(&[("a.txt", ARTICLE)]);
    let mut deep = String::from("{ actor(name: \"Scholz\") { ");
    for _ in 0..20 {
        deep.push_str("neighbors { ");
    }
    deep.push_str("name");
    for _ in 0..21 {
        deep.push_str(" }");
    }
    deep.push_str(" }");
    let v = run(&schema, &deep);
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nested too deep"),
        "{v}"
    );
    let v = run(&schema, "{ actor(name: ");
    assert!(v["errors"].as_array().is_some_and(|e| !e.is_empty()));
}

#[test]
fn ingest_mutation_updates_the_graph_without_restart() {
    let (_dir, schema) = schema_with(&[]);
    let v = run(&schema, "mutation { ingestArticle(file: \"x/k.txt\", text: \"Kenya urged Uganda to talk.\") { outcome relations document { file } } }");
    assert_eq!(v["data"]["ingestArticle"]["outcome"], "ADDED", "{v}");
    assert_eq!(v["data"]["ingestArticle"]["document"]["file"], "k.txt");
    let v = run(
        &schema,
        "{ actor(name: \"Kenya\") { relations(direction: OUT) { nodes { kind object { name } } } } }",
    );
    assert_eq!(
        v["data"]["actor"]["relations"]["nodes"][0]["object"]["name"], "Uganda",
        "{v}"
    );
    let v = run(&schema, "mutation { ingestArticle(file: \"k.txt\", text: \"Kenya urged Uganda to talk.\") { outcome } }");
    assert_eq!(v["data"]["ingestArticle"]["outcome"], "UNCHANGED");
    let v = run(
        &schema,
        "mutation { ingestArticle(file: \"e.txt\", text: \"  \") { outcome } }",
    );
    assert_eq!(
        v["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{v}"
    );
}

#[test]
fn shortest_path_and_dot() {
    let (_dir, schema) = schema_with(&[
        ("a.txt", "Kenya urged Uganda to talk.\n"),
        ("b.txt", "Uganda urged Rwanda to talk.\n"),
    ]);
    let v = run(&schema, "{ shortestPath(from: \"Kenya\", to: \"Rwanda\") { length relations { subject { name } object { name } } } }");
    assert_eq!(v["data"]["shortestPath"]["length"], 2, "{v}");
    let v = run(&schema, "{ dot(actor: \"Uganda\", depth: 1) }");
    let dot = v["data"]["dot"].as_str().unwrap();
    assert!(dot.starts_with("digraph"));
    assert_eq!(dot.matches(" -> ").count(), 2, "{dot}");
    let v = run(&schema, "{ dot(actor: \"Nobody\") }");
    assert_eq!(v["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

/// Regression: the depth limit (12) refused the introspection query GraphiQL
/// sends on load, so the playground showed no schema.
#[test]
fn the_playground_introspection_query_is_accepted() {
    let (_dir, schema) = schema_with(&[]);
    let v = run(&schema, include_str!("introspection.graphql"));
    assert!(v["errors"].as_array().is_none_or(|e| e.is_empty()), "{v}");
    assert!(v["data"]["__schema"]["types"]
        .as_array()
        .is_some_and(|t| t.len() > 10));
}

#[test]
fn id_keys_are_the_ids_as_displayed() {
    for id in [0u64, 1, 0xabc, 0x0123_4567_89ab_cdef, u64::MAX] {
        assert_eq!(
            crate::schema::id_key(id),
            newsgraph_model::RelationId(id).to_string()
        );
    }
}

// ---------------------------------------------------------------------------
// Page-aware cost (issue 5)
// ---------------------------------------------------------------------------

fn cost_of(query: &str, variables: serde_json::Value) -> u64 {
    let document = async_graphql::parser::parse_query(query).unwrap();
    let variables = async_graphql::Variables::from_json(variables);
    query_cost(&document, None, &variables).unwrap()
}

#[test]
fn each_field_costs_once_per_item_of_the_pages_around_it() {
    // A connection hands its page to `nodes` and `edges`, not to
    // `totalCount`; a plain object field costs its children once.
    assert_eq!(cost_of("{ stats { documents actors } }", json!({})), 3);
    assert_eq!(
        cost_of(
            "{ actors(first: 10) { totalCount nodes { name } } }",
            json!({})
        ),
        1 + 1 + (1 + 10)
    );
    assert_eq!(
        cost_of(
            "{ relations(first: 10) { edges { cursor node { id subject { name } } } } }",
            json!({})
        ),
        1 + (1 + 10 * (1 + (1 + 1 + (1 + 1))))
    );
    // Nested pages multiply.
    assert_eq!(
        cost_of(
            "{ actors(first: 1000) { nodes { relations(first: 1000) { nodes { subject { name } } } } } }",
            json!({})
        ),
        1 + (1 + 1000 * (1 + (1 + 1000 * (1 + 1))))
    );
}

#[test]
fn page_sizes_default_to_fifty_and_are_capped_at_a_thousand() {
    assert_eq!(
        cost_of("{ actors { nodes { name } } }", json!({})),
        1 + 1 + 50
    );
    assert_eq!(
        cost_of("{ actors(first: 100000) { nodes { name } } }", json!({})),
        1 + 1 + 1000
    );
    assert_eq!(
        cost_of("{ actors(first: -5) { nodes { name } } }", json!({})),
        1 + 1
    );
    // `limit` is a page size too, with the schema's default (paths: 10);
    // a list without a page size counts as UNPAGED_LIST items.
    assert_eq!(
        cost_of(r#"{ paths(from: "a", to: "b") { length } }"#, json!({})),
        1 + 10
    );
    assert_eq!(
        cost_of(r#"{ actor(name: "a") { neighbors { name } } }"#, json!({})),
        1 + 1 + UNPAGED_LIST
    );
}

#[test]
fn page_sizes_given_as_variables_count_with_their_values_or_defaults() {
    let query = "query Q($n: Int, $m: Int = 7) { actors(first: $n) { nodes { relations(first: $m) { nodes { id } } } } }";
    assert_eq!(cost_of(query, json!({ "n": 20 })), 1 + 1 + 20 * (1 + 1 + 7));
    assert_eq!(
        cost_of(query, json!({ "n": 20, "m": 3 })),
        1 + 1 + 20 * (1 + 1 + 3)
    );
    assert_eq!(cost_of(query, json!({})), 1 + 1 + 50 * (1 + 1 + 7));
}

#[test]
fn fragments_are_followed_with_the_page_they_are_spread_in() {
    let query = "{ actors(first: 4) { ...Page } } fragment Page on ActorConnection { nodes { ...Name ... on Actor { id } } } fragment Name on Actor { name }";
    assert_eq!(cost_of(query, json!({})), 1 + (1 + 4 * 2));
    // Fragments doubled 40 times cost 2^40 fields, computed at once (each
    // fragment is walked once per page size, not once per spread).
    let mut doubled =
        String::from("{ actor(name: \"a\") { ...F40 } } fragment F0 on Actor { name }");
    for i in 1..=40 {
        doubled.push_str(&format!(
            " fragment F{i} on Actor {{ ...F{p} ...F{p} }}",
            p = i - 1
        ));
    }
    assert_eq!(cost_of(&doubled, json!({})), 1 + (1 << 40));
}

#[test]
fn the_named_operation_is_the_one_that_costs() {
    let query = "query Small { actors(first: 1) { totalCount } } query Large { actors(first: 900) { nodes { name } } }";
    let document = async_graphql::parser::parse_query(query).unwrap();
    let none = async_graphql::Variables::default();
    assert_eq!(query_cost(&document, Some("Small"), &none), Some(2));
    assert_eq!(query_cost(&document, Some("Large"), &none), Some(902));
    assert_eq!(query_cost(&document, None, &none), Some(902));
}

fn run_checked(schema: &NewsgraphSchema, request: Request) -> serde_json::Value {
    serde_json::to_value(block_on(execute(schema, request))).unwrap()
}

#[test]
fn a_query_over_the_cost_limit_is_limit_exceeded_with_its_cost() {
    let (_dir, schema) = schema_with(&[("a.txt", ARTICLE)]);
    let v = run_checked(
        &schema,
        Request::new("{ actors(first: 1000) { nodes { relations(first: 1000) { nodes { subject { name } } } } } }"),
    );
    assert_eq!(
        v["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
        "{v}"
    );
    let message = v["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("complex")
            && message.contains("2,002,002")
            && message.contains("1,000,000"),
        "{message}"
    );
    let v = run_checked(
        &schema,
        Request::new("{ actors(first: 20) { nodes { relations(first: 100) { nodes { subject { name } } } } } }"),
    );
    assert!(v["errors"].as_array().is_none_or(|e| e.is_empty()), "{v}");
}

/// The fields the Explorer asks of each relation (scripts/explorer/src/api.js).
const EXPLORER_RELATION: &str = "id kind quote subject { id name kind } object { id name kind } evidence { sentence start end } event { label date } document { id title source published }";

/// The Explorer's longest query (`relationsOfMany`): 15 actors by alias,
/// each with `$each` relations.
pub(crate) fn explorer_neighbours_query() -> String {
    let aliases: Vec<String> = (0..15)
        .map(|i| format!("a{i}: actor(id: $a{i}) {{ id name kind aliases relations(direction: BOTH, first: $each) {{ totalCount nodes {{ {EXPLORER_RELATION} }} }} }}"))
        .collect();
    let variables: Vec<String> = (0..15).map(|i| format!("$a{i}: ID")).collect();
    format!(
        "query Neighbours($each: Int!, {}) {{ {} }}",
        variables.join(", "),
        aliases.join("\n")
    )
}

/// The Explorer's two costliest requests (scripts/explorer/src/api.js:
/// `actorWithRelations` pages 1,000 relations, `relationsOfMany` asks 300
/// relations of each of 15 actors) stay well under the default cost.
#[test]
fn the_explorers_queries_cost_well_under_the_limit() {
    let ego = format!(
        "query Ego($name: String, $id: ID, $first: Int!, $after: String) {{ actor(name: $name, id: $id) {{ id name kind aliases relations(direction: BOTH, first: $first, after: $after) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ {EXPLORER_RELATION} }} }} }} }}"
    );
    let neighbours = explorer_neighbours_query();
    let limit = Limits::default().cost as u64;
    let ego_cost = cost_of(&ego, json!({ "first": 1000 }));
    let neighbours_cost = cost_of(&neighbours, json!({ "each": 300 }));
    assert!(ego_cost < limit / 4, "{ego_cost}");
    assert!(neighbours_cost < limit / 4, "{neighbours_cost}");
}

#[test]
fn the_playground_introspection_query_is_within_every_limit() {
    let (_dir, schema) = schema_with(&[]);
    let v = run_checked(&schema, Request::new(include_str!("introspection.graphql")));
    assert!(v["errors"].as_array().is_none_or(|e| e.is_empty()), "{v}");
    assert!(v["data"]["__schema"]["types"]
        .as_array()
        .is_some_and(|t| t.len() > 10));
}

// ---------------------------------------------------------------------------
// The guard on resolution (issue 5)
// ---------------------------------------------------------------------------

#[path = "../../../tests/support/dense_article.rs"]
mod dense;
use dense::dense_article;

#[test]
fn a_request_past_its_field_budget_is_limit_exceeded_once() {
    let limits = Limits {
        fields: 500,
        ..Limits::default()
    };
    let (_dir, schema) = schema_with_limits(&[("accords.txt", &dense_article(3))], limits);
    // 30 actors with 6 neighbours each: about 400 fields, then 2,000
    let query = |levels: usize| {
        format!(
            "{{ actors(first: 100) {{ nodes {{ {}name{} }} }} }}",
            "neighbors { ".repeat(levels),
            " }".repeat(levels)
        )
    };
    let v = run_checked(&schema, Request::new(query(1)));
    assert!(v["errors"].as_array().is_none_or(|e| e.is_empty()), "{v}");
    assert_eq!(
        v["data"]["actors"]["nodes"].as_array().map(Vec::len),
        Some(30),
        "{v}"
    );

    let v = run_checked(&schema, Request::new(query(2)));
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(
        errors.len(),
        1,
        "one error for the budget, not one per field: {v}"
    );
    assert_eq!(errors[0]["extensions"]["code"], "LIMIT_EXCEEDED", "{v}");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("more than 500 fields"), "{message}");
}

/// Regression: resolving fields from the in-memory view never waits, so a
/// fan-out query held its thread to the end (minutes, and gigabytes of
/// answer) and the request's timeout could not fire.
#[test]
fn a_fan_out_query_stops_at_its_deadline() {
    let limits = Limits {
        timeout: Duration::from_millis(200),
        cost: usize::MAX,
        fields: usize::MAX,
        ..Limits::default()
    };
    let (_dir, schema) = schema_with_limits(&[("accords.txt", &dense_article(5))], limits);
    // 30 actors with 10 neighbours each, six levels out: 30,000,000 names
    let query = format!(
        "{{ actors(first: 100) {{ nodes {{ {}name{} }} }} }}",
        "neighbors { ".repeat(6),
        " }".repeat(6)
    );
    let started = std::time::Instant::now();
    let v = run_checked(&schema, Request::new(query));
    let took = started.elapsed();
    assert_eq!(
        v["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
        "{v}"
    );
    let message = v["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("timed out"), "{message}");
    // A generous bound: the deadline is 0.2 s; the whole answer would take
    // minutes.
    assert!(took < Duration::from_secs(20), "answered after {took:?}");
}

#[test]
fn a_small_query_with_bounded_lists_runs_without_the_guard() {
    // A field budget of 10 holds every query the guard sees to 10 fields
    let limits = Limits {
        fields: 10,
        ..Limits::default()
    };
    let (_dir, schema) = schema_with_limits(&[("accords.txt", &dense_article(3))], limits);
    // 20 actors with a page of 5 relations each: cost 1 + 1 + 20 × 8 and
    // every list bounded by its page, so no more than that can resolve
    let small =
        "{ actors(first: 20) { nodes { name relations(first: 5) { nodes { id kind } } } } }";
    let v = run_checked(&schema, Request::new(small));
    assert!(v["errors"].as_array().is_none_or(|e| e.is_empty()), "{v}");
    assert_eq!(
        v["data"]["actors"]["nodes"].as_array().map(Vec::len),
        Some(20)
    );
    // The same query through the guard, and a list without a page size
    // (`neighbors`, however small), are held to the budget
    let v = run(&schema, small);
    assert_eq!(
        v["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
        "{v}"
    );
    let v = run_checked(
        &schema,
        Request::new("{ actors(first: 2) { nodes { neighbors { name } } } }"),
    );
    assert_eq!(
        v["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
        "{v}"
    );
}

#[test]
fn a_kept_document_answers_each_request_with_its_own_variables() {
    let (_dir, schema) = schema_with(&[("a.txt", ARTICLE)]);
    let query = "query($name: String!) { actor(name: $name) { name } }";
    let ask = |name: &str| {
        let request = Request::new(query)
            .variables(async_graphql::Variables::from_json(json!({ "name": name })));
        run_checked(&schema, request)
    };
    assert_eq!(ask("Scholz")["data"]["actor"]["name"], "Olaf Scholz");
    assert_eq!(ask("Russia")["data"]["actor"]["name"], "Russia");
    assert_eq!(ask("Scholz")["data"]["actor"]["name"], "Olaf Scholz");
    let cache = schema.data::<DocumentCache>().unwrap();
    assert_eq!(cache.len(), 1, "one text, kept once");
}

#[test]
fn a_refused_document_is_not_kept_and_is_refused_again() {
    let limits = Limits {
        aliases: 2,
        ..Limits::default()
    };
    let (_dir, schema) = schema_with_limits(&[("a.txt", ARTICLE)], limits);
    let query = "{ a: stats { documents } b: stats { documents } c: stats { documents } }";
    for _ in 0..2 {
        let v = run_checked(&schema, Request::new(query));
        assert_eq!(
            v["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
            "{v}"
        );
    }
    let cache = schema.data::<DocumentCache>().unwrap();
    assert_eq!(cache.len(), 0);
    let v = run_checked(&schema, Request::new("{ a: stats { documents } }"));
    assert_eq!(v["data"]["a"]["documents"], 1, "{v}");
    assert_eq!(cache.len(), 1);
}

#[test]
fn a_neighbourhood_answers_the_same_on_the_runtime_and_on_a_blocking_thread() {
    let query = "{ neighborhood(actor: \"France\", depth: 3) { center { name } actorCount truncated hops { depth actorCount relationCount actors { name } } } }";
    let answer = |inline_scan: usize| {
        let limits = Limits {
            inline_scan,
            ..Limits::default()
        };
        let (_dir, schema) = schema_with_limits(&[("accords.txt", &dense_article(3))], limits);
        run_checked(&schema, Request::new(query))
    };
    // 0: every neighbourhood moves to the blocking pool; the default
    // answers this one where it is.
    let (moved, inline) = (answer(0), answer(Limits::default().inline_scan));
    assert!(moved["errors"].is_null(), "{moved}");
    // Each country has 6 neighbours: three rings of 6.
    assert_eq!(moved["data"]["neighborhood"]["actorCount"], 18, "{moved}");
    assert_eq!(moved, inline);
}

#[test]
fn run_says_whether_the_operation_that_ran_was_a_query() {
    let (_dir, schema) = schema_with(&[("a.txt", ARTICLE)]);
    let is_query = |request: Request| block_on(crate::run(&schema, request)).query;
    assert!(is_query(Request::new("{ stats { actors } }")));
    assert!(is_query(Request::new("query Q { stats { actors } }")));
    assert!(!is_query(Request::new(
        "mutation { deleteDocument(id: \"0\") }"
    )));
    let both = "query Q { stats { actors } } mutation M { deleteDocument(id: \"0\") }";
    assert!(is_query(Request::new(both).operation_name("Q")));
    assert!(!is_query(Request::new(both).operation_name("M")));
    // Ambiguous or unknown operations are errors, not queries.
    assert!(!is_query(Request::new(both)));
    assert!(!is_query(Request::new(both).operation_name("X")));
    assert!(!is_query(
        Request::new("{ stats { actors } }").operation_name("Q")
    ));
    // Refused before it runs.
    assert!(!is_query(Request::new("{ ".repeat(100))));
}
