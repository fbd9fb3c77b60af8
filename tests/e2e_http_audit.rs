//! `/graphql` against the GraphQL over HTTP spec: the `graphql-http`
//! conformance audit run with node (tests/http-audit; skipped with a
//! message when node or the package is missing), and one direct check per
//! rule it enforces, so that a break shows without node too.
//!
//! Given the seed corpus behind a running server, each test sends one
//! kind of request and checks the status, the content type and whether
//! the answer has `data`.

// Test harness code: a panic is how a helper reports a failed check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;
use std::time::Duration;

use common::{Scratch, Server};
use serde_json::Value;

/// How long the whole audit may take (it sends about 60 requests).
const AUDIT_TIMEOUT: Duration = Duration::from_secs(120);

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

fn seeded_server() -> (Scratch, Server) {
    let scratch = Scratch::new();
    common::ingest_seed(&scratch.db());
    let server = Server::start(&scratch, &[]);
    (scratch, server)
}

/// POSTs `body` as JSON to /graphql with exactly the `Accept` given.
fn post_accepting(server: &Server, accept: Option<&str>, body: &Value) -> common::Response {
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(accept) = accept {
        headers.push(("Accept", accept));
    }
    common::request_exact(
        server.port(),
        "POST",
        "/graphql",
        &headers,
        body.to_string().as_bytes(),
    )
    .expect("POST /graphql")
}

/// GETs /graphql with these URL parameters, accepting `accept`.
fn get_graphql(server: &Server, params: &[(&str, &str)], accept: &str) -> common::Response {
    let query: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{name}={}", url_encode(value)))
        .collect();
    let path = format!("/graphql?{}", query.join("&"));
    common::request_exact(server.port(), "GET", &path, &[("Accept", accept)], &[])
        .expect("GET /graphql")
}

