//! `newsgraph serve`: the axum wiring around the GraphQL schema, the
//! embedded playground and the health check.
//!
//! Two limits bound what slow or numerous clients can hold: at most
//! `max_in_flight` HTTP requests are in progress at once (counted from the
//! moment their headers are read, so a request still sending its body
//! counts; the next one gets an immediate 503 instead of queuing), and a
//! GraphQL request body must arrive in full within `body_timeout` (a 408
//! otherwise), so a client trickling bytes holds its place for that long at
//! most. tower-http's `RequestBodyTimeoutLayer` was not enough: it times
//! the gap between two chunks, which a byte every few seconds never
//! exceeds. Past both, at most `max_concurrent` GraphQL requests execute at
//! once; the others wait up to 2 s for a slot. A query asked before, while
//! the graph has not changed, is answered from the response cache
//! ([`crate::responses`]) without one.
//!
//! `/graphql` speaks GraphQL over HTTP as the `graphql-http` audit checks
//! it (tests/e2e_http_audit.rs): a POST must carry a JSON body (415
//! otherwise); a GET takes `query`, `variables` and `operationName` from
//! the URL and runs queries only (a mutation gets 405); the answer comes
//! as the media type `Accept` prefers ([`AnswerType`]), and one that
//! failed before running has no `data` and, as
//! `application/graphql-response+json`, a 4xx/5xx status ([`answer`]).
//!
//! `/metrics` ([`crate::metrics`]) is served on a loopback address, and on
//! another one only with `--metrics`: the same line as for mutations,
//! which a non-loopback address refuses without a token.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{FromRequest as _, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use newsgraph_graphql::{build_schema, ErrorCode, Limits, NewsgraphSchema};
use newsgraph_store::Store;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::metrics::{Answered, Exposure, Metrics};
use crate::responses::ResponseCache;

/// Server settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: String,
    pub read_only: bool,
    pub cors_origins: Vec<String>,
    pub token: Option<String>,
    pub max_body: usize,
    pub timeout: Duration,
    pub max_concurrent: usize,
    /// Highest page-aware query cost accepted.
    pub max_cost: usize,
    /// Most tokens in one query document.
    pub max_tokens: usize,
    /// Most directives in one query document.
    pub max_directives: usize,
    /// Most field aliases in one query document.
    pub max_aliases: usize,
    /// How long a GraphQL request body may take to arrive in full.
    pub body_timeout: Duration,
    /// Most HTTP requests in progress at once (reading, queued or running).
    pub max_in_flight: usize,
    /// How long a connection may take to send a request's headers, and
    /// how long it may stay idle between requests, before it is closed.
    pub header_timeout: Duration,
    /// Bytes of answers the response cache may hold (0: no cache).
    pub response_cache: usize,
    /// Where `/metrics` is served (by default on loopback addresses only,
    /// like mutations without a token; see [`crate::metrics`]).
    pub metrics: Exposure,
}

#[derive(Clone)]
struct AppState {
    schema: NewsgraphSchema,
    store: Arc<Store>,
    token: Option<Arc<str>>,
    /// GraphQL requests in progress; one permit each.
    slots: Arc<tokio::sync::Semaphore>,
    max_concurrent: usize,
    body_timeout: Duration,
    /// Answers to repeated queries (None: disabled).
    responses: Option<Arc<ResponseCache>>,
    metrics: Arc<Metrics>,
}

/// HTTP requests in progress; one permit each.
#[derive(Clone)]
struct InFlight {
    permits: Arc<tokio::sync::Semaphore>,
    max: usize,
}

/// The playground page and its vendored assets (scripts/vendor-playground.sh).
const INDEX_HTML: &str = include_str!("../assets/playground/index.html");
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/playground/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/playground/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/playground/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/playground/react-dom.production.min.js"),
    ),
];

