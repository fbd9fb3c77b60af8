//! The server's metrics: what `GET /metrics` reports, in the Prometheus
//! text exposition format (version 0.0.4), written by `prometheus-client`.
//!
//! Counted as requests go by, with atomics and locks that are never held
//! across an `.await`: GraphQL requests by operation and outcome, their
//! latency, HTTP requests by route and status class, and the documents
//! that mutations wrote. Read at each scrape instead, since they already
//! exist: the view's counts, the store's size on disk and the response
//! cache's hits and misses ([`Snapshot`]).
//!
//! The operation label is what a dashboard wants to group by, but it comes
//! from the client: the request's `operationName` when it has one, else
//! its root fields (`actor+search`). So the labels are bounded: at most
//! [`MAX_OPERATIONS`] distinct values, each at most [`MAX_LABEL_BYTES`]
//! long; later ones count as `other`, and a client cannot grow the
//! exposition (or Prometheus's series) without bound. Finding the root
//! fields means parsing the document, which the server does not want to
//! do twice: the label is remembered by a hash of the query text (and of
//! the response cache's key, so that a cached answer is labelled like the
//! request that computed it), and a document that a limit refused or
//! stopped is never parsed for a label at all (it may be one the limits
//! exist to keep from being parsed): unless its label is already known,
//! it is `unknown`.
//!
//! Who may read `/metrics` follows the rule for mutations ([`Exposure`]):
//! a loopback address serves it, another one only when the operator says
//! so (`serve --metrics`), since request counts and the graph's size are
//! the operator's business. `serve --no-metrics` turns the endpoint off
//! everywhere. Where it is not served, nothing is counted.

use std::hash::Hasher as _;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use newsgraph_graphql::ErrorCode;
use newsgraph_store::Store;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{
    prometheus_text, DescriptorEncoder, EncodeLabelSet, EncodeMetric as _,
};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};

use crate::adapters::{Change, CountChanges};
use crate::responses::ResponseCache;

/// Distinct operation labels at most; the ones after count as `other`.
pub const MAX_OPERATIONS: usize = 100;
/// Longest operation label, in bytes (cut at a character boundary).
pub const MAX_LABEL_BYTES: usize = 100;
/// Query texts and cache keys whose operation label is remembered; the
/// memory is dropped and refilled when full.
const MAX_REMEMBERED: usize = 4096;
/// The latency buckets, in seconds: a cached answer takes tens of
/// microseconds, a deep traversal seconds, the default timeout 30 s.
const LATENCY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// The operation label when it is not known (see the module documentation).
const UNKNOWN: &str = "unknown";
/// The operation label past [`MAX_OPERATIONS`].
const OTHER: &str = "other";

/// Where `/metrics` is served (`serve --metrics` / `--no-metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Exposure {
    /// On a loopback address only (the default): a non-loopback one
    /// answers 404, as it refuses mutations without a token.
    #[default]
    Loopback,
    /// On any address: the operator opted in (`--metrics`).
    Always,
    /// Nowhere (`--no-metrics`).
    Never,
}

impl Exposure {
    /// Whether a server bound to a loopback address (or not) serves `/metrics`.
    pub fn serves(self, loopback: bool) -> bool {
        match self {
            Exposure::Loopback => loopback,
            Exposure::Always => true,
            Exposure::Never => false,
        }
    }
}

/// How a GraphQL request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// An answer without errors (computed or from the response cache).
    Ok,
    /// An answer with errors, none of them a limit or a refused mutation.
    Error,
    /// A limit refused or stopped it (`LIMIT_EXCEEDED`: cost, size, time,
    /// a busy server, a body too large or too slow).
    LimitExceeded,
    /// A mutation without the right to write (`UNAUTHORIZED`).
    Unauthorized,
    /// Not a GraphQL request the server would run: refused before GraphQL
    /// saw it (wrong media type, a mutation over GET, no query).
    Refused,
}

