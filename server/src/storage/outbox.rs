use super::{Result, Storage, Tx, new_id};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct NewMail {
    pub creditor_id: Option<String>,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    /// A document rendered when the mail is sent, e.g. `(Attachment::Receipt, payment id)`.
    pub attachment: Option<(Attachment, String)>,
}

/// Documents a mail can carry. Rendered at send time from the database, so the outbox row
/// stays small and the document is the one the portal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attachment {
    Receipt,
    Schedule,
}

impl Attachment {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::Schedule => "schedule",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "receipt" => Some(Self::Receipt),
            "schedule" => Some(Self::Schedule),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: String,
    pub creditor_id: Option<String>,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i64,
    pub attachment: Option<(Attachment, String)>,
}

pub async fn enqueue(tx: &mut Tx<'_>, m: &NewMail, now: i64) -> Result<()> {
    enqueue_for(tx, m, now, None).await
}

/// Queues a mail that carries a reminder: when it is handed to SMTP, the reminder is marked sent.
pub async fn enqueue_for(
    tx: &mut Tx<'_>,
    m: &NewMail,
    now: i64,
    reminder_id: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (id, creditor_id, to_address, to_name, subject, text_body, html_body, created_at, lease_until, \
         attempts, attachment_kind, attachment_ref, reminder_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, $9, $10, $11)",
    )
    .bind(new_id())
    .bind(&m.creditor_id)
    .bind(&m.to_address)
    .bind(&m.to_name)
    .bind(&m.subject)
    .bind(&m.text_body)
    .bind(&m.html_body)
    .bind(now)
    .bind(m.attachment.as_ref().map(|(k, _)| k.as_str()))
    .bind(m.attachment.as_ref().map(|(_, r)| r.clone()))
    .bind(reminder_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Storage {
    /// Claims the oldest unsent mail whose lease has run out, for `lease_secs`. A single UPDATE
    /// whose WHERE is re-checked by the database, so two workers never claim the same row, on
    /// SQLite and on PostgreSQL alike.
    pub async fn claim_mail(&self, now: i64, lease_secs: i64) -> Result<Option<OutboxRow>> {
        let row = sqlx::query(
            "UPDATE outbox SET lease_until = $1, attempts = attempts + 1 WHERE id = ( \
               SELECT id FROM outbox WHERE sent_at IS NULL AND refused_at IS NULL AND lease_until <= $2 ORDER BY created_at, id LIMIT 1) \
             AND sent_at IS NULL AND refused_at IS NULL AND lease_until <= $3 \
             RETURNING id, creditor_id, to_address, to_name, subject, text_body, html_body, attempts, attachment_kind, attachment_ref",
        )
        .bind(now + lease_secs)
        .bind(now)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => Some(OutboxRow {
                id: r.try_get("id")?,
                creditor_id: r.try_get("creditor_id")?,
                to_address: r.try_get("to_address")?,
                to_name: r.try_get("to_name")?,
                subject: r.try_get("subject")?,
                text_body: r.try_get("text_body")?,
                html_body: r.try_get("html_body")?,
                attempts: r.try_get("attempts")?,
                attachment: match (
                    r.try_get::<Option<String>, _>("attachment_kind")?,
                    r.try_get::<Option<String>, _>("attachment_ref")?,
                ) {
                    (Some(k), Some(id)) => Some((
                        Attachment::parse(&k)
                            .ok_or_else(|| super::corrupt(format!("attachment kind {k:?}")))?,
                        id,
                    )),
                    _ => None,
                },
            }),
            None => None,
        })
    }

    /// Marks a mail sent; a reminder it carries becomes sent (handed to SMTP), with its event.
    pub async fn mark_mail_sent(&self, id: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "UPDATE outbox SET sent_at = $1, last_error = NULL WHERE id = $2 RETURNING reminder_id",
        )
        .bind(now)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let reminder: Option<String> = match row {
            Some(r) => r.try_get("reminder_id")?,
            None => None,
        };
        if let Some(reminder) = reminder {
            let moved = sqlx::query(
                "UPDATE reminders SET status = 'sent', sent_at = $1 WHERE id = $2 AND status IN ('queued', 'done', 'refused') RETURNING creditor_id, debtor_id",
            )
            .bind(now)
            .bind(&reminder)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(r) = moved {
                let (creditor_id, debtor_id): (String, String) =
                    (r.try_get("creditor_id")?, r.try_get("debtor_id")?);
                let e = super::NewEvent {
                    creditor_id: &creditor_id,
                    debtor_id: Some(&debtor_id),
                    invoice_id: None,
                    kind: "reminder_sent",
                    actor: "system",
                    detail: serde_json::json!({ "reminder": reminder }),
                };
                super::events::append(&mut tx, e, now).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// A permanent refusal: the mail is kept but never tried again, the address is marked
    /// bouncing for every debtor of the creditor who has it (with an event on each, the first
    /// time), and a reminder the mail carried, not yet delivered to another contact, becomes
    /// `refused`. One transaction.
    pub async fn mark_mail_refused(&self, id: &str, answer: &str, now: i64) -> Result<()> {
        let answer: String = answer.chars().take(500).collect();
        let mut tx = self.begin().await?;
        let Some(row) = sqlx::query(
            "UPDATE outbox SET refused_at = $1, last_error = $2 WHERE id = $3 AND sent_at IS NULL \
             RETURNING creditor_id, to_address, reminder_id",
        )
        .bind(now)
        .bind(&answer)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(());
        };
        let creditor_id: Option<String> = row.try_get("creditor_id")?;
        let address: String = row.try_get("to_address")?;
        let reminder: Option<String> = row.try_get("reminder_id")?;
        if let Some(reminder) = &reminder {
            sqlx::query(
                "UPDATE reminders SET status = 'refused' WHERE id = $1 AND status = 'queued'",
            )
            .bind(reminder)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(creditor_id) = &creditor_id {
            let newly = sqlx::query(
                "UPDATE debtor_contacts SET bouncing_since = $1, bounce = $2 \
                 WHERE creditor_id = $3 AND email_lower = $4 AND bouncing_since IS NULL RETURNING debtor_id",
            )
            .bind(now)
            .bind(&answer)
            .bind(creditor_id)
            .bind(address.to_lowercase())
            .fetch_all(&mut *tx)
            .await?;
            for r in &newly {
                let debtor_id: String = r.try_get("debtor_id")?;
                let e = super::NewEvent {
                    creditor_id,
                    debtor_id: Some(&debtor_id),
                    invoice_id: None,
                    kind: "contact_bouncing",
                    actor: "system",
                    detail: serde_json::json!({ "address": address, "answer": answer, "reminder": reminder }),
                };
                super::events::append(&mut tx, e, now).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Keeps the mail for a later try, after `retry_at`.
    pub async fn mark_mail_failed(&self, id: &str, error: &str, retry_at: i64) -> Result<()> {
        sqlx::query("UPDATE outbox SET lease_until = $1, last_error = $2 WHERE id = $3")
            .bind(retry_at)
            .bind(error.chars().take(500).collect::<String>())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn pending_mail_count(&self) -> Result<i64> {
        Ok(sqlx::query(
            "SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND refused_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?
        .try_get("n")?)
    }
}
