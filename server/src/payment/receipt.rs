//! Receipts: the receipt page's data, the PDF (portal route and mail attachment), and the mail
//! that carries it.

use crate::kernel::documents::{
    accent_rgb, log_download, party_of_creditor, party_of_debtor, pdf_id, pdf_response, render,
};
use crate::kernel::mail::Letter;
use crate::kernel::statement::{brand, load_statement};
use crate::kernel::{AppState, DebtorContext, internal};
use crate::pdf;
use crate::storage::{Attachment, CreditorRow, DebtorRow, NewMail, ReceiptData};
use app::domain::locale::{Lang, format_money};
use app::domain::money::Money;
use app::domain::statement::Statement;
use app::error::AppError;
use app::i18n::{self, mail as words};
use app::ports::lang_from_headers;
use app::views::payment::ReceiptView;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

/// What the receipt shows; the balance is the debtor's balance now, in the payment's currency.
pub fn receipt_view(
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    r: &ReceiptData,
    statement: &Statement,
) -> ReceiptView {
    let balance_after = statement
        .totals
        .iter()
        .find(|t| t.currency == r.amount.currency)
        .map(|t| t.balance)
        .unwrap_or(Money::zero(r.amount.currency));
    ReceiptView {
        brand: brand(creditor),
        debtor_name: debtor.name.clone(),
        payment_id: r.payment_id.clone(),
        received_on: r.received_on,
        amount: r.amount,
        method: r.method.clone(),
        reference: r.reference.clone(),
        lines: r.lines.clone(),
        credit: r.credit,
        balance_after,
    }
}

/// A payment of this debtor, for the receipt page; `NotFound` for anyone else's.
pub async fn page(
    state: &AppState,
    ctx: DebtorContext,
    payment_id: &str,
) -> Result<ReceiptView, AppError> {
    uuid::Uuid::parse_str(payment_id).map_err(|_| AppError::NotFound)?;
    let r = state
        .storage
        .receipt(&ctx.creditor.id, Some(&ctx.debtor.id), payment_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let loaded = load_statement(state, ctx).await.map_err(internal)?;
    Ok(receipt_view(
        &loaded.creditor,
        &loaded.debtor,
        &r,
        &loaded.statement,
    ))
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
    let ctx = DebtorContext {
        creditor: creditor.clone(),
        debtor: debtor.clone(),
    };
    let loaded = load_statement(state, ctx).await.map_err(internal)?;
    let view = receipt_view(creditor, debtor, r, &loaded.statement);
    let remaining = |number: &str, applied: Money| {
        loaded
            .statement
            .items
            .iter()
            .find(|i| i.invoice.number == number)
            .map_or(Money::zero(applied.currency), |i| i.invoice.remaining)
    };
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
                remaining_after: remaining(number, *applied),
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
    debtor: Option<DebtorContext>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let result: Result<Response, AppError> = async {
        let ctx = debtor.ok_or(AppError::Unauthorized)?;
        let id = pdf_id(&file)?;
        let r = state
            .storage
            .receipt(&ctx.creditor.id, Some(&ctx.debtor.id), id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let lang = lang_from_headers(&headers);
        let (bytes, name) = receipt_document(&state, &ctx.creditor, &ctx.debtor, &r, lang).await?;
        log_download(&state, &ctx.creditor.id, &ctx.debtor.id, None, "receipt").await;
        Ok(pdf_response(bytes, &name))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// The receipt mail to one contact, with the receipt PDF attached when it is sent.
pub fn receipt_mail(
    creditor: &CreditorRow,
    lang: Lang,
    to_name: &str,
    to: &str,
    amount: Money,
    payment_id: &str,
    public_url: &str,
) -> NewMail {
    Letter::new(i18n::RECEIPT_SUBJECT.get(lang))
        .para(format!(
            "{}\n{}",
            words::receipt_received(lang, &format_money(amount, lang)),
            words::RECEIPT_ATTACHED.get(lang)
        ))
        .para(words::receipt_follow(lang, &creditor.name, public_url))
        .attach(Attachment::Receipt, payment_id)
        .to(creditor, lang, to_name, to)
}
