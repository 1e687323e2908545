//! Debtors' addresses that bounce: marked by the outbox when a server refuses a mail for good
//! (`outbox::mark_mail_refused`), listed in the agents' queue, and corrected there.

use super::{Result, Storage, StorageError};
use sqlx::Row;

/// A contact whose address a mail server refused.
#[derive(Debug, Clone)]
pub struct BouncingContact {
    pub contact_id: String,
    pub debtor_id: String,
    pub debtor_name: String,
    pub debtor_reference: String,
    pub name: String,
    pub email: String,
    /// The refusing server's answer, as received.
    pub bounce: String,
    pub since: i64,
}

/// Shown in the queue at most; the rest wait for the next page load.
const BOUNCING_SHOWN: i64 = 200;

impl Storage {
    /// The creditor's bouncing addresses, the oldest first.
    pub async fn bouncing_contacts(&self, creditor_id: &str) -> Result<Vec<BouncingContact>> {
        let sql = format!(
            "SELECT c.id, c.debtor_id, d.name AS debtor_name, d.reference, c.name, c.email, c.bounce, c.bouncing_since \
             FROM debtor_contacts c JOIN debtors d ON d.id = c.debtor_id AND d.creditor_id = c.creditor_id \
             WHERE c.creditor_id = $1 AND c.bouncing_since IS NOT NULL \
             ORDER BY c.bouncing_since, c.id LIMIT {BOUNCING_SHOWN}"
        );
        let rows = sqlx::query(&sql)
            .bind(creditor_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(BouncingContact {
                    contact_id: r.try_get("id")?,
                    debtor_id: r.try_get("debtor_id")?,
                    debtor_name: r.try_get("debtor_name")?,
                    debtor_reference: r.try_get("reference")?,
                    name: r.try_get("name")?,
                    email: r.try_get("email")?,
                    bounce: r
                        .try_get::<Option<String>, _>("bounce")?
                        .unwrap_or_default(),
                    since: r.try_get("bouncing_since")?,
                })
            })
            .collect()
    }

    /// An agent gives a bouncing contact its corrected address (or the same one, checked): it
    /// stops bouncing, and the mails refused at the old address (this debtor's reminders, and
    /// mails that belong to no reminder) go again, to the new one. One transaction, with an
    /// event. `None`: no such contact of this creditor; `Stale`: it no longer bounces (a
    /// colleague corrected it first).
    pub async fn correct_contact(
        &self,
        creditor_id: &str,
        contact_id: &str,
        email: &str,
        agent_id: &str,
        now: i64,
    ) -> Result<Option<String>> {
        let mut tx = self.begin().await?;
        let Some(row) = sqlx::query(
            "SELECT debtor_id, email, bouncing_since FROM debtor_contacts WHERE id = $1 AND creditor_id = $2",
        )
        .bind(contact_id)
        .bind(creditor_id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let debtor_id: String = row.try_get("debtor_id")?;
        let old: String = row.try_get("email")?;
        if row.try_get::<Option<i64>, _>("bouncing_since")?.is_none() {
            return Err(StorageError::Stale("the address no longer bounces".into()));
        }
        let changed = sqlx::query(
            "UPDATE debtor_contacts SET email = $1, email_lower = $2, bouncing_since = NULL, bounce = NULL \
             WHERE id = $3 AND creditor_id = $4 AND bouncing_since IS NOT NULL",
        )
        .bind(email)
        .bind(email.to_lowercase())
        .bind(contact_id)
        .bind(creditor_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(StorageError::Stale("the address no longer bounces".into()));
        }
        let resent = sqlx::query(
            "UPDATE outbox SET to_address = $1, refused_at = NULL, lease_until = $2, attempts = 0 \
             WHERE creditor_id = $3 AND lower(to_address) = $4 AND refused_at IS NOT NULL AND sent_at IS NULL \
             AND (reminder_id IS NULL OR reminder_id IN (SELECT id FROM reminders WHERE creditor_id = $5 AND debtor_id = $6))",
        )
        .bind(email)
        .bind(now)
        .bind(creditor_id)
        .bind(old.to_lowercase())
        .bind(creditor_id)
        .bind(&debtor_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let e = super::NewEvent {
            creditor_id,
            debtor_id: Some(&debtor_id),
            invoice_id: None,
            kind: "contact_corrected",
            actor: agent_id,
            detail: serde_json::json!({ "from": old, "to": email, "resent": resent }),
        };
        super::events::append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(Some(debtor_id))
    }
}
