//! Background work that must survive restarts: sending the outbox, reconciling card payments
//! left in doubt, cleaning old sessions. State lives in the database; any number of server
//! instances may run these loops.

use crate::mail::{MailAttachment, Mailer};
use crate::state::AppState;
use crate::storage::{Attachment, OutboxRow};
use app::domain::locale::Lang;
use std::sync::Arc;
use std::time::Duration;

const LEASE_SECS: i64 = 120;
const MAX_BACKOFF_SECS: i64 = 3600;
/// Expired sessions are already refused on read; deleting them is housekeeping.
const SESSION_CLEANUP_SECS: i64 = 600;
/// How often, and after how long, card attempts without an outcome are checked with Stripe.
const RECONCILE_EVERY_SECS: i64 = 60;
const IN_DOUBT_AFTER_SECS: i64 = 120;
/// How often accepted schedules and open promises are followed (reminders, breaks, completion).
const SCHEDULES_EVERY_SECS: i64 = 300;

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Sends every mail that is due; returns how many were sent.
pub async fn send_due_mail(state: &AppState, mailer: &dyn Mailer) -> anyhow::Result<usize> {
    let storage = &state.storage;
    let mut sent = 0;
    while let Some(m) = storage.claim_mail(now(), LEASE_SECS).await? {
        let result = match attachments(state, &m).await {
            Ok(files) => {
                mailer
                    .send(
                        &m.to_name,
                        &m.to_address,
                        &m.subject,
                        &m.text_body,
                        &m.html_body,
                        &files,
                    )
                    .await
            }
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                storage.mark_mail_sent(&m.id, now()).await?;
                sent += 1;
            }
            Err(e) => {
                // Exponential back-off: 30 s, 60 s, 120 s … capped at an hour.
                let wait = (30i64 << m.attempts.clamp(0, 7)).min(MAX_BACKOFF_SECS);
                tracing::warn!(mail = %m.id, attempts = m.attempts, error = %format!("{e:#}"), "mail not sent; will retry");
                storage
                    .mark_mail_failed(&m.id, &format!("{e:#}"), now() + wait)
                    .await?;
                break;
            }
        }
    }
    Ok(sent)
}

/// Renders the documents a mail carries, as they are now.
async fn attachments(state: &AppState, m: &OutboxRow) -> anyhow::Result<Vec<MailAttachment>> {
    let Some((kind, id)) = &m.attachment else {
        return Ok(vec![]);
    };
    let creditor_id = m
        .creditor_id
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("document mail without a creditor"))?;
    let creditor = state
        .storage
        .creditor(creditor_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("creditor gone"))?;
    let (bytes, filename) = match kind {
        Attachment::Receipt => {
            let receipt = state
                .storage
                .receipt(creditor_id, None, id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("payment gone"))?;
            let debtor = state
                .storage
                .debtor(creditor_id, &receipt.debtor_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("debtor gone"))?;
            let lang = Lang::parse(&debtor.locale).unwrap_or_default();
            crate::web::documents::receipt_document(state, &creditor, &debtor, &receipt, lang).await
        }
        Attachment::Schedule => {
            let schedule = state
                .storage
                .schedule(creditor_id, None, id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("schedule gone"))?;
            let debtor = state
                .storage
                .debtor(creditor_id, &schedule.debtor_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("debtor gone"))?;
            let lang = Lang::parse(&debtor.locale).unwrap_or_default();
            crate::web::documents::schedule_document(state, &creditor, &debtor, &schedule, lang)
                .await
        }
    }
    .map_err(|e| anyhow::anyhow!("rendering the attachment: {e}"))?;
    Ok(vec![MailAttachment {
        filename,
        content_type: "application/pdf".into(),
        bytes,
    }])
}

pub fn spawn_workers(state: AppState, mailer: Arc<dyn Mailer>) {
    tokio::spawn(async move {
        let (mut last_cleanup, mut last_reconcile, mut last_schedules) = (0, 0, 0);
        loop {
            if let Err(e) = send_due_mail(&state, mailer.as_ref()).await {
                tracing::error!(error = %format!("{e:#}"), "outbox worker");
            }
            if now() - last_reconcile >= RECONCILE_EVERY_SECS {
                last_reconcile = now();
                match crate::payments::reconcile(&state, IN_DOUBT_AFTER_SECS).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(settled = n, "reconciled card payments left in doubt"),
                    Err(e) => tracing::error!(error = %format!("{e:#}"), "card payment reconcile"),
                }
            }
            if now() - last_schedules >= SCHEDULES_EVERY_SECS {
                last_schedules = now();
                match crate::schedules::follow(&state).await {
                    Ok(f) if f == crate::schedules::FollowUp::default() => {}
                    Ok(f) => tracing::info!(
                        reminded = f.reminded,
                        broken = f.broken,
                        completed = f.completed,
                        "followed schedules"
                    ),
                    Err(e) => tracing::error!(error = %format!("{e:#}"), "schedule follow-up"),
                }
                match crate::promises::follow(&state).await {
                    Ok((0, 0)) => {}
                    Ok((kept, missed)) => tracing::info!(kept, missed, "followed promises to pay"),
                    Err(e) => tracing::error!(error = %format!("{e:#}"), "promise follow-up"),
                }
            }
            if now() - last_cleanup >= SESSION_CLEANUP_SECS {
                last_cleanup = now();
                if let Err(e) = state.storage.delete_expired_sessions(last_cleanup).await {
                    tracing::error!(error = %e, "session cleanup");
                }
            }
            // Woken at once when a request queues mail; otherwise polls for retries.
            let _ = tokio::time::timeout(Duration::from_secs(5), state.mail_wake.notified()).await;
        }
    });
}
