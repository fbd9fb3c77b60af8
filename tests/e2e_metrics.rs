//! End-to-end tests of `GET /metrics` (issue 16): the real server on
//! 127.0.0.1:0 is sent requests of each outcome, then scraped, and the
//! exposition is read with `prometheus-parse` as a scraper would read the
//! Prometheus text format: the counters moved by what was sent, the
//! latency histogram adds up, the gauges say what `stats` says. And who
//! may read it: `--no-metrics` turns it off, and an address other than
//! loopback serves it only with `--metrics`.

// Test harness code: a panic is how a helper reports a failed check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{data, errors, Scratch, Server};
use prometheus_parse::{LineInfo, Scrape, Value as Metric};
use serde_json::Value;

/// What one scrape said: each sample by its name and sorted labels (a
/// histogram is one sample, under its base name, with its buckets).
struct Exposition {
    samples: HashMap<(String, Vec<(String, String)>), Metric>,
}

impl Exposition {
    /// `GET /metrics`, checked for its status and content type, and parsed.
    fn scrape(port: u16) -> Exposition {
        let response = common::get(port, "/metrics");
        assert_eq!(response.status, 200, "{}", response.text());
        assert_eq!(
            response.header("content-type"),
            Some("text/plain; version=0.0.4; charset=utf-8")
        );
        let text = response.text();
        // The parser skips what it cannot read; every line must be a
        // comment or a sample it can.
        for line in text.lines() {
            assert!(
                line.starts_with('#') || matches!(LineInfo::parse(line), LineInfo::Sample { .. }),
                "not a sample line: {line:?}\n{text}"
            );
        }
        let scrape = Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).expect("parsing");
        let samples = scrape
            .samples
            .into_iter()
            .map(|sample| {
                let mut labels: Vec<(String, String)> = sample
                    .labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                labels.sort();
                ((sample.metric, labels), sample.value)
            })
            .collect();
        Exposition { samples }
    }

    /// The value of a counter, gauge or untyped sample (0 when absent: a
    /// labelled counter appears with its first increment).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        let mut labels: Vec<(String, String)> = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        labels.sort();
        match self.samples.get(&(name.to_owned(), labels)) {
            Some(Metric::Counter(v) | Metric::Gauge(v) | Metric::Untyped(v)) => *v,
            Some(other) => panic!("{name} is not a single value: {other:?}"),
            None => 0.0,
        }
    }

    /// Whether a sample of that name and no labels exists, and is a gauge.
    fn gauge(&self, name: &str) -> f64 {
        match self.samples.get(&(name.to_owned(), Vec::new())) {
            Some(Metric::Gauge(v)) => *v,
            other => panic!("{name} is not a gauge: {other:?}"),
        }
    }

    /// Every sample of a labelled counter, with its labels.
    fn family(&self, name: &str) -> Vec<(HashMap<String, String>, f64)> {
        self.samples
            .iter()
            .filter(|((metric, _), _)| metric == name)
            .map(|((_, labels), value)| match value {
                Metric::Counter(v) => (labels.iter().cloned().collect(), *v),
                other => panic!("{name} is not a counter: {other:?}"),
            })
            .collect()
    }

    /// The latency histogram's buckets (upper bound, cumulative count).
    fn latency_buckets(&self) -> Vec<(f64, f64)> {
        match self.samples.get(&(
            "newsgraph_graphql_request_duration_seconds".to_owned(),
            Vec::new(),
        )) {
            Some(Metric::Histogram(buckets)) => {
                buckets.iter().map(|b| (b.less_than, b.count)).collect()
            }
            other => panic!("no latency histogram: {other:?}"),
        }
    }
}

const REQUESTS: &str = "newsgraph_graphql_requests_total";

/// `aliases` aliased `stats { documents }`: over the default of 30, a
/// LIMIT_EXCEEDED refusal before the document is parsed.
fn aliased(aliases: usize) -> String {
    let fields: Vec<String> = (0..aliases)
        .map(|i| format!("a{i}: stats {{ documents }}"))
        .collect();
    format!("{{ {} }}", fields.join(" "))
}

