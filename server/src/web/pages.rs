//! Which feature loads which page. A page's data is loaded here, before Leptos renders it, and
//! handed over in the request's extensions (`app::ports::Loaded`): the page renders at once,
//! with no `Resource` to wait for and nothing serialised for a hydration that never comes.

use crate::kernel::context::debtor_session;
use crate::kernel::{AppState, DebtorContext};
use crate::{back_office, dispute, message, payment, promise, reminder, schedule, statement};
use app::error::AppError;
use app::ports::{
    AGENT_COOKIE, AssetBase, FLASH_COOKIE, Loaded, PaymentOrigins, SESSION_COOKIE, cookie_value,
    lang_from_headers,
};
use app::views::payment::PayRequest;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;

/// Loads the data of the page a GET asks for, if it is a page with data.
pub async fn preload(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    // Taken apart so the data can go in the extensions while the headers are read.
    let (mut parts, body) = req.into_parts();
    let ext = &mut parts.extensions;
    ext.insert(PaymentOrigins(state.payment_origins.clone()));
    ext.insert(AssetBase(state.assets.base.clone()));
    let (path, query) = (parts.uri.path(), parts.uri.query().unwrap_or(""));
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    load(&state, &segments, query, &parts.headers, ext).await;
    next.run(Request::from_parts(parts, body)).await
}

async fn load(
    state: &AppState,
    segments: &[&str],
    query: &str,
    headers: &HeaderMap,
    ext: &mut axum::http::Extensions,
) {
    let s = state;
    let session = cookie_value(headers, SESSION_COOKIE).unwrap_or_default();
    let agent = cookie_value(headers, AGENT_COOKIE).unwrap_or_default();
    let debtor = || debtor_session(s, &session);
    match segments {
        ["statement"] => put(ext, with(debtor().await, |c| statement::view(s, c)).await),
        ["schedule"] => {
            // What the debtor typed, when the schedule form's handler sent them back.
            let returned = cookie_value(headers, FLASH_COOKIE)
                .and_then(|v| schedule::routes::input_from_flash(&v));
            put(
                ext,
                with(debtor().await, |c| schedule::view(s, c, returned)).await,
            )
        }
        ["promise"] => put(ext, with(debtor().await, |c| promise::view(s, c)).await),
        ["disputes"] => put(
            ext,
            with(debtor().await, |c| dispute::list_view(s, c)).await,
        ),
        ["disputes", id] => put(
            ext,
            with(debtor().await, |c| dispute::one_view(s, c, id)).await,
        ),
        ["messages"] => put(ext, with(debtor().await, |c| message::view(s, c)).await),
        ["pay"] => {
            let (request, lang) = (pay_request(query), lang_from_headers(headers));
            put(
                ext,
                with(debtor().await, |c| async move {
                    payment::view(s, &c, request, lang).await
                })
                .await,
            )
        }
        ["pay", "receipts", id] => put(
            ext,
            with(debtor().await, |c| payment::receipt::page(s, c, id)).await,
        ),
        ["agent"] => {
            let q = pairs(query);
            let get = |k: &str| {
                q.iter()
                    .find(|(n, _)| n == k)
                    .map_or("", |(_, v)| v.as_str())
            };
            put(
                ext,
                back_office::debtors(s, &agent, get("q"), get("sort")).await,
            )
        }
        ["agent", "queue"] => put(ext, back_office::queue(s, &agent).await),
        ["agent", "rules"] => put(ext, back_office::rules_page(s, &agent).await),
        ["agent", "reminders"] => put(ext, reminder::pages::reminders_view(s, &agent).await),
        ["agent", "reminders", "scenarios", segment] => put(
            ext,
            reminder::pages::scenario_view(s, &agent, segment, query).await,
        ),
        ["agent", "reminders", "simulation"] => put(
            ext,
            reminder::pages::simulation_view(s, &agent, query).await,
        ),
        ["agent", "debtors", id] => put(ext, back_office::debtor_page(s, &agent, id).await),
        ["agent", "disputes", id] => put(ext, dispute::agent::view(s, &agent, id).await),
        _ => {}
    }
}

/// Runs a debtor's page loader when the session is live.
async fn with<T, F, Fut>(ctx: Result<DebtorContext, AppError>, load: F) -> Result<T, AppError>
where
    F: FnOnce(DebtorContext) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    load(ctx?).await
}

fn put<T: Send + Sync + 'static>(ext: &mut axum::http::Extensions, data: Result<T, AppError>) {
    ext.insert(Loaded::new(data));
}

fn pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query).unwrap_or_default()
}

/// What the pay page was asked to settle, from its query (anything else in it is ignored).
fn pay_request(query: &str) -> PayRequest {
    let mut r = PayRequest::default();
    for (k, v) in pairs(query) {
        match k.as_str() {
            "mode" => r.mode = v,
            "invoice" => r.invoices.push(v),
            "amount" => r.amount = v,
            "currency" => r.currency = v,
            "schedule" => r.schedule = v,
            _ => {}
        }
    }
    r
}
