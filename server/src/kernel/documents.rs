//! What every PDF the portal sends shares: the parties as printed, the brand colour, rendering
//! off the async threads, the download response, and the event that records a download.

use super::http::internal;
use super::state::AppState;
use crate::pdf::Party;
use crate::storage::{CreditorRow, DebtorRow, NewEvent};
use app::error::AppError;
use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::Response;

pub fn party_of_creditor(c: &CreditorRow) -> Party {
    Party {
        name: c.legal_name.clone(),
        address_lines: lines(&c.address),
        identifiers: lines(&c.identifiers),
        email: Some(c.contact_email.clone()),
    }
}

pub fn party_of_debtor(d: &DebtorRow) -> Party {
    Party {
        name: d.name.clone(),
        address_lines: lines(&d.address),
        identifiers: lines(&d.identifiers),
        email: None,
    }
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// `#rrggbb` as RGB (grey for anything else: the colour was validated when stored).
pub fn accent_rgb(hex: &str) -> (u8, u8, u8) {
    let p = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0x33)
    };
    (p(1), p(3), p(5))
}

/// Renders a PDF on the blocking pool: layout is CPU work.
pub async fn render<F>(f: F) -> Result<Vec<u8>, AppError>
where
    F: FnOnce() -> anyhow::Result<Vec<u8>> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(internal)?
        .map_err(|e| internal(format!("{e:#}")))
}

/// A PDF download, never cached (it holds personal data).
pub fn pdf_response(bytes: Vec<u8>, filename: &str) -> Response {
    // The name is built from a document number: keep it to safe ASCII for the header.
    let safe: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut res = Response::new(Body::from(bytes));
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// Records that the debtor downloaded a document (the creditor's traceability).
pub async fn log_download(
    state: &AppState,
    creditor_id: &str,
    debtor_id: &str,
    invoice_id: Option<&str>,
    what: &str,
) {
    let e = NewEvent {
        creditor_id,
        debtor_id: Some(debtor_id),
        invoice_id,
        kind: "pdf_downloaded",
        actor: "debtor",
        detail: serde_json::json!({ "document": what }),
    };
    if let Err(err) = state.storage.append_event(e, state.now()).await {
        tracing::error!(error = %err, "recording a download");
    }
}

/// A document file id from its URL (`<uuid>.pdf`); anything else is unknown and never reaches
/// the database.
pub fn pdf_id(file: &str) -> Result<&str, AppError> {
    file.strip_suffix(".pdf")
        .filter(|id| uuid::Uuid::parse_str(id).is_ok())
        .ok_or(AppError::NotFound)
}