#[test]
fn metrics_count_requests_by_operation_and_outcome_and_report_the_graph() {
    // Given a server on the seed corpus, scraped once before anything else
    let scratch = Scratch::new();
    common::ingest_seed(&scratch.db());
    let server = Server::start(&scratch, &[]);
    let port = server.port();
    let before = Exposition::scrape(port);

    // When it is sent a named query twice (the second answered from the
    // response cache), a query of two root fields, an invalid one, one
    // over the alias limit, an article ingested twice, a POST that is not
    // JSON, and the stats query
    for _ in 0..2 {
        let v = server.graphql("query Overview { stats { documents } }");
        data(&v);
    }
    data(&server.graphql(r#"{ stats { actors } actor(name: "Japan") { id } }"#));
    let v = server.graphql("{ nope }");
    assert_eq!(errors(&v)[0]["extensions"]["code"], "BAD_USER_INPUT", "{v}");
    let v = server.graphql(&aliased(31));
    assert_eq!(errors(&v)[0]["extensions"]["code"], "LIMIT_EXCEEDED", "{v}");
    let ingest = format!(
        "mutation {{ ingestArticle(file: \"trade.txt\", text: {}) {{ outcome }} }}",
        Value::from("Japan urged South Korea to lift its export curbs.")
    );
    let outcomes: Vec<Value> = (0..2)
        .map(|_| data(&server.graphql(&ingest))["ingestArticle"]["outcome"].clone())
        .collect();
    assert_eq!(outcomes, ["ADDED", "UNCHANGED"]);
    let refused = common::post(port, "/graphql", "text/plain", b"{ stats { documents } }");
    assert_eq!(refused.status, 415);
    let stats = data(&server.graphql("{ stats { documents actors relations } }"))["stats"].clone();
    let after = Exposition::scrape(port);

    // Then each request is counted once, by its operation (its name, else
    // its root fields; unknown when refused unparsed) and outcome
    let moved =
        |labels: &[(&str, &str)]| after.value(REQUESTS, labels) - before.value(REQUESTS, labels);
    for (operation, outcome, count) in [
        ("Overview", "ok", 2.0),
        ("actor+stats", "ok", 1.0),
        ("nope", "error", 1.0),
        ("unknown", "limit_exceeded", 1.0),
        ("ingestArticle", "ok", 2.0),
        ("unknown", "refused", 1.0),
        ("stats", "ok", 1.0),
    ] {
        assert_eq!(
            moved(&[("operation", operation), ("outcome", outcome)]),
            count,
            "{operation} {outcome}"
        );
    }
    let counted: f64 = after.family(REQUESTS).iter().map(|(_, v)| v).sum();
    assert_eq!(counted, 9.0, "no other request was counted");
    // And the latency histogram's buckets are cumulative, end at +Inf
    // with every request, and its count is the requests counted
    let buckets = after.latency_buckets();
    assert!(buckets.len() > 10, "{buckets:?}");
    assert!(
        buckets
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1),
        "{buckets:?}"
    );
    assert_eq!(buckets.last().copied(), Some((f64::INFINITY, counted)));
    assert_eq!(
        after.value("newsgraph_graphql_request_duration_seconds_count", &[]),
        counted
    );
    assert!(after.value("newsgraph_graphql_request_duration_seconds_sum", &[]) > 0.0);
    // And the response cache counted one hit, and a miss for each POST it
    // looked up (all but the one refused before)
    let cache = |name: &str| after.value(name, &[]) - before.value(name, &[]);
    assert_eq!(cache("newsgraph_response_cache_hits_total"), 1.0);
    assert_eq!(cache("newsgraph_response_cache_misses_total"), 7.0);
    // And the article was counted added, then unchanged
    let written =
        |change: &str| after.value("newsgraph_documents_written_total", &[("change", change)]);
    assert_eq!(
        (written("added"), written("unchanged"), written("replaced")),
        (1.0, 1.0, 0.0)
    );
    // And HTTP requests are counted by route and status class, the first
    // scrape included
    let http = |route: &str, status: &str| {
        after.value(
            "newsgraph_http_requests_total",
            &[("route", route), ("status", status)],
        ) - before.value(
            "newsgraph_http_requests_total",
            &[("route", route), ("status", status)],
        )
    };
    assert_eq!(http("/graphql", "2xx"), 8.0);
    assert_eq!(http("/graphql", "4xx"), 1.0);
    assert_eq!(http("/metrics", "2xx"), 1.0);
    // And the gauges are what `stats` says, the store's size is not 0
    for field in ["documents", "actors", "relations"] {
        assert_eq!(
            after.gauge(&format!("newsgraph_{field}")),
            stats[field].as_f64().unwrap(),
            "{field}"
        );
    }
    assert_eq!(after.gauge("newsgraph_documents"), 6.0);
    assert!(after.gauge("newsgraph_store_size_bytes") > 0.0);
}

#[test]
fn operation_labels_stop_at_a_hundred_and_the_rest_is_other() {
    // Given a server
    let scratch = Scratch::new();
    let server = Server::start(&scratch, &[]);

    // When it is sent 120 queries, each named differently
    for i in 0..120 {
        data(&server.graphql(&format!("query Op{i} {{ stats {{ documents }} }}")));
    }
    let after = Exposition::scrape(server.port());

    // Then there are 100 operation labels, and the last 20 queries are
    // counted as "other"
    let family = after.family(REQUESTS);
    assert_eq!(family.len(), 101, "{family:?}");
    let other: Vec<f64> = family
        .iter()
        .filter(|(labels, _)| labels["operation"] == "other")
        .map(|(_, v)| *v)
        .collect();
    assert_eq!(other, [20.0]);
}

#[test]
fn no_metrics_turns_the_endpoint_off() {
    // Given a server started with --no-metrics
    let scratch = Scratch::new();
    let server = Server::start(&scratch, &["--no-metrics"]);
    data(&server.graphql("{ stats { documents } }"));

    // When /metrics is asked for
    let response = common::get(server.port(), "/metrics");

    // Then there is no such page, and the rest still works
    assert_eq!(response.status, 404, "{}", response.text());
    assert_eq!(common::get(server.port(), "/healthz").status, 200);
}

/// `newsgraph serve` on every interface (0.0.0.0:0), read-only; killed
/// when dropped. The tests reach it only through 127.0.0.1.
struct Unspecified {
    child: Child,
    port: u16,
}

impl Unspecified {
    fn start(scratch: &Scratch, extra: &[&str]) -> Unspecified {
        let mut child = Command::new(common::bin())
            .args(["serve", "--read-only", "--addr", "0.0.0.0:0", "--db"])
            .arg(scratch.db())
            .args(extra)
            .env_remove("NEWSGRAPH_TOKEN")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawning newsgraph serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("reading the listening line");
        let port = line
            .strip_prefix("newsgraph listening on http://0.0.0.0:")
            .and_then(|rest| rest.split('/').next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"));
        Unspecified { child, port }
    }
}

impl Drop for Unspecified {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_non_loopback_address_serves_metrics_only_with_the_flag() {
    // Given a store
    let scratch = Scratch::new();
    common::ingest_seed(&scratch.db());

    // When a server on every interface is asked for /metrics
    let server = Unspecified::start(&scratch, &[]);
    // Then it has no such page (but answers GraphQL)
    assert_eq!(common::get(server.port, "/metrics").status, 404);
    data(&common::graphql(server.port, "{ stats { documents } }"));
    drop(server);

    // When it was started with --metrics
    let server = Unspecified::start(&scratch, &["--metrics"]);
    // Then it serves them
    let exposition = Exposition::scrape(server.port);
    assert_eq!(exposition.gauge("newsgraph_documents"), 5.0);
}
