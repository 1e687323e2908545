//! Downloads: invoice PDFs (the creditor's original, else generated) and the statement PDF,
//! for the debtor of the session only; and creditors' logos.

use crate::jobs::now;
use crate::pdf::{self, InvoiceDoc, InvoiceLine, Party, StatementDoc};
use crate::portal::{LoadedStatement, load_statement, session};
use crate::state::AppState;
use crate::storage::{CreditorRow, DebtorRow, NewEvent, ReceiptData};
use app::domain::locale::Lang;
use app::domain::money::Money;
use app::domain::statement::Statement;
use app::error::AppError;
use app::ports::{SESSION_COOKIE, cookie_value, lang_from_headers};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn error_response(e: AppError) -> Response {
    match e {
        AppError::Unauthorized => (
            StatusCode::UNAUTHORIZED,
            "Your session has expired. Open the link in your email again.",
        )
            .into_response(),
        AppError::NotFound => (StatusCode::NOT_FOUND, "No such document.").into_response(),
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong on our side. Please try again.",
        )
            .into_response(),
    }
}

fn pdf_response(bytes: Vec<u8>, filename: &str) -> Response {
    // The name is built from the invoice number: keep it to safe ASCII for the header.
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

fn party_of_creditor(c: &CreditorRow) -> Party {
    Party {
        name: c.legal_name.clone(),
        address_lines: lines(&c.address),
        identifiers: lines(&c.identifiers),
        email: Some(c.contact_email.clone()),
    }
}

fn party_of_debtor(d: &DebtorRow) -> Party {
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

pub fn accent_rgb(hex: &str) -> (u8, u8, u8) {
    let p = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0x33)
    };
    (p(1), p(3), p(5))
}

async fn log_download(
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
    if let Err(err) = state.storage.append_event(e, now()).await {
        tracing::error!(error = %err, "recording a download");
    }
}

async fn render<F>(f: F) -> Result<Vec<u8>, AppError>
where
    F: FnOnce() -> anyhow::Result<Vec<u8>> + Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(crate::portal::internal)?
        .map_err(|e| crate::portal::internal(format!("{e:#}")))
}

/// `GET /documents/invoices/{id}.pdf`
pub async fn invoice_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    match invoice_pdf_inner(&state, &headers, &file).await {
        Ok(r) => r,
        Err(e) => error_response(e),
    }
}

async fn invoice_pdf_inner(
    state: &AppState,
    headers: &HeaderMap,
    file: &str,
) -> Result<Response, AppError> {
    let ctx = session(
        state,
        &cookie_value(headers, SESSION_COOKIE).unwrap_or_default(),
    )
    .await?;
    let (creditor_id, debtor_id) = (&ctx.creditor.id, &ctx.debtor.id);
    // Ids are UUIDs: anything else is unknown, and never reaches the database.
    let id = file
        .strip_suffix(".pdf")
        .filter(|id| uuid::Uuid::parse_str(id).is_ok())
        .ok_or(AppError::NotFound)?;
    let storage = &state.storage;
    let detail = storage
        .invoice_detail(creditor_id, debtor_id, id)
        .await
        .map_err(crate::portal::internal)?
        .ok_or(AppError::NotFound)?;
    let lang = lang_from_headers(headers);
    let prefix = match (lang, detail.facts.kind) {
        (Lang::Fr, app::domain::invoice::DocumentKind::Invoice) => "facture",
        (Lang::Fr, _) => "avoir",
        (Lang::En, app::domain::invoice::DocumentKind::Invoice) => "invoice",
        (Lang::En, _) => "credit-note",
    };
    let filename = format!("{prefix}-{}.pdf", detail.facts.number);
    if detail.has_original_pdf {
        let bytes = storage
            .original_pdf(creditor_id, debtor_id, id)
            .await
            .map_err(crate::portal::internal)?
            .ok_or(AppError::NotFound)?;
        log_download(state, creditor_id, debtor_id, Some(id), "original").await;
        return Ok(pdf_response(bytes, &filename));
    }
    let (creditor, debtor) = (&ctx.creditor, &ctx.debtor);
    let f = &detail.facts;
    let c = f.amount.currency;
    let total_excl: i64 = detail.lines.iter().map(|l| l.total_minor).sum();
    let doc = InvoiceDoc {
        lang,
        kind: f.kind,
        number: f.number.clone(),
        issue_date: f.issue_date,
        due_date: f.due_date,
        creditor: party_of_creditor(creditor),
        debtor: party_of_debtor(debtor),
        accent: accent_rgb(&creditor.accent_colour),
        lines: detail
            .lines
            .iter()
            .map(|l| InvoiceLine {
                description: l.description.clone(),
                quantity_milli: l.quantity_milli,
                unit_price: Money::new(l.unit_price_minor, c),
                tax_rate_bp: l.tax_rate_bp,
                total_excl_tax: Money::new(l.total_minor, c),
            })
            .collect(),
        total_excl_tax: Money::new(total_excl, c),
        total_tax: detail.tax,
        total_incl_tax: f.amount,
        remaining: f.remaining,
        payment_reference: detail.payment_reference.clone(),
        bank_details: creditor.bank_details.clone(),
    };
    let fonts = state.fonts.clone();
    let bytes = render(move || pdf::render_invoice(&doc, &fonts)).await?;
    log_download(state, creditor_id, debtor_id, Some(id), "generated").await;
    Ok(pdf_response(bytes, &filename))
}

