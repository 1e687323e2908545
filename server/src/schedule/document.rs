//! The schedule as a PDF: attached to the acceptance mail and downloadable from the portal.

use crate::kernel::clock::today_in;
use crate::kernel::documents::{
    accent_rgb, log_download, party_of_creditor, party_of_debtor, pdf_id, pdf_response, render,
};
use crate::kernel::{AppState, DebtorContext, internal};
use crate::pdf;
use crate::storage::{CreditorRow, DebtorRow, ScheduleRow, ScheduleStatus};
use app::domain::locale::Lang;
use app::error::AppError;
use app::ports::lang_from_headers;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

/// A schedule as a PDF and its file name, for the portal route and the mail worker.
pub async fn schedule_document(
    state: &AppState,
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    s: &ScheduleRow,
    lang: Lang,
) -> Result<(Vec<u8>, String), AppError> {
    let number = schedule_number(&s.id);
    let agreed = s.decided_at.unwrap_or(s.created_at);
    let accepted_on = chrono::DateTime::from_timestamp(agreed, 0).map_or_else(
        || state.today_in(debtor.timezone),
        |t| today_in(debtor.timezone, t),
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

/// A short printable number for a schedule: its UUID v7's random tail, upper case.
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
    debtor: Option<DebtorContext>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    let result: Result<Response, AppError> = async {
        let ctx = debtor.ok_or(AppError::Unauthorized)?;
        let id = pdf_id(&file)?;
        let s = state
            .storage
            .schedule(&ctx.creditor.id, Some(&ctx.debtor.id), id)
            .await
            .map_err(internal)?
            .filter(|s| {
                matches!(
                    s.status,
                    ScheduleStatus::Accepted | ScheduleStatus::Broken | ScheduleStatus::Completed
                )
            })
            .ok_or(AppError::NotFound)?;
        let lang = lang_from_headers(&headers);
        let (bytes, name) = schedule_document(&state, &ctx.creditor, &ctx.debtor, &s, lang).await?;
        log_download(&state, &ctx.creditor.id, &ctx.debtor.id, None, "schedule").await;
        Ok(pdf_response(bytes, &name))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}