impl Outcome {
    /// The label value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error => "error",
            Outcome::LimitExceeded => "limit_exceeded",
            Outcome::Unauthorized => "unauthorized",
            Outcome::Refused => "refused",
        }
    }

    /// How a request that GraphQL never saw ended, from its status: a
    /// limit's (too many in flight, a body too large or too slow), else
    /// refused.
    pub fn before_graphql(status: StatusCode) -> Outcome {
        match status {
            StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::REQUEST_TIMEOUT => Outcome::LimitExceeded,
            _ => Outcome::Refused,
        }
    }

    /// How an answer that GraphQL produced ended, from its error codes.
    pub fn of(response: &async_graphql::Response) -> Outcome {
        let has = |code: ErrorCode| response.errors.iter().any(|e| code.is_on(e));
        if response.errors.is_empty() {
            Outcome::Ok
        } else if has(ErrorCode::LimitExceeded) {
            Outcome::LimitExceeded
        } else if has(ErrorCode::Unauthorized) {
            Outcome::Unauthorized
        } else {
            Outcome::Error
        }
    }
}

/// What the `/graphql` handler tells the metrics layer about a request, as
/// an extension of its response (never sent to the client). A response
/// without one was refused before GraphQL saw it ([`Outcome::before_graphql`]).
#[derive(Debug, Clone)]
pub struct Answered {
    operation: Arc<str>,
    outcome: Outcome,
}

impl Answered {
    /// `response` with this record attached.
    pub fn mark(answered: Option<Answered>, mut response: Response) -> Response {
        if let Some(answered) = answered {
            response.extensions_mut().insert(answered);
        }
        response
    }
}

/// A request's operation label before it runs: known, or to be found in
/// its query text once it has run (see [`Metrics::answered`]).
#[derive(Debug)]
pub struct Pending(PendingLabel);