/// `GET /documents/statement.pdf`
pub async fn statement_pdf(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result: Result<Response, AppError> = async {
        let ctx = session(
            &state,
            &cookie_value(&headers, SESSION_COOKIE).unwrap_or_default(),
        )
        .await?;
        let (creditor_id, debtor_id) = (ctx.creditor.id.clone(), ctx.debtor.id.clone());
        let LoadedStatement {
            creditor,
            debtor,
            statement,
        } = load_statement(&state, ctx)
            .await
            .map_err(crate::portal::internal)?;
        let lang = lang_from_headers(&headers);
        let filename = match lang {
            Lang::Fr => format!("releve-{}-{}.pdf", debtor.reference, statement.as_of),
            Lang::En => format!("statement-{}-{}.pdf", debtor.reference, statement.as_of),
        };
        let doc = StatementDoc {
            lang,
            creditor: party_of_creditor(&creditor),
            debtor: party_of_debtor(&debtor),
            accent: accent_rgb(&creditor.accent_colour),
            statement,
        };
        let fonts = state.fonts.clone();
        let bytes = render(move || pdf::render_statement(&doc, &fonts)).await?;
        log_download(&state, &creditor_id, &debtor_id, None, "statement").await;
        Ok(pdf_response(bytes, &filename))
    }
    .await;
    result.unwrap_or_else(error_response)
}

/// `GET /brand/{slug}/logo`: public (a logo is no secret); SVG is sandboxed.
pub async fn logo(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    match state.storage.creditor_logo(&slug).await {
        Ok(Some((content_type, bytes))) => {
            let mut res = Response::new(Body::from(bytes));
            let h = res.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                h.insert(header::CONTENT_TYPE, v);
            }
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
            );
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            res
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "logo");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A payment's receipt as a PDF and its file name, for the portal route and the mail worker,
/// which have already loaded (and scoped) the payment and its debtor.
pub async fn receipt_document(
    state: &AppState,
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    r: &ReceiptData,
    lang: Lang,
) -> Result<(Vec<u8>, String), AppError> {
    let s = &state.storage;
    let (facts, payments) = tokio::try_join!(
        s.invoice_facts(&creditor.id, &debtor.id),
        s.payments(&creditor.id, &debtor.id)
    )
    .map_err(crate::portal::internal)?;
    let remaining: std::collections::HashMap<String, Money> = facts
        .iter()
        .map(|f| (f.number.clone(), f.remaining))
        .collect();
    let statement = Statement::build(
        facts,
        payments,
        crate::portal::today_in(&debtor.timezone, chrono::Utc::now()),
    )
    .map_err(crate::portal::internal)?;
    let view = crate::portal::receipt_view(creditor, debtor, r, &statement);
    let doc = pdf::ReceiptDoc {
        lang,
        creditor: party_of_creditor(creditor),
        debtor: party_of_debtor(debtor),
        accent: accent_rgb(&creditor.accent_colour),
        number: receipt_number(&r.payment_id),
        received_on: r.received_on,
        amount: r.amount,
        method: r.method.clone(),
        method_detail: r.reference.clone(),
        lines: r
            .lines
            .iter()
            .map(|(number, applied)| pdf::ReceiptLine {
                invoice_number: number.clone(),
                applied: *applied,
                remaining_after: remaining
                    .get(number)
                    .copied()
                    .unwrap_or(Money::zero(applied.currency)),
            })
            .collect(),
        credit: r.credit,
        balance_after: view.balance_after,
    };
    let fonts = state.fonts.clone();
    let bytes = render(move || pdf::render_receipt(&doc, &fonts)).await?;
    let name = match lang {
        Lang::Fr => format!("recu-{}.pdf", receipt_number(&r.payment_id)),
        Lang::En => format!("receipt-{}.pdf", receipt_number(&r.payment_id)),
    };
    Ok((bytes, name))
}

