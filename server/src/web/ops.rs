//! What operators and their tools ask the server: is it alive (`/healthz`), can it serve
//! (`/readyz`: the database answers), and its counters (`/metrics`, Prometheus text format).
//!
//! `/metrics` answers a client on the same machine that no proxy forwarded (Prometheus
//! scraping the instance directly), or anyone with `Authorization: Bearer $METRICS_TOKEN`
//! when that is set. Behind a reverse proxy every request comes from loopback, so a proxied
//! request (one that carries `X-Forwarded-For` or `Forwarded`) needs the token.

use crate::config::Config;
use crate::kernel::AppState;
use axum::Router;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Html;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use secrecy::ExposeSecret;
use std::net::SocketAddr;
use std::time::Instant;

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.storage.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: the database does not answer");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the database does not answer",
            )
                .into_response()
        }
    }
}

pub async fn metrics(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if !may_read_metrics(&state, peer, &headers) {
        return (
            StatusCode::FORBIDDEN,
            "metrics are for this machine or a bearer of METRICS_TOKEN",
        )
            .into_response();
    }
    let outbox = match state.storage.pending_mail_count().await {
        Ok(n) => Some(n),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: counting the outbox");
            None
        }
    };
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(outbox),
    )
        .into_response()
}

fn may_read_metrics(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> bool {
    if let Some(token) = &state.config.metrics_token {
        let expected = format!("Bearer {}", token.expose_secret());
        let given = headers
            .get(header::AUTHORIZATION)
            .map(|v| v.as_bytes())
            .unwrap_or_default();
        if same_bytes(given, expected.as_bytes()) {
            return true;
        }
    }
    let forwarded =
        headers.contains_key("x-forwarded-for") || headers.contains_key(header::FORWARDED);
    peer.ip().is_loopback() && !forwarded
}

/// `make bench`'s ceiling: the bytes of a page saved from this server, served from memory at
/// `/bench/ceiling` (only when BENCH_CEILING_FILE is set, never in production). It passes
/// through the same middleware as the page, so page ÷ ceiling is what rendering costs.
pub fn bench_ceiling(config: &Config) -> Router<AppState> {
    let Some(path) = &config.bench_ceiling_file else {
        return Router::new();
    };
    match std::fs::read(path) {
        Ok(bytes) => {
            let page = axum::body::Bytes::from(bytes);
            Router::new().route(
                "/bench/ceiling",
                get(move || {
                    let page = page.clone();
                    async move { Html(page) }
                }),
            )
        }
        Err(e) => {
            tracing::error!(error = %e, path = %path.display(), "BENCH_CEILING_FILE");
            Router::new()
        }
    }
}

/// Compares without stopping at the first difference, so timing does not tell the token.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Counts every answered request under its route template, with its status and time.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().cloned();
    let start = Instant::now();
    let res = next.run(req).await;
    let route = route.as_ref().map_or("(other)", MatchedPath::as_str);
    state
        .metrics
        .request(route, res.status().as_u16(), start.elapsed());
    res
}