#[derive(Debug)]
enum PendingLabel {
    Off,
    Known(Arc<str>),
    FromQuery { hash: u64, query: String },
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct GraphqlLabels {
    operation: Arc<str>,
    outcome: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    route: String,
    status: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WrittenLabels {
    change: &'static str,
}

/// The label value of a change.
const fn change_label(change: Change) -> &'static str {
    match change {
        Change::Added => "added",
        Change::Replaced => "replaced",
        Change::Unchanged => "unchanged",
        Change::Deleted => "deleted",
    }
}

/// The counter of documents written, handed to the ingest port
/// ([`crate::adapters::counted_ports`]).
#[derive(Debug, Clone, Default)]
pub struct DocumentsWritten(Family<WrittenLabels, Counter>);

impl CountChanges for DocumentsWritten {
    fn count(&self, change: Change) {
        self.0
            .get_or_create(&WrittenLabels {
                change: change_label(change),
            })
            .inc();
    }
}

/// Operation labels handed out so far and the ones remembered.
#[derive(Debug, Default)]
struct Names {
    labels: FxHashSet<Arc<str>>,
    /// Hash of a query text without `operationName` -> its label.
    by_query: FxHashMap<u64, Arc<str>>,
    /// Hash of a response-cache key -> the label of the request it answered.
    by_key: FxHashMap<u64, Arc<str>>,
}

impl Names {
    /// The label for `name`, within the bounds.
    fn intern(&mut self, name: &str) -> Arc<str> {
        let name = cut(name, MAX_LABEL_BYTES);
        if let Some(label) = self.labels.get(name) {
            return label.clone();
        }
        if self.labels.len() >= MAX_OPERATIONS {
            return Arc::from(OTHER);
        }
        let label: Arc<str> = Arc::from(name);
        self.labels.insert(label.clone());
        label
    }
}

fn remember(map: &mut FxHashMap<u64, Arc<str>>, hash: u64, label: Arc<str>) {
    if map.len() >= MAX_REMEMBERED {
        map.clear();
    }
    map.insert(hash, label);
}

fn hash(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The server's metrics (see the module documentation).
#[derive(Debug)]
pub struct Metrics {
    enabled: bool,
    registry: Registry,
    graphql: Family<GraphqlLabels, Counter>,
    latency: Histogram,
    http: Family<HttpLabels, Counter>,
    written: DocumentsWritten,
    names: Mutex<Names>,
}

impl Metrics {
    /// Metrics of a server over `store` with the response cache `responses`.
    pub fn new(store: Arc<Store>, responses: Option<Arc<ResponseCache>>) -> Metrics {
        let mut metrics = Metrics::off();
        metrics.enabled = true;
        let registry = &mut metrics.registry;
        registry.register(
            "graphql_requests",
            "GraphQL requests by operation (operationName, else the root fields; \
             at most 100 values, then \"other\") and outcome",
            metrics.graphql.clone(),
        );
        registry.register_with_unit(
            "graphql_request_duration",
            "Time from a GraphQL request's headers to its answer",
            Unit::Seconds,
            metrics.latency.clone(),
        );
        registry.register(
            "http_requests",
            "HTTP requests by route and status class",
            metrics.http.clone(),
        );
        registry.register(
            "documents_written",
            "Documents changed by the ingestArticle and deleteDocument mutations, by change",
            metrics.written.0.clone(),
        );
        registry.register_collector(Box::new(Snapshot { store, responses }));
        metrics
    }

    /// Metrics that count nothing (`serve --no-metrics`).
    pub fn off() -> Metrics {
        Metrics {
            enabled: false,
            registry: Registry::with_prefix("newsgraph"),
            graphql: Family::default(),
            latency: Histogram::new(LATENCY_BUCKETS),
            http: Family::default(),
            written: DocumentsWritten::default(),
            names: Mutex::new(Names::default()),
        }
    }

    /// Whether anything is counted.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// The counter the ingest port counts written documents with.
    pub fn written(&self) -> Option<Arc<dyn CountChanges>> {
        self.enabled
            .then(|| Arc::new(self.written.clone()) as Arc<dyn CountChanges>)
    }

    fn names(&self) -> std::sync::MutexGuard<'_, Names> {
        // Every update leaves the maps consistent; a poisoned lock's data
        // is still usable.
        self.names.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The operation label of `request`, when it is known before it runs.
    pub fn pending(&self, request: &async_graphql::Request) -> Pending {
        if !self.enabled {
            return Pending(PendingLabel::Off);
        }
        if let Some(name) = &request.operation_name {
            return Pending(PendingLabel::Known(self.names().intern(name)));
        }
        let hash = hash(request.query.as_bytes());
        match self.names().by_query.get(&hash) {
            Some(label) => Pending(PendingLabel::Known(label.clone())),
            None => Pending(PendingLabel::FromQuery {
                hash,
                query: request.query.clone(),
            }),
        }
    }

    /// The record of a request that GraphQL answered with `response`.
    ///
    /// A label still unknown is read from the query's root fields, unless
    /// a limit refused it: that document may be one the limits exist to
    /// keep from being parsed.
    pub fn answered(
        &self,
        pending: Pending,
        response: &async_graphql::Response,
    ) -> Option<Answered> {
        if matches!(pending.0, PendingLabel::Off) {
            return None;
        }
        let outcome = Outcome::of(response);
        let operation = match pending.0 {
            PendingLabel::Off => return None,
            PendingLabel::Known(label) => label,
            PendingLabel::FromQuery { .. } if outcome == Outcome::LimitExceeded => {
                Arc::from(UNKNOWN)
            }
            PendingLabel::FromQuery { hash, query } => {
                let fields = operation_label(&query);
                let mut names = self.names();
                let label = match fields {
                    Some(fields) => names.intern(&fields),
                    None => Arc::from(UNKNOWN),
                };
                remember(&mut names.by_query, hash, label.clone());
                label
            }
        };
        Some(Answered { operation, outcome })
    }

    /// Remembers the label of the request whose answer the response cache
    /// keeps under `key`.
    pub fn kept(&self, key: &[u8], answered: Option<&Answered>) {
        if let Some(answered) = answered {
            let mut names = self.names();
            remember(&mut names.by_key, hash(key), answered.operation.clone());
        }
    }

    /// The record of a request answered from the response cache under `key`.
    pub fn cached(&self, key: &[u8]) -> Option<Answered> {
        if !self.enabled {
            return None;
        }
        let operation = self
            .names()
            .by_key
            .get(&hash(key))
            .cloned()
            .unwrap_or_else(|| Arc::from(UNKNOWN));
        Some(Answered {
            operation,
            outcome: Outcome::Ok,
        })
    }

    /// The exposition, in the Prometheus text format.
    fn exposition(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::with_capacity(16 * 1024);
        prometheus_text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// The label of the operation a request without `operationName` runs:
/// its name in the document (`query Timeline { ... }`), else its sorted,
/// distinct root fields (`actor+search`), fragments at the root included;
/// None when the document does not parse or has several operations.
fn operation_label(query: &str) -> Option<String> {
    use async_graphql::parser::types::{DocumentOperations, Selection, SelectionSet};
    let document = async_graphql::parser::parse_query(query).ok()?;
    let operation = match &document.operations {
        DocumentOperations::Single(operation) => operation,
        DocumentOperations::Multiple(operations) if operations.len() == 1 => {
            return operations.keys().next().map(|name| name.to_string());
        }
        DocumentOperations::Multiple(_) => return None,
    };
    let mut fields: Vec<&str> = Vec::new();
    // Fragments may spread one another; each is visited once.
    let mut visited = FxHashSet::default();
    let mut stack: Vec<&SelectionSet> = vec![&operation.node.selection_set.node];
    while let Some(set) = stack.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => fields.push(field.node.name.node.as_str()),
                Selection::InlineFragment(inline) => stack.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    if visited.insert(name.as_str()) {
                        if let Some(fragment) = document.fragments.get(name) {
                            stack.push(&fragment.node.selection_set.node);
                        }
                    }
                }
            }
        }
    }
    fields.sort_unstable();
    fields.dedup();
    (!fields.is_empty()).then(|| fields.join("+"))
}

