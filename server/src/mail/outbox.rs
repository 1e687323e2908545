//! Sends the outbox: claims due mails with a lease (safe with several server instances),
//! renders the document a mail carries at send time, sends, and retries with back-off.

use super::{MailAttachment, Mailer, SendError};
use crate::storage::{Attachment, OutboxRow, Storage};

const LEASE_SECS: i64 = 120;
const MAX_BACKOFF_SECS: i64 = 3600;

/// Renders the documents mails carry. The features that own each document provide it; the
/// scheduler (`jobs`) wires them in, so this adapter knows no feature.
#[async_trait::async_trait]
pub trait Documents: Send + Sync {
    async fn render(
        &self,
        creditor_id: &str,
        kind: Attachment,
        id: &str,
    ) -> anyhow::Result<MailAttachment>;
}

/// Sends every mail that is due; returns how many were sent. `now` reads the state's clock.
pub async fn send_due(
    storage: &Storage,
    mailer: &dyn Mailer,
    documents: &dyn Documents,
    now: &(dyn Fn() -> i64 + Sync),
) -> anyhow::Result<usize> {
    let mut sent = 0;
    while let Some(m) = storage.claim_mail(now(), LEASE_SECS).await? {
        let result = match attachments(documents, &m).await {
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
            Err(e) => Err(SendError::Failed(e)),
        };
        match result {
            Ok(()) => {
                storage.mark_mail_sent(&m.id, now()).await?;
                sent += 1;
            }
            Err(SendError::Refused { answer }) => {
                // Kept, not retried: the address bounces until an agent corrects it, and the
                // mail then goes to the corrected one. The next mails are not held up.
                tracing::warn!(mail = %m.id, answer = %answer, "mail refused for good; the address is marked bouncing");
                storage.mark_mail_refused(&m.id, &answer, now()).await?;
            }
            Err(SendError::Failed(e)) => {
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

async fn attachments(
    documents: &dyn Documents,
    m: &OutboxRow,
) -> anyhow::Result<Vec<MailAttachment>> {
    let Some((kind, id)) = &m.attachment else {
        return Ok(vec![]);
    };
    let creditor_id = m
        .creditor_id
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("document mail without a creditor"))?;
    Ok(vec![documents.render(creditor_id, *kind, id).await?])
}
