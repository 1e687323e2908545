//! Background work that must survive restarts: sending the outbox, cleaning old sessions.
//! State lives in the database; any number of server instances may run these loops.

use crate::mail::Mailer;
use crate::storage::Storage;
use std::sync::Arc;
use std::time::Duration;

const LEASE_SECS: i64 = 120;
const MAX_BACKOFF_SECS: i64 = 3600;
/// Expired sessions are already refused on read; deleting them is housekeeping.
const SESSION_CLEANUP_SECS: i64 = 600;

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Sends every mail that is due; returns how many were sent.
pub async fn send_due_mail(storage: &Storage, mailer: &dyn Mailer) -> anyhow::Result<usize> {
    let mut sent = 0;
    while let Some(m) = storage.claim_mail(now(), LEASE_SECS).await? {
        match mailer.send(&m.to_name, &m.to_address, &m.subject, &m.text_body, &m.html_body).await {
            Ok(()) => {
                storage.mark_mail_sent(&m.id, now()).await?;
                sent += 1;
            }
            Err(e) => {
                // Exponential back-off: 30 s, 60 s, 120 s … capped at an hour.
                let wait = (30i64 << m.attempts.clamp(0, 7)).min(MAX_BACKOFF_SECS);
                tracing::warn!(mail = %m.id, attempts = m.attempts, error = %format!("{e:#}"), "mail not sent; will retry");
                storage.mark_mail_failed(&m.id, &format!("{e:#}"), now() + wait).await?;
                break;
            }
        }
    }
    Ok(sent)
}

pub fn spawn_workers(storage: Storage, mailer: Arc<dyn Mailer>, wake: Arc<tokio::sync::Notify>) {
    tokio::spawn(async move {
        let mut last_cleanup = 0;
        loop {
            if let Err(e) = send_due_mail(&storage, mailer.as_ref()).await {
                tracing::error!(error = %format!("{e:#}"), "outbox worker");
            }
            if now() - last_cleanup >= SESSION_CLEANUP_SECS {
                last_cleanup = now();
                if let Err(e) = storage.delete_expired_sessions(last_cleanup).await {
                    tracing::error!(error = %e, "session cleanup");
                }
            }
            // Woken at once when a request queues mail; otherwise polls for retries.
            let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
        }
    });
}
