//! The wiring at the top: the router of every feature's routes, Leptos pages (with the data
//! each loads first), static files, and the middleware every response passes through.

pub mod ops;
pub mod pages;
pub mod security;

use crate::dispute::files::UPLOAD_DRAIN_LIMIT;
use crate::kernel::AppState;
use crate::{
    account, back_office, dispute, link, message, payment, promise, reminder, schedule, statement,
};
use app::{App, shell};
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::routing::{get, post};
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Forms here are small; the upload routes and the scenario forms get their own, larger limits
/// (`dispute::files::UPLOAD_BODY_LIMIT` kept, `UPLOAD_DRAIN_LIMIT` read).
const BODY_LIMIT: usize = 64 * 1024;
/// The admin's scenario forms: 12 steps × 6 templates × 20,000 bytes, URL-encoded, fit.
const SCENARIO_FORM_LIMIT: usize = 4 * 1024 * 1024;
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
    let options = state.leptos_options.clone();
    let site = state.config.site_root.clone();

    // Static files get their own route (the Leptos fallback is far slower for files), under a
    // name that follows their content: kept a year, never revalidated. The release build
    // writes brotli and gzip copies beside each file; a debug build's are compressed on the fly.
    let assets = Router::new()
        .fallback_service(ServeDir::new(&site).precompressed_br().precompressed_gzip())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ));

    // Dispute forms (the debtor's and the agents' notes and replies) carry files: their own
    // body limit, outside the small one below.
    let uploads = Router::new()
        .route("/disputes", post(dispute::routes::open))
        .route("/disputes/{id}/reply", post(dispute::routes::reply))
        .route(
            "/agent/disputes/{id}/post",
            post(dispute::routes::agent_post),
        )
        .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_DRAIN_LIMIT))
        .layer(RequestBodyLimitLayer::new(UPLOAD_DRAIN_LIMIT));

    // Scenario forms carry up to 12 steps of templates of 20,000 bytes in six fields: past the
    // small limit, so that one too long a template is answered by the form saying which field
    // is too long, with everything typed kept, not by a bare 413.
    let scenario_forms = reminder::routes::routes()
        .layer(axum::extract::DefaultBodyLimit::max(SCENARIO_FORM_LIMIT))
        .layer(RequestBodyLimitLayer::new(SCENARIO_FORM_LIMIT));

    Router::new()
        .merge(ops::bench_ceiling(&state.config))
        .route("/l/{token}", get(link::routes::open_link))
        .route("/link/renew", post(link::routes::renew))
        .route("/signout", post(link::routes::sign_out))
        .route("/lang/{code}", get(link::routes::set_lang))
        .route(
            "/documents/invoices/{file}",
            get(statement::documents::invoice_pdf),
        )
        .route(
            "/documents/statement.pdf",
            get(statement::documents::statement_pdf),
        )
        .route(
            "/documents/receipts/{file}",
            get(payment::receipt::receipt_pdf),
        )
        .route(
            "/documents/schedules/{file}",
            get(schedule::document::schedule_pdf),
        )
        .route("/schedule/propose", post(schedule::routes::propose))
        .route("/schedule/withdraw", post(schedule::routes::withdraw))
        .route("/schedule/answer", post(schedule::routes::answer))
        .route("/brand/{slug}/logo", get(statement::documents::logo))
        .route("/agent/login", post(account::routes::login))
        .route("/agent/logout", post(account::routes::logout))
        .route(
            "/agent/schedules/{id}/decide",
            post(schedule::routes::decide),
        )
        .route(
            "/agent/schedules/{id}/handled",
            post(schedule::routes::handled),
        )
        .route("/agent/rules", post(schedule::rules::save))
        .route("/agent/welcome/{token}", get(account::routes::welcome))
        .route("/agent/password", post(account::routes::set_password))
        .route("/agent/reset", post(account::routes::reset))
        .route("/agent/invite", post(account::routes::invite))
        .route(
            "/agent/promises/{id}/handled",
            post(promise::routes::handled),
        )
        .route("/promise", post(promise::routes::promise))
        .route("/messages", post(message::routes::message))
        .route(
            "/documents/attachments/{id}",
            get(dispute::routes::debtor_file),
        )
        .route("/agent/attachments/{id}", get(dispute::routes::agent_file))
        .route("/agent/disputes/{id}/assign", post(dispute::routes::assign))
        .route(
            "/agent/disputes/{id}/resolve",
            post(dispute::routes::resolve),
        )
        .route(
            "/agent/debtors/{id}/messages",
            post(message::routes::agent_message),
        )
        .route("/agent/owners", post(dispute::routes::add_owner))
        .route(
            "/agent/owners/{id}/remove",
            post(dispute::routes::remove_owner),
        )
        .route("/agent/settings/cases", post(back_office::settings::save))
        .merge(reminder::actions::routes())
        .route("/pay/card/start", post(payment::routes::start))
        .route("/pay/card/charge", post(payment::routes::charge))
        .route(
            "/webhooks/stripe/{slug}",
            post(payment::webhook::stripe_webhook),
        )
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .nest(&state.assets.base, assets)
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            pages::preload,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .merge(uploads)
        .merge(scenario_forms)
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
        .layer(middleware::from_fn_with_state(state.clone(), ops::track))
        // HTML and other text, compressed as the browser asks: brotli or gzip, at the fastest
        // level (a 70 KB page costs ~0.2 ms so, ~0.8 ms at the default levels).
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .quality(CompressionLevel::Fastest),
        )
        // Every log line of a request carries its id; the response says it too, so a person
        // reporting a problem can quote it. An id set by the reverse proxy is kept.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// The span of one request: its id, method and path (secrets in link paths left out).
fn request_span(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", id, method = %req.method(), path = %loggable_path(req.uri().path()))
}

/// A path as it may be logged: the secret of a portal or password link is not.
pub fn loggable_path(path: &str) -> String {
    for secret_after in ["/l/", "/agent/welcome/"] {
        if path.starts_with(secret_after) {
            return format!("{secret_after}…");
        }
    }
    path.to_string()
}

/// Logs the path of any request cancelled before it completed, so a hang names itself (and
/// tells it apart from a client that went away).
async fn log_timeouts(
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let path = loggable_path(req.uri().path());
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
        let secs = self.start.elapsed().as_secs();
        if secs + 1 >= REQUEST_TIMEOUT.as_secs() {
            tracing::error!(path = %self.path, secs, "request timed out");
        } else {
            tracing::info!(path = %self.path, secs, "request cancelled: the client went away");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn link_secrets_never_reach_the_logs() {
        assert_eq!(loggable_path("/l/eyJhbGciOi.abc.def"), "/l/…");
        assert_eq!(loggable_path("/agent/welcome/s3cr3t"), "/agent/welcome/…");
        assert_eq!(loggable_path("/statement"), "/statement");
    }
}