/// How long a GraphQL request waits for a free slot before it is refused.
const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// Builds the router (used by `serve` and by tests).
pub fn router(store: Arc<Store>, config: &Config, loopback: bool) -> Result<Router> {
    if !loopback && config.token.is_none() && !config.read_only {
        bail!("listening on a non-loopback address needs --token (or NEWSGRAPH_TOKEN) for mutations, or --read-only");
    }
    if config.max_in_flight < config.max_concurrent {
        bail!(
            "--max-in-flight ({}) must be at least --max-concurrent ({}): requests in flight include the running ones",
            config.max_in_flight,
            config.max_concurrent
        );
    }
    let limits = Limits {
        read_only: config.read_only,
        timeout: config.timeout,
        cost: config.max_cost,
        tokens: config.max_tokens,
        directives: config.max_directives,
        aliases: config.max_aliases,
        ..Limits::default()
    };
    let responses = ResponseCache::new(config.response_cache).map(Arc::new);
    // Nothing is counted that nobody may read.
    let metrics = Arc::new(if config.metrics.serves(loopback) {
        Metrics::new(store.clone(), responses.clone())
    } else {
        Metrics::off()
    });
    let ports = crate::adapters::counted_ports(store.clone(), metrics.written());
    let state = AppState {
        schema: build_schema(ports, limits),
        store,
        token: config.token.as_deref().map(Arc::from),
        slots: Arc::new(tokio::sync::Semaphore::new(config.max_concurrent)),
        max_concurrent: config.max_concurrent,
        body_timeout: config.body_timeout,
        responses,
        metrics: metrics.clone(),
    };
    let in_flight = InFlight {
        permits: Arc::new(tokio::sync::Semaphore::new(config.max_in_flight)),
        max: config.max_in_flight,
    };
    let mut app = Router::new()
        .route("/", get(playground))
        .route("/assets/{file}", get(asset))
        .route("/graphql", get(graphql_http).post(graphql_http))
        .route("/healthz", get(healthz))
        .merge(crate::explorer::router());
    // Not routed at all when not served: a 404 like any unknown path.
    if metrics.enabled() {
        app = app.route(
            "/metrics",
            get(crate::metrics::exposition).with_state(metrics.clone()),
        );
    }
    let mut app = app
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(config.max_body))
        // A backstop for every route; GraphQL requests get a GraphQL error
        // from their own, shorter timeout first.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.timeout + config.body_timeout + Duration::from_secs(5),
        ))
        // Outermost but for CORS (and the metrics), so that a refused
        // request costs nothing and a browser app can still read why.
        .layer(middleware::from_fn_with_state(in_flight, limit_in_flight));
    if metrics.enabled() {
        // Outside the in-flight limit, so that its 503s are counted too.
        app = app.layer(middleware::from_fn_with_state(
            metrics,
            crate::metrics::observe,
        ));
    }
    if !config.cors_origins.is_empty() {
        let origins = config
            .cors_origins
            .iter()
            .map(|o| {
                // An explicit allow-list only: "*" would allow every site.
                if o.trim() == "*" {
                    bail!("--cors-origin '*' is not allowed: list each origin (e.g. --cors-origin http://localhost:5173)");
                }
                HeaderValue::from_str(o)
                    .with_context(|| format!("--cors-origin '{o}' is not a valid origin"))
            })
            .collect::<Result<Vec<_>>>()?;
        app = app.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
                .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION]),
        );
    }
    Ok(app)
}

/// Binds, logs where to point the browser, and serves until SIGINT/SIGTERM;
/// in-flight requests finish and the store is flushed before returning.
pub async fn serve(store: Arc<Store>, config: Config) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let local: SocketAddr = listener.local_addr()?;
    let app = router(store.clone(), &config, local.ip().is_loopback())?;
    {
        let view = store.view();
        tracing::info!(
            "store '{}': {} documents, {} actors, {} relations",
            store.path().display(),
            view.document_count(),
            view.actor_count(),
            view.relation_count()
        );
    }
    // The one line tests and scripts read to find the port.
    // A reader that has gone misses it; the server serves all the same.
    crate::output::outln!(
        "newsgraph listening on http://{local}/ (GraphQL at http://{local}/graphql)"
    )?;
    tracing::info!(
        "open http://{local}/explore in a browser for the Explorer, or http://{local}/ for the GraphQL playground"
    );
    serve_connections(listener, app, config.header_timeout).await;
    tracing::info!("shutting down: flushing the store");
    store
        .flush()
        .await
        .context("flushing the store on shutdown")?;
    Ok(())
}

