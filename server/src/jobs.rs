//! The scheduler: a loop that calls each feature's job at its pace. Work and its state live in
//! the database, so any number of server instances may run it. It defines nothing features
//! use; it only calls them.

use crate::kernel::AppState;
use crate::mail::outbox::{self, Documents};
use crate::mail::{MailAttachment, Mailer};
use crate::storage::Attachment;
use crate::{payment, promise, reminder, schedule};
use std::sync::Arc;
use std::time::Duration;

/// Expired sessions are already refused on read; deleting them is housekeeping.
const SESSION_CLEANUP_SECS: i64 = 600;
/// How often, and after how long, card attempts without an outcome are checked with Stripe.
const RECONCILE_EVERY_SECS: i64 = 60;
const IN_DOUBT_AFTER_SECS: i64 = 120;
/// How often accepted schedules and open promises are followed, and reminders decided.
const FOLLOW_EVERY_SECS: i64 = 300;

/// Which feature renders which document a mail carries.
struct FeatureDocuments(AppState);

#[async_trait::async_trait]
impl Documents for FeatureDocuments {
    async fn render(
        &self,
        creditor_id: &str,
        kind: Attachment,
        id: &str,
    ) -> anyhow::Result<MailAttachment> {
        let state = &self.0;
        let s = &state.storage;
        let gone = |what: &str| anyhow::anyhow!("{what} gone");
        let creditor = s
            .creditor(creditor_id)
            .await?
            .ok_or_else(|| gone("creditor"))?;
        let (bytes, filename) = match kind {
            Attachment::Receipt => {
                let r = s
                    .receipt(creditor_id, None, id)
                    .await?
                    .ok_or_else(|| gone("payment"))?;
                let debtor = s
                    .debtor(creditor_id, &r.debtor_id)
                    .await?
                    .ok_or_else(|| gone("debtor"))?;
                payment::receipt::receipt_document(state, &creditor, &debtor, &r, debtor.lang).await
            }
            Attachment::Schedule => {
                let sch = s
                    .schedule(creditor_id, None, id)
                    .await?
                    .ok_or_else(|| gone("schedule"))?;
                let debtor = s
                    .debtor(creditor_id, &sch.debtor_id)
                    .await?
                    .ok_or_else(|| gone("debtor"))?;
                schedule::document::schedule_document(state, &creditor, &debtor, &sch, debtor.lang)
                    .await
            }
        }
        .map_err(|e| anyhow::anyhow!("rendering the attachment: {e}"))?;
        Ok(MailAttachment {
            filename,
            content_type: "application/pdf".into(),
            bytes,
        })
    }
}

/// Sends every mail that is due; returns how many were sent.
pub async fn send_due_mail(state: &AppState, mailer: &dyn Mailer) -> anyhow::Result<usize> {
    let documents = FeatureDocuments(state.clone());
    outbox::send_due(&state.storage, mailer, &documents, &|| state.now()).await
}

/// What following the schedules did in one pass.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Followed {
    pub charges: payment::instalments::Charged,
    pub schedules: schedule::follow::FollowUp,
}

/// Follows accepted schedules once: saved cards are charged on their dates first, then
/// reminders, breaks and completions.
pub async fn follow_schedules(state: &AppState) -> anyhow::Result<Followed> {
    let charges = payment::instalments::charge_due(state).await?;
    let schedules = schedule::follow::follow(state).await?;
    Ok(Followed { charges, schedules })
}

/// Starts the background work of a serving instance: the outbox, and the periodic jobs.
pub fn spawn_workers(state: AppState, mailer: Arc<dyn Mailer>) {
    spawn_outbox(state.clone(), mailer);
    tokio::spawn(run_periodic_jobs(state));
}

/// Sends mail as soon as a request queues it (and retries what failed).
pub fn spawn_outbox(state: AppState, mailer: Arc<dyn Mailer>) {
    tokio::spawn(async move {
        loop {
            let sent = send_due_mail(&state, mailer.as_ref()).await;
            state.metrics.job("outbox", sent.is_ok());
            if let Err(e) = sent {
                tracing::error!(error = %format!("{e:#}"), "outbox worker");
            }
            // Woken at once when a request queues mail; otherwise polls for retries.
            let _ = tokio::time::timeout(Duration::from_secs(5), state.mail_wake.notified()).await;
        }
    });
}

/// Each job at its pace, by the state's clock.
async fn run_periodic_jobs(state: AppState) {
    let (mut last_cleanup, mut last_reconcile, mut last_follow) = (0, 0, 0);
    loop {
        if state.now() - last_reconcile >= RECONCILE_EVERY_SECS {
            last_reconcile = state.now();
            let done = payment::card::reconcile(&state, IN_DOUBT_AFTER_SECS).await;
            state.metrics.job("card_reconcile", done.is_ok());
            match done {
                Ok(0) => {}
                Ok(n) => tracing::info!(settled = n, "reconciled card payments left in doubt"),
                Err(e) => tracing::error!(error = %format!("{e:#}"), "card payment reconcile"),
            }
        }
        if state.now() - last_follow >= FOLLOW_EVERY_SECS {
            last_follow = state.now();
            let followed = follow_schedules(&state).await;
            state.metrics.job("schedule_follow", followed.is_ok());
            match followed {
                Ok(f) if f == Followed::default() => {}
                Ok(f) => tracing::info!(?f, "followed schedules"),
                Err(e) => tracing::error!(error = %format!("{e:#}"), "schedule follow-up"),
            }
            let followed = promise::follow(&state).await;
            state.metrics.job("promise_follow", followed.is_ok());
            match followed {
                Ok((0, 0)) => {}
                Ok((kept, missed)) => tracing::info!(kept, missed, "followed promises to pay"),
                Err(e) => tracing::error!(error = %format!("{e:#}"), "promise follow-up"),
            }
            let reminded = reminder::run(&state, false).await;
            state.metrics.job("reminder_run", reminded.is_ok());
            match reminded {
                Ok(r) if r.emails + r.tasks == 0 => {}
                Ok(r) => tracing::info!(?r, "reminder run"),
                Err(e) => tracing::error!(error = %format!("{e:#}"), "reminder run"),
            }
        }
        if state.now() - last_cleanup >= SESSION_CLEANUP_SECS {
            last_cleanup = state.now();
            let cleaned = state.storage.delete_expired_sessions(last_cleanup).await;
            state.metrics.job("session_cleanup", cleaned.is_ok());
            if let Err(e) = cleaned {
                tracing::error!(error = %e, "session cleanup");
            }
        }
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
}
