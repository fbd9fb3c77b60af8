//! `/explore`: the Explorer, a front-end app that draws an actor's
//! relationships. It is built from `scripts/explorer/src` by
//! `scripts/explorer/build.sh` and embedded here; at run time it talks to
//! the public `POST /graphql` only, so this module serves files and nothing
//! else.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

const INDEX_HTML: &str = include_str!("../assets/explorer/index.html");

/// The bundle's files, served under `/explore/assets/`: (name, content type, bytes).
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "explorer.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/explorer/explorer.js"),
    ),
    (
        "explorer.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/explorer/explorer.css"),
    ),
    (
        "licenses.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../assets/explorer/LICENSES/licenses.txt"),
    ),
];

/// What the page may load: its own scripts and styles, and requests to its
/// own origin (the GraphQL API). Inline styles are allowed because the graph
/// library positions its canvas layers with `style` attributes.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data: blob:; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The Explorer's routes, to merge into the server's router.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/explore", get(page))
        .route("/explore/", get(page))
        .route("/explore/assets/{file}", get(asset))
}

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // The page names its assets by content hash, so it must not be
            // cached itself; the assets may be.
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        INDEX_HTML,
    )
        .into_response()
}

async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, bytes)) => {
            let mut response = (*bytes).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            );
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            response
        }
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{to_bytes, Body};
    use axum::http::Request;
    use tower::ServiceExt as _;

    async fn get(path: &str) -> (StatusCode, String, Vec<u8>) {
        let response = router::<()>()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, content_type, body.to_vec())
    }

    /// The `/explore/assets/NAME` references in the page, query strings dropped.
    fn referenced_assets() -> Vec<String> {
        INDEX_HTML
            .split("/explore/assets/")
            .skip(1)
            .map(|rest| {
                rest.split(['"', '?', '\''])
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    #[tokio::test]
    async fn the_page_is_served_with_a_content_security_policy() {
        let response = router::<()>()
            .oneshot(Request::get("/explore").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(csp.contains("connect-src 'self'"), "{csp}");
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert!(String::from_utf8_lossy(&body).contains("<title>newsgraph Explorer</title>"));
    }

    #[tokio::test]
    async fn every_asset_the_page_references_is_served_from_the_binary() {
        let names = referenced_assets();
        assert!(names.iter().any(|n| n == "explorer.js"), "{names:?}");
        assert!(names.iter().any(|n| n == "explorer.css"), "{names:?}");
        for name in names {
            let (status, content_type, body) = get(&format!("/explore/assets/{name}")).await;
            assert_eq!(status, StatusCode::OK, "{name}");
            assert!(!content_type.is_empty(), "{name} has no content type");
            assert!(!body.is_empty(), "{name} is empty");
        }
    }

    #[test]
    fn the_page_loads_nothing_from_another_host() {
        // A CDN reference would break the offline promise (and the CSP).
        for attr in ["src=", "href="] {
            for value in INDEX_HTML.split(attr).skip(1) {
                let value = value.trim_start_matches(['"', '\'']);
                assert!(
                    !value.starts_with("http:")
                        && !value.starts_with("https:")
                        && !value.starts_with("//"),
                    "index.html loads {attr}{value:.60}"
                );
            }
        }
    }

    #[tokio::test]
    async fn an_unknown_asset_is_not_found() {
        let (status, _, _) = get("/explore/assets/../../Cargo.toml").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _, _) = get("/explore/assets/nope.js").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    #[test]
    fn the_built_page_carries_the_hashes_of_its_assets() {
        // build.sh replaces the placeholders; a hand-copied src/index.html would not.
        assert!(
            !INDEX_HTML.contains("__JS_HASH__") && !INDEX_HTML.contains("__CSS_HASH__"),
            "crates/cli/assets/explorer/index.html was not produced by scripts/explorer/build.sh"
        );
    }
}