/// Accepts connections and serves each with hyper's HTTP/1 until SIGINT or
/// SIGTERM, then lets the requests in progress finish.
///
/// This is `axum::serve` plus what it cannot be told: a connection that
/// does not send a request's headers within `header_timeout` (a slow
/// client, or a keep-alive connection idle that long) is closed, so idle
/// or stalled sockets cannot pile up; and TCP_NODELAY is set, so that an
/// answer written in two parts does not wait for the client's ACK of the
/// first (Nagle's algorithm), which cost a small query most of its latency.
async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: Router,
    header_timeout: Duration,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(header_timeout);
    let mut shutdown = std::pin::pin!(shutdown_signal());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, say: keep serving the
                    // connections we have and retry shortly.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!("cannot set TCP_NODELAY on a connection: {e}");
        }
        let connection = http.serve_connection(
            hyper_util::rt::TokioIo::new(stream),
            hyper_util::service::TowerToHyperService::new(app.clone()),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!("connection closed: {e}");
            }
        });
    }
    drop(listener);
    tracing::info!("shutting down: finishing the requests in progress");
    graceful.shutdown().await;
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

async fn playground() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        INDEX_HTML,
    )
}

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let cache = state.responses.as_ref().map(|cache| {
        let stats = cache.stats();
        serde_json::json!({
            "hits": stats.hits,
            "misses": stats.misses,
            "entries": stats.entries,
            "bytes": stats.bytes,
            "max_bytes": stats.max_bytes,
        })
    });
    let view = state.store.view();
    Json(serde_json::json!({
        "status": "ok",
        "documents": view.document_count(),
        "actors": view.actor_count(),
        "relations": view.relation_count(),
        "response_cache": cache,
    }))
}

fn authorized(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(token) = &state.token else {
        return true;
    };
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|given| constant_time_eq(given.as_bytes(), token.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A GraphQL-shaped error response with an HTTP status, for the limits
/// that refuse a request before GraphQL sees it.
fn limit_response(status: StatusCode, message: String) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": ErrorCode::LimitExceeded.as_str() } }]
    });
    (status, [(header::RETRY_AFTER, "1")], Json(body)).into_response()
}

async fn limit_in_flight(
    State(in_flight): State<InFlight>,
    request: Request,
    next: Next,
) -> Response {
    let Ok(_permit) = in_flight.permits.clone().try_acquire_owned() else {
        return limit_response(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "server busy: {} requests in flight; retry shortly",
                in_flight.max
            ),
        );
    };
    next.run(request).await
}