/// Reads what already exists at each scrape: the view's counts, the
/// store's size on disk, the response cache's hits and misses.
#[derive(Debug)]
struct Snapshot {
    store: Arc<Store>,
    responses: Option<Arc<ResponseCache>>,
}

impl Snapshot {
    fn gauge(
        encoder: &mut DescriptorEncoder,
        name: &str,
        help: &str,
        unit: Option<&Unit>,
        value: u64,
    ) -> std::fmt::Result {
        let gauge = ConstGauge::new(value);
        gauge.encode(encoder.encode_descriptor(name, help, unit, gauge.metric_type())?)
    }

    fn counter(
        encoder: &mut DescriptorEncoder,
        name: &str,
        help: &str,
        value: u64,
    ) -> std::fmt::Result {
        let counter = ConstCounter::new(value);
        counter.encode(encoder.encode_descriptor(name, help, None, counter.metric_type())?)
    }
}

impl Collector for Snapshot {
    fn encode(&self, mut encoder: DescriptorEncoder) -> std::fmt::Result {
        let (documents, actors, relations) = {
            let view = self.store.view();
            (
                view.document_count(),
                view.actor_count(),
                view.relation_count(),
            )
        };
        let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        Snapshot::gauge(
            &mut encoder,
            "documents",
            "Documents in the graph.",
            None,
            count(documents),
        )?;
        Snapshot::gauge(
            &mut encoder,
            "actors",
            "Actors in the graph.",
            None,
            count(actors),
        )?;
        Snapshot::gauge(
            &mut encoder,
            "relations",
            "Relations in the graph.",
            None,
            count(relations),
        )?;
        match self.store.size_on_disk() {
            Ok(bytes) => Snapshot::gauge(
                &mut encoder,
                "store_size",
                "Bytes the store's files take on disk.",
                Some(&Unit::Bytes),
                bytes,
            )?,
            Err(e) => tracing::warn!("metrics: cannot read the store's size on disk: {e}"),
        }
        // Zero without a cache, so that a dashboard's rate() has a series.
        let stats = self.responses.as_ref().map(|cache| cache.stats());
        Snapshot::counter(
            &mut encoder,
            "response_cache_hits",
            "GraphQL requests answered from the response cache.",
            stats.map_or(0, |s| s.hits),
        )?;
        Snapshot::counter(
            &mut encoder,
            "response_cache_misses",
            "GraphQL queries looked up in the response cache and not found.",
            stats.map_or(0, |s| s.misses),
        )?;
        Ok(())
    }
}

