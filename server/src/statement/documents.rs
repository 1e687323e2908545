//! Downloads: invoice PDFs (the creditor's original, else generated) and the statement PDF,
//! for the debtor of the session only; and creditors' logos.

use crate::kernel::documents::{
    accent_rgb, log_download, party_of_creditor, party_of_debtor, pdf_id, pdf_response, render,
};
use crate::kernel::statement::{LoadedStatement, load_statement};
use crate::kernel::{AppState, DebtorContext, internal};
use crate::pdf::{self, InvoiceDoc, InvoiceLine, StatementDoc};
use app::domain::invoice::DocumentKind;
use app::domain::locale::Lang;
use app::domain::money::Money;
use app::error::AppError;
use app::ports::lang_from_headers;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// `GET /documents/invoices/{id}.pdf`
pub async fn invoice_pdf(
    State(state): State<AppState>,
    debtor: Option<DebtorContext>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    match invoice_pdf_inner(&state, debtor, &headers, &file).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn invoice_pdf_inner(
    state: &AppState,
    debtor: Option<DebtorContext>,
    headers: &HeaderMap,
    file: &str,
) -> Result<Response, AppError> {
    let ctx = debtor.ok_or(AppError::Unauthorized)?;
    let (creditor_id, debtor_id) = (&ctx.creditor.id, &ctx.debtor.id);
    let id = pdf_id(file)?;
    let storage = &state.storage;
    let detail = storage
        .invoice_detail(creditor_id, debtor_id, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let lang = lang_from_headers(headers);
    let prefix = match (lang, detail.facts.kind) {
        (Lang::Fr, DocumentKind::Invoice) => "facture",
        (Lang::Fr, _) => "avoir",
        (Lang::En, DocumentKind::Invoice) => "invoice",
        (Lang::En, _) => "credit-note",
    };
    let filename = format!("{prefix}-{}.pdf", detail.facts.number);
    if detail.has_original_pdf {
        let bytes = storage
            .original_pdf(creditor_id, debtor_id, id)
            .await
            .map_err(internal)?
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
pub async fn statement_pdf(
    State(state): State<AppState>,
    debtor: Option<DebtorContext>,
    headers: HeaderMap,
) -> Response {
    let result: Result<Response, AppError> = async {
        let ctx = debtor.ok_or(AppError::Unauthorized)?;
        let (creditor_id, debtor_id) = (ctx.creditor.id.clone(), ctx.debtor.id.clone());
        let LoadedStatement {
            creditor,
            debtor,
            statement,
        } = load_statement(&state, ctx).await.map_err(internal)?;
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
    result.unwrap_or_else(IntoResponse::into_response)
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
