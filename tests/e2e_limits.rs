//! End-to-end tests of the abuse limits on a query document (issue 16, in
//! the manner of GraphQL Armor): tokens, directives and aliases, each
//! refused with LIMIT_EXCEEDED before the document is parsed, at their
//! defaults and as set by `serve --max-tokens`, `--max-directives` and
//! `--max-aliases`, spoken to over HTTP on the real binary
//! (`newsgraph serve` on 127.0.0.1:0, an empty store).

// Test harness code: a panic is how a helper reports a failed check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{data, errors, Scratch, Server};
use serde_json::Value;

/// The first error's message, after checking that it is LIMIT_EXCEEDED.
fn limit_exceeded(v: &Value) -> String {
    let errs = errors(v);
    assert!(!errs.is_empty(), "expected a LIMIT_EXCEEDED error, got {v}");
    assert_eq!(errs[0]["extensions"]["code"], "LIMIT_EXCEEDED", "{v}");
    assert!(v["data"].is_null(), "a refused query has no data: {v}");
    errs[0]["message"].as_str().unwrap_or_default().to_owned()
}

/// `{ stats { documents } }` with `directives` `@include(if: true)` on
/// `stats`.
fn included(directives: usize) -> String {
    format!(
        "{{ stats{} {{ documents }} }}",
        " @include(if: true)".repeat(directives)
    )
}

/// `{ stats { documents @include(if: true) ... } }`: `directives` fields,
/// one directive each (the same directive twice on one field is refused
/// by validation).
fn directed(directives: usize) -> String {
    format!(
        "{{ stats {{ {}}} }}",
        "documents @include(if: true) ".repeat(directives)
    )
}

/// `aliases` aliased `stats { documents }`.
fn aliased(aliases: usize) -> String {
    let fields: Vec<String> = (0..aliases)
        .map(|i| format!("a{i}: stats {{ documents }}"))
        .collect();
    format!("{{ {} }}", fields.join(" "))
}

/// `{ stats { documents documents ... } }` of exactly `tokens` tokens
/// (at least 6).
fn tokens(tokens: usize) -> String {
    format!("{{ stats {{ {}}} }}", "documents ".repeat(tokens - 5))
}

#[test]
fn five_thousand_includes_on_one_field_are_limit_exceeded() {
    // Given a server with the default limits
    let scratch = Scratch::new();
    let server = Server::start(&scratch, &[]);

    // When one field carries 5,000 `@include` (90 kilobytes, which were
    // parsed and validated into 4,999 "Duplicate directive" errors)
    let v = server.graphql(&included(5_000));

    // Then it is one LIMIT_EXCEEDED error, naming the limit and its
    // default of 50
    let message = limit_exceeded(&v);
    assert_eq!(errors(&v).len(), 1, "{v}");
    assert!(
        message.contains("directives") && message.contains("at most 50"),
        "{message}"
    );
    // And 50 directives, one a field, are answered
    let v = server.graphql(&directed(50));
    assert_eq!(data(&v)["stats"]["documents"], 0, "{v}");
}

#[test]
fn the_default_caps_refuse_one_over() {
    // Given a server with the default limits
    let scratch = Scratch::new();
    let server = Server::start(&scratch, &[]);

    // When a query has 5,000 tokens, then 5,001
    // Then the first is answered, the second is LIMIT_EXCEEDED
    data(&server.graphql(&tokens(5_000)));
    let message = limit_exceeded(&server.graphql(&tokens(5_001)));
    assert!(
        message.contains("5,001 tokens") && message.contains("at most 5,000"),
        "{message}"
    );

    // When a query has 30 aliases, then 31 (in a fragment)
    // Then the first is answered, the second is LIMIT_EXCEEDED
    assert_eq!(data(&server.graphql(&aliased(30)))["a29"]["documents"], 0);
    let fields: Vec<String> = (0..31).map(|i| format!("a{i}: documents")).collect();
    let in_fragment = format!(
        "{{ stats {{ ...S }} }} fragment S on Stats {{ {} }}",
        fields.join(" ")
    );
    let message = limit_exceeded(&server.graphql(&in_fragment));
    assert!(
        message.contains("31 aliases") && message.contains("at most 30"),
        "{message}"
    );
}

#[test]
fn serve_flags_set_each_cap() {
    // Given a server with lower caps
    let scratch = Scratch::new();
    let server = Server::start(
        &scratch,
        &[
            "--max-tokens",
            "40",
            "--max-directives",
            "2",
            "--max-aliases",
            "3",
        ],
    );

    // When each count is at its cap, then one over
    // Then the first is answered and the second is LIMIT_EXCEEDED, naming
    // the limit and the cap the flag set
    for (at_cap, over, names) in [
        (tokens(40), tokens(41), "41 tokens"),
        (directed(2), directed(3), "3 directives"),
        (aliased(3), aliased(4), "4 aliases"),
    ] {
        data(&server.graphql(&at_cap));
        let message = limit_exceeded(&server.graphql(&over));
        assert!(message.contains(names), "{message}");
        let cap = names.split(' ').next().unwrap().parse::<usize>().unwrap() - 1;
        assert!(message.contains(&format!("at most {cap} ")), "{message}");
    }
    // And the server still answers
    data(&server.graphql("{ stats { documents } }"));
}

#[test]
fn the_new_limits_answer_like_the_existing_ones() {
    // Given a server with the default limits
    let scratch = Scratch::new();
    let server = Server::start(&scratch, &[]);
    let post = |query: &str| {
        let body = serde_json::json!({ "query": query }).to_string();
        common::post(
            server.port(),
            "/graphql",
            "application/json",
            body.as_bytes(),
        )
    };

    // When a query is nested too deep (a limit older than these), and
    // others have too many tokens, directives or aliases
    let nested = format!(
        "{{ actors(search: {}\"x\"{}) {{ totalCount }} }}",
        "[".repeat(100),
        "]".repeat(100)
    );
    let reference = post(&nested);
    assert_eq!(
        reference.json()["errors"][0]["extensions"]["code"],
        "LIMIT_EXCEEDED"
    );

    // Then each is LIMIT_EXCEEDED with the same HTTP status and content type
    for query in [tokens(6_000), included(51), aliased(31)] {
        let response = post(&query);
        assert_eq!(response.status, reference.status, "{}", response.text());
        assert_eq!(
            response.header("content-type"),
            reference.header("content-type")
        );
        limit_exceeded(&response.json());
    }
}