/// `/graphql` over GET and POST (see the module documentation).
async fn graphql_http(State(state): State<AppState>, request: Request) -> Response {
    let answer_type = AnswerType::negotiate(request.headers());
    let get = request.method() == Method::GET;
    // A POST says its body is JSON: a body without a type, or of a type
    // a browser may send cross-site without asking (text/plain, a form),
    // is refused rather than guessed at.
    if !get && !is_json(request.headers()) {
        return refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "a GraphQL POST needs `Content-Type: application/json`".to_string(),
            ErrorCode::BadUserInput,
            answer_type,
        );
    }
    let authorized = authorized(&state, request.headers());
    let body_timeout = state.body_timeout;
    let body_late = || {
        limit_response(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the request body did not arrive within {} s",
                body_timeout.as_secs_f64()
            ),
        )
    };
    // A query asked before is answered from the cache (see
    // crate::responses): a POST's JSON body is read whole first to look it
    // up; a GET is looked up by its URL's query string, under a key no
    // JSON body can have.
    let (request, keep) = match &state.responses {
        Some(cache) if get => {
            let key = axum::body::Bytes::from(format!(
                "GET ?{}",
                request.uri().query().unwrap_or_default()
            ));
            let graph = state.store.generation();
            if let Some(found) = cache.get(&key, graph) {
                let answered = state.metrics.cached(&key);
                return Answered::mark(answered, answer_response(found, answer_type));
            }
            (request, Some((cache, key, graph)))
        }
        Some(cache) => {
            let (parts, body) = request.into_parts();
            let body =
                match tokio::time::timeout(body_timeout, axum::body::to_bytes(body, usize::MAX))
                    .await
                {
                    Ok(Ok(body)) => body,
                    Ok(Err(e)) => return body_error(e),
                    Err(_) => return body_late(),
                };
            let graph = state.store.generation();
            if let Some(found) = cache.get(&body, graph) {
                let answered = state.metrics.cached(&body);
                return Answered::mark(answered, answer_response(found, answer_type));
            }
            let request = Request::from_parts(parts, axum::body::Body::from(body.clone()));
            (request, Some((cache, body, graph)))
        }
        None => (request, None),
    };
    let mut request = if get {
        match request_from_url(request.uri()) {
            Ok(request) => request,
            Err(message) => {
                return refusal(
                    StatusCode::BAD_REQUEST,
                    message,
                    ErrorCode::BadUserInput,
                    answer_type,
                )
            }
        }
    } else {
        match tokio::time::timeout(
            body_timeout,
            GraphQLRequest::<async_graphql_axum::rejection::GraphQLRejection>::from_request(
                request, &state,
            ),
        )
        .await
        {
            Ok(Ok(request)) => request,
            Ok(Err(rejection)) => {
                use async_graphql::ParseRequestError as Bad;
                // A body or URL that is not a GraphQL request; what went
                // wrong reading the body (too large, cut off) keeps
                // async-graphql-axum's answer.
                return match &rejection.0 {
                    Bad::InvalidRequest(_) | Bad::UnsupportedBatch => refusal(
                        StatusCode::BAD_REQUEST,
                        format!("not a GraphQL request: {}", rejection.0),
                        ErrorCode::BadUserInput,
                        answer_type,
                    ),
                    _ => rejection.into_response(),
                };
            }
            Err(_) => return body_late(),
        }
        .into_inner()
    };
    // A body without a `query` (async-graphql reads it as "") is not a
    // GraphQL request at all, whatever the media type.
    if request.query.is_empty() {
        return refusal(
            StatusCode::BAD_REQUEST,
            "not a GraphQL request: no `query` (a GraphQL document)".to_string(),
            ErrorCode::BadUserInput,
            answer_type,
        );
    }
    if get && changes_anything(&request) {
        let mut refused = refusal(
            StatusCode::METHOD_NOT_ALLOWED,
            "a mutation needs a POST; GET runs queries only".to_string(),
            ErrorCode::BadUserInput,
            answer_type,
        );
        refused
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return refused;
    }
    if !authorized {
        request = request.data(newsgraph_graphql::Unauthorized);
    }
    let operation = state.metrics.pending(&request);
    let _slot = match tokio::time::timeout(QUEUE_WAIT, state.slots.clone().acquire_owned()).await {
        Ok(Ok(permit)) => permit,
        _ => {
            let busy = async_graphql::ServerError::new(
                format!(
                    "server busy: {} requests in progress; retry shortly",
                    state.max_concurrent
                ),
                None,
            );
            let response =
                newsgraph_graphql::classify_errors(async_graphql::Response::from_errors(vec![
                    busy,
                ]));
            let answered = state.metrics.answered(operation, &response);
            return Answered::mark(
                answered,
                answer(response, answer_type, StatusCode::SERVICE_UNAVAILABLE),
            );
        }
    };
    let outcome = newsgraph_graphql::run(&state.schema, request).await;
    let response = outcome.response;
    let answered = state.metrics.answered(operation, &response);
    let http = match keep {
        // Only a query's complete answer, computed while the graph did
        // not change.
        Some((cache, key, graph))
            if outcome.query
                && response.is_ok()
                && response.http_headers.is_empty()
                && response.cache_control.value().is_none()
                && state.store.generation() == graph =>
        {
            match serde_json::to_vec(&response) {
                Ok(found) => {
                    let found = axum::body::Bytes::from(found);
                    state.metrics.kept(&key, answered.as_ref());
                    cache.insert(key, found.clone(), graph);
                    answer_response(found, answer_type)
                }
                Err(e) => {
                    tracing::error!("cannot serialise an answer: {e}");
                    answer(response, answer_type, StatusCode::BAD_REQUEST)
                }
            }
        }
        _ => answer(response, answer_type, StatusCode::BAD_REQUEST),
    };
    Answered::mark(answered, http)
}