/// A short printable number for a payment: its UUID v7's random tail, upper case.
pub fn receipt_number(payment_id: &str) -> String {
    let tail: String = payment_id
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .collect();
    format!(
        "R-{}",
        tail[tail.len().saturating_sub(10)..].to_ascii_uppercase()
    )
}

/// `GET /documents/receipts/{payment id}.pdf`
pub async fn receipt_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let result: Result<Response, AppError> = async {
        let ctx = session(
            &state,
            &cookie_value(&headers, SESSION_COOKIE).unwrap_or_default(),
        )
        .await?;
        let id = file
            .strip_suffix(".pdf")
            .filter(|id| uuid::Uuid::parse_str(id).is_ok())
            .ok_or(AppError::NotFound)?;
        let lang = lang_from_headers(&headers);
        let r = state
            .storage
            .receipt(&ctx.creditor.id, Some(&ctx.debtor.id), id)
            .await
            .map_err(crate::portal::internal)?
            .ok_or(AppError::NotFound)?;
        let (bytes, name) = receipt_document(&state, &ctx.creditor, &ctx.debtor, &r, lang).await?;
        log_download(&state, &ctx.creditor.id, &ctx.debtor.id, None, "receipt").await;
        Ok(pdf_response(bytes, &name))
    }
    .await;
    result.unwrap_or_else(error_response)
}

/// A schedule as a PDF and its file name, for the portal route and the mail worker.
pub async fn schedule_document(
    state: &AppState,
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    s: &crate::storage::ScheduleRow,
    lang: Lang,
) -> Result<(Vec<u8>, String), AppError> {
    let number = schedule_number(&s.id);
    let agreed = s.decided_at.unwrap_or(s.created_at);
    let accepted_on = chrono::DateTime::from_timestamp(agreed, 0).map_or_else(
        || chrono::Utc::now().date_naive(),
        |t| crate::portal::today_in(&debtor.timezone, t),
    );
    let doc = pdf::ScheduleDoc {
        lang,
        creditor: party_of_creditor(creditor),
        debtor: party_of_debtor(debtor),
        accent: accent_rgb(&creditor.accent_colour),
        number: number.clone(),
        accepted_on,
        total: s.total,
        invoices: s.invoices.iter().map(|(_, n, m)| (n.clone(), *m)).collect(),
        instalments: s
            .instalments
            .iter()
            .map(|i| (i.seq as u32, i.due_date, i.amount))
            .collect(),
    };
    let fonts = state.fonts.clone();
    let bytes = render(move || pdf::render_schedule(&doc, &fonts)).await?;
    let name = match lang {
        Lang::Fr => format!("echeancier-{number}.pdf"),
        Lang::En => format!("schedule-{number}.pdf"),
    };
    Ok((bytes, name))
}

/// A short printable number for a schedule, like a receipt's.
pub fn schedule_number(schedule_id: &str) -> String {
    let tail: String = schedule_id
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .collect();
    format!(
        "E-{}",
        tail[tail.len().saturating_sub(10)..].to_ascii_uppercase()
    )
}

/// `GET /documents/schedules/{schedule id}.pdf`: only an agreed schedule (accepted, or since
/// broken or completed) of the session's debtor.
pub async fn schedule_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    use crate::storage::ScheduleStatus;
    let result: Result<Response, AppError> = async {
        let ctx = session(
            &state,
            &cookie_value(&headers, SESSION_COOKIE).unwrap_or_default(),
        )
        .await?;
        let id = file
            .strip_suffix(".pdf")
            .filter(|id| uuid::Uuid::parse_str(id).is_ok())
            .ok_or(AppError::NotFound)?;
        let lang = lang_from_headers(&headers);
        let s = state
            .storage
            .schedule(&ctx.creditor.id, Some(&ctx.debtor.id), id)
            .await
            .map_err(crate::portal::internal)?
            .filter(|s| {
                matches!(
                    s.status,
                    ScheduleStatus::Accepted | ScheduleStatus::Broken | ScheduleStatus::Completed
                )
            })
            .ok_or(AppError::NotFound)?;
        let (bytes, name) = schedule_document(&state, &ctx.creditor, &ctx.debtor, &s, lang).await?;
        log_download(&state, &ctx.creditor.id, &ctx.debtor.id, None, "schedule").await;
        Ok(pdf_response(bytes, &name))
    }
    .await;
    result.unwrap_or_else(error_response)
}
