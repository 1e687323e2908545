//! The HTTP surface: Leptos pages and server functions, plain routes, static files, and the
//! middleware every response passes through.

pub mod agent_routes;
pub mod case_routes;
pub mod documents;
pub mod link_routes;
pub mod pay_routes;
pub mod promise_routes;
pub mod ratelimit;
pub mod rules_routes;
pub mod schedule_routes;
pub mod security;

use crate::portal::PortalService;
use crate::state::AppState;
use app::ports::SharedPortal;
use app::{App, shell};
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::routing::{get, post};
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// Forms here are small; the two upload routes get their own, larger limits
/// (`case_routes::UPLOAD_BODY_LIMIT` kept, `UPLOAD_DRAIN_LIMIT` read).
const BODY_LIMIT: usize = 64 * 1024;
/// No request may hang a connection forever: past this it gets a 503 and the path is logged.
/// A safety net: the one hang seen (leptos #4773, see `page_routes`) is fixed at its cause.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The app's page routes, listed once per process. Listing them renders the whole app while
/// leptos_server's `SuppressResourceLoad` flag is set, and that flag is one static for the
/// whole process: a page whose `Resource` is created on any thread meanwhile waits forever
/// (leptos issue #4773; `tests/leptos_4773.rs` shows it). Listed once, before the first router
/// exists, nothing can be serving while the flag is up.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = page_routes();
    let portal: SharedPortal = Arc::new(PortalService {
        state: state.clone(),
    });
    let context = move || provide_context(portal.clone());
    let options = state.leptos_options.clone();
    let site = state.config.site_root.clone();

    // Static assets get their own route: the Leptos fallback is far slower for files.
    // Names are not content-hashed yet, so browsers revalidate (cheap 304s) instead of caching for good.
    let pkg = Router::new()
        .fallback_service(
            ServeDir::new(site.join("pkg"))
                .precompressed_gzip()
                .precompressed_br(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ));

    // Dispute forms (the debtor's and the agents' notes and replies) carry files: their own
    // body limit, outside the small one below.
    let uploads = Router::new()
        .route("/disputes", post(case_routes::open))
        .route("/disputes/{id}/reply", post(case_routes::reply))
        .route("/agent/disputes/{id}/post", post(case_routes::agent_post))
        .layer(axum::extract::DefaultBodyLimit::max(
            case_routes::UPLOAD_DRAIN_LIMIT,
        ))
        .layer(RequestBodyLimitLayer::new(case_routes::UPLOAD_DRAIN_LIMIT));

    Router::new()
        .route("/l/{token}", get(link_routes::open_link))
        .route("/link/renew", post(link_routes::renew))
        .route("/signout", post(link_routes::sign_out))
        .route("/lang/{code}", get(link_routes::set_lang))
        .route("/documents/invoices/{file}", get(documents::invoice_pdf))
        .route("/documents/statement.pdf", get(documents::statement_pdf))
        .route("/documents/receipts/{file}", get(documents::receipt_pdf))
        .route("/documents/schedules/{file}", get(documents::schedule_pdf))
        .route("/schedule/propose", post(schedule_routes::propose))
        .route("/schedule/withdraw", post(schedule_routes::withdraw))
        .route("/schedule/answer", post(schedule_routes::answer))
        .route("/brand/{slug}/logo", get(documents::logo))
        .route("/agent/login", post(agent_routes::login))
        .route("/agent/logout", post(agent_routes::logout))
        .route("/agent/schedules/{id}/decide", post(agent_routes::decide))
        .route("/agent/schedules/{id}/handled", post(agent_routes::handled))
        .route("/agent/rules", post(rules_routes::save))
        .route("/agent/welcome/{token}", get(agent_routes::welcome))
        .route("/agent/password", post(agent_routes::set_password))
        .route("/agent/reset", post(agent_routes::reset))
        .route("/agent/invite", post(agent_routes::invite))
        .route(
            "/agent/promises/{id}/handled",
            post(promise_routes::handled),
        )
        .route("/promise", post(promise_routes::promise))
        .route("/messages", post(case_routes::message))
        .route("/documents/attachments/{id}", get(case_routes::debtor_file))
        .route("/agent/attachments/{id}", get(case_routes::agent_file))
        .route("/agent/disputes/{id}/assign", post(case_routes::assign))
        .route("/agent/disputes/{id}/resolve", post(case_routes::resolve))
        .route(
            "/agent/debtors/{id}/messages",
            post(case_routes::agent_message),
        )
        .route("/agent/owners", post(case_routes::add_owner))
        .route("/agent/owners/{id}/remove", post(case_routes::remove_owner))
        .route("/agent/settings/cases", post(case_routes::settings))
        .route("/pay/card/start", post(pay_routes::start))
        .route("/pay/card/charge", post(pay_routes::charge))
        .route(
            "/webhooks/stripe/{slug}",
            post(crate::payments::webhook::stripe_webhook),
        )
        .route_service("/pay.js", ServeFile::new(site.join("pay.js")))
        .route("/healthz", get(|| async { "ok" }))
        .route_service("/favicon.svg", ServeFile::new(site.join("favicon.svg")))
        .nest("/pkg", pkg)
        .leptos_routes_with_context(&state, routes, context, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .merge(uploads)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::same_origin_writes,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(middleware::from_fn(log_timeouts))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

/// Logs the path of any request cancelled before it completed, so a hang names itself.
async fn log_timeouts(
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path().to_string();
    let start = std::time::Instant::now();
    let guard = SlowGuard { path, start };
    let res = next.run(req).await;
    std::mem::forget(guard);
    res
}

/// Dropped without `forget` only when the request is cancelled (timeout or client gone).
struct SlowGuard {
    path: String,
    start: std::time::Instant,
}

impl Drop for SlowGuard {
    fn drop(&mut self) {
        tracing::warn!(path = %self.path, secs = self.start.elapsed().as_secs(), "request cancelled before it completed: the timeout, or the client went away");
    }
}