/// The media type a GraphQL answer is sent as, from the request's
/// `Accept` header (GraphQL over HTTP, "Accept").
///
/// `application/graphql-response+json` when the client lists it (with a
/// weight no lower than `application/json`'s): it lets the status code
/// say that a request failed before it ran. Otherwise
/// `application/json`, the type every client understands, also when
/// `Accept` is missing, is `*/*`, or names only types we cannot send
/// (the spec lets a server disregard such a header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AnswerType {
    Json,
    GraphqlResponseJson,
}

impl AnswerType {
    const JSON: &'static str = "application/json";
    const GRAPHQL_RESPONSE_JSON: &'static str = "application/graphql-response+json";

    fn negotiate(headers: &HeaderMap) -> AnswerType {
        let mut graphql_response = 0.0f32;
        let mut json = None;
        let mut wildcard = 0.0f32;
        let accepted = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','));
        for item in accepted {
            let mut parts = item.split(';');
            let media = parts.next().unwrap_or_default().trim();
            let weight = parts
                .filter_map(|p| p.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
                .and_then(|(_, q)| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if media.eq_ignore_ascii_case(Self::GRAPHQL_RESPONSE_JSON) {
                graphql_response = graphql_response.max(weight);
            } else if media.eq_ignore_ascii_case(Self::JSON) {
                json = Some(json.unwrap_or(0.0f32).max(weight));
            } else if media == "*/*" || media.eq_ignore_ascii_case("application/*") {
                wildcard = wildcard.max(weight);
            }
        }
        if graphql_response > 0.0 && graphql_response >= json.unwrap_or(wildcard) {
            AnswerType::GraphqlResponseJson
        } else {
            AnswerType::Json
        }
    }

    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            AnswerType::Json => Self::JSON,
            AnswerType::GraphqlResponseJson => Self::GRAPHQL_RESPONSE_JSON,
        })
    }
}

/// A GET request's `query`, `variables` and `operationName` (GraphQL over
/// HTTP's names; async-graphql's own reader wants `operation_name`), the
/// last two optional, `variables` and `extensions` as JSON.
fn request_from_url(uri: &axum::http::Uri) -> Result<async_graphql::Request, String> {
    let not_graphql = |e: &dyn std::fmt::Display| format!("not a GraphQL request: {e}");
    let axum::extract::Query(mut params) =
        axum::extract::Query::<std::collections::HashMap<String, String>>::try_from_uri(uri)
            .map_err(|e| not_graphql(&e))?;
    let Some(query) = params.remove("query") else {
        return Err("not a GraphQL request: the URL has no `query` parameter".to_string());
    };
    let mut request = async_graphql::Request::new(query);
    request.operation_name = params.remove("operationName");
    if let Some(variables) = params.remove("variables") {
        let variables: serde_json::Value = serde_json::from_str(&variables)
            .map_err(|e| not_graphql(&format!("`variables` is not JSON: {e}")))?;
        request.variables = async_graphql::Variables::from_json(variables);
    }
    if let Some(extensions) = params.remove("extensions") {
        request.extensions = serde_json::from_str(&extensions)
            .map_err(|e| not_graphql(&format!("`extensions` is not a JSON object: {e}")))?;
    }
    Ok(request)
}

/// Whether a GET request's operation would change anything (a mutation,
/// or a subscription we do not serve over HTTP): GET must never do that.
/// A document that does not parse, or does not say which of its
/// operations to run, changes nothing; running it reports why.
fn changes_anything(request: &async_graphql::Request) -> bool {
    use async_graphql::parser::types::{DocumentOperations, OperationType};
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let operation = match (&document.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(operation), _) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        (DocumentOperations::Multiple(_), None) => None,
    };
    operation.is_some_and(|operation| operation.node.ty != OperationType::Query)
}

/// Whether an answer failed before its operation ran (the document did
/// not parse or validate, its variables did not fit, a limit refused it):
/// then there is no `data` at all, only errors. An error while running
/// has a `path`, or comes with the fields that did resolve.
fn failed_before_running(response: &async_graphql::Response) -> bool {
    !response.errors.is_empty()
        && response.data == async_graphql::Value::Null
        && response.errors.iter().all(|e| e.path.is_empty())
}