/// Percent-encodes everything but the unreserved characters (RFC 3986).
fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn media_type(response: &common::Response) -> String {
    response
        .header("content-type")
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Asserts a 400 answer in `application/graphql-response+json` with
/// errors and no `data` entry at all.
fn assert_refused_without_data(response: &common::Response, what: &str) {
    assert_eq!(response.status, 400, "{what}: {}", response.text());
    assert_eq!(media_type(response), GRAPHQL_RESPONSE_JSON, "{what}");
    let v = response.json();
    assert!(v.get("data").is_none(), "{what}: has a data entry: {v}");
    assert!(!common::errors(&v).is_empty(), "{what}: no errors: {v}");
}

#[test]
fn a_client_that_accepts_only_json_gets_json() {
    // Given a running server
    let (_scratch, server) = seeded_server();
    let query = serde_json::json!({ "query": "{ stats { documents } }" });
    for accept in [Some("application/json"), Some("*/*"), None] {
        // When a query is asked by a client that accepts JSON (or anything)
        let response = post_accepting(&server, accept, &query);
        // Then the answer is application/json, asked twice (the second
        // from the response cache) alike
        assert_eq!(response.status, 200, "{accept:?}: {}", response.text());
        assert_eq!(media_type(&response), "application/json", "{accept:?}");
        assert_eq!(response.json()["data"]["stats"]["documents"], 5);
    }
    // And a client that prefers the GraphQL response type gets it, also
    // for an answer kept in the cache
    for _ in 0..2 {
        let response = post_accepting(
            &server,
            Some("application/graphql-response+json, application/json;q=0.9"),
            &query,
        );
        assert_eq!(response.status, 200);
        assert_eq!(media_type(&response), GRAPHQL_RESPONSE_JSON);
    }
    let response = post_accepting(&server, Some("application/json"), &query);
    assert_eq!(media_type(&response), "application/json");
}

#[test]
fn a_request_that_fails_before_running_is_a_400_without_data() {
    // Given a running server and a client that accepts the GraphQL
    // response type
    let (_scratch, server) = seeded_server();
    let accept = Some(GRAPHQL_RESPONSE_JSON);
    // When the document does not parse
    let response = post_accepting(&server, accept, &serde_json::json!({ "query": "{" }));
    // Then the answer is a 400 without data
    assert_refused_without_data(&response, "parse error");
    // When it does not validate (no such field)
    let response = post_accepting(
        &server,
        accept,
        &serde_json::json!({ "query": "{ noSuchField }" }),
    );
    assert_refused_without_data(&response, "validation error");
    // When its variables do not fit their types
    let response = post_accepting(
        &server,
        accept,
        &serde_json::json!({
            "query": "query ($first: Int) { actors(first: $first) { totalCount } }",
            "variables": { "first": "many" },
        }),
    );
    assert_refused_without_data(&response, "variable coercion error");
    // And a client that accepts only application/json gets the same
    // errors, without data, with the 200 that type keeps
    let response = post_accepting(
        &server,
        Some("application/json"),
        &serde_json::json!({ "query": "{" }),
    );
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(media_type(&response), "application/json");
    let v = response.json();
    assert!(v.get("data").is_none(), "{v}");
    assert!(!common::errors(&v).is_empty(), "{v}");
}

#[test]
fn a_query_whose_field_fails_keeps_its_data_and_200() {
    // Given a running server
    let (_scratch, server) = seeded_server();
    // When a query runs and one of its fields is not found
    let response = post_accepting(
        &server,
        Some(GRAPHQL_RESPONSE_JSON),
        &serde_json::json!({ "query": r#"{ stats { documents } actor(name: "Nobody At All") { name } }"# }),
    );
    // Then it ran: 200, with data for what resolved
    assert_eq!(response.status, 200, "{}", response.text());
    let v = response.json();
    assert_eq!(v["data"]["stats"]["documents"], 5, "{v}");
}

#[test]
fn a_post_that_is_not_json_is_refused() {
    // Given a running server
    let (_scratch, server) = seeded_server();
    let body = serde_json::json!({ "query": "{ stats { documents } }" }).to_string();
    // When a query is POSTed without a content type, or as text/plain
    // (which a browser sends cross-site without asking)
    let untyped = common::request(server.port(), "POST", "/graphql", &[], body.as_bytes())
        .expect("POST /graphql");
    let text = common::post(server.port(), "/graphql", "text/plain", body.as_bytes());
    // Then both are refused with a 4xx
    for (what, response) in [("no content type", untyped), ("text/plain", text)] {
        assert!(
            (400..500).contains(&response.status),
            "{what}: {} {}",
            response.status,
            response.text()
        );
        assert!(!common::errors(&response.json()).is_empty(), "{what}");
    }
}

#[test]
fn a_request_without_a_query_is_a_400() {
    // Given a running server
    let (_scratch, server) = seeded_server();
    // When a JSON body, or a GET's URL, has no `query` (a typo in its name)
    let body = serde_json::json!({ "qeury": "{ stats { documents } }" });
    let posted = post_accepting(&server, Some("application/json"), &body);
    let got = get_graphql(
        &server,
        &[("qeury", "{ stats { documents } }")],
        "application/json",
    );
    // Then both are refused with 400 and an error, whatever the media type
    for (what, response) in [("POST", posted), ("GET", got)] {
        assert_eq!(response.status, 400, "{what}: {}", response.text());
        assert_eq!(media_type(&response), "application/json", "{what}");
        let v = response.json();
        assert!(v.get("data").is_none(), "{what}: {v}");
        assert!(!common::errors(&v).is_empty(), "{what}: {v}");
    }
}

#[test]
fn a_get_runs_a_query_from_the_url() {
    // Given a running server
    let (_scratch, server) = seeded_server();
    // When a query with variables and an operation name is sent as GET,
    // twice (the second answer from the response cache)
    for accept in ["application/json", GRAPHQL_RESPONSE_JSON] {
        let response = get_graphql(
            &server,
            &[
                (
                    "query",
                    "query Other { stats { actors } } query Count($first: Int) { actors(first: $first) { edges { node { name } } } }",
                ),
                ("variables", r#"{"first": 2}"#),
                ("operationName", "Count"),
            ],
            accept,
        );
        // Then it runs the named operation with those variables
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(media_type(&response), accept);
        let v = response.json();
        let edges = v["data"]["actors"]["edges"].as_array().cloned();
        assert_eq!(edges.map(|e| e.len()), Some(2), "{v}");
    }
}

#[test]
fn a_get_never_runs_a_mutation() {
    // Given a running server holding the five seed articles
    let (_scratch, server) = seeded_server();
    let mutation = r#"mutation { ingestArticle(file: "get.txt", text: "Japan urged South Korea to lift its export curbs.") { outcome } }"#;
    // When a mutation is sent as GET, alone or named among queries
    let alone = get_graphql(&server, &[("query", mutation)], "application/json");
    let named = get_graphql(
        &server,
        &[
            (
                "query",
                &format!(
                    "query Q {{ stats {{ documents }} }} {}",
                    mutation.replacen("mutation", "mutation M", 1)
                ),
            ),
            ("operationName", "M"),
        ],
        GRAPHQL_RESPONSE_JSON,
    );
    // Then both are refused with 405 and Allow: POST
    for (what, response) in [("alone", alone), ("named", named)] {
        assert_eq!(response.status, 405, "{what}: {}", response.text());
        assert_eq!(response.header("allow"), Some("POST"), "{what}");
        assert!(response.json().get("data").is_none(), "{what}");
    }
    // And nothing was stored
    let v = server.graphql("{ stats { documents } }");
    assert_eq!(common::data(&v)["stats"]["documents"], 5, "{v}");
}

/// Where node is, if it is installed.
fn node() -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("node"))
        .find(|candidate| candidate.is_file())
}

#[test]
fn the_graphql_http_audit_finds_nothing_to_fix() {
    let audit_dir = common::repo_root().join("tests/http-audit");
    let Some(node) = node() else {
        eprintln!("skipping: node is not installed (.ci/run installs it); the graphql-http audit did not run");
        return;
    };
    if !audit_dir
        .join("node_modules/graphql-http/package.json")
        .is_file()
    {
        eprintln!(
            "skipping: graphql-http is not installed (run `npm ci --prefix tests/http-audit`, as .ci/run does); the audit did not run"
        );
        return;
    }
    // Given a running server
    let (_scratch, server) = seeded_server();
    // When the graphql-http audit runs against it
    let url = format!("http://127.0.0.1:{}/graphql", server.port());
    let mut cmd = Command::new(node);
    cmd.arg(audit_dir.join("audit.mjs")).arg(&url);
    let run = common::run_for(cmd, AUDIT_TIMEOUT);
    assert!(
        run.status.is_some_and(|s| s.success()),
        "the audit did not finish ({:?}):\nstdout:\n{}\nstderr:\n{}",
        run.status,
        run.stdout,
        run.stderr
    );
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("the audit printed no JSON ({e}):\n{}", run.stdout));
    let failures = |level: &str| {
        report["failures"][level]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let (must, should, may) = (failures("must"), failures("should"), failures("may"));
    eprintln!(
        "graphql-http audit: {} audits, {} passed; failures: {} MUST, {} SHOULD, {} MAY",
        report["audits"],
        report["passed"],
        must.len(),
        should.len(),
        may.len()
    );
    for failure in &may {
        eprintln!(
            "  MAY {} {}: {}",
            failure["id"], failure["name"], failure["reason"]
        );
    }
    // Then no MUST and no SHOULD fails
    assert!(must.is_empty(), "MUST failures: {must:#?}");
    assert!(should.is_empty(), "SHOULD failures: {should:#?}");
}