/// `GET /metrics`.
pub async fn exposition(State(metrics): State<Arc<Metrics>>) -> Response {
    match metrics.exposition() {
        Ok(text) => (
            [(header::CONTENT_TYPE, prometheus_text::CONTENT_TYPE)],
            text,
        )
            .into_response(),
        Err(e) => {
            tracing::error!("cannot encode the metrics: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "cannot encode the metrics",
            )
                .into_response()
        }
    }
}

/// The route of the GraphQL endpoint, whose requests are also counted
/// and timed as GraphQL requests.
const GRAPHQL_ROUTE: &str = "/graphql";

/// Counts an HTTP request by its route (the router's pattern, such as
/// `/assets/{file}`, so the label is bounded; `unmatched` for a 404 of no
/// route) and its status class; and a `/graphql` one also by its
/// operation and outcome (the handler's [`Answered`]; refused without
/// one), timed up to the moment its answer is ready to send (answers are
/// never streamed). One layer for both: each layer costs a boxed future
/// per request.
pub async fn observe(
    State(metrics): State<Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let route = request.extensions().get::<MatchedPath>().cloned();
    let response = next.run(request).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    if route == GRAPHQL_ROUTE {
        let labels = match response.extensions().get::<Answered>() {
            Some(answered) => GraphqlLabels {
                operation: answered.operation.clone(),
                outcome: answered.outcome.as_str(),
            },
            None => GraphqlLabels {
                operation: Arc::from(UNKNOWN),
                outcome: Outcome::before_graphql(response.status()).as_str(),
            },
        };
        metrics.graphql.get_or_create(&labels).inc();
        metrics.latency.observe(started.elapsed().as_secs_f64());
    }
    let status = match response.status().as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    let labels = HttpLabels {
        route: route.to_owned(),
        status,
    };
    metrics.http.get_or_create(&labels).inc();
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_is_labelled_by_its_name_else_its_root_fields() {
        // Given documents with and without a name, with aliases, repeats
        // and fragments at the root
        for (query, expected) in [
            ("{ stats { documents } }", Some("stats")),
            ("query Timeline { stats { documents } }", Some("Timeline")),
            (
                "{ b: search(q: \"x\") { id } a: actor(id: 1) { id } search(q: \"y\") { id } }",
                Some("actor+search"),
            ),
            (
                "{ ...F } fragment F on Query { ...G stats { documents } } \
                 fragment G on Query { ...F actor(id: 1) { id } }",
                Some("actor+stats"),
            ),
            ("{ ... on Query { stats { documents } } }", Some("stats")),
            ("mutation { deleteDocument(id: 1) }", Some("deleteDocument")),
            ("{ stats ", None),
            (
                "query A { stats { documents } } query B { stats { actors } }",
                None,
            ),
        ] {
            // When its label is read
            // Then it is the name, or the field names (not the aliases)
            // once each, and nothing for a document that cannot run as is
            assert_eq!(operation_label(query).as_deref(), expected, "{query}");
        }
    }

    #[test]
    fn operation_labels_are_bounded_in_number_and_length() {
        // Given more distinct operation names than the bound, one very long
        let mut names = Names::default();
        let long = "é".repeat(MAX_LABEL_BYTES);
        let long_label = names.intern(&long);
        for i in 0..MAX_OPERATIONS * 2 {
            names.intern(&format!("Op{i}"));
        }
        // When they are interned
        // Then the long one is cut at a character boundary, no more than
        // the bound are kept, and a later name is "other"
        assert!(long_label.len() <= MAX_LABEL_BYTES && long.starts_with(&*long_label));
        assert_eq!(names.labels.len(), MAX_OPERATIONS);
        assert_eq!(&*names.intern("Brand new"), OTHER);
        assert_eq!(&*names.intern("Op1"), "Op1");
    }

    #[test]
    fn exposure_follows_the_bind_address_unless_told() {
        assert!(Exposure::Loopback.serves(true));
        assert!(!Exposure::Loopback.serves(false));
        assert!(Exposure::Always.serves(false));
        assert!(!Exposure::Never.serves(true));
    }
}
