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

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{FromRequest as _, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use newsgraph_graphql::{build_schema, ErrorCode, Limits, NewsgraphSchema};
use newsgraph_store::Store;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

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
    let state = AppState {
        schema: build_schema(crate::adapters::ports(store.clone()), limits),
        store,
        token: config.token.as_deref().map(Arc::from),
        slots: Arc::new(tokio::sync::Semaphore::new(config.max_concurrent)),
        max_concurrent: config.max_concurrent,
        body_timeout: config.body_timeout,
        responses: ResponseCache::new(config.response_cache).map(Arc::new),
    };
    let in_flight = InFlight {
        permits: Arc::new(tokio::sync::Semaphore::new(config.max_in_flight)),
        max: config.max_in_flight,
    };
    let mut app = Router::new()
        .route("/", get(playground))
        .route("/assets/{file}", get(asset))
        .route("/graphql", post(graphql_post))
        .route("/healthz", get(healthz))
        .merge(crate::explorer::router())
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(config.max_body))
        // A backstop for every route; GraphQL requests get a GraphQL error
        // from their own, shorter timeout first.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.timeout + config.body_timeout + Duration::from_secs(5),
        ))
        // Outermost but for CORS, so that a refused request costs nothing
        // and a browser app can still read why.
        .layer(middleware::from_fn_with_state(in_flight, limit_in_flight));
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
    println!("newsgraph listening on http://{local}/ (GraphQL at http://{local}/graphql)");
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

async fn graphql_post(State(state): State<AppState>, request: Request) -> Response {
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
    // A JSON body is read whole first, so that a query asked before is
    // answered from the cache (see crate::responses).
    let (request, keep) = match &state.responses {
        Some(cache) if is_json(request.headers()) => {
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
            if let Some(answer) = cache.get(&body, graph) {
                return answer_response(answer);
            }
            let request = Request::from_parts(parts, axum::body::Body::from(body.clone()));
            (request, Some((cache, body, graph)))
        }
        _ => (request, None),
    };
    let request = match tokio::time::timeout(
        body_timeout,
        GraphQLRequest::<async_graphql_axum::rejection::GraphQLRejection>::from_request(
            request, &state,
        ),
    )
    .await
    {
        Ok(Ok(request)) => request,
        Ok(Err(rejection)) => return rejection.into_response(),
        Err(_) => return body_late(),
    };
    let mut request = request.into_inner();
    if !authorized {
        request = request.data(newsgraph_graphql::Unauthorized);
    }
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
            let response = async_graphql::Response::from_errors(vec![busy]);
            return GraphQLResponse::from(newsgraph_graphql::classify_errors(response))
                .into_response();
        }
    };
    let outcome = newsgraph_graphql::run(&state.schema, request).await;
    let response = outcome.response;
    match keep {
        // Only a query's complete answer, computed while the graph did
        // not change.
        Some((cache, body, graph))
            if outcome.query
                && response.is_ok()
                && response.http_headers.is_empty()
                && response.cache_control.value().is_none()
                && state.store.generation() == graph =>
        {
            match serde_json::to_vec(&response) {
                Ok(answer) => {
                    let answer = axum::body::Bytes::from(answer);
                    cache.insert(body, answer.clone(), graph);
                    answer_response(answer)
                }
                Err(e) => {
                    tracing::error!("cannot serialise an answer: {e}");
                    GraphQLResponse::from(response).into_response()
                }
            }
        }
        _ => GraphQLResponse::from(response).into_response(),
    }
}

/// Whether a request says its body is JSON (`application/json`, with or
/// without parameters): the content type whose bodies are cached.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// A GraphQL answer as async-graphql-axum writes one (same content type).
fn answer_response(answer: axum::body::Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/graphql-response+json"),
        )],
        answer,
    )
        .into_response()
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