/// A GraphQL answer as the client asked for it.
///
/// An answer that failed before running has no `data` entry (the GraphQL
/// spec's "request error"). With `application/graphql-response+json` its
/// status says so: `refused` (400 unless the server was at fault), where
/// `application/json` keeps 200 for every well-formed request, as the
/// GraphQL over HTTP spec asks of that legacy type.
fn answer(
    response: async_graphql::Response,
    answer_type: AnswerType,
    refused: StatusCode,
) -> Response {
    if !failed_before_running(&response) {
        let mut http = GraphQLResponse::from(response).into_response();
        http.headers_mut()
            .insert(header::CONTENT_TYPE, answer_type.content_type());
        return http;
    }
    let mut body = serde_json::json!({ "errors": response.errors });
    if !response.extensions.is_empty() {
        if let Ok(extensions) = serde_json::to_value(&response.extensions) {
            body["extensions"] = extensions;
        }
    }
    let status = match answer_type {
        AnswerType::GraphqlResponseJson
            if response.errors.iter().any(|e| ErrorCode::Internal.is_on(e)) =>
        {
            StatusCode::INTERNAL_SERVER_ERROR
        }
        AnswerType::GraphqlResponseJson => refused,
        AnswerType::Json => StatusCode::OK,
    };
    let mut http = (
        status,
        [(header::CONTENT_TYPE, answer_type.content_type())],
        body.to_string(),
    )
        .into_response();
    http.headers_mut().extend(response.http_headers);
    http
}

/// A request refused before GraphQL saw it, as a GraphQL error without
/// `data`, with an HTTP status whatever the answer's media type (it is
/// not a well-formed GraphQL request, or not one this method may run).
fn refusal(
    status: StatusCode,
    message: String,
    code: ErrorCode,
    answer_type: AnswerType,
) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code.as_str() } }]
    });
    (
        status,
        [(header::CONTENT_TYPE, answer_type.content_type())],
        body.to_string(),
    )
        .into_response()
}

/// Whether a request says its body is JSON (`application/json`, with or
/// without parameters): the only body type `/graphql` takes.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// A kept answer (always a complete, error-free one: status 200), in the
/// media type this request asked for.
fn answer_response(found: axum::body::Bytes, answer_type: AnswerType) -> Response {
    ([(header::CONTENT_TYPE, answer_type.content_type())], found).into_response()
}

/// A request body that could not be read: too large (past `--max-body`
/// without a Content-Length saying so in advance) or cut off.
fn body_error(e: axum::Error) -> Response {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return limit_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request body is larger than the server accepts (--max-body)".to_string(),
            );
        }
        source = error.source();
    }
    let body = serde_json::json!({
        "errors": [{
            "message": format!("cannot read the request body: {e}"),
            "extensions": { "code": ErrorCode::BadUserInput.as_str() },
        }]
    });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn negotiated(accept: Option<&str>) -> AnswerType {
        let mut headers = HeaderMap::new();
        if let Some(accept) = accept {
            headers.insert(header::ACCEPT, HeaderValue::from_str(accept).unwrap());
        }
        AnswerType::negotiate(&headers)
    }

    #[test]
    fn the_answer_type_is_what_accept_prefers_and_json_by_default() {
        use AnswerType::{GraphqlResponseJson as Gr, Json};
        for (accept, expected) in [
            (None, Json),
            (Some("*/*"), Json),
            (Some("application/json"), Json),
            (Some("text/html"), Json),
            (Some("application/graphql-response+json"), Gr),
            (Some("application/graphql-response+json; charset=utf-8"), Gr),
            (
                Some("application/graphql-response+json, application/json;q=0.9"),
                Gr,
            ),
            (
                Some("application/json, application/graphql-response+json"),
                Gr,
            ),
            (
                Some("application/json, application/graphql-response+json;q=0.5"),
                Json,
            ),
            (Some("application/graphql-response+json;q=0, */*"), Json),
            (Some("*/*, application/graphql-response+json"), Gr),
        ] {
            assert_eq!(negotiated(accept), expected, "Accept: {accept:?}");
        }
    }
}
